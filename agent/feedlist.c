/*
 * The feeds file: parsing with FILE:LINE errors, and the two edits the
 * `feeds` command makes (append a line, drop a line), each written back
 * atomically with every other line untouched. Reads and writes only that
 * file; knows nothing of the state database or the network.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "buf.h"
#include "feedlist.h"
#include "util.h"

#define LINE_MAX_BYTES	8192
#define NAME_MAX_BYTES	512
#define URL_MAX_BYTES	4096

static void
fl_error(struct feedlist *fl, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fl_error(struct feedlist *fl, unsigned line, const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;

	buf_init(&b, 0);
	buf_addf(&b, "%s:%u: ", fl->file, line);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	fl->errors = xreallocarray(fl->errors, fl->nerrors + 1, sizeof *fl->errors);
	fl->errors[fl->nerrors++] = buf_steal(&b);
}

static void
entry_release(struct feedlist_entry *e)
{
	size_t	i;

	free(e->url);
	free(e->path);
	free(e->name);
	for (i = 0; i < e->ntags; i++)
		free(e->tags[i]);
	free(e->tags);
	memset(e, 0, sizeof *e);
}

void
feedlist_free(struct feedlist *fl)
{
	size_t	i;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->n; i++)
		entry_release(&fl->v[i]);
	free(fl->v);
	for (i = 0; i < fl->nerrors; i++)
		free(fl->errors[i]);
	free(fl->errors);
	free(fl->file);
	free(fl);
}

static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int
feedlist_check_url(const char *url, int allow_local, char **cause)
{
	const char	*host = NULL, *p;
	size_t		 n;

	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	if (strlen(url) > URL_MAX_BYTES) {
		*cause = xasprintf("URL longer than %d bytes", URL_MAX_BYTES);
		return 0;
	}
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"') {
			*cause = xstrdup("URL with a space, quote or control character");
			return 0;
		}
	if (host != NULL) {
		if (strcspn(host, "/?#") == 0) {
			*cause = xasprintf("no host in '%s'", url);
			return 0;
		}
		return 'h';
	}
	if (strncasecmp(url, "file://", 7) == 0 || url[0] == '/' ||
	    strncmp(url, "./", 2) == 0 || strncmp(url, "../", 3) == 0 ||
	    strncmp(url, "~/", 2) == 0) {
		if (!allow_local) {
			*cause = xasprintf("'%s': local files are allowed only "
			    "in the feeds file", url);
			return 0;
		}
		if (strncasecmp(url, "file://", 7) == 0 && url[7] != '/' &&
		    strncasecmp(url + 7, "localhost/", 10) != 0) {
			*cause = xasprintf("'%s': a file URL names a local path "
			    "(file:///path)", url);
			return 0;
		}
		return 'l';
	}
	if ((p = strstr(url, "://")) != NULL) {
		n = (size_t)(p - url);
		*cause = xasprintf("unsupported scheme '%.*s' (http, https or a "
		    "local file)", n > 20 ? 20 : (int)n, url);
		return 0;
	}
	*cause = xasprintf("'%s' is not a URL or path (http://, https://, "
	    "file://, /, ./ or ~/)", url);
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The file a local feed names; relative paths against the file's dir. */
static char *
local_path(const char *file, const char *url)
{
	const char	*home, *slash, *p;
	struct buf	 b;

	if (strncasecmp(url, "file://", 7) == 0) {
		p = url + 7;
		if (strncasecmp(p, "localhost", 9) == 0)
			p += 9;
		buf_init(&b, 0);
		for (; *p != '\0'; p++) {
			if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				buf_addc(&b, hexval(p[1]) * 16 + hexval(p[2]));
				p += 2;
			} else
				buf_addc(&b, *p);
		}
		return buf_steal(&b);
	}
	if (url[0] == '/')
		return xstrdup(url);
	if (url[0] == '~') {
		if ((home = getenv("HOME")) == NULL)
			home = "";
		return xasprintf("%s%s", home, url + 1);
	}
	if ((slash = strrchr(file, '/')) == NULL)
		return xstrdup(url);
	return xasprintf("%.*s/%s", (int)(slash - file), file, url);
}

long
feedlist_parse_interval(const char *s)
{
	long long	 total = 0, v;
	const char	*p = s;
	char		*end;

	if (s == NULL || *s == '\0')
		return -1;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return -1;
		errno = 0;
		v = strtoll(p, &end, 10);
		if (errno != 0 || v > 100000000LL)
			return -1;
		switch (*end) {
		case 's':
			break;
		case 'm':
			v *= 60;
			break;
		case 'h':
			v *= 3600;
			break;
		case 'd':
			v *= 86400;
			break;
		case 'w':
			v *= 7 * 86400;
			break;
		default:
			return -1;
		}
		total += v;
		if (total > LONG_MAX / 2)
			return -1;
		p = end + 1;
	}
	return (long)total;
}

char *
feedlist_format_interval(long sec)
{
	static const struct {
		char	unit;
		long	size;
	} u[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	struct buf	b;
	size_t		i;

	buf_init(&b, 0);
	if (sec <= 0)
		buf_adds(&b, "0s");
	for (i = 0; sec > 0 && i < nitems(u); i++)
		if (sec >= u[i].size) {
			buf_addf(&b, "%ld%c", sec / u[i].size, u[i].unit);
			sec %= u[i].size;
		}
	return buf_steal(&b);
}

char *
feedlist_tags(const struct feedlist_entry *e)
{
	struct buf	b;
	size_t		i;

	if (e->ntags == 0)
		return NULL;
	buf_init(&b, 0);
	for (i = 0; i < e->ntags; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_adds(&b, e->tags[i]);
	}
	return buf_steal(&b);
}

/* Add the comma-separated tags in v; -1 on an empty or bad one. */
static int
add_tags(struct feedlist_entry *e, const char *v)
{
	const char	*p, *q;
	size_t		 i, n;
	char		*t;

	for (p = v;; p = q + 1) {
		q = p + strcspn(p, ",");
		while (p < q && isspace((unsigned char)*p))
			p++;
		n = (size_t)(q - p);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == 0 || n > 128)
			return -1;
		t = xstrndup(p, n);
		for (i = 0; i < e->ntags; i++)
			if (strcmp(e->tags[i], t) == 0)
				break;
		if (i < e->ntags)
			free(t);
		else {
			e->tags = xreallocarray(e->tags, e->ntags + 1,
			    sizeof *e->tags);
			e->tags[e->ntags++] = t;
		}
		if (*q == '\0')
			break;
	}
	return 0;
}

/*
 * Read one value at *pp: "quoted" with \" and \\, or a bare word. NULL
 * with *err set when malformed.
 */
static char *
read_value(const char **pp, const char *end, const char **err)
{
	const char	*p = *pp;
	struct buf	 b;

	buf_init(&b, 0);
	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			buf_addc(&b, (unsigned char)*p);
		}
		if (p == end) {
			*err = "unterminated quoted value";
			buf_release(&b);
			return NULL;
		}
		p++;
		if (p < end && !isspace((unsigned char)*p)) {
			*err = "white space expected after a quoted value";
			buf_release(&b);
			return NULL;
		}
	} else {
		while (p < end && !isspace((unsigned char)*p)) {
			if (*p == '"') {
				*err = "stray quote in a value";
				buf_release(&b);
				return NULL;
			}
			buf_addc(&b, (unsigned char)*p++);
		}
	}
	*pp = p;
	return buf_steal(&b);
}

/* Parse one line into e; 0, or -1 after reporting the error. */
static int
parse_line(struct feedlist *fl, unsigned lineno, const char *p,
    const char *end, struct feedlist_entry *e)
{
	const char	*q, *err = NULL;
	char		*key = NULL, *val = NULL, *cause = NULL;
	int		 kind;

	q = p;
	while (q < end && !isspace((unsigned char)*q))
		q++;
	e->url = xstrndup(p, (size_t)(q - p));
	e->line = lineno;
	if ((kind = feedlist_check_url(e->url, 1, &cause)) == 0) {
		fl_error(fl, lineno, "%s", cause);
		free(cause);
		return -1;
	}
	if (kind == 'l')
		e->path = local_path(fl->file, e->url);
	for (p = q;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p == end || *p == '#')
			break;
		for (q = p; q < end && *q != '=' && !isspace((unsigned char)*q); q++)
			;
		if (q == end || *q != '=') {
			fl_error(fl, lineno, "expected KEY=VALUE, found '%.*s'",
			    (int)(q - p > 40 ? 40 : q - p), p);
			return -1;
		}
		key = xstrndup(p, (size_t)(q - p));
		p = q + 1;
		if ((val = read_value(&p, end, &err)) == NULL) {
			fl_error(fl, lineno, "%s: %s", key, err);
			goto fail;
		}
		if (has_control(val)) {
			fl_error(fl, lineno, "%s: control character in value", key);
			goto fail;
		}
		if (strcmp(key, "name") == 0) {
			if (*val == '\0' || strlen(val) > NAME_MAX_BYTES) {
				fl_error(fl, lineno, "name: empty or longer than %d "
				    "bytes", NAME_MAX_BYTES);
				goto fail;
			}
			free(e->name);
			e->name = val;
			val = NULL;
		} else if (strcmp(key, "interval") == 0) {
			e->interval = feedlist_parse_interval(val);
			if (e->interval < FEEDLIST_MIN_INTERVAL ||
			    e->interval > FEEDLIST_MAX_INTERVAL) {
				fl_error(fl, lineno, "interval: '%s' is not a "
				    "duration from 1m to 30d (such as 30m, 2h, "
				    "1h30m)", val);
				goto fail;
			}
		} else if (strcmp(key, "tag") == 0 || strcmp(key, "tags") == 0) {
			if (add_tags(e, val) == -1) {
				fl_error(fl, lineno, "tag: empty or too long tag "
				    "in '%s'", val);
				goto fail;
			}
		} else {
			fl_error(fl, lineno, "unknown option '%s' (name, "
			    "interval, tag)", key);
			goto fail;
		}
		free(key);
		free(val);
		key = val = NULL;
	}
	return 0;
fail:
	free(key);
	free(val);
	return -1;
}

struct feedlist *
feedlist_parse(const char *name, const char *text, size_t len)
{
	struct feedlist		*fl;
	struct feedlist_entry	 e;
	const char		*p, *end, *eol;
	unsigned		 lineno = 0;
	size_t			 i;

	fl = xcalloc(1, sizeof *fl);
	fl->file = xstrdup(name);
	for (p = text, end = text + len; p < end; p = eol + 1) {
		lineno++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p > LINE_MAX_BYTES) {
			fl_error(fl, lineno, "line longer than %d bytes",
			    LINE_MAX_BYTES);
			continue;
		}
		while (p < eol && isspace((unsigned char)*p))
			p++;
		if (p == eol || *p == '#')
			continue;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
			fl_error(fl, lineno, "NUL byte in line");
			continue;
		}
		memset(&e, 0, sizeof e);
		if (parse_line(fl, lineno, p, eol, &e) == -1) {
			entry_release(&e);
			continue;
		}
		for (i = 0; i < fl->n; i++)
			if (strcmp(fl->v[i].url, e.url) == 0)
				break;
		if (i < fl->n) {
			fl_error(fl, lineno, "'%s' is already listed at line %u",
			    e.url, fl->v[i].line);
			entry_release(&e);
			continue;
		}
		fl->v = xreallocarray(fl->v, fl->n + 1, sizeof *fl->v);
		fl->v[fl->n++] = e;
	}
	return fl;
}

struct feedlist *
feedlist_load(const char *path, char **cause)
{
	struct feedlist	*fl;
	char		*text;
	size_t		 len;

	if (access(path, F_OK) == -1 && errno == ENOENT)
		return feedlist_parse(path, "", 0);
	if ((text = util_read_file(path, FEEDLIST_MAX_BYTES, &len, cause)) == NULL)
		return NULL;
	fl = feedlist_parse(path, text, len);
	free(text);
	return fl;
}

const struct feedlist_entry *
feedlist_find(const struct feedlist *fl, const char *key, int *ambiguous)
{
	const struct feedlist_entry	*found = NULL;
	size_t				 i;

	if (ambiguous != NULL)
		*ambiguous = 0;
	for (i = 0; i < fl->n; i++)
		if (strcmp(fl->v[i].url, key) == 0)
			return &fl->v[i];
	for (i = 0; i < fl->n; i++) {
		if (fl->v[i].name == NULL || strcasecmp(fl->v[i].name, key) != 0)
			continue;
		if (found != NULL) {
			if (ambiguous != NULL)
				*ambiguous = 1;
			return NULL;
		}
		found = &fl->v[i];
	}
	return found;
}

/* A value bare when it is safe to, else quoted with escapes. */
static void
add_value(struct buf *b, const char *v, int force_quotes)
{
	const char	*p;
	int		 quote = force_quotes || *v == '\0';

	for (p = v; *p != '\0' && !quote; p++)
		if (isspace((unsigned char)*p) || *p == '"' || *p == '\\' ||
		    *p == '#' || *p == '=')
			quote = 1;
	if (!quote) {
		buf_adds(b, v);
		return;
	}
	buf_addc(b, '"');
	for (p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_addc(b, '\\');
		buf_addc(b, (unsigned char)*p);
	}
	buf_addc(b, '"');
}

char *
feedlist_format(const struct feedlist_entry *e)
{
	struct buf	 b;
	char		*iv;
	size_t		 i;

	buf_init(&b, 0);
	buf_adds(&b, e->url);
	if (e->name != NULL) {
		buf_adds(&b, " name=");
		add_value(&b, e->name, 1);
	}
	if (e->interval > 0) {
		iv = feedlist_format_interval(e->interval);
		buf_addf(&b, " interval=%s", iv);
		free(iv);
	}
	for (i = 0; i < e->ntags; i++) {
		buf_adds(&b, " tag=");
		add_value(&b, e->tags[i], 0);
	}
	return buf_steal(&b);
}

/*
 * Serialise edits: an flock on the directory holding the file, so two
 * `feeds add` at once cannot lose a line, without a lock file lying
 * around. Returns the descriptor to close, or -1 (then edits go unlocked).
 */
static int
edit_lock(const char *path)
{
	const char	*slash;
	char		*dir;
	int		 fd;

	if ((slash = strrchr(path, '/')) == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd != -1 && flock(fd, LOCK_EX) == -1) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void
edit_unlock(int fd)
{
	if (fd != -1)
		close(fd);
}

/* Read the file for an edit: its text (empty when missing) and parse. */
static char *
edit_read(const char *path, size_t *len, struct feedlist **fl, char **cause)
{
	char	*text;

	if (access(path, F_OK) == -1 && errno == ENOENT) {
		text = xstrdup("");
		*len = 0;
	} else if ((text = util_read_file(path, FEEDLIST_MAX_BYTES, len,
	    cause)) == NULL)
		return NULL;
	*fl = feedlist_parse(path, text, *len);
	return text;
}

/* Write through a symbolic link to the file it names. */
static int
edit_write(const char *path, const char *data, size_t len, char **cause)
{
	char	*real;
	int	 rv;

	if ((real = realpath(path, NULL)) == NULL)
		return util_write_atomic(path, data, len, cause);
	rv = util_write_atomic(real, data, len, cause);
	free(real);
	return rv;
}

int
feedlist_add(const char *path, const struct feedlist_entry *v, size_t n,
    char **cause)
{
	struct feedlist	*fl = NULL, *check = NULL;
	struct buf	 b, lines;
	char		*text, *line;
	size_t		 i, j, len;
	int		 rv = -1, lockfd;

	buf_init(&lines, 0);
	lockfd = edit_lock(path);
	if ((text = edit_read(path, &len, &fl, cause)) == NULL) {
		edit_unlock(lockfd);
		return -1;
	}
	for (j = 0; j < n; j++) {
		if (feedlist_check_url(v[j].url, 1, cause) == 0)
			goto out;
		for (i = 0; i < fl->n; i++)
			if (strcmp(fl->v[i].url, v[j].url) == 0) {
				*cause = xasprintf("%s:%u: '%s' is already listed",
				    path, fl->v[i].line, v[j].url);
				goto out;
			}
		line = feedlist_format(&v[j]);
		buf_addf(&lines, "%s\n", line);
		free(line);
	}
	/* The new lines must read back as exactly these entries. */
	check = feedlist_parse(path, lines.data != NULL ? lines.data : "",
	    lines.len);
	if (check->nerrors > 0 || check->n != n) {
		*cause = xstrdup(check->nerrors > 0 ? strchr(check->errors[0],
		    ' ') + 1 : "invalid entry");
		goto out;
	}
	buf_init(&b, 0);
	buf_add(&b, text, len);
	if (len > 0 && text[len - 1] != '\n')
		buf_addc(&b, '\n');
	buf_add(&b, lines.data, lines.len);
	rv = edit_write(path, b.data != NULL ? b.data : "", b.len, cause);
	buf_release(&b);
out:
	edit_unlock(lockfd);
	buf_release(&lines);
	free(text);
	feedlist_free(check);
	feedlist_free(fl);
	return rv;
}

int
feedlist_remove(const char *path, const char *key, char **url, char **cause)
{
	const struct feedlist_entry	*e;
	struct feedlist			*fl = NULL;
	struct buf			 b;
	const char			*p, *end, *eol;
	char				*text;
	unsigned			 lineno = 0;
	size_t				 len;
	int				 ambiguous, rv = -1, lockfd;

	if (url != NULL)
		*url = NULL;
	lockfd = edit_lock(path);
	if ((text = edit_read(path, &len, &fl, cause)) == NULL) {
		edit_unlock(lockfd);
		return -1;
	}
	if ((e = feedlist_find(fl, key, &ambiguous)) == NULL) {
		if (ambiguous) {
			*cause = xasprintf("several feeds are named '%s'; give "
			    "the URL", key);
			goto out;
		}
		rv = 0;
		goto out;
	}
	buf_init(&b, 0);
	for (p = text, end = text + len; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (++lineno != e->line)
			buf_add(&b, p, (size_t)(eol - p) + (eol < end));
	}
	if ((rv = edit_write(path, b.data != NULL ? b.data : "", b.len,
	    cause)) == 0) {
		rv = 1;
		if (url != NULL)
			*url = xstrdup(e->url);
	}
	buf_release(&b);
out:
	edit_unlock(lockfd);
	free(text);
	feedlist_free(fl);
	return rv;
}
