/*
 * Unit tests: fetch.c and fetch-hdr.c against tests/server.py on 127.0.0.1
 * (a random free port). The server logs every request, so the tests check
 * what was sent as well as what came back.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "fetch.h"
#include "json.h"
#include "tap.h"
#include "util.h"

#define NOW	1800000000LL	/* WIREWATCH_NOW for the whole test */

static pid_t	 srv_pid = -1;
static int	 srv_port;
static char	 srv_dir[] = "/tmp/ww-fetch-XXXXXX";
static char	*srv_log;

/* What a test keeps of a fetch_res (strings taken over, or NULL). */
struct got {
	int		 done;
	enum fetch_error error;
	char		*error_text;
	int		 status, not_modified, redirects, permanent;
	char		*body, *etag, *last_modified, *content_type;
	char		*final_url, *moved_url;
	size_t		 len;
	int64_t		 retry_after, expires;
	long		 max_age, elapsed_ms;
	int		 order;		/* 1 for the first callback of a batch */
	int		 dropped;	/* times the drop option was called */
};

static int	done_seq;	/* callbacks so far; a test resets it */

static void
got_release(struct got *g)
{
	free(g->error_text);
	free(g->body);
	free(g->etag);
	free(g->last_modified);
	free(g->content_type);
	free(g->final_url);
	free(g->moved_url);
	memset(g, 0, sizeof *g);
}

static void
on_drop(void *arg)
{
	struct got	*g = arg;

	g->dropped++;
}

static void
on_done(struct fetch_res *r, void *arg)
{
	struct got	*g = arg;

	g->done++;
	g->order = ++done_seq;
	g->error = r->error;
	g->status = r->status;
	g->not_modified = r->not_modified;
	g->redirects = r->redirects;
	g->permanent = r->permanent;
	g->len = r->len;
	g->retry_after = r->retry_after;
	g->expires = r->expires;
	g->max_age = r->max_age;
	g->elapsed_ms = r->elapsed_ms;
#define TAKE(f) do { g->f = r->f; r->f = NULL; } while (0)
	TAKE(error_text);
	TAKE(body);
	TAKE(etag);
	TAKE(last_modified);
	TAKE(content_type);
	TAKE(final_url);
	TAKE(moved_url);
#undef TAKE
}

/*
 * Start tests/server.py (over TLS with the fixture certificate when tls is
 * set); its port file and request log are srv_dir/NAME.port and NAME.log.
 */
static pid_t
server_spawn(const char *name, int tls, int *port)
{
	const char	*src = getenv("WW_SRC") ? getenv("WW_SRC") : ".";
	char		*script, *portfile, *log, *root, *routes, *crt, *key, *p, *cause;
	struct timespec	 ts = { 0, 20 * 1000 * 1000 };
	size_t		 len;
	pid_t		 pid;
	int		 i;

	script = xasprintf("%s/tests/server.py", src);
	root = xasprintf("%s/tests/fixtures/fetch", src);
	routes = xasprintf("%s/routes.json", root);
	crt = xasprintf("%s/selfsigned.crt", root);
	key = xasprintf("%s/selfsigned.key", root);
	portfile = xasprintf("%s/%s.port", srv_dir, name);
	log = xasprintf("%s/%s.log", srv_dir, name);
	if ((pid = fork()) == 0) {
		if (tls)
			execlp("python3", "python3", script, "--port-file", portfile,
			    "--log", log, "--root", root, "--max-life", "120",
			    "--tls-cert", crt, "--tls-key", key, (char *)NULL);
		else
			execlp("python3", "python3", script, "--port-file", portfile,
			    "--log", log, "--root", root, "--routes", routes,
			    "--max-life", "120", (char *)NULL);
		_exit(127);
	}
	*port = 0;
	for (i = 0; i < 1500 && *port == 0; i++) {
		nanosleep(&ts, NULL);
		cause = NULL;
		if ((p = util_read_file(portfile, 64, &len, &cause)) != NULL) {
			*port = atoi(p);
			free(p);
		}
		free(cause);
	}
	if (*port == 0) {
		printf("Bail out! test server did not start\n");
		kill(pid, SIGTERM);
		exit(1);
	}
	if (!tls)
		srv_log = log;
	else
		free(log);
	free(script);
	free(root);
	free(routes);
	free(crt);
	free(key);
	free(portfile);
	return pid;
}

static void
server_start(void)
{
	if (mkdtemp(srv_dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	srv_pid = server_spawn("http", 0, &srv_port);
}

static void
server_stop(void)
{
	char	*cmd;

	if (srv_pid > 0) {
		kill(srv_pid, SIGTERM);
		waitpid(srv_pid, NULL, 0);
	}
	cmd = xasprintf("rm -rf '%s'", srv_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", srv_dir);
	free(cmd);
	free(srv_log);
}

/* URL on the test server; returns a static buffer (two in rotation). */
static const char *
U(const char *path)
{
	static char	bufs[2][512];
	static int	n;
	char		*b = bufs[n++ % 2];

	snprintf(b, sizeof bufs[0], "http://127.0.0.1:%d%s", srv_port, path);
	return b;
}

/* Fetch one request with the given options; the result goes to g. */
static void
fetch1(const struct fetch_opts *o, const struct fetch_req *req, struct got *g)
{
	struct fetcher	*f;
	char		*cause = NULL;

	memset(g, 0, sizeof *g);
	f = fetcher_new(o);
	if (fetcher_add(f, req, g, &cause) == -1) {
		printf("# fetcher_add: %s\n", cause);
		free(cause);
		g->error = FETCH_E_URL;
	} else {
		while (fetcher_run(f, 10000, on_done) > 0)
			;
	}
	fetcher_free(f);
}

static void
get(const char *path, struct got *g)
{
	fetch1(NULL, &(struct fetch_req){ .url = U(path) }, g);
}

/* The last log line of a request for exactly this path (caller frees). */
static char *
log_line(const char *path)
{
	struct buf	 key;
	char		*data, *line, *next, *found = NULL, *cause = NULL;
	size_t		 len;

	if ((data = util_read_file(srv_log, 1 << 24, &len, &cause)) == NULL) {
		free(cause);
		return NULL;
	}
	buf_init(&key, 0);
	buf_adds(&key, "\"path\": ");
	json_str(&key, path);
	buf_adds(&key, ", ");
	for (line = data; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (strstr(line, key.data) != NULL) {
			free(found);
			found = xstrdup(line);
		}
	}
	buf_release(&key);
	free(data);
	return found;
}

/* Does the log line carry header name (lowercase) with this exact value? */
static int
log_has(const char *line, const char *name, const char *value)
{
	struct buf	 b;
	int		 r;

	if (line == NULL)
		return 0;
	buf_init(&b, 0);
	json_str(&b, name);
	buf_adds(&b, ": ");
	json_str(&b, value);
	r = strstr(line, b.data) != NULL;
	buf_release(&b);
	return r;
}

static long
log_int(const char *line, const char *key)
{
	char	 k[64];
	const char *p;

	snprintf(k, sizeof k, "\"%s\": ", key);
	if (line == NULL || (p = strstr(line, k)) == NULL)
		return -1;
	return atol(p + strlen(k));
}

/* Count log lines containing needle; *max gets the largest "active", *conns distinct conn ids. */
static int
log_scan(const char *needle, long *max_active, int *conns)
{
	char	*data, *line, *next, *cause = NULL;
	size_t	 len;
	long	 seen[64], a, c;
	int	 n = 0, nseen = 0, i;

	*max_active = 0;
	*conns = 0;
	if ((data = util_read_file(srv_log, 1 << 24, &len, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	for (line = data; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (strstr(line, needle) == NULL)
			continue;
		n++;
		if ((a = log_int(line, "active")) > *max_active)
			*max_active = a;
		c = log_int(line, "conn");
		for (i = 0; i < nseen && seen[i] != c; i++)
			;
		if (i == nseen && nseen < (int)nitems(seen))
			seen[nseen++] = c;
	}
	*conns = nseen;
	free(data);
	return n;
}

static void
test_headers(void)
{
	long	v;

	is_int(fetch_parse_max_age("public, max-age=600"), 600, "max-age read");
	is_int(fetch_parse_max_age("no-cache, MAX-AGE = \"60\""), 60, "max-age quoted, any case");
	is_int(fetch_parse_max_age("s-maxage=5, private"), -1, "s-maxage is not max-age");
	is_int(fetch_parse_max_age("foo=\"a,max-age=9\", max-age=7"), 7,
	    "max-age inside a quoted value ignored");
	is_int(fetch_parse_max_age(NULL), -1, "no Cache-Control");
	is_int(fetch_parse_max_age("max-age=abc"), -1, "max-age without digits");
	is_int(fetch_parse_retry_after("120", NULL, 1000), 1120, "Retry-After seconds");
	is_int(fetch_parse_retry_after(" 0 ", NULL, 1000), 1000, "Retry-After 0");
	is_int(fetch_parse_retry_after("-5", NULL, 1000), 0, "negative Retry-After ignored");
	is_int(fetch_parse_retry_after("soon", NULL, 1000), 0, "garbage Retry-After ignored");
	v = (long)(fetch_parse_retry_after("99999999999999999999", NULL, 0));
	ok(v > 0 && v <= 10L * 366 * 24 * 3600, "huge Retry-After clamped (%ld)", v);
	is_int(fetch_parse_expires("0", NULL, 1000), 0, "Expires: 0 reads as absent");
	if (date_parse("Sun, 06 Nov 1994 08:49:37 GMT") == DATE_NONE) {
		ok(1, "# SKIP date_parse cannot read HTTP dates yet");
		ok(1, "# SKIP date_parse cannot read HTTP dates yet");
		ok(1, "# SKIP date_parse cannot read HTTP dates yet");
		return;
	}
	is_int(fetch_parse_retry_after("Sun, 06 Nov 1994 09:49:37 GMT",
	    "Sun, 06 Nov 1994 08:49:37 GMT", 5000), 5000 + 3600,
	    "Retry-After date taken relative to the server's Date");
	is_int(fetch_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", NULL,
	    2000000000), 2000000000, "past Retry-After date means now");
	is_int(fetch_parse_expires("Sun, 06 Nov 1994 08:59:37 GMT",
	    "Sun, 06 Nov 1994 08:49:37 GMT", 5000), 5600, "Expires relative to Date");
}

static void
test_refused_urls(void)
{
	static const char *const bad[] = {
		"file:///etc/passwd", "ftp://127.0.0.1/feed", "gopher://127.0.0.1/",
		"dict://127.0.0.1/x", "/etc/passwd", "feeds.xml", "", "http://",
		"javascript:alert(1)",
	};
	struct fetcher	*f;
	char		*cause;
	size_t		 i;

	f = fetcher_new(NULL);
	for (i = 0; i < nitems(bad); i++) {
		cause = NULL;
		ok(fetcher_add(f, &(struct fetch_req){ .url = bad[i] }, NULL, &cause) == -1 &&
		    cause != NULL, "refused at add: '%s' (%s)", bad[i], cause ? cause : "-");
		free(cause);
	}
	is_int(fetcher_pending(f), 0, "nothing queued");
	is_str(fetch_strerror(FETCH_E_TOOBIG), "too large", "error kinds have names");
	is_str(fetch_strerror((enum fetch_error)99), "fetch failed", "... even unknown ones");
	cause = NULL;
	ok(fetcher_add(f, &(struct fetch_req){ .url = "HTTP://127.0.0.1:1/" }, NULL,
	    &cause) == 0, "scheme is case-insensitive");
	free(cause);
	fetcher_free(f);
}

static void
test_basic(void)
{
	struct got	 g;
	char		*line;

	get("/feed?items=2", &g);
	is_int(g.error, FETCH_OK, "200: no error");
	is_int(g.status, 200, "200: status");
	ok(g.body != NULL && strncmp(g.body, "<?xml", 5) == 0 && strstr(g.body, "<rss"),
	    "200: body");
	is_int(g.len, g.body ? strlen(g.body) : 0, "200: length");
	is_str(g.content_type, "application/rss+xml; charset=utf-8", "200: content type");
	is_str(g.final_url, U("/feed?items=2"), "200: final URL");
	is_int(g.redirects, 0, "200: no redirect");
	ok(g.moved_url == NULL && !g.permanent, "200: not moved");
	is_int(g.max_age, -1, "200: no max-age");
	ok(g.elapsed_ms >= 0 && g.elapsed_ms < 5000, "200: elapsed %ld ms", g.elapsed_ms);
	got_release(&g);
	line = log_line("/feed?items=2");
	ok(line != NULL, "request logged");
	ok(log_has(line, "user-agent", fetch_user_agent()), "User-Agent sent: %s",
	    fetch_user_agent());
	ok(strncmp(fetch_user_agent(), "wirewatch/" WW_VERSION " (+", 13 +
	    strlen(WW_VERSION)) == 0, "User-Agent names wirewatch and its version");
	ok(line && strstr(line, "\"accept-encoding\": \"") && strstr(line, "gzip"),
	    "Accept-Encoding offers gzip");
	ok(line && strstr(line, "application/rss+xml"), "Accept names feed types");
	ok(line && !strstr(line, "if-none-match") && !strstr(line, "if-modified-since"),
	    "no validators sent without them");
	ok(line && !strstr(line, "cookie") && !strstr(line, "referer"),
	    "no cookies, no referer");
	free(line);

	fetch1(&(struct fetch_opts){ .user_agent = "probe/9" },
	    &(struct fetch_req){ .url = U("/feed?ua=1") }, &g);
	line = log_line("/feed?ua=1");
	ok(log_has(line, "user-agent", "probe/9"), "User-Agent from options");
	free(line);
	got_release(&g);

	get("/status/410", &g);
	ok(g.error == FETCH_OK && g.status == 410 && g.body == NULL, "410 reported, no body");
	got_release(&g);
	get("/status/500", &g);
	ok(g.error == FETCH_OK && g.status == 500, "500 reported");
	got_release(&g);
	get("/status/404", &g);
	ok(g.error == FETCH_OK && g.status == 404, "404 reported");
	got_release(&g);
	get("/feed?h=Cache-Control:public,%20max-age=900", &g);
	is_int(g.max_age, 900, "Cache-Control max-age reported");
	got_release(&g);
	get("/static", &g);
	ok(g.status == 200 && g.body && strstr(g.body, "Scripted route"), "routes file served");
	is_str(g.etag, "W/\"static-1\"", "weak ETag kept verbatim");
	got_release(&g);
}

static void
test_conditional(void)
{
	struct got	 g;
	char		*line;
	const char	*lm = "Wed, 25 Nov 2026 10:00:00 GMT";

	fetch1(NULL, &(struct fetch_req){ .url = U("/feed?etag=%22v1%22"),
	    .etag = "\"v1\"" }, &g);
	is_int(g.status, 304, "If-None-Match match: 304");
	ok(g.not_modified && g.body == NULL && g.len == 0, "304: not modified, no body");
	is_str(g.etag, "\"v1\"", "304: ETag reported");
	got_release(&g);
	line = log_line("/feed?etag=%22v1%22");
	ok(log_has(line, "if-none-match", "\"v1\""), "If-None-Match sent verbatim");
	free(line);

	fetch1(NULL, &(struct fetch_req){ .url = U("/feed?etag=%22v2%22&x=1"),
	    .etag = "\"v1\"" }, &g);
	ok(g.status == 200 && !g.not_modified && g.body != NULL, "stale ETag: 200 with body");
	is_str(g.etag, "\"v2\"", "new ETag reported");
	got_release(&g);

	fetch1(NULL, &(struct fetch_req){ .url = U("/feed?lm=Wed,%2025%20Nov%202026%2010:00:00%20GMT"),
	    .last_modified = lm }, &g);
	is_int(g.status, 304, "If-Modified-Since match: 304");
	is_str(g.last_modified, lm, "Last-Modified reported");
	got_release(&g);
	line = log_line("/feed?lm=Wed,%2025%20Nov%202026%2010:00:00%20GMT");
	ok(log_has(line, "if-modified-since", lm), "If-Modified-Since sent verbatim");
	free(line);

	fetch1(NULL, &(struct fetch_req){ .url = U("/feed?inj=1"),
	    .etag = "\"a\"\r\nX-Evil: 1", .last_modified = "x\nX-Evil: 2" }, &g);
	line = log_line("/feed?inj=1");
	ok(line && !strstr(line, "x-evil") && !strstr(line, "if-none-match"),
	    "validators with line breaks are not sent");
	free(line);
	got_release(&g);
}

/* A feed that changes between polls, polled like the agent does. */
static void
test_changing(void)
{
	struct got	 g;
	char		*etag;

	get("/changing?every=2", &g);
	ok(g.status == 200 && g.body && strstr(g.body, "Dispatch 0.0"), "poll 1: version 0");
	etag = g.etag;
	g.etag = NULL;
	got_release(&g);
	fetch1(NULL, &(struct fetch_req){ .url = U("/changing?every=2"), .etag = etag }, &g);
	ok(g.status == 304, "poll 2: unchanged, 304");
	got_release(&g);
	fetch1(NULL, &(struct fetch_req){ .url = U("/changing?every=2"), .etag = etag }, &g);
	ok(g.status == 200 && g.body && strstr(g.body, "Dispatch 1.0"), "poll 3: version 1");
	is_str(g.etag, "\"v1\"", "poll 3: new ETag");
	got_release(&g);
	free(etag);
}

static void
test_redirects(void)
{
	struct got	 g;
	char		*line;

	get("/redirect/301,308/feed", &g);
	ok(g.status == 200 && g.body != NULL, "301+308 chain followed");
	is_int(g.redirects, 2, "two hops");
	ok(g.permanent, "every hop permanent");
	is_str(g.moved_url, U("/feed"), "moved to the final URL");
	is_str(g.final_url, U("/feed"), "final URL");
	got_release(&g);

	get("/redirect/301,302/feed", &g);
	ok(g.status == 200 && !g.permanent, "301 then 302: not permanent");
	is_str(g.moved_url, U("/redirect/302/feed"), "moved only as far as the 302's source");
	got_release(&g);

	get("/redirect/302,301/feed", &g);
	ok(g.status == 200 && !g.permanent && g.moved_url == NULL,
	    "302 first: URL stays");
	got_release(&g);

	get("/redirect/307/feed", &g);
	ok(g.status == 200 && !g.permanent && g.moved_url == NULL && g.redirects == 1,
	    "307: temporary");
	got_release(&g);

	get("/redirect/308/feed?etag=%22r%22", &g);
	ok(g.permanent && g.redirects == 1, "308: permanent");
	got_release(&g);

	fetch1(NULL, &(struct fetch_req){ .url = U("/redirect/301/feed?etag=%22r%22"),
	    .etag = "\"r\"" }, &g);
	is_int(g.status, 304, "validators follow the redirect");
	got_release(&g);
	line = log_line("/feed?etag=%22r%22");
	ok(log_has(line, "if-none-match", "\"r\""), "If-None-Match sent to the target");
	free(line);

	get("/loop/a", &g);
	ok(g.error == FETCH_E_REDIRECT && g.error_text && strstr(g.error_text, "loop"),
	    "redirect loop stopped (%s)", g.error_text ? g.error_text : "-");
	got_release(&g);

	get("/redirect/301,301,301,301,301/feed", &g);
	ok(g.error == FETCH_OK && g.status == 200 && g.redirects == 5, "five hops allowed");
	got_release(&g);
	get("/redirect/301,301,301,301,301,301/feed?six", &g);
	ok(g.error == FETCH_E_REDIRECT && g.error_text && strstr(g.error_text, "more than 5"),
	    "six hops refused (%s)", g.error_text ? g.error_text : "-");
	got_release(&g);
	line = log_line("/feed?six");
	ok(line == NULL, "the seventh request never sent");
	free(line);

	fetch1(&(struct fetch_opts){ .max_redirects = -1 },
	    &(struct fetch_req){ .url = U("/redirect/301/feed") }, &g);
	is_int(g.error, FETCH_E_REDIRECT, "max_redirects < 0: no hop followed");
	got_release(&g);

	get("/to?code=302&url=file:///etc/passwd", &g);
	ok(g.error == FETCH_E_REDIRECT && g.body == NULL, "302 to file:///etc/passwd refused");
	got_release(&g);
	get("/to?code=301&url=ftp://127.0.0.1/feed.xml", &g);
	is_int(g.error, FETCH_E_REDIRECT, "301 to ftp: refused");
	got_release(&g);
	get("/to?code=307&url=gopher://127.0.0.1:70/1", &g);
	is_int(g.error, FETCH_E_REDIRECT, "307 to gopher: refused");
	got_release(&g);
	get("/to?code=302&url=%2Ffeed%3Frel%3D1", &g);
	ok(g.status == 200 && g.final_url && strcmp(g.final_url, U("/feed?rel=1")) == 0,
	    "relative Location resolved");
	got_release(&g);
	get("/status/302", &g);
	ok(g.error == FETCH_OK && g.status == 302 && g.redirects == 0,
	    "3xx without Location is the final answer");
	got_release(&g);
}

/* Spaces in a query become '+'. */
static void
spaces_to_plus(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == ' ')
			*s = '+';
}

static void
test_retry_after(void)
{
	struct got	 g;
	char		 url[256], date[32];

	get("/status/429?h=Retry-After:120", &g);
	is_int(g.status, 429, "429 reported");
	is_int(g.retry_after, NOW + 120, "429 Retry-After seconds as an absolute time");
	got_release(&g);
	get("/status/503?h=Retry-After:%20%2030", &g);
	is_int(g.status, 503, "503 reported");
	is_int(g.retry_after, NOW + 30, "503 Retry-After seconds");
	got_release(&g);
	get("/status/503", &g);
	is_int(g.retry_after, 0, "no Retry-After: 0");
	got_release(&g);

	if (date_parse("Sun, 06 Nov 1994 08:49:37 GMT") == DATE_NONE) {
		ok(1, "# SKIP date_parse cannot read HTTP dates yet");
		ok(1, "# SKIP date_parse cannot read HTTP dates yet");
		return;
	}
	/* The server's Date is the real clock; ours is fixed at NOW. */
	date_format_http((int64_t)time(NULL) + 3600, date);
	snprintf(url, sizeof url, "/status/503?h=Retry-After:%s&d=1", date);
	spaces_to_plus(url);
	get(url, &g);
	ok(g.retry_after >= NOW + 3600 - 5 && g.retry_after <= NOW + 3600 + 5,
	    "503 Retry-After HTTP date, relative to the server's Date (%lld)",
	    (long long)(g.retry_after - NOW));
	got_release(&g);
	date_format_http((int64_t)time(NULL) + 600, date);
	snprintf(url, sizeof url, "/feed?h=Expires:%s", date);
	spaces_to_plus(url);
	get(url, &g);
	ok(g.expires >= NOW + 600 - 5 && g.expires <= NOW + 600 + 5,
	    "Expires relative to the server's Date (%lld)", (long long)(g.expires - NOW));
	got_release(&g);
}

static void
test_compression(void)
{
	struct fetch_opts	 o = { .max_body = 1 << 20 };
	struct got		 g;
	char			*line;
	long			 max_active;
	int			 n, conns;

	get("/feed?enc=gzip&items=50", &g);
	ok(g.status == 200 && g.body && strncmp(g.body, "<?xml", 5) == 0 &&
	    strstr(g.body, "</rss>"), "gzip body decoded");
	got_release(&g);
	line = log_line("/feed?enc=gzip&items=50");
	ok(line && strstr(line, "gzip"), "gzip was offered");
	free(line);
	get("/feed?enc=deflate", &g);
	ok(g.status == 200 && g.body && strstr(g.body, "</rss>"), "deflate body decoded");
	got_release(&g);

	get("/feed?h=Content-Encoding:gzip&bad=1", &g);
	ok(g.error == FETCH_OK && g.status == 200 && g.body && strstr(g.body, "</rss>"),
	    "body that is not what Content-Encoding says: fetched again uncompressed (%s)",
	    g.error_text ? g.error_text : "ok");
	got_release(&g);
	n = log_scan("\"path\": \"/feed?h=Content-Encoding:gzip&bad=1\"", &max_active, &conns);
	is_int(n, 2, "... with exactly one more request");
	line = log_line("/feed?h=Content-Encoding:gzip&bad=1");
	ok(line && !strstr(line, "accept-encoding"), "... without Accept-Encoding");
	free(line);

	fetch1(&o, &(struct fetch_req){ .url = U("/bomb?size=16777216&enc=gzip") }, &g);
	ok(g.error == FETCH_E_TOOBIG && g.body == NULL,
	    "gzip bomb (16 MiB of zeros) stopped at 1 MiB (%s)",
	    g.error_text ? g.error_text : "-");
	got_release(&g);
	fetch1(&o, &(struct fetch_req){ .url = U("/bomb?size=16777216&enc=deflate") }, &g);
	is_int(g.error, FETCH_E_TOOBIG, "deflate bomb stopped");
	got_release(&g);
	fetch1(&o, &(struct fetch_req){ .url = U("/bomb?size=1048576&enc=gzip") }, &g);
	ok(g.error == FETCH_OK && g.len == 1048576, "decoded body of exactly the cap accepted");
	got_release(&g);
}

static void
test_limits(void)
{
	struct fetch_opts	 o = { .max_body = 1 << 20 };
	struct got		 g;

	fetch1(&o, &(struct fetch_req){ .url = U("/huge?size=5000000") }, &g);
	ok(g.error == FETCH_E_TOOBIG, "huge body with Content-Length refused");
	got_release(&g);
	fetch1(&o, &(struct fetch_req){ .url = U("/huge?size=5000000&chunked=1") }, &g);
	ok(g.error == FETCH_E_TOOBIG && g.body == NULL, "huge chunked body capped (%s)",
	    g.error_text ? g.error_text : "-");
	got_release(&g);
	fetch1(&o, &(struct fetch_req){ .url = U("/endless") }, &g);
	ok(g.error == FETCH_E_TOOBIG, "endless chunked body capped");
	ok(g.elapsed_ms < 5000, "... quickly (%ld ms)", g.elapsed_ms);
	got_release(&g);
	fetch1(&o, &(struct fetch_req){ .url = U("/huge?size=1048576&chunked=1") }, &g);
	ok(g.error == FETCH_OK && g.len == 1048576, "chunked body of exactly the cap accepted");
	got_release(&g);
}

/*
 * The slow cases run at once on two engines driven in turns from this
 * thread: a strict one (low-speed limit, long total timeout) for a drip, a
 * stall after the headers, a refused connection and a connect timeout, and
 * a lax one (short total timeout, no practical low-speed limit) for a
 * server that never answers. The bounds are loose on purpose: they tell the
 * low-speed abort from the total timeout, not a busy machine's jitter.
 */
static void
test_slow(void)
{
	struct fetch_opts	 strict = { .connect_timeout_ms = 300, .timeout_ms = 10000,
				       .low_speed_bytes = 20, .low_speed_secs = 1,
				       .max_host = 8 };
	struct fetch_opts	 lax = { .timeout_ms = 2500, .low_speed_bytes = 1,
				       .low_speed_secs = 30 };
	struct got		 g[5];
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof sin;
	struct fetcher		*f, *f2;
	char			 refused[64], blackhole[64], *cause = NULL;
	int			 s1, s2, s3, i;

	memset(g, 0, sizeof g);
	/* A port nobody listens on. */
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s1 = socket(AF_INET, SOCK_STREAM, 0);
	bind(s1, (struct sockaddr *)&sin, sizeof sin);
	getsockname(s1, (struct sockaddr *)&sin, &sl);
	snprintf(refused, sizeof refused, "http://127.0.0.1:%d/", ntohs(sin.sin_port));
	close(s1);
	/* A listener whose backlog is full: connects hang. */
	sin.sin_port = 0;
	s2 = socket(AF_INET, SOCK_STREAM, 0);
	bind(s2, (struct sockaddr *)&sin, sizeof sin);
	listen(s2, 0);
	sl = sizeof sin;
	getsockname(s2, (struct sockaddr *)&sin, &sl);
	s3 = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s3, (struct sockaddr *)&sin, sizeof sin) == -1)
		printf("# filling the backlog: %s\n", strerror(errno));
	snprintf(blackhole, sizeof blackhole, "http://127.0.0.1:%d/", ntohs(sin.sin_port));

	f = fetcher_new(&strict);
	f2 = fetcher_new(&lax);
	fetcher_add(f, &(struct fetch_req){ .url = U("/drip?bytes=1000&rate=2") }, &g[0], &cause);
	fetcher_add(f, &(struct fetch_req){ .url = U("/stall?bytes=10") }, &g[1], &cause);
	fetcher_add(f2, &(struct fetch_req){ .url = U("/feed?delay=8000&never=1") }, &g[2],
	    &cause);
	fetcher_add(f, &(struct fetch_req){ .url = refused }, &g[3], &cause);
	fetcher_add(f, &(struct fetch_req){ .url = blackhole }, &g[4], &cause);
	while (fetcher_pending(f) + fetcher_pending(f2) > 0) {
		fetcher_run(f, 20, on_done);
		fetcher_run(f2, 20, on_done);
	}
	fetcher_free(f);
	fetcher_free(f2);
	close(s3);
	close(s2);

	ok(g[0].error == FETCH_E_TIMEOUT, "slow drip aborted (%s)",
	    g[0].error_text ? g[0].error_text : "-");
	ok(g[0].elapsed_ms >= 900 && g[0].elapsed_ms < 5000,
	    "... by the low-speed limit (%ld ms)", g[0].elapsed_ms);
	ok(g[1].error == FETCH_E_TIMEOUT, "stall after headers aborted (%s)",
	    g[1].error_text ? g[1].error_text : "-");
	ok(g[1].elapsed_ms >= 900 && g[1].elapsed_ms < 5000,
	    "... by the low-speed limit (%ld ms)", g[1].elapsed_ms);
	ok(g[2].error == FETCH_E_TIMEOUT, "a server that never answers hits the total "
	    "timeout (%s)", g[2].error_text ? g[2].error_text : "-");
	ok(g[2].elapsed_ms >= 2450 && g[2].elapsed_ms < 4000, "... after about timeout_ms "
	    "(%ld ms)", g[2].elapsed_ms);
	ok(g[3].error == FETCH_E_CONNECT && g[3].elapsed_ms < 1000,
	    "connection refused (%s)", g[3].error_text ? g[3].error_text : "-");
	ok(g[4].error == FETCH_E_CONNECT, "connect timeout (%s)",
	    g[4].error_text ? g[4].error_text : "-");
	ok(g[4].elapsed_ms >= 250 && g[4].elapsed_ms < 3000,
	    "... after about connect_timeout_ms (%ld ms)", g[4].elapsed_ms);
	for (i = 0; i < 5; i++) {
		ok(g[i].done == 1, "callback once for slow case %d", i);
		got_release(&g[i]);
	}
}

static void
test_caps(void)
{
	struct got	 g[8];
	struct fetcher	*f;
	char		 path[64], *cause = NULL;
	long		 max_active;
	int		 conns, n, i, all;

	/* Per-host cap: 8 slow requests, at most 2 at a time. */
	memset(g, 0, sizeof g);
	f = fetcher_new(&(struct fetch_opts){ .max_host = 2, .max_total = 16 });
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "/feed?delay=150&batch=host&i=%d", i);
		fetcher_add(f, &(struct fetch_req){ .url = U(path) }, &g[i], &cause);
	}
	is_int(fetcher_pending(f), 8, "8 queued");
	while (fetcher_run(f, 10000, on_done) > 0)
		;
	fetcher_free(f);
	for (all = 1, i = 0; i < 8; i++) {
		all &= g[i].done == 1 && g[i].status == 200;
		got_release(&g[i]);
	}
	ok(all, "8 concurrent fetches all done");
	n = log_scan("batch=host", &max_active, &conns);
	is_int(n, 8, "8 requests seen");
	is_int(max_active, 2, "per-host cap: never more than 2 at once, and 2 reached");
	ok(conns <= 2, "2 connections reused for 8 requests (%d)", conns);

	/* Global cap below the per-host cap. */
	memset(g, 0, sizeof g);
	f = fetcher_new(&(struct fetch_opts){ .max_host = 8, .max_total = 3 });
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "/feed?delay=150&batch=total&i=%d", i);
		fetcher_add(f, &(struct fetch_req){ .url = U(path) }, &g[i], &cause);
	}
	while (fetcher_run(f, 10000, on_done) > 0)
		;
	fetcher_free(f);
	for (all = 1, i = 0; i < 8; i++) {
		all &= g[i].done == 1 && g[i].status == 200;
		got_release(&g[i]);
	}
	ok(all, "8 fetches under a global cap of 3 all done");
	log_scan("batch=total", &max_active, &conns);
	is_int(max_active, 3, "global cap: never more than 3 at once, and 3 reached");

	/*
	 * Two hosts with a cap of 1 each: the second host's fetch does not
	 * wait behind the first host's queue, and a redirect from one host to
	 * the other waits in the other's line.
	 */
	memset(g, 0, sizeof g);
	done_seq = 0;
	f = fetcher_new(&(struct fetch_opts){ .max_host = 1, .max_total = 8 });
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "/feed?delay=300&batch=hosts&i=%d", i);
		fetcher_add(f, &(struct fetch_req){ .url = U(path) }, &g[i], &cause);
	}
	{
		char	other[160], hop[320];

		snprintf(other, sizeof other, "http://localhost:%d/feed?delay=150&batch=hosts&other=1",
		    srv_port);
		snprintf(hop, sizeof hop, "/to?url=http%%3A%%2F%%2Flocalhost%%3A%d%%2Ffeed"
		    "%%3Fbatch%%3Dhosts%%26hop%%3D1", srv_port);
		fetcher_add(f, &(struct fetch_req){ .url = U(hop) }, &g[4], &cause);
		fetcher_add(f, &(struct fetch_req){ .url = other }, &g[5], &cause);
	}
	while (fetcher_run(f, 10000, on_done) > 0)
		;
	fetcher_free(f);
	for (all = 1, i = 0; i < 6; i++)
		all &= g[i].done == 1 && g[i].status == 200;
	ok(all, "two hosts, a cap of 1 each: 6 fetches all done");
	is_int(g[5].order, 1, "the other host's fetch is not held behind the first host's queue");
	ok(g[4].redirects == 1 && g[4].final_url != NULL &&
	    strncmp(g[4].final_url, "http://localhost:", 17) == 0,
	    "a redirect to the other host is followed there (%s)",
	    g[4].final_url ? g[4].final_url : "-");
	n = log_scan("batch=hosts", &max_active, &conns);
	is_int(n, 6, "6 requests reached the feed on the two hosts");
	is_int(max_active, 2, "never more than one at a time per host, two hosts at once");
	for (i = 0; i < 6; i++)
		got_release(&g[i]);

	/* Connection reuse across runs of one engine. */
	memset(g, 0, sizeof g);
	f = fetcher_new(&(struct fetch_opts){ .max_host = 1 });
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "/feed?batch=reuse&i=%d", i);
		fetcher_add(f, &(struct fetch_req){ .url = U(path) }, &g[i], &cause);
	}
	while (fetcher_run(f, 10000, on_done) > 0)
		;
	fetcher_add(f, &(struct fetch_req){ .url = U("/feed?batch=reuse&i=5") }, &g[5], &cause);
	while (fetcher_run(f, 10000, on_done) > 0)
		;
	fetcher_free(f);
	for (all = 1, i = 0; i < 6; i++) {
		all &= g[i].done == 1 && g[i].status == 200;
		got_release(&g[i]);
	}
	ok(all, "6 sequential fetches done");
	n = log_scan("batch=reuse", &max_active, &conns);
	ok(n == 6 && conns == 1, "one TCP connection for 6 requests (%d requests, %d conns)",
	    n, conns);
	free(cause);
}

static struct fetcher	*chain_f;
static struct got	 chain_g[2];

/* Adds a second fetch from inside the callback of the first. */
static void
on_chain(struct fetch_res *r, void *arg)
{
	char	*cause = NULL;

	on_done(r, arg);
	if (arg == &chain_g[0] &&
	    fetcher_add(chain_f, &(struct fetch_req){ .url = U("/feed?chain=2") },
	    &chain_g[1], &cause) == -1) {
		printf("# %s\n", cause);
		free(cause);
	}
}

static void
test_run_api(void)
{
	struct fetcher	*f;
	struct got	 g, dropped[2];
	struct timespec	 a, b;
	long		 ms;
	int		 p[2], n;
	char		*body, *ct = NULL, *cause = NULL;
	size_t		 len;

	f = fetcher_new(NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	n = fetcher_run(f, 100, on_done);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	ok(n == 0 && ms >= 90 && ms < 1000, "idle run sleeps for its timeout (%ld ms)", ms);
	fetcher_wakeup(f);
	clock_gettime(CLOCK_MONOTONIC, &a);
	fetcher_run(f, 5000, on_done);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	ok(ms < 500, "wakeup ends a run (%ld ms)", ms);
	if (pipe(p) == 0) {
		fetcher_watch_fd(f, p[0]);
		if (write(p[1], "x", 1) != 1)
			printf("# write failed\n");
		clock_gettime(CLOCK_MONOTONIC, &a);
		fetcher_run(f, 5000, on_done);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
		ok(ms < 500, "readable watched fd ends a run (%ld ms)", ms);
		fetcher_watch_fd(f, -1);
		close(p[0]);
		close(p[1]);
	}
	/* A run with a timeout shorter than the fetch leaves it in flight. */
	memset(&g, 0, sizeof g);
	fetcher_add(f, &(struct fetch_req){ .url = U("/feed?delay=400&partial=1") }, &g, &cause);
	n = fetcher_run(f, 100, on_done);
	ok(n == 1 && g.done == 0, "short run returns with the fetch still in flight");
	while (fetcher_run(f, 5000, on_done) > 0)
		;
	ok(g.done == 1 && g.status == 200, "next run finishes it");
	got_release(&g);
	fetcher_free(f);
	/*
	 * Freeing with fetches in flight and queued: no done callback, the
	 * drop callback gets each abandoned udata once.
	 */
	f = fetcher_new(&(struct fetch_opts){ .max_host = 1, .drop = on_drop });
	memset(&g, 0, sizeof g);
	memset(dropped, 0, sizeof dropped);
	fetcher_add(f, &(struct fetch_req){ .url = U("/feed?abandon=2") }, &g, &cause);
	fetcher_add(f, &(struct fetch_req){ .url = U("/feed?delay=3000&abandon=1") }, &dropped[0], &cause);
	fetcher_add(f, &(struct fetch_req){ .url = U("/feed?abandon=3") }, &dropped[1], &cause);
	while (g.done == 0 && fetcher_run(f, 200, on_done) > 0)
		;
	fetcher_free(f);
	is_int(g.done, 1, "the finished fetch got its callback");
	ok(g.dropped == 0 && dropped[0].dropped == 1 && dropped[1].dropped == 1,
	    "fetcher_free hands back the fetch in flight and the queued one "
	    "(%d %d %d)", g.dropped, dropped[0].dropped, dropped[1].dropped);
	ok(dropped[0].done == 0 && dropped[1].done == 0, "and calls no done callback for them");
	got_release(&g);
	fetcher_free(NULL);

	chain_f = fetcher_new(NULL);
	fetcher_add(chain_f, &(struct fetch_req){ .url = U("/feed?chain=1") }, &chain_g[0],
	    &cause);
	n = fetcher_run(chain_f, 5000, on_chain);
	ok(n == 0 && chain_g[0].done == 1 && chain_g[1].done == 1 && chain_g[1].status == 200,
	    "a fetch added by a callback runs in the same run");
	fetcher_free(chain_f);
	got_release(&chain_g[0]);
	got_release(&chain_g[1]);

	body = fetch_url(U("/feed?one=1"), 1 << 20, &len, &ct, &cause);
	ok(body != NULL && len == strlen(body) && strstr(body, "<rss"), "fetch_url: body");
	is_str(ct, "application/rss+xml; charset=utf-8", "fetch_url: content type");
	free(body);
	free(ct);
	ct = NULL;
	body = fetch_url(U("/status/404"), 1 << 20, &len, &ct, &cause);
	ok(body == NULL && cause && strstr(cause, "404"), "fetch_url: 404 is an error (%s)",
	    cause ? cause : "-");
	free(cause);
	cause = NULL;
	body = fetch_url("file:///etc/passwd", 1 << 20, &len, NULL, &cause);
	ok(body == NULL && cause != NULL, "fetch_url: file: refused");
	free(cause);
	cause = NULL;
	body = fetch_url(U("/huge?size=3000&chunked=1"), 1000, &len, NULL, &cause);
	ok(body == NULL && cause && strstr(cause, "larger"), "fetch_url: cap applies (%s)",
	    cause ? cause : "-");
	free(cause);
}

/* HTTPS: certificates are checked, and a trusted one works. */
static void
test_tls(void)
{
	const char	*src = getenv("WW_SRC") ? getenv("WW_SRC") : ".";
	struct got	 g;
	char		 url[128], *ca;
	pid_t		 pid;
	int		 port;

	pid = server_spawn("https", 1, &port);
	snprintf(url, sizeof url, "https://127.0.0.1:%d/feed?items=1", port);
	fetch1(NULL, &(struct fetch_req){ .url = url }, &g);
	ok(g.error == FETCH_E_TLS && g.body == NULL,
	    "self-signed certificate refused (%s)", g.error_text ? g.error_text : "-");
	got_release(&g);
	ca = xasprintf("%s/tests/fixtures/fetch/selfsigned.crt", src);
	fetch1(&(struct fetch_opts){ .ca_file = ca }, &(struct fetch_req){ .url = url }, &g);
	ok(g.error == FETCH_OK && g.status == 200 && g.body && strstr(g.body, "<rss"),
	    "trusted through ca_file: fetched over TLS (%s)",
	    g.error_text ? g.error_text : "ok");
	got_release(&g);
	free(ca);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	static const char *const proxies[] = { "http_proxy", "HTTP_PROXY",
	    "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
	size_t	i;

	/* Everything here goes straight to 127.0.0.1. */
	for (i = 0; i < nitems(proxies); i++)
		unsetenv(proxies[i]);
	setenv("WIREWATCH_NOW", "1800000000", 1);
	signal(SIGPIPE, SIG_IGN);
	test_headers();
	test_refused_urls();
	server_start();
	test_basic();
	test_conditional();
	test_changing();
	test_redirects();
	test_retry_after();
	test_compression();
	test_limits();
	test_slow();
	test_caps();
	test_run_api();
	test_tls();
	server_stop();
	return tap_done();
}
