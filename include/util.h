/*
 * Small helpers every module uses: allocation that never returns NULL
 * (running out of memory is fatal), string duplication and formatting.
 */
#ifndef WW_UTIL_H
#define WW_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Now as Unix seconds; WIREWATCH_NOW (Unix seconds or RFC 3339) fixes it for tests. */
int64_t	 util_now(void);

/* Read a whole file (or stdin for "-") into memory, refusing more than max bytes. */
char	*util_read_file(const char *path, size_t max, size_t *len, char **cause);

/* Write data to path atomically (temporary file, fsync, rename). */
int	 util_write_atomic(const char *path, const void *data, size_t len, char **cause);

#endif
