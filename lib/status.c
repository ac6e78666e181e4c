#include "lib/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"

static struct strbuf last_msg = STRBUF_INIT;

static const struct {
	int code;
	const char *text;
} status_info[] = {
#define STATUS_INFO(name, code, text) {code, text},
    STATUS_TABLE(STATUS_INFO)
#undef STATUS_INFO
};

int
status_exit_code(enum status st)
{
	return status_info[st].code;
}

const char *
status_text(enum status st)
{
	return status_info[st].text;
}

enum status
err_vset(enum status st, const char *fmt, va_list ap)
{
	strbuf_reset(&last_msg);
	strbuf_vaddf(&last_msg, fmt, ap);
	return st;
}

enum status
err_set(enum status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(st, fmt, ap);
	va_end(ap);
	return st;
}

enum status
err_prefix(enum status st, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_adds(&sb, ": ");
	strbuf_add(&sb, last_msg.buf, last_msg.len);
	strbuf_swap(&sb, &last_msg);
	strbuf_release(&sb);
	return st;
}

const char *
err_msg(void)
{
	return last_msg.len ? last_msg.buf : "";
}

void
err_clear(void)
{
	strbuf_release(&last_msg);
}
