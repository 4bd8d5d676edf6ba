/*
 * fuzz_turn_lit.c
 *	  libFuzzer harness for the text form of a turn.
 *
 * Parses arbitrary bytes; whenever they parse, formats the parts, parses the
 * formatted text again and requires the same parts (round trip), and
 * requires formatting those to give the same text again (fixpoint).  Errors
 * must carry a message and a position inside the input.
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	turn_parts	a,
				b;
	tx_error	err;
	tx_buf		f1,
				f2;

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
		free_labels(&a, s, size);
		free(s);
		return 0;
	}
	if (!turn_validate(&a, &err))
		die("parsed turn does not validate", s, size);

	tx_buf_init(&f1, 64);
	turn_format(&a, &f1);
	tx_error_clear(&err);
	if (!turn_parse(f1.data, f1.len, &b, &err))
	{
		fprintf(stderr, "reparse error: %s at %ld\n", err.message, err.position);
		die("formatted text does not parse", f1.data, f1.len);
	}
	if (!same_label(a.speaker, a.speaker_len, b.speaker, b.speaker_len))
		die("speaker changed in the round trip", f1.data, f1.len);
	if (!same_label(a.affiliation, a.affiliation_len, b.affiliation, b.affiliation_len))
		die("affiliation changed in the round trip", f1.data, f1.len);
	if (a.body_len != b.body_len || memcmp(a.body, b.body, a.body_len) != 0)
		die("body changed in the round trip", f1.data, f1.len);
	if (a.start_ms != b.start_ms || a.end_ms != b.end_ms)
		die("times changed in the round trip", f1.data, f1.len);

	tx_buf_init(&f2, 64);
	turn_format(&b, &f2);
	if (f1.len != f2.len || memcmp(f1.data, f2.data, f1.len) != 0)
		die("formatted text is not a fixpoint", f2.data, f2.len);

	(void) turn_word_count(a.body, a.body_len);

	free_labels(&b, f1.data, f1.len);
	free_labels(&a, s, size);
	tx_buf_free(&f1);
	tx_buf_free(&f2);
	free(s);
	return 0;
}
