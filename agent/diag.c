/*
 * The diagnostics collector for rule files: prints "file:line:col: error:
 * msg" (or "warning:") and counts. Control characters coming from a hostile
 * file never reach the terminal: they are shown as '?'. Printing stops after
 * d->max lines; counting does not. Touches nothing but d->out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "rules.h"

void
diag_init(struct diag *d, FILE *out)
{
	d->out = out;
	d->errors = 0;
	d->warnings = 0;
	d->max = 100;
	d->printed = 0;
	d->files = 0;
}

int
diag_printing(const struct diag *d)
{
	return d->out != NULL && d->printed < (d->max != 0 ? d->max : 100);
}

static void	diag_vprint(struct diag *, const char *, const char *, unsigned,
		    unsigned, const char *, va_list)
		    __attribute__((format(printf, 6, 0)));

static void
diag_vprint(struct diag *d, const char *what, const char *file, unsigned line,
    unsigned col, const char *fmt, va_list ap)
{
	struct buf	 b;
	size_t		 i;
	unsigned char	 c;

	if (!diag_printing(d))
		return;
	d->printed++;
	buf_init(&b, 0);
	buf_adds(&b, file != NULL ? file : "-");
	if (line != 0) {
		buf_addf(&b, ":%u", line);
		if (col != 0)
			buf_addf(&b, ":%u", col);
	}
	buf_addf(&b, ": %s: ", what);
	buf_vaddf(&b, fmt, ap);
	for (i = 0; i < b.len; i++) {
		c = (unsigned char)b.data[i];
		if (c < 0x20 || c == 0x7f)
			b.data[i] = '?';
	}
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, d->out);
	buf_release(&b);
}

void
diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list	ap;

	d->errors++;
	va_start(ap, fmt);
	diag_vprint(d, "error", file, line, col, fmt, ap);
	va_end(ap);
}

void
diag_warn(struct diag *d, const char *file, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list	ap;

	d->warnings++;
	va_start(ap, fmt);
	diag_vprint(d, "warning", file, line, col, fmt, ap);
	va_end(ap);
}
