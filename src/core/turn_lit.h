/*
 * turn_lit.h
 *	  The text form of a speaker turn: parsing and formatting (core, no
 *	  PostgreSQL headers).
 *
 *	  [00:01:02.500-00:01:09] Nathan VanderKlippe (The Globe and Mail): text
 *
 * See README.md, "The turn type", for the grammar and quoting rules.
 */
#ifndef TURN_LIT_H
#define TURN_LIT_H

#include "tx_core.h"

#define TURN_NO_TIME		INT64_MIN
#define TURN_MAX_LABEL		1000	/* bytes in a speaker or affiliation */
#define TURN_MAX_MS			INT64_C(359999999999)	/* 99999:59:59.999 */

/* A parsed turn; strings point into caller-owned or tx_alloc'ed memory. */
typedef struct turn_parts
{
	const char *speaker;		/* NULL = unknown speaker */
	size_t		speaker_len;
	const char *affiliation;	/* NULL = none */
	size_t		affiliation_len;
	const char *body;			/* never NULL */
	size_t		body_len;
	int64_t		start_ms;		/* TURN_NO_TIME = none */
	int64_t		end_ms;			/* TURN_NO_TIME = none */
} turn_parts;

/*
 * Parse the text form in s[0..len).  On success fills *out (speaker and
 * affiliation may be tx_alloc'ed when they were quoted; the body points into
 * s) and returns true; on failure fills *err and returns false.
 */
extern bool turn_parse(const char *s, size_t len, turn_parts *out, tx_error *err);

/* Check the parts for what every turn must satisfy (label lengths, times, NULs). */
extern bool turn_validate(const turn_parts *t, tx_error *err);

/* Append the canonical text form of t to buf. */
extern void turn_format(const turn_parts *t, tx_buf *buf);

/* Append a time as [H]H:MM:SS[.mmm] (at least two hour digits). */
extern void turn_format_time(int64_t ms, tx_buf *buf);

/* Parse [[H:]MM:]SS[.fff] at s[*pos]; advances *pos. */
extern bool turn_parse_time(const char *s, size_t len, size_t *pos, int64_t *ms, tx_error *err);

/* Words in text: runs of non-space characters holding a letter or digit. */
extern int64_t turn_word_count(const char *s, size_t len);

#endif							/* TURN_LIT_H */
