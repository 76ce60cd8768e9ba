/*
 * The configuration file: a table of keys, each with a parser and a place
 * in struct config. Unknown keys are errors with a did-you-mean hint, so a
 * typo never passes silently.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "rules.h"
#include "util.h"

enum ctype { C_DURATION, C_SIZE, C_INT, C_BOOL, C_STRING, C_CLOCK, C_RANGE, C_PERCENT };

static const struct ckey {
	const char	*name;
	enum ctype	 type;
	size_t		 off;
	long		 min, max;
} config_keys[] = {
	{ "connect-timeout", C_DURATION, offsetof(struct config, connect_timeout), 1, 300 },
	{ "digest-at", C_CLOCK, offsetof(struct config, digest_at), 0, 0 },
	{ "digest-format", C_STRING, offsetof(struct config, digest_format), 0, 0 },
	{ "digest-output", C_STRING, offsetof(struct config, digest_output), 0, 0 },
	{ "digest-since", C_DURATION, offsetof(struct config, digest_since), 60, 366L * 86400 },
	{ "forget", C_DURATION, offsetof(struct config, forget), 86400, 100L * 365 * 86400 },
	{ "interval", C_DURATION, offsetof(struct config, interval), 60, 7L * 86400 },
	{ "jitter", C_PERCENT, offsetof(struct config, jitter), 0, 50 },
	{ "max-body", C_SIZE, offsetof(struct config, max_body), 4096, 256L << 20 },
	{ "max-connections", C_INT, offsetof(struct config, max_connections), 1, 256 },
	{ "max-interval", C_DURATION, offsetof(struct config, max_interval), 60, 30L * 86400 },
	{ "max-items", C_INT, offsetof(struct config, max_items), 1, 100000 },
	{ "max-per-host", C_INT, offsetof(struct config, max_per_host), 1, 32 },
	{ "max-per-hour", C_INT, offsetof(struct config, max_per_hour), 0, 10000 },
	{ "min-interval", C_DURATION, offsetof(struct config, min_interval), 10, 86400 },
	{ "notify", C_BOOL, offsetof(struct config, notify), 0, 1 },
	{ "notify-backlog", C_BOOL, offsetof(struct config, notify_backlog), 0, 1 },
	{ "quiet-hours", C_RANGE, offsetof(struct config, quiet_start), 0, 0 },
	{ "retention", C_DURATION, offsetof(struct config, retention), 3600, 100L * 365 * 86400 },
	{ "timeout", C_DURATION, offsetof(struct config, timeout), 1, 3600 },
	{ "user-agent", C_STRING, offsetof(struct config, user_agent), 0, 0 },
};

void
config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->interval = 30 * 60;
	c->min_interval = 5 * 60;
	c->max_interval = 24 * 3600;
	c->jitter = 10;
	c->timeout = 30;
	c->connect_timeout = 10;
	c->max_body = 16u << 20;
	c->max_items = 1000;
	c->max_connections = 16;
	c->max_per_host = 2;
	c->retention = 90L * 86400;
	c->forget = 365L * 86400;
	c->notify = 1;
	c->notify_backlog = 0;
	c->max_per_hour = 20;
	c->quiet_start = c->quiet_end = -1;
	c->digest_at = -1;
	c->digest_format = xstrdup("html");
	c->digest_output = xstrdup("~/.local/share/wirewatch/digests/digest-%Y-%m-%d.html");
	c->digest_since = 86400;
}

void
config_release(struct config *c)
{
	free(c->user_agent);
	free(c->digest_format);
	free(c->digest_output);
	c->user_agent = c->digest_format = c->digest_output = NULL;
}

long
config_parse_duration(const char *s)
{
	char		*end;
	long long	 v;
	long		 mul = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		switch (*end) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		case 'w': mul = 7 * 86400; break;
		default: return -1;
		}
		if (end[1] != '\0')
			return -1;
	}
	if (v > LONG_MAX / mul)
		return -1;
	return (long)v * mul;
}

size_t
config_parse_size(const char *s)
{
	char			*end;
	unsigned long long	 v;
	unsigned		 shift = 0;

	if (!isdigit((unsigned char)*s))
		return (size_t)-1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return (size_t)-1;
	if (*end != '\0') {
		switch (toupper((unsigned char)*end)) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		default: return (size_t)-1;
		}
		if (end[1] != '\0' && strcasecmp(end + 1, "B") != 0 && strcasecmp(end + 1, "iB") != 0)
			return (size_t)-1;
	}
	if (v > (SIZE_MAX >> shift) / 2)
		return (size_t)-1;
	return (size_t)(v << shift);
}

int
config_parse_clock(const char *s)
{
	int	h, m;
	char	tail;

	if (sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59 ||
	    strlen(s) != 5)
		return -1;
	return h * 60 + m;
}

static size_t
edit_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, d[64];

	if (lb >= nitems(d))
		return 99;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j] > d[j - 1] + 1)
				d[j] = d[j - 1] + 1;
			if (d[j] > cur + 1)
				d[j] = cur + 1;
			prev = cur;
		}
	}
	return d[lb];
}

static int
ckey_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct ckey *)e)->name);
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Apply one value; returns NULL or a static error message. */
static const char *
config_set(struct config *c, const struct ckey *k, const char *v)
{
	char	*p = (char *)c + k->off;
	long	 n;
	size_t	 z;
	int	 a, b;
	char	 from[8], to[8];

	switch (k->type) {
	case C_DURATION:
		if ((n = config_parse_duration(v)) == -1)
			return "expected a duration such as 90s, 30m, 6h, 7d, 2w";
		if (n < k->min || n > k->max)
			return "duration out of range";
		*(long *)(void *)p = n;
		break;
	case C_SIZE:
		if ((z = config_parse_size(v)) == (size_t)-1)
			return "expected a size such as 512K, 16M";
		if (z < (size_t)k->min || z > (size_t)k->max)
			return "size out of range";
		*(size_t *)(void *)p = z;
		break;
	case C_INT:
	case C_PERCENT:
		{
			char *end;

			errno = 0;
			n = strtol(v, &end, 10);
			if (k->type == C_PERCENT && *end == '%')
				end++;
			if (errno != 0 || end == v || *end != '\0')
				return "expected a whole number";
			if (n < k->min || n > k->max)
				return "number out of range";
			*(int *)(void *)p = (int)n;
		}
		break;
	case C_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0)
			*(int *)(void *)p = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0)
			*(int *)(void *)p = 0;
		else
			return "expected yes or no";
		break;
	case C_STRING:
		if (*v == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
			free(*(char **)(void *)p);
			*(char **)(void *)p = xstrndup(v + 1, strlen(v) - 2);
		} else {
			free(*(char **)(void *)p);
			*(char **)(void *)p = xstrdup(v);
		}
		break;
	case C_CLOCK:
		if (strcmp(v, "none") == 0) {
			*(int *)(void *)p = -1;
			break;
		}
		if ((a = config_parse_clock(v)) == -1)
			return "expected a time of day HH:MM, or none";
		*(int *)(void *)p = a;
		break;
	case C_RANGE:
		if (strcmp(v, "none") == 0) {
			c->quiet_start = c->quiet_end = -1;
			break;
		}
		if (strlen(v) != 11 || v[5] != '-')
			return "expected HH:MM-HH:MM, or none";
		memcpy(from, v, 5);
		from[5] = '\0';
		memcpy(to, v + 6, 5);
		to[5] = '\0';
		if ((a = config_parse_clock(from)) == -1 || (b = config_parse_clock(to)) == -1)
			return "expected HH:MM-HH:MM, or none";
		c->quiet_start = a;
		c->quiet_end = b;
		break;
	}
	return NULL;
}

int
config_load_string(struct config *c, const char *name, const char *text, struct diag *d)
{
	const struct ckey	*k;
	char			*copy, *line, *next, *eq, *key, *val, *hash;
	const char		*err;
	unsigned		 lineno = 0, errors = d->errors;
	size_t			 i, best, dist;

	copy = xstrdup(text);
	for (line = copy; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			diag_error(d, name, lineno, (unsigned)(key - line) + 1,
			    "expected 'key = value'");
			continue;
		}
		*eq = '\0';
		val = trim(eq + 1);
		/* a comment after an unquoted value: " # ..." */
		if (*val != '"' && (hash = strstr(val, " #")) != NULL) {
			*hash = '\0';
			val = trim(val);
		}
		key = trim(key);
		k = bsearch(key, config_keys, nitems(config_keys), sizeof *config_keys, ckey_cmp);
		if (k == NULL) {
			best = 0;
			dist = 99;
			for (i = 0; i < nitems(config_keys); i++) {
				size_t e = edit_distance(key, config_keys[i].name);

				if (e < dist) {
					dist = e;
					best = i;
				}
			}
			if (dist <= 2)
				diag_error(d, name, lineno, (unsigned)(key - line) + 1,
				    "unknown key '%s' (did you mean '%s'?)", key,
				    config_keys[best].name);
			else
				diag_error(d, name, lineno, (unsigned)(key - line) + 1,
				    "unknown key '%s'", key);
			continue;
		}
		if (*val == '\0') {
			diag_error(d, name, lineno, (unsigned)(eq - line) + 2,
			    "missing value for '%s'", key);
			continue;
		}
		if ((err = config_set(c, k, val)) != NULL)
			diag_error(d, name, lineno, (unsigned)(val - line) + 1, "%s: %s", key, err);
	}
	free(copy);
	if (c->min_interval > c->max_interval)
		diag_error(d, name, 1, 1, "min-interval is longer than max-interval");
	if (c->digest_format != NULL && strcmp(c->digest_format, "text") != 0 &&
	    strcmp(c->digest_format, "markdown") != 0 && strcmp(c->digest_format, "md") != 0 &&
	    strcmp(c->digest_format, "html") != 0 && strcmp(c->digest_format, "json") != 0 &&
	    strcmp(c->digest_format, "atom") != 0)
		diag_error(d, name, 1, 1, "digest-format: expected text, markdown, html, json or atom");
	return d->errors > errors ? -1 : 0;
}

int
config_load(struct config *c, const char *path, struct diag *d)
{
	char	*text, *cause = NULL;
	size_t	 len;
	int	 rv;

	if ((text = util_read_file(path, 1 << 20, &len, &cause)) == NULL) {
		if (errno == ENOENT || (cause != NULL && strstr(cause, "No such file") != NULL)) {
			free(cause);
			return 0;
		}
		diag_error(d, path, 0, 0, "%s", cause);
		free(cause);
		return -1;
	}
	if (memchr(text, '\0', len) != NULL) {
		diag_error(d, path, 1, 1, "binary data in the configuration file");
		free(text);
		return -1;
	}
	rv = config_load_string(c, path, text, d);
	free(text);
	return rv;
}
