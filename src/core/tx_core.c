/*
 * tx_core.c
 *	  Allocation and error hooks of the PostgreSQL-free core.
 */
#include "tx_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
default_alloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
	{
		fputs("transcripts core: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void *
default_realloc(void *ptr, size_t size)
{
	void	   *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
	{
		fputs("transcripts core: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void
default_free(void *ptr)
{
	free(ptr);
}

static void
default_check_interrupts(void)
{
}

static tx_hooks current = {
	default_alloc, default_realloc, default_free, default_check_interrupts
};

void
tx_set_hooks(const tx_hooks *hooks)
{
	if (hooks == NULL)
	{
		current.alloc = default_alloc;
		current.realloc = default_realloc;
		current.free = default_free;
		current.check_interrupts = default_check_interrupts;
		return;
	}
	current = *hooks;
	if (current.check_interrupts == NULL)
		current.check_interrupts = default_check_interrupts;
}

void *
tx_alloc(size_t size)
{
	return current.alloc(size);
}

void *
tx_alloc0(size_t size)
{
	void	   *p = current.alloc(size);

	memset(p, 0, size);
	return p;
}

void *
tx_realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return current.alloc(size);
	return current.realloc(ptr, size);
}

void
tx_free(void *ptr)
{
	if (ptr != NULL)
		current.free(ptr);
}

char *
tx_strndup(const char *s, size_t len)
{
	char	   *p = current.alloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
tx_check_interrupts(void)
{
	current.check_interrupts();
}

bool
tx_error_set(tx_error *err, tx_errcode code, long position, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL)
		return false;
	err->code = code;
	err->position = position;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	err->hint[0] = '\0';
	return false;
}

void
tx_error_hint(tx_error *err, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

void
tx_error_clear(tx_error *err)
{
	if (err == NULL)
		return;
	err->code = TX_OK;
	err->position = 0;
	err->message[0] = '\0';
	err->hint[0] = '\0';
}

long
tx_char_position(const char *s, size_t off)
{
	long		n = 1;
	size_t		i;

	/* one more than the number of characters that start before off */
	for (i = 0; i < off && s[i] != '\0'; i++)
	{
		if (((unsigned char) s[i] & 0xC0) != 0x80)
			n++;
	}
	return n;
}

void
tx_buf_init(tx_buf *b, size_t initial)
{
	if (initial < 16)
		initial = 16;
	b->data = tx_alloc(initial);
	b->data[0] = '\0';
	b->len = 0;
	b->cap = initial;
}

void
tx_buf_reserve(tx_buf *b, size_t more)
{
	size_t		need = b->len + more + 1;

	if (need <= b->cap)
		return;
	while (b->cap < need)
		b->cap = b->cap * 2;
	b->data = tx_realloc(b->data, b->cap);
}

void
tx_buf_append(tx_buf *b, const char *s, size_t len)
{
	tx_buf_reserve(b, len);
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
tx_buf_putc(tx_buf *b, char c)
{
	tx_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
tx_buf_printf(tx_buf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tx_buf_reserve(b, (size_t) n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

void
tx_buf_reset(tx_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
tx_buf_free(tx_buf *b)
{
	tx_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
