/*
 * A growable byte buffer with an optional hard cap, for untrusted bytes and
 * for building output. The data is always NUL-terminated.
 */
#ifndef WW_BUF_H
#define WW_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* 0: no limit */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_release(struct buf *);
void	 buf_reset(struct buf *);
/* These return -1 (and add nothing) when the cap would be passed. */
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addc(struct buf *, int);
int	 buf_adds(struct buf *, const char *);
int	 buf_addf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
int	 buf_vaddf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Append n bytes of text with & < > " ' written as XML/HTML entities. */
int	 buf_add_xml(struct buf *, const char *, size_t);
/* Hand the data to the caller (never NULL) and leave the buffer empty. */
char	*buf_steal(struct buf *);

#endif
