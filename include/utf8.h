/*
 * UTF-8 decoding shared by every module that meets untrusted bytes: one
 * definition of a valid sequence (no overlong forms, no surrogates, nothing
 * past U+10FFFF).
 */
#ifndef WW_UTF8_H
#define WW_UTF8_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (n bytes available, n >= 1) and
 * its code point in *cp (may be NULL); 0 when the bytes are not valid UTF-8.
 */
size_t	utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* Write code point cp (a Unicode scalar value) as UTF-8 into out; returns the length. */
size_t	utf8_encode(unsigned cp, unsigned char out[4]);

#endif
