/*
 * HTTP(S) fetching with libcurl: the only module that talks to the network.
 *
 * One engine (struct fetcher) runs many transfers at once on one thread,
 * with a global cap and a per-host cap, reused connections, HTTP/2 where a
 * server offers it, conditional GET, compression, redirects checked hop by
 * hop (http and https only), and a cap on the decoded body enforced while
 * it downloads. Only http and https URLs are accepted; reading local files
 * is the caller's business.
 *
 *	struct fetcher *f = fetcher_new(&(struct fetch_opts){ .max_host = 2 });
 *	fetcher_add(f, &(struct fetch_req){ .url = u, .etag = e }, feed, &cause);
 *	while (fetcher_run(f, -1, on_done) > 0)
 *		;
 *	fetcher_free(f);
 *
 * No libcurl type appears here.
 */
#ifndef WW_FETCH_H
#define WW_FETCH_H

#include <stddef.h>
#include <stdint.h>

/* Defaults for the zero fields of struct fetch_opts. */
#define FETCH_MAX_TOTAL		16
#define FETCH_MAX_HOST		2
#define FETCH_CONNECT_TIMEOUT	15000		/* ms */
#define FETCH_TIMEOUT		60000		/* ms, all hops together */
#define FETCH_LOW_SPEED_BYTES	100		/* bytes per second ... */
#define FETCH_LOW_SPEED_SECS	30		/* ... sustained this long */
#define FETCH_MAX_BODY		(16u * 1024 * 1024)
#define FETCH_MAX_REDIRECTS	5

struct fetch_opts {
	int		 max_total;	/* transfers in flight at once */
	int		 max_host;	/* transfers in flight per host name */
	long		 connect_timeout_ms;
	long		 timeout_ms;	/* whole fetch, redirects included */
	long		 low_speed_bytes; /* abort when slower than this ... */
	long		 low_speed_secs;  /* ... for this many seconds */
	size_t		 max_body;	/* decoded bytes; the transfer is aborted past it */
	int		 max_redirects;	/* hops followed; negative: none */
	const char	*user_agent;	/* NULL: fetch_user_agent() */
	const char	*ca_file;	/* PEM CA certificates to trust instead of the
					   system's (a private CA); NULL: the system's */
	void		(*drop)(void *udata); /* fetcher_free calls it for each
					   fetch it abandons; NULL: none */
};

struct fetch_req {
	const char	*url;		/* http:// or https:// */
	const char	*etag;		/* sent verbatim as If-None-Match, or NULL */
	const char	*last_modified;	/* sent verbatim as If-Modified-Since, or NULL */
};

/* Why a fetch produced no HTTP response. */
enum fetch_error {
	FETCH_OK = 0,		/* a response arrived: look at status */
	FETCH_E_URL,		/* malformed URL or scheme other than http(s) */
	FETCH_E_RESOLVE,	/* host name did not resolve */
	FETCH_E_CONNECT,	/* refused, unreachable, or connect timeout */
	FETCH_E_TIMEOUT,	/* total timeout, or the server was too slow */
	FETCH_E_TLS,		/* handshake or certificate */
	FETCH_E_TOOBIG,		/* decoded body larger than max_body */
	FETCH_E_REDIRECT,	/* too many hops, a loop, or to a forbidden scheme */
	FETCH_E_PROTOCOL,	/* broken HTTP, bad compression, connection dropped */
	FETCH_E_OTHER
};

/*
 * The outcome of one fetch, handed to the done callback. The callback may
 * keep any of the char * fields by setting them to NULL; everything else is
 * freed when it returns. Times are Unix seconds computed with util_now();
 * an HTTP date in Expires or Retry-After is corrected for the skew between
 * the server's Date header and our clock.
 */
struct fetch_res {
	const char	*url;		/* as given to fetcher_add */
	enum fetch_error error;
	char		*error_text;	/* one line when error != FETCH_OK, else NULL */
	int		 status;	/* HTTP status of the final response, 0 when none */
	int		 not_modified;	/* status was 304: nothing to parse */
	char		*body;		/* decoded body of a 2xx (NUL-terminated), else NULL */
	size_t		 len;
	char		*etag;		/* validators of the final response, verbatim */
	char		*last_modified;
	char		*content_type;	/* e.g. "application/rss+xml; charset=utf-8" */
	char		*final_url;	/* the URL that gave the final response */
	int		 redirects;	/* hops followed */
	int		 permanent;	/* redirects > 0 and every hop was 301 or 308 */
	char		*moved_url;	/* where the leading run of 301/308 hops led, or NULL:
					   the URL to store instead of url */
	int64_t		 retry_after;	/* Retry-After as an absolute time, 0 when absent */
	long		 max_age;	/* Cache-Control max-age in seconds, -1 when absent */
	int64_t		 expires;	/* Expires as an absolute time, 0 when absent */
	long		 elapsed_ms;	/* from leaving the queue to the end, all hops */
};

struct fetcher;

/* Engine with the given options (NULL: all defaults). */
struct fetcher	*fetcher_new(const struct fetch_opts *);
/*
 * Abort whatever is queued or in flight (no done callback; the drop option
 * gets each one's udata) and free. NULL is a no-op.
 */
void		 fetcher_free(struct fetcher *);

/*
 * Queue a GET; udata comes back with its result. Returns -1 with *cause
 * when the URL is not an absolute http(s) URL. The request is copied.
 */
int		 fetcher_add(struct fetcher *, const struct fetch_req *, void *udata,
		    char **cause);

/*
 * Drive the transfers, calling done once for each fetch that finishes (the
 * callback may add fetches; it must not free the fetcher). Returns when
 * nothing is left in flight, after timeout_ms (negative: no limit), when
 * fetcher_wakeup() was called or the watched fd became readable. With
 * nothing in flight it simply waits for one of the last three, so the agent
 * can use it as its sleep. Returns the number of fetches still queued or in
 * flight.
 */
int		 fetcher_run(struct fetcher *, int timeout_ms,
		    void (*done)(struct fetch_res *, void *udata));
/* Number of fetches queued or in flight. */
int		 fetcher_pending(const struct fetcher *);
/* Make a running or next fetcher_run return soon. Thread-safe. */
void		 fetcher_wakeup(struct fetcher *);
/*
 * fetcher_run also returns when fd is readable (it never reads it). Up to
 * eight descriptors can be watched; -1 forgets them all.
 */
void		 fetcher_watch_fd(struct fetcher *, int fd);

/* "wirewatch/VERSION (+URL)"; URL is WW_HOMEPAGE, settable at build time. */
const char	*fetch_user_agent(void);
/* Short English name of an error kind. */
const char	*fetch_strerror(enum fetch_error);

/*
 * Header values, exposed for tests and for the scheduler. Both return 0 /
 * -1 when the value is absent or unreadable. date is the response's Date
 * header (NULL when absent) and now the current time.
 */
int64_t		 fetch_parse_retry_after(const char *value, const char *date, int64_t now);
long		 fetch_parse_max_age(const char *cache_control);
int64_t		 fetch_parse_expires(const char *value, const char *date, int64_t now);

/*
 * Blocking GET of one http(s) URL for one-shot commands (`parse URL`,
 * `rules test URL`) through the same engine: redirects followed (http/https
 * only, a few hops), body capped at max bytes (decoded), timeouts applied.
 * Returns the body (NUL-terminated, *len bytes) and the Content-Type in
 * *content_type (may be NULL), or NULL with a one-line *cause (a status other
 * than 2xx is an error).
 */
char	*fetch_url(const char *url, size_t max, size_t *len, char **content_type,
	    char **cause);

#endif
