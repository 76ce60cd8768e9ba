/*
 * HTTP(S) fetching with libcurl: the only module that talks to the network.
 * (The multi-transfer engine for the agent is declared here as it is built.)
 */
#ifndef WW_FETCH_H
#define WW_FETCH_H

#include <stddef.h>

/*
 * Blocking GET of one http(s) URL for one-shot commands (`parse URL`,
 * `rules test URL`): redirects followed (http/https only, a few hops),
 * body capped at max bytes (decompressed), timeouts applied. Returns the
 * body (NUL-terminated, *len bytes) and the Content-Type in *content_type
 * (may be NULL), or NULL with a one-line *cause.
 */
char	*fetch_url(const char *url, size_t max, size_t *len, char **content_type,
	    char **cause);

#endif
