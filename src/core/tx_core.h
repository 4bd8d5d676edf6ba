/*
 * tx_core.h
 *	  Hooks shared by the PostgreSQL-free core of the transcripts extension.
 *
 * Nothing under src/core includes a PostgreSQL header.  Memory comes from
 * tx_alloc() and friends, which call whatever the host installed with
 * tx_set_hooks(): the extension installs palloc-based hooks (so an error
 * raised anywhere frees everything with the memory context), the unit tests
 * and fuzzers keep the malloc-based defaults.
 *
 * Core functions never longjmp on bad input: they fill a tx_error and return
 * false (or an error code), so the caller chooses the SQLSTATE.  The only way
 * control leaves the core abruptly is the check_interrupts hook, which the
 * extension points at CHECK_FOR_INTERRUPTS(); core code therefore keeps no
 * resource that a palloc context reset would not free, or registers it with
 * its caller.
 */
#ifndef TX_CORE_H
#define TX_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tx_errcode
{
	TX_OK = 0,
	TX_ERR_SYNTAX,				/* malformed input (22P02, or 42601 for queries) */
	TX_ERR_VALUE,				/* well-formed but invalid value (22023) */
	TX_ERR_LIMIT,				/* a documented limit was exceeded (54000) */
	TX_ERR_NOMEM,				/* out of memory (53200) */
	TX_ERR_INTERNAL				/* cannot happen (XX000) */
} tx_errcode;

#define TX_ERRMSG_LEN 256

typedef struct tx_error
{
	tx_errcode	code;
	long		position;		/* 1-based character position in the input, 0 = none */
	char		message[TX_ERRMSG_LEN]; /* what is wrong, lower case, no period */
	char		hint[TX_ERRMSG_LEN];	/* full sentence, or empty */
} tx_error;

typedef struct tx_hooks
{
	void	   *(*alloc) (size_t size); /* must not return NULL */
	void	   *(*realloc) (void *ptr, size_t size);
	void		(*free) (void *ptr);
	void		(*check_interrupts) (void);
} tx_hooks;

/* Install hooks; NULL restores the malloc-based defaults. */
extern void tx_set_hooks(const tx_hooks *hooks);

extern void *tx_alloc(size_t size);
extern void *tx_alloc0(size_t size);
extern void *tx_realloc(void *ptr, size_t size);
extern void tx_free(void *ptr);
extern char *tx_strndup(const char *s, size_t len);

/* Call at the top of every loop over input. */
extern void tx_check_interrupts(void);

/*
 * Record an error.  position is a 1-based character position (use
 * tx_char_position to turn a byte offset into one), 0 for none.  Always
 * returns false so that parsers can write "return tx_error_set(...)".
 */
extern bool tx_error_set(tx_error *err, tx_errcode code, long position,
						 const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 4, 5)))
#endif
			;
extern void tx_error_hint(tx_error *err, const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 2, 3)))
#endif
			;
extern void tx_error_clear(tx_error *err);

/* 1-based character position of byte offset off in UTF-8 text s. */
extern long tx_char_position(const char *s, size_t off);

/* Growable byte buffer, always NUL-terminated. */
typedef struct tx_buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} tx_buf;

extern void tx_buf_init(tx_buf *b, size_t initial);
extern void tx_buf_reserve(tx_buf *b, size_t more);
extern void tx_buf_append(tx_buf *b, const char *s, size_t len);
extern void tx_buf_putc(tx_buf *b, char c);
extern void tx_buf_printf(tx_buf *b, const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 2, 3)))
#endif
			;
extern void tx_buf_reset(tx_buf *b);
extern void tx_buf_free(tx_buf *b);

/* Length in bytes of the UTF-8 sequence that starts with byte c (1 for invalid). */
static inline int
tx_utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

#endif							/* TX_CORE_H */
