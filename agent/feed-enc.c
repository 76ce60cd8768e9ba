/*
 * Feed bytes to clean UTF-8, before any parser sees them. The encoding is
 * taken from the byte order mark, else from the XML declaration, else from
 * the HTTP charset, else UTF-8 is assumed; iconv(3) does the conversion.
 * Two repairs that real feeds need: a document labelled with a legacy
 * charset that is in fact valid UTF-8 is read as UTF-8 (a server default
 * such as "charset=ISO-8859-1" is often wrong), and bytes that are not
 * valid UTF-8 in a UTF-8 document are read as windows-1252 (the usual
 * mix-up), so nothing is lost silently. Characters XML 1.0 forbids become
 * spaces (C0 controls) or U+FFFD (U+FFFE, U+FFFF). No I/O, no libxml2.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "feed.h"
#include "util.h"
#include "utf8.h"

/* windows-1252 0x80..0x9f; 0 marks the five holes. */
static const unsigned short cp1252_hi[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

/* Encoding labels that need another name for iconv (lower case). */
static const struct {
	const char	*label;
	const char	*iconv;
} enc_alias[] = {
	{ "ascii", "WINDOWS-1252" },
	{ "big5", "BIG5-HKSCS" },
	{ "euc-kr", "CP949" },
	{ "gb2312", "GB18030" },
	{ "gb_2312-80", "GB18030" },
	{ "gbk", "GB18030" },
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso-8859-9", "WINDOWS-1254" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	{ "ks_c_5601-1987", "CP949" },
	{ "latin1", "WINDOWS-1252" },
	{ "ms_kanji", "CP932" },
	{ "shift-jis", "CP932" },
	{ "shift_jis", "CP932" },
	{ "sjis", "CP932" },
	{ "us-ascii", "WINDOWS-1252" },
	{ "windows-31j", "CP932" },
	{ "x-gbk", "GB18030" },
	{ "x-sjis", "CP932" },
};

/*
 * 1 when s is valid UTF-8 with at least one multi-byte character, 0 when
 * it is pure ASCII, -1 when it is not UTF-8.
 */
static int
utf8_check(const unsigned char *s, size_t n)
{
	size_t		i = 0, k;
	unsigned	cp;
	int		multi = 0;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0)
			return -1;
		multi = 1;
		i += k;
	}
	return multi;
}

/*
 * Copy s to clean UTF-8: invalid bytes read as windows-1252, C0 controls
 * other than tab, LF and CR become spaces, U+FFFE/U+FFFF become U+FFFD,
 * a leading U+FEFF is dropped.
 */
static char *
utf8_clean(const unsigned char *s, size_t n, size_t *outlen)
{
	unsigned char	*out, *o;
	size_t		 i = 0, k;
	unsigned	 cp;

	if (n > SIZE_MAX / 3 - 1)
		n = SIZE_MAX / 3 - 1;
	o = out = xmalloc(n * 3 + 1);
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;
	while (i < n) {
		unsigned c = s[i];

		if (c >= 0x20 && c < 0x80) {
			*o++ = (unsigned char)c;
			i++;
			continue;
		}
		if (c < 0x20) {
			*o++ = (c == '\t' || c == '\n' || c == '\r') ? c : ' ';
			i++;
			continue;
		}
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0) {
			/* Not UTF-8: the byte is windows-1252. */
			cp = c >= 0xa0 ? c : cp1252_hi[c - 0x80];
			o += utf8_encode(cp != 0 ? cp : 0xfffd, o);
			i++;
			continue;
		}
		if (cp == 0xfffe || cp == 0xffff)
			o += utf8_encode(0xfffd, o);
		else {
			memcpy(o, s + i, k);
			o += k;
		}
		i += k;
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return (char *)out;
}

/* Copy an encoding label (up to the first byte not allowed in one). */
static void
enc_copy(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && i + 1 < dstsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
			break;
		dst[i] = (char)tolower(c);
	}
	dst[i] = '\0';
}

/* The encoding named by an XML declaration at the start of s, or "". */
static void
enc_from_decl(const char *s, size_t n, char *enc, size_t encsz)
{
	const char	*p, *end, *e;
	size_t		 lim = n < 1024 ? n : 1024;
	char		 q;

	enc[0] = '\0';
	p = s;
	end = s + lim;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (end - p < 6 || strncmp(p, "<?xml", 5) != 0)
		return;
	if ((e = memmem(p, (size_t)(end - p), "?>", 2)) == NULL)
		e = end;
	if ((p = memmem(p, (size_t)(e - p), "encoding", 8)) == NULL)
		return;
	p += 8;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= e || *p++ != '=')
		return;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= e || (*p != '"' && *p != '\''))
		return;
	q = *p++;
	enc_copy(enc, encsz, p, (size_t)(e - p));
	if (p + strlen(enc) >= e || p[strlen(enc)] != q)
		enc[0] = '\0';
}

/* The charset parameter of a Content-Type value, or "". */
static void
enc_from_ctype(const char *ct, char *enc, size_t encsz)
{
	const char	*p;

	enc[0] = '\0';
	if (ct == NULL)
		return;
	for (p = ct; (p = strcasestr(p, "charset")) != NULL; p += 7) {
		const char *v = p + 7;

		while (*v == ' ' || *v == '\t')
			v++;
		if (*v++ != '=')
			continue;
		while (*v == ' ' || *v == '\t' || *v == '"' || *v == '\'')
			v++;
		enc_copy(enc, encsz, v, strlen(v));
		return;
	}
}

/* The name iconv knows for a label; NULL for UTF-8 (and lies, see below). */
static const char *
enc_iconv_name(const char *label)
{
	size_t	i;

	if (*label == '\0' || strcmp(label, "utf-8") == 0 ||
	    strcmp(label, "utf8") == 0 ||
	    /* Only a BOM or the byte pattern can mean UTF-16/32. */
	    strncmp(label, "utf-16", 6) == 0 || strncmp(label, "utf-32", 6) == 0 ||
	    strncmp(label, "ucs-", 4) == 0 || strncmp(label, "iso-10646", 9) == 0 ||
	    strcmp(label, "unicode") == 0)
		return NULL;
	for (i = 0; i < nitems(enc_alias); i++)
		if (strcmp(label, enc_alias[i].label) == 0)
			return enc_alias[i].iconv;
	return label;
}

/* Convert with iconv; characters that do not convert become U+FFFD. */
static int
enc_iconv(const char *name, const char *s, size_t n, struct buf *out)
{
	iconv_t	 cd;
	char	 tmp[16384], *in = (char *)s, *o;
	size_t	 inleft = n, oleft, r;

	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return -1;
	while (inleft > 0) {
		o = tmp;
		oleft = sizeof tmp;
		r = iconv(cd, &in, &inleft, &o, &oleft);
		buf_add(out, tmp, sizeof tmp - oleft);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or a truncated sequence at the end (EINVAL). */
		buf_add(out, "\xef\xbf\xbd", 3);
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	o = tmp;
	oleft = sizeof tmp;
	iconv(cd, NULL, NULL, &o, &oleft);
	buf_add(out, tmp, sizeof tmp - oleft);
	iconv_close(cd);
	return 0;
}

/*
 * 1 when s is UTF-8 that needs no repair: valid, no character XML
 * forbids, no byte order mark of another encoding.
 */
int
feed_utf8_clean(const char *data, size_t len)
{
	const unsigned char	*s = (const unsigned char *)data;
	size_t			 i = 0, k;
	unsigned		 cp;

	if (len >= 2 && ((s[0] == 0xff && s[1] == 0xfe) || (s[0] == 0xfe && s[1] == 0xff)))
		return 0;
	if (len >= 4 && (s[0] == 0 || s[1] == 0))
		return 0;
	while (i < len) {
		if (s[i] >= 0x20 && s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] < 0x20) {
			if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
				return 0;
			i++;
			continue;
		}
		if ((k = utf8_decode(s + i, len - i, &cp)) == 0 || cp == 0xfffe ||
		    cp == 0xffff)
			return 0;
		i += k;
	}
	return 1;
}

char *
feed_to_utf8(const char *data, size_t len, const char *content_type,
    size_t *outlen)
{
	const unsigned char	*p = (const unsigned char *)data;
	const char		*name = NULL;
	char			 label[48], *r;
	struct buf		 b;
	size_t			 skip = 0;
	int			 from_bom = 1;

	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		skip = 3;
	else if (len >= 4 && p[0] == 0xff && p[1] == 0xfe && p[2] == 0 && p[3] == 0)
		name = "UTF-32LE", skip = 4;
	else if (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xfe && p[3] == 0xff)
		name = "UTF-32BE", skip = 4;
	else if (len >= 2 && p[0] == 0xff && p[1] == 0xfe)
		name = "UTF-16LE", skip = 2;
	else if (len >= 2 && p[0] == 0xfe && p[1] == 0xff)
		name = "UTF-16BE", skip = 2;
	else if (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == '<')
		name = "UTF-32BE";
	else if (len >= 4 && p[0] == '<' && p[1] == 0 && p[2] == 0 && p[3] == 0)
		name = "UTF-32LE";
	else if (len >= 4 && p[0] == 0 && p[1] == '<' && p[2] == 0 && p[3] == '?')
		name = "UTF-16BE";
	else if (len >= 4 && p[0] == '<' && p[1] == 0 && p[2] == '?' && p[3] == 0)
		name = "UTF-16LE";
	else {
		from_bom = 0;
		enc_from_decl(data, len, label, sizeof label);
		if (label[0] == '\0')
			enc_from_ctype(content_type, label, sizeof label);
		name = enc_iconv_name(label);
	}
	/* A legacy label on bytes that are plainly UTF-8 is a mislabel. */
	if (name != NULL && !from_bom && utf8_check(p, len) == 1)
		name = NULL;
	if (name != NULL) {
		buf_init(&b, 0);
		if (enc_iconv(name, data + skip, len - skip, &b) == 0) {
			r = utf8_clean((unsigned char *)b.data, b.len, outlen);
			buf_release(&b);
			return r;
		}
		buf_release(&b);
	}
	return utf8_clean(p + skip, len - skip, outlen);
}
