/*
 * fuzz_turn_lit.c
 *	  libFuzzer harness for the text form of a turn.
 *
 * Parses arbitrary bytes; whenever they parse, formats the parts, parses the
 * formatted text again and requires the same parts (round trip), and
 * requires formatting those to give the same text again (fixpoint).  Errors
 * must carry a message, a position inside the input and a hint.
 *
 * The same bytes are also read as parts (speaker NUL affiliation NUL body,
 * times derived from the length), as turn(speaker, body, ...) would get them:
 * when the parts validate, their text form must parse back to the same parts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "turn_lit.h"

static void
free_labels(turn_parts *p, const char *s, size_t len)
{
	if (p->speaker && (p->speaker < s || p->speaker > s + len))
		tx_free((void *) p->speaker);
	if (p->affiliation && (p->affiliation < s || p->affiliation > s + len))
		tx_free((void *) p->affiliation);
}

static bool
same_label(const char *a, size_t alen, const char *b, size_t blen)
{
	if ((a == NULL) != (b == NULL))
		return false;
	return a == NULL || (alen == blen && memcmp(a, b, alen) == 0);
}

static void
die(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_turn_lit: %s\ntext: [%.*s]\n", what, (int) len, text);
	abort();
}

/* format a, parse the text, compare, and check the text is a fixpoint */
static void
round_trip(const turn_parts *a)
{
	turn_parts	b;
	tx_error	err;
	tx_buf		f1,
				f2;

	tx_buf_init(&f1, 64);
	turn_format(a, &f1);
	tx_error_clear(&err);
	if (!turn_parse(f1.data, f1.len, &b, &err))
	{
		fprintf(stderr, "reparse error: %s at %ld\n", err.message, err.position);
		die("formatted text does not parse", f1.data, f1.len);
	}
	if (!same_label(a->speaker, a->speaker_len, b.speaker, b.speaker_len))
		die("speaker changed in the round trip", f1.data, f1.len);
	if (!same_label(a->affiliation, a->affiliation_len, b.affiliation, b.affiliation_len))
		die("affiliation changed in the round trip", f1.data, f1.len);
	if (a->body_len != b.body_len || memcmp(a->body, b.body, a->body_len) != 0)
		die("body changed in the round trip", f1.data, f1.len);
	if (a->start_ms != b.start_ms || a->end_ms != b.end_ms)
		die("times changed in the round trip", f1.data, f1.len);

	tx_buf_init(&f2, 64);
	turn_format(&b, &f2);
	if (f1.len != f2.len || memcmp(f1.data, f2.data, f1.len) != 0)
		die("formatted text is not a fixpoint", f2.data, f2.len);
	free_labels(&b, f1.data, f1.len);
	tx_buf_free(&f1);
	tx_buf_free(&f2);
}

/* the bytes as parts: speaker NUL affiliation NUL body (empty label = none) */
static void
parts_round_trip(const char *s, size_t size)
{
	const char *nul1 = memchr(s, '\0', size);
	const char *nul2;
	turn_parts	p;
	tx_error	err;

	if (nul1 == NULL)
		return;
	nul2 = memchr(nul1 + 1, '\0', size - (nul1 + 1 - s));
	if (nul2 == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.speaker = nul1 > s ? s : NULL;
	p.speaker_len = nul1 - s;
	p.affiliation = nul2 > nul1 + 1 ? nul1 + 1 : NULL;
	p.affiliation_len = nul2 - (nul1 + 1);
	p.body = nul2 + 1;
	p.body_len = size - (nul2 + 1 - s);
	p.start_ms = size % 3 == 0 ? TURN_NO_TIME : (int64_t) size * 1009;
	p.end_ms = size % 5 == 0 ? TURN_NO_TIME : (int64_t) size * 1009 + p.body_len * 7;
	if (size % 7 == 0)
		p.start_ms = TURN_MAX_MS - (int64_t) size;
	if (size % 11 == 0)
		p.end_ms = TURN_MAX_MS;
	tx_error_clear(&err);
	if (turn_validate(&p, &err))
		round_trip(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	turn_parts	a;
	tx_error	err;

	memcpy(s, data, size);
	s[size] = '\0';
	tx_error_clear(&err);
	if (!turn_parse(s, size, &a, &err))
	{
		if (err.code == TX_OK || err.message[0] == '\0')
			die("error without code or message", s, size);
		/* positions are 1-based characters; one past the end is allowed */
		if (err.position < 0 || err.position > (long) size + 1)
			die("error position outside the input", s, size);
		/* a NUL body is only caught by validation, which has no position */
		if (memchr(s, '\0', size) == NULL && (err.position == 0 || err.hint[0] == '\0'))
			die("parse error without a position or a hint", s, size);
		free_labels(&a, s, size);
	}
	else
	{
		if (!turn_validate(&a, &err))
			die("parsed turn does not validate", s, size);
		round_trip(&a);
		(void) turn_word_count(a.body, a.body_len);
		free_labels(&a, s, size);
	}
	parts_round_trip(s, size);
	free(s);
	return 0;
}
