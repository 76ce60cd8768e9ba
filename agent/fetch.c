/*
 * The fetch engine: one libcurl multi handle driven from one thread. Fetches
 * wait in a queue of our own per host and start when both the global cap and
 * their host's cap allow, so a timeout only ever measures time spent on the
 * wire. Hosts with a fetch waiting and a free slot take turns, so starting
 * the next fetch never scans the fetches of hosts at their cap.
 * Redirects are followed here, not by libcurl: each Location is checked
 * (http and https only, hop limit, loops) and whether every hop was
 * permanent is recorded. The decoded body is capped in the write callback,
 * which also bounds chunked bodies and compression bombs. This is the only
 * file that includes curl; it touches nothing but the network.
 */
#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "fetch.h"
#include "log.h"
#include "util.h"

#ifndef WW_HOMEPAGE
#define WW_HOMEPAGE	"https://github.com/wirewatch/wirewatch"
#endif

#define FETCH_ACCEPT	"Accept: application/atom+xml, application/rss+xml, " \
			"application/feed+json, application/xml;q=0.9, " \
			"text/xml;q=0.8, */*;q=0.5"

TAILQ_HEAD(xferq, xfer);

struct host {
	LIST_ENTRY(host)	 entry;
	TAILQ_ENTRY(host)	 ready_entry;	/* in the fetcher's ready list */
	char			*name;
	struct xferq		 queue;		/* waiting for a slot */
	int			 ready;		/* in the ready list */
	int			 active;	/* transfers started and not done */
	int			 refs;		/* fetches pointing here */
};

struct xfer {
	TAILQ_ENTRY(xfer)	 entry;
	struct fetcher		*f;
	CURL			*h;
	struct curl_slist	*hdrs;
	struct host		*host;
	void			*udata;
	char			*url;		/* as added */
	char			*cur;		/* the hop being fetched */
	char			**seen;		/* URLs of earlier hops */
	int			 hops;
	int			 leading_perm;	/* every hop so far was 301/308 */
	int			 toobig;
	int			 identity;	/* asked again without compression */
	int			 running;	/* in the multi handle */
	int64_t			 started_ms;
	struct buf		 body;
	struct fetch_res	 res;
	char			 errbuf[CURL_ERROR_SIZE];
};

struct fetcher {
	CURLM			*multi;
	struct fetch_opts	 o;
	char			*ua;
	char			*ca_file;
	TAILQ_HEAD(, host)	 ready;		/* hosts with a fetch waiting and a free slot */
	struct xferq		 active;	/* in the multi handle */
	int			 nqueued;
	int			 nactive;
	LIST_HEAD(, host)	 hosts;
	int			 watch_fds[8];	/* fetcher_run returns when one is readable */
	int			 nwatch;
	atomic_int		 woken;		/* set by fetcher_wakeup */
	void			(*done)(struct fetch_res *, void *);
};

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
fetch_user_agent(void)
{
	return "wirewatch/" WW_VERSION " (+" WW_HOMEPAGE ")";
}

const char *
fetch_strerror(enum fetch_error e)
{
	static const char *const names[] = {
		[FETCH_OK] = "ok",
		[FETCH_E_URL] = "bad URL",
		[FETCH_E_RESOLVE] = "host not found",
		[FETCH_E_CONNECT] = "cannot connect",
		[FETCH_E_TIMEOUT] = "timed out",
		[FETCH_E_TLS] = "TLS failure",
		[FETCH_E_TOOBIG] = "too large",
		[FETCH_E_REDIRECT] = "bad redirect",
		[FETCH_E_PROTOCOL] = "protocol error",
		[FETCH_E_OTHER] = "fetch failed",
	};

	if ((size_t)e >= nitems(names) || names[e] == NULL)
		return "fetch failed";
	return names[e];
}

/*
 * Check that url is an absolute http(s) URL and return its lowercased host
 * name, or NULL with *cause.
 */
static char *
url_host(const char *url, char **cause)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *out = NULL, *p;

	if ((u = curl_url()) == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		*cause = xasprintf("not a URL: %.200s", url);
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		*cause = xasprintf("not an http(s) URL: %.200s", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || *host == '\0') {
		*cause = xasprintf("no host in URL: %.200s", url);
		goto out;
	}
	out = xstrdup(host);
	for (p = out; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}

static struct host *
host_get(struct fetcher *f, const char *name)
{
	struct host	*hp;

	LIST_FOREACH(hp, &f->hosts, entry) {
		if (strcmp(hp->name, name) == 0) {
			hp->refs++;
			return hp;
		}
	}
	hp = xcalloc(1, sizeof *hp);
	hp->name = xstrdup(name);
	hp->refs = 1;
	TAILQ_INIT(&hp->queue);
	LIST_INSERT_HEAD(&f->hosts, hp, entry);
	return hp;
}

/* Put a host in the ready list when it has a fetch waiting and a free slot. */
static void
host_mark(struct fetcher *f, struct host *hp)
{
	if (hp->ready || TAILQ_EMPTY(&hp->queue) || hp->active >= f->o.max_host)
		return;
	TAILQ_INSERT_TAIL(&f->ready, hp, ready_entry);
	hp->ready = 1;
}

/*
 * Queue a fetch on its host: last in line, or, when FIRST (it already waited
 * once and its timeout runs), next of all for a slot.
 */
static void
xfer_enqueue(struct xfer *x, int first)
{
	struct fetcher	*f = x->f;
	struct host	*hp = x->host;

	f->nqueued++;
	if (!first) {
		TAILQ_INSERT_TAIL(&hp->queue, x, entry);
		host_mark(f, hp);
		return;
	}
	TAILQ_INSERT_HEAD(&hp->queue, x, entry);
	if (hp->ready)
		TAILQ_REMOVE(&f->ready, hp, ready_entry);
	hp->ready = 0;
	if (hp->active < f->o.max_host) {
		TAILQ_INSERT_HEAD(&f->ready, hp, ready_entry);
		hp->ready = 1;
	}
}

static void
host_put(struct host *hp)
{
	if (hp == NULL || --hp->refs > 0)
		return;
	LIST_REMOVE(hp, entry);
	free(hp->name);
	free(hp);
}

struct fetcher *
fetcher_new(const struct fetch_opts *opts)
{
	static int	 curl_ready;
	struct fetcher	*f;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			fatal("curl_global_init failed");
		curl_ready = 1;
	}
	f = xcalloc(1, sizeof *f);
	if (opts != NULL)
		f->o = *opts;
	if (f->o.max_total <= 0)
		f->o.max_total = FETCH_MAX_TOTAL;
	if (f->o.max_host <= 0)
		f->o.max_host = FETCH_MAX_HOST;
	if (f->o.connect_timeout_ms <= 0)
		f->o.connect_timeout_ms = FETCH_CONNECT_TIMEOUT;
	if (f->o.timeout_ms <= 0)
		f->o.timeout_ms = FETCH_TIMEOUT;
	if (f->o.low_speed_bytes <= 0)
		f->o.low_speed_bytes = FETCH_LOW_SPEED_BYTES;
	if (f->o.low_speed_secs <= 0)
		f->o.low_speed_secs = FETCH_LOW_SPEED_SECS;
	if (f->o.max_body == 0)
		f->o.max_body = FETCH_MAX_BODY;
	if (f->o.max_redirects == 0)
		f->o.max_redirects = FETCH_MAX_REDIRECTS;
	else if (f->o.max_redirects < 0)
		f->o.max_redirects = 0;
	f->ua = xstrdup(f->o.user_agent != NULL ? f->o.user_agent : fetch_user_agent());
	f->o.user_agent = f->ua;
	if (f->o.ca_file != NULL)
		f->o.ca_file = f->ca_file = xstrdup(f->o.ca_file);
	TAILQ_INIT(&f->ready);
	TAILQ_INIT(&f->active);
	LIST_INIT(&f->hosts);
	f->nwatch = 0;
	if ((f->multi = curl_multi_init()) == NULL)
		fatal("curl_multi_init failed");
	/*
	 * The queue enforces the caps on transfers, which bounds connections
	 * too. libcurl's own limits (CURLMOPT_MAX_HOST_CONNECTIONS) are left
	 * off on purpose: in 7.88 a connection closed after an aborted
	 * transfer still counts for a while, so a transfer we start would sit
	 * in libcurl's pending state with its timeout running.
	 */
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->o.max_total * 2);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return f;
}

static void
xfer_free(struct xfer *x)
{
	int	i;

	if (x == NULL)
		return;
	if (x->h != NULL) {
		if (x->running)
			curl_multi_remove_handle(x->f->multi, x->h);
		curl_easy_cleanup(x->h);
	}
	curl_slist_free_all(x->hdrs);
	host_put(x->host);
	for (i = 0; i < x->hops; i++)
		free(x->seen[i]);
	free(x->seen);
	free(x->url);
	free(x->cur);
	buf_release(&x->body);
	free(x->res.error_text);
	free(x->res.body);
	free(x->res.etag);
	free(x->res.last_modified);
	free(x->res.content_type);
	free(x->res.final_url);
	free(x->res.moved_url);
	free(x);
}

void
fetcher_free(struct fetcher *f)
{
	struct host	*hp;
	struct xfer	*x;

	if (f == NULL)
		return;
	while ((x = TAILQ_FIRST(&f->active)) != NULL) {
		TAILQ_REMOVE(&f->active, x, entry);
		if (f->o.drop != NULL)
			f->o.drop(x->udata);
		xfer_free(x);
	}
	/* xfer_free may free the host: look the hosts up again each time */
	for (;;) {
		LIST_FOREACH(hp, &f->hosts, entry) {
			if (!TAILQ_EMPTY(&hp->queue))
				break;
		}
		if (hp == NULL)
			break;
		x = TAILQ_FIRST(&hp->queue);
		TAILQ_REMOVE(&hp->queue, x, entry);
		if (TAILQ_EMPTY(&hp->queue) && hp->ready) {
			TAILQ_REMOVE(&f->ready, hp, ready_entry);
			hp->ready = 0;
		}
		if (f->o.drop != NULL)
			f->o.drop(x->udata);
		xfer_free(x);
	}
	curl_multi_cleanup(f->multi);
	free(f->ua);
	free(f->ca_file);
	free(f);
}

static size_t
xfer_on_write(char *p, size_t size, size_t n, void *arg)
{
	struct xfer	*x = arg;

	n *= size;	/* size is 1 for body data */
	if (buf_add(&x->body, p, n) == -1) {
		x->toobig = 1;
		return 0;	/* libcurl aborts with CURLE_WRITE_ERROR */
	}
	return n;
}

/* The easy handle's settings that hold for every hop. */
static void
xfer_setup(struct xfer *x)
{
	struct fetch_opts	*o = &x->f->o;
	CURL			*h;

	if ((h = x->h = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->low_speed_secs);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, xfer_on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	if (o->ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
}

int
fetcher_add(struct fetcher *f, const struct fetch_req *req, void *udata, char **cause)
{
	struct xfer	*x;
	char		*host, *line;

	if (req->url == NULL) {
		*cause = xstrdup("no URL");
		return -1;
	}
	if ((host = url_host(req->url, cause)) == NULL)
		return -1;
	x = xcalloc(1, sizeof *x);
	x->f = f;
	x->udata = udata;
	x->url = xstrdup(req->url);
	x->cur = xstrdup(req->url);
	x->host = host_get(f, host);
	free(host);
	x->leading_perm = 1;
	x->seen = xcalloc((size_t)f->o.max_redirects + 1, sizeof *x->seen);
	buf_init(&x->body, f->o.max_body);
	x->hdrs = curl_slist_append(NULL, FETCH_ACCEPT);
	/* A validator with a line break would smuggle a header: drop it. */
	if (req->etag != NULL && *req->etag != '\0' && strpbrk(req->etag, "\r\n") == NULL) {
		line = xasprintf("If-None-Match: %s", req->etag);
		x->hdrs = curl_slist_append(x->hdrs, line);
		free(line);
	}
	if (req->last_modified != NULL && *req->last_modified != '\0' &&
	    strpbrk(req->last_modified, "\r\n") == NULL) {
		line = xasprintf("If-Modified-Since: %s", req->last_modified);
		x->hdrs = curl_slist_append(x->hdrs, line);
		free(line);
	}
	if (x->hdrs == NULL)
		fatal("out of memory");
	x->res.url = x->url;
	x->res.max_age = -1;
	xfer_enqueue(x, 0);
	return 0;
}

int
fetcher_pending(const struct fetcher *f)
{
	return f->nqueued + f->nactive;
}

void
fetcher_wakeup(struct fetcher *f)
{
	atomic_store(&f->woken, 1);
	curl_multi_wakeup(f->multi);
}

void
fetcher_watch_fd(struct fetcher *f, int fd)
{
	int	i;

	if (fd < 0) {
		f->nwatch = 0;
		return;
	}
	for (i = 0; i < f->nwatch; i++)
		if (f->watch_fds[i] == fd)
			return;
	if (f->nwatch < (int)(sizeof f->watch_fds / sizeof f->watch_fds[0]))
		f->watch_fds[f->nwatch++] = fd;
}

/* Hand the result to the callback and forget the fetch. */
static void
xfer_finish(struct xfer *x)
{
	struct fetcher	*f = x->f;

	if (x->running) {
		curl_multi_remove_handle(f->multi, x->h);
		x->running = 0;
		TAILQ_REMOVE(&f->active, x, entry);
		f->nactive--;
		x->host->active--;
		host_mark(f, x->host);
	}
	x->res.elapsed_ms = (long)(mono_ms() - x->started_ms);
	if (x->res.error != FETCH_OK)
		log_debug("fetch %s: %s", x->url, x->res.error_text);
	else
		log_debug("fetch %s: HTTP %d, %zu bytes, %ld ms", x->url,
		    x->res.status, x->res.len, x->res.elapsed_ms);
	if (f->done != NULL)
		f->done(&x->res, x->udata);
	xfer_free(x);
}

static void
xfer_fail(struct xfer *x, enum fetch_error e, char *text)
{
	x->res.error = e;
	free(x->res.error_text);
	x->res.error_text = text;
	xfer_finish(x);
}

static void
xfer_start(struct xfer *x)
{
	struct fetcher	*f = x->f;
	long		 left;

	if (x->h == NULL)
		xfer_setup(x);
	if (x->started_ms == 0)
		x->started_ms = mono_ms();
	left = f->o.timeout_ms - (long)(mono_ms() - x->started_ms);
	if (left <= 0) {
		xfer_fail(x, FETCH_E_TIMEOUT, xasprintf("timed out after %ld ms "
		    "following redirects", f->o.timeout_ms));
		return;
	}
	x->errbuf[0] = '\0';
	x->toobig = 0;
	buf_reset(&x->body);
	curl_easy_setopt(x->h, CURLOPT_URL, x->cur);
	/*
	 * Over TLS, wait for a connection being set up to the same host in
	 * case ALPN picks HTTP/2 and the transfer can share it. Over plain
	 * HTTP it would only queue behind a busy HTTP/1.1 connection.
	 */
	curl_easy_setopt(x->h, CURLOPT_PIPEWAIT,
	    strncasecmp(x->cur, "https:", 6) == 0 ? 1L : 0L);
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, left);
	TAILQ_INSERT_TAIL(&f->active, x, entry);
	f->nactive++;
	x->host->active++;
	x->running = 1;
	if (curl_multi_add_handle(f->multi, x->h) != CURLM_OK) {
		xfer_fail(x, FETCH_E_OTHER, xstrdup("cannot start transfer"));
		return;
	}
}

/* Start queued fetches while the caps allow, the ready hosts taking turns. */
static void
fetcher_dispatch(struct fetcher *f)
{
	struct host	*hp;
	struct xfer	*x;

	while (f->nactive < f->o.max_total && (hp = TAILQ_FIRST(&f->ready)) != NULL) {
		TAILQ_REMOVE(&f->ready, hp, ready_entry);
		hp->ready = 0;
		x = TAILQ_FIRST(&hp->queue);
		TAILQ_REMOVE(&hp->queue, x, entry);
		f->nqueued--;
		/* a host with more waiting goes to the back of the line */
		hp->refs++;
		xfer_start(x);
		host_mark(f, hp);
		host_put(hp);
	}
}

static enum fetch_error
curl_error_kind(struct xfer *x, CURLcode rc)
{
	curl_off_t	connected = 0;

	switch (rc) {
	case CURLE_URL_MALFORMAT:
		return FETCH_E_URL;
	case CURLE_UNSUPPORTED_PROTOCOL:
		return x->hops > 0 ? FETCH_E_REDIRECT : FETCH_E_URL;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return FETCH_E_RESOLVE;
	case CURLE_COULDNT_CONNECT:
		return FETCH_E_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		/* a reused connection has no connect time: a status line or
		 * bytes received also mean the connection was made */
		curl_easy_getinfo(x->h, CURLINFO_CONNECT_TIME_T, &connected);
		if (connected == 0) {
			long		code = 0;
			curl_off_t	got = 0;

			curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
			curl_easy_getinfo(x->h, CURLINFO_SIZE_DOWNLOAD_T, &got);
			if (code != 0 || got > 0)
				connected = 1;
		}
		return connected == 0 ? FETCH_E_CONNECT : FETCH_E_TIMEOUT;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		return x->toobig || rc == CURLE_FILESIZE_EXCEEDED ?
		    FETCH_E_TOOBIG : FETCH_E_OTHER;
	case CURLE_TOO_MANY_REDIRECTS:
		return FETCH_E_REDIRECT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return FETCH_E_TLS;
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return FETCH_E_PROTOCOL;
	default:
		return FETCH_E_OTHER;
	}
}

static char *
curl_error_text(struct xfer *x, CURLcode rc, enum fetch_error kind)
{
	const char	*why;

	if (kind == FETCH_E_TOOBIG)
		return xasprintf("body larger than %zu bytes", x->f->o.max_body);
	why = x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(rc);
	if (kind == FETCH_E_CONNECT && rc == CURLE_OPERATION_TIMEDOUT)
		return xasprintf("connect timed out: %s", why);
	return xstrdup(why);
}

/* Copy a header of the last response out of libcurl, or NULL. */
static char *
xfer_header(struct xfer *x, const char *name)
{
	struct curl_header	*hh;

	if (curl_easy_header(x->h, name, 0, CURLH_HEADER, -1, &hh) != CURLHE_OK ||
	    hh->value == NULL)
		return NULL;
	return xstrdup(hh->value);
}

/* The final response has arrived: fill in the result. */
static void
xfer_response(struct xfer *x, long status)
{
	struct fetch_res	*r = &x->res;
	char			*ct, *v, *date;
	int64_t			 now = util_now();

	r->status = (int)status;
	r->not_modified = status == 304;
	r->final_url = xstrdup(x->cur);
	r->redirects = x->hops;
	r->permanent = x->hops > 0 && x->leading_perm;
	r->etag = xfer_header(x, "ETag");
	r->last_modified = xfer_header(x, "Last-Modified");
	if (curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != NULL)
		r->content_type = xstrdup(ct);
	date = xfer_header(x, "Date");
	v = xfer_header(x, "Retry-After");
	r->retry_after = fetch_parse_retry_after(v, date, now);
	free(v);
	v = xfer_header(x, "Expires");
	r->expires = fetch_parse_expires(v, date, now);
	free(v);
	v = xfer_header(x, "Cache-Control");
	r->max_age = fetch_parse_max_age(v);
	free(v);
	free(date);
	if (status >= 200 && status < 300) {
		r->len = x->body.len;
		r->body = buf_steal(&x->body);
	}
	xfer_finish(x);
}

/*
 * Take a transfer out of libcurl and queue it again, first in line (it
 * already waited once), on HOST when a redirect leads elsewhere.
 */
static void
xfer_requeue(struct xfer *x, const char *host)
{
	struct fetcher	*f = x->f;

	curl_multi_remove_handle(f->multi, x->h);
	x->running = 0;
	TAILQ_REMOVE(&f->active, x, entry);
	f->nactive--;
	x->host->active--;
	host_mark(f, x->host);
	if (host != NULL) {
		host_put(x->host);
		x->host = host_get(f, host);
	}
	xfer_enqueue(x, 1);
}

/* A 3xx with a Location: check the hop and queue the next request. */
static void
xfer_redirect(struct xfer *x, long status, const char *location)
{
	struct fetcher	*f = x->f;
	char		*host, *cause = NULL;
	int		 i;

	if ((host = url_host(location, &cause)) == NULL) {
		free(cause);
		xfer_fail(x, FETCH_E_REDIRECT, xasprintf("redirect to a "
		    "forbidden URL: %.200s", location));
		return;
	}
	for (i = 0; i < x->hops; i++) {
		if (strcmp(x->seen[i], location) == 0)
			break;
	}
	if (i < x->hops || strcmp(location, x->cur) == 0) {
		free(host);
		xfer_fail(x, FETCH_E_REDIRECT, xasprintf("redirect loop at %.200s",
		    location));
		return;
	}
	if (x->hops >= f->o.max_redirects) {
		free(host);
		xfer_fail(x, FETCH_E_REDIRECT, xasprintf("more than %d redirects",
		    f->o.max_redirects));
		return;
	}
	if (x->leading_perm && (status == 301 || status == 308)) {
		free(x->res.moved_url);
		x->res.moved_url = xstrdup(location);
	} else
		x->leading_perm = 0;
	x->seen[x->hops++] = x->cur;
	x->cur = xstrdup(location);
	xfer_requeue(x, host);
	free(host);
}

static void
xfer_done(struct xfer *x, CURLcode rc)
{
	enum fetch_error	 kind;
	long			 status = 0;
	char			*location = NULL;

	if (rc == CURLE_BAD_CONTENT_ENCODING && !x->identity) {
		/*
		 * A server that mislabels its compression: ask once more
		 * without Accept-Encoding and take the bytes as they come.
		 */
		log_debug("fetch %s: %s; asking again without compression", x->cur,
		    x->errbuf);
		x->identity = 1;
		curl_easy_setopt(x->h, CURLOPT_ACCEPT_ENCODING, NULL);
		xfer_requeue(x, NULL);
		return;
	}
	if (rc != CURLE_OK) {
		kind = curl_error_kind(x, rc);
		xfer_fail(x, kind, curl_error_text(x, rc, kind));
		return;
	}
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 300 && status < 400 && status != 304 &&
	    curl_easy_getinfo(x->h, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
	    location != NULL && *location != '\0') {
		xfer_redirect(x, status, location);
		return;
	}
	xfer_response(x, status);
}

/* Collect finished transfers from libcurl. */
static void
fetcher_reap(struct fetcher *f)
{
	CURLMsg		*m;
	char		*priv;
	int		 left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv != NULL)
			xfer_done((struct xfer *)(void *)priv, m->data.result);
	}
}

int
fetcher_run(struct fetcher *f, int timeout_ms,
    void (*done)(struct fetch_res *, void *))
{
	struct curl_waitfd	 wfd[8];
	int64_t			 deadline = 0, left;
	int			 running, had, nfd, wait, i, hit;

	f->done = done;
	deadline = timeout_ms >= 0 ? mono_ms() + timeout_ms : 0;
	had = fetcher_pending(f);
	for (;;) {
		fetcher_dispatch(f);
		curl_multi_perform(f->multi, &running);
		fetcher_reap(f);
		fetcher_dispatch(f);
		if (atomic_exchange(&f->woken, 0))
			break;
		if (had > 0 && fetcher_pending(f) == 0)
			break;
		/* libcurl shortens the wait to its own next timer. */
		wait = 24 * 3600 * 1000;
		if (timeout_ms >= 0) {
			if ((left = deadline - mono_ms()) <= 0)
				break;
			if (left < wait)
				wait = (int)left;
		}
		for (nfd = 0; nfd < f->nwatch; nfd++) {
			wfd[nfd].fd = f->watch_fds[nfd];
			wfd[nfd].events = CURL_WAIT_POLLIN;
			wfd[nfd].revents = 0;
		}
		curl_multi_poll(f->multi, nfd ? wfd : NULL, (unsigned)nfd, wait, NULL);
		for (i = hit = 0; i < nfd; i++)
			hit |= wfd[i].revents != 0;
		if (hit)
			break;
	}
	return fetcher_pending(f);
}

struct fetch_one {
	struct fetch_res	 res;
	int			 done;
};

static void
fetch_one_done(struct fetch_res *r, void *arg)
{
	struct fetch_one	*o = arg;

	o->res = *r;
	o->res.url = NULL;
	/* Keep what fetch_url needs; the engine frees the rest. */
	r->body = NULL;
	r->content_type = NULL;
	r->error_text = NULL;
	o->res.etag = o->res.last_modified = o->res.final_url = NULL;
	o->res.moved_url = NULL;
	o->done = 1;
}

char *
fetch_url(const char *url, size_t max, size_t *len, char **content_type, char **cause)
{
	struct fetcher		*f;
	struct fetch_one	 one;
	char			*body = NULL;

	memset(&one, 0, sizeof one);
	if (content_type != NULL)
		*content_type = NULL;
	f = fetcher_new(&(struct fetch_opts){ .max_body = max });
	if (fetcher_add(f, &(struct fetch_req){ .url = url }, &one, cause) == -1)
		goto out;
	while (!one.done && fetcher_run(f, -1, fetch_one_done) > 0)
		;
	if (!one.done) {
		*cause = xasprintf("%s: fetch did not finish", url);
		goto out;
	}
	if (one.res.error != FETCH_OK)
		*cause = xasprintf("%s: %s", url, one.res.error_text);
	else if (one.res.status < 200 || one.res.status > 299)
		*cause = xasprintf("%s: HTTP status %d", url, one.res.status);
	else {
		body = one.res.body;
		one.res.body = NULL;
		*len = one.res.len;
		if (content_type != NULL) {
			*content_type = one.res.content_type;
			one.res.content_type = NULL;
		}
	}
out:
	free(one.res.body);
	free(one.res.content_type);
	free(one.res.error_text);
	fetcher_free(f);
	return body;
}
