/*
 * test_tokenize.c
 *	  Unit tests of the tokenizer (core/tokenize.c): every token kind, the
 *	  normalization steps, offsets, positions, and the ASCII scanner against
 *	  ICU.
 */
#include "unit.h"

#include <stdio.h>

#include "tokenize.h"

#define MAXTOK 64

typedef struct result
{
	int			n;
	tx_token	t[MAXTOK];
	char		norm[MAXTOK][128];
	char		orig[MAXTOK][128];
} result;

static tx_tokenizer *tk;

static void
setup(void)
{
	tk = tx_tokenizer_new();
}

static void
teardown(void)
{
	tx_tokenizer_free(tk);
	tx_tokenize_shutdown();
}

static void
tokenize_with(const char *s, bool force, result *r)
{
	tx_token	t;
	tx_error	err;
	int			rc;

	r->n = 0;
	tx_tokenizer_force_icu(tk, force);
	tx_tokenizer_reset(tk, s, strlen(s));
	while ((rc = tx_tokenizer_next(tk, &t, &err)) == 1)
	{
		ck_assert_int_lt(r->n, MAXTOK);
		r->t[r->n] = t;
		snprintf(r->norm[r->n], 128, "%s", t.norm);
		snprintf(r->orig[r->n], 128, "%.*s", (int) (t.end - t.start), s + t.start);
		r->n++;
	}
	ck_assert_int_eq(rc, 0);
}

static void
tokenize(const char *s, result *r)
{
	result		icu;
	int			i;

	tokenize_with(s, false, r);
	/* the ASCII scanner and ICU agree on everything */
	tokenize_with(s, true, &icu);
	ck_assert_int_eq(r->n, icu.n);
	for (i = 0; i < r->n; i++)
	{
		ck_assert_str_eq(r->norm[i], icu.norm[i]);
		ck_assert_int_eq(r->t[i].start, icu.t[i].start);
		ck_assert_int_eq(r->t[i].end, icu.t[i].end);
		ck_assert_int_eq(r->t[i].type, icu.t[i].type);
		ck_assert_int_eq(r->t[i].pos, icu.t[i].pos);
	}
}

/* token i is orig -> norm of type at pos */
static void
expect(const result *r, int i, const char *orig, const char *norm, int type, int pos)
{
	ck_assert_int_lt(i, r->n);
	ck_assert_str_eq(r->orig[i], orig);
	ck_assert_str_eq(r->norm[i], norm);
	ck_assert_int_eq(r->t[i].type, type);
	ck_assert_int_eq(r->t[i].pos, pos);
	ck_assert_int_eq(r->t[i].normlen, strlen(norm));
}

START_TEST(test_ascii_words)
{
	result		r;

	tokenize("  Hello,  WORLD!\tfoo_bar\n", &r);
	ck_assert_int_eq(r.n, 3);
	expect(&r, 0, "Hello", "hello", TX_TOKEN_WORD, 1);
	expect(&r, 1, "WORLD", "world", TX_TOKEN_WORD, 2);
	expect(&r, 2, "foo_bar", "foo_bar", TX_TOKEN_WORD, 3);
	ck_assert_int_eq(r.t[0].start, 2);
	ck_assert_int_eq(r.t[0].end, 7);
}
END_TEST

START_TEST(test_empty_and_punctuation)
{
	result		r;

	tokenize("", &r);
	ck_assert_int_eq(r.n, 0);
	tokenize("  ... -- !? _ __ ' \xe2\x80\x94 ", &r);
	ck_assert_int_eq(r.n, 0);
}
END_TEST

START_TEST(test_apostrophes)
{
	result		r;

	tokenize("Ren's don't James' it's O\xe2\x80\x99" "Brien\xe2\x80\x99s rock'n'roll 'quoted'", &r);
	ck_assert_int_eq(r.n, 7);
	expect(&r, 0, "Ren's", "ren", TX_TOKEN_WORD, 1);
	expect(&r, 1, "don't", "don't", TX_TOKEN_WORD, 2);
	expect(&r, 2, "James", "james", TX_TOKEN_WORD, 3);
	expect(&r, 3, "it's", "it", TX_TOKEN_WORD, 4);
	expect(&r, 4, "O\xe2\x80\x99" "Brien\xe2\x80\x99s", "o'brien", TX_TOKEN_WORD, 5);
	expect(&r, 5, "rock'n'roll", "rock'n'roll", TX_TOKEN_WORD, 6);
	expect(&r, 6, "quoted", "quoted", TX_TOKEN_WORD, 7);
}
END_TEST

START_TEST(test_accents_and_folding)
{
	result		r;

	tokenize("Do\xc3\xb1" "ate CAF\xc3\x89 Stra\xc3\x9f" "e \xc4\xb0stanbul \xce\x86\xce\xb8\xce\xae\xce\xbd\xce\xb1 S\xc3\xb8ren", &r);
	ck_assert_int_eq(r.n, 6);
	expect(&r, 0, "Do\xc3\xb1" "ate", "donate", TX_TOKEN_WORD, 1);
	expect(&r, 1, "CAF\xc3\x89", "cafe", TX_TOKEN_WORD, 2);
	expect(&r, 2, "Stra\xc3\x9f" "e", "strasse", TX_TOKEN_WORD, 3);
	expect(&r, 3, "\xc4\xb0stanbul", "istanbul", TX_TOKEN_WORD, 4);
	/* Greek: accent removed, lower case */
	expect(&r, 4, "\xce\x86\xce\xb8\xce\xae\xce\xbd\xce\xb1", "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1", TX_TOKEN_WORD, 5);
	/* ø is a letter of its own, not o with a mark */
	expect(&r, 5, "S\xc3\xb8ren", "s\xc3\xb8ren", TX_TOKEN_WORD, 6);
	/* combining accent written separately */
	tokenize("cafe\xcc\x81", &r);
	ck_assert_int_eq(r.n, 1);
	expect(&r, 0, "cafe\xcc\x81", "cafe", TX_TOKEN_WORD, 1);
}
END_TEST

START_TEST(test_nfkc)
{
	result		r;

	/* ligature fi, fullwidth ABC, fullwidth digits; circled 1 is no word (neither letter nor decimal digit) */
	tokenize("\xef\xac\x81ne \xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3 \xef\xbc\x91\xef\xbc\x92 \xe2\x91\xa0", &r);
	ck_assert_int_eq(r.n, 3);
	expect(&r, 0, "\xef\xac\x81ne", "fine", TX_TOKEN_WORD, 1);
	expect(&r, 1, "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc", TX_TOKEN_WORD, 2);
	expect(&r, 2, "\xef\xbc\x91\xef\xbc\x92", "12", TX_TOKEN_NUMBER, 3);
}
END_TEST

START_TEST(test_numbers_and_mixed)
{
	result		r;

	tokenize("42 3.14 1,000 5G mp3 24/7 9/11 1/2/2020 e.g. U.S.A.", &r);
	ck_assert_int_eq(r.n, 10);
	expect(&r, 0, "42", "42", TX_TOKEN_NUMBER, 1);
	expect(&r, 1, "3.14", "3.14", TX_TOKEN_NUMBER, 2);
	expect(&r, 2, "1,000", "1,000", TX_TOKEN_NUMBER, 3);
	expect(&r, 3, "5G", "5g", TX_TOKEN_MIXED, 4);
	expect(&r, 4, "mp3", "mp3", TX_TOKEN_MIXED, 5);
	expect(&r, 5, "24/7", "24/7", TX_TOKEN_MIXED, 6);
	expect(&r, 6, "9/11", "9/11", TX_TOKEN_MIXED, 7);
	expect(&r, 7, "1/2/2020", "1/2/2020", TX_TOKEN_MIXED, 8);
	expect(&r, 8, "e.g", "e.g", TX_TOKEN_WORD, 9);
	expect(&r, 9, "U.S.A", "u.s.a", TX_TOKEN_WORD, 10);
	/* a slash between words does not join them */
	tokenize("and/or", &r);
	ck_assert_int_eq(r.n, 2);
	expect(&r, 0, "and", "and", TX_TOKEN_WORD, 1);
	expect(&r, 1, "or", "or", TX_TOKEN_WORD, 2);
}
END_TEST

START_TEST(test_compounds)
{
	result		r;

	tokenize("the self-reliance COVID-19 well\xe2\x80\x90known x - y", &r);
	ck_assert_int_eq(r.n, 12);
	expect(&r, 0, "the", "the", TX_TOKEN_WORD, 1);
	expect(&r, 1, "self-reliance", "self-reliance", TX_TOKEN_COMPOUND, 2);
	expect(&r, 2, "self", "self", TX_TOKEN_PART, 2);
	expect(&r, 3, "reliance", "reliance", TX_TOKEN_PART, 3);
	expect(&r, 4, "COVID-19", "covid-19", TX_TOKEN_NUMCOMPOUND, 4);
	expect(&r, 5, "COVID", "covid", TX_TOKEN_PART, 4);
	expect(&r, 6, "19", "19", TX_TOKEN_NUMPART, 5);
	/* U+2010 HYPHEN joins too, and the whole uses an ASCII hyphen */
	expect(&r, 7, "well\xe2\x80\x90known", "well-known", TX_TOKEN_COMPOUND, 6);
	expect(&r, 8, "well", "well", TX_TOKEN_PART, 6);
	expect(&r, 9, "known", "known", TX_TOKEN_PART, 7);
	/* a spaced hyphen is punctuation */
	expect(&r, 10, "x", "x", TX_TOKEN_WORD, 8);
	expect(&r, 11, "y", "y", TX_TOKEN_WORD, 9);
}
END_TEST

START_TEST(test_compound_limits)
{
	result		r;
	char		buf[200];
	int			i;

	/* double hyphens and leading/trailing hyphens do not join */
	tokenize("a--b -c d-", &r);
	ck_assert_int_eq(r.n, 4);
	expect(&r, 0, "a", "a", TX_TOKEN_WORD, 1);
	/* more than TX_COMPOUND_MAX_PARTS parts: parts only */
	buf[0] = '\0';
	for (i = 0; i < TX_COMPOUND_MAX_PARTS + 1; i++)
		strcat(buf, i ? "-x" : "x");
	tokenize(buf, &r);
	ck_assert_int_eq(r.n, TX_COMPOUND_MAX_PARTS + 1);
	for (i = 0; i < r.n; i++)
		ck_assert_int_eq(r.t[i].type, TX_TOKEN_PART);
	/* exactly the maximum: whole and parts */
	buf[0] = '\0';
	for (i = 0; i < TX_COMPOUND_MAX_PARTS; i++)
		strcat(buf, i ? "-x" : "x");
	tokenize(buf, &r);
	ck_assert_int_eq(r.n, TX_COMPOUND_MAX_PARTS + 1);
	ck_assert_int_eq(r.t[0].type, TX_TOKEN_COMPOUND);
	ck_assert_str_eq(r.norm[0], buf);
	/* possessive on the last part */
	tokenize("self-reliance's", &r);
	ck_assert_int_eq(r.n, 3);
	expect(&r, 0, "self-reliance's", "self-reliance", TX_TOKEN_COMPOUND, 1);
	expect(&r, 2, "reliance's", "reliance", TX_TOKEN_PART, 2);
}
END_TEST

START_TEST(test_dictionary_scripts)
{
	result		r;
	int			i;

	/* Japanese: 日本語のテキスト */
	tokenize("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88", &r);
	ck_assert_int_ge(r.n, 2);
	for (i = 0; i < r.n; i++)
		ck_assert_int_eq(r.t[i].type, TX_TOKEN_DICT);
	ck_assert_int_eq(r.t[0].start, 0);
	ck_assert_int_eq(r.t[r.n - 1].end, 24);
	/* Thai: ภาษาไทย, two words */
	tokenize("\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2", &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.t[0].type, TX_TOKEN_DICT);
	ck_assert_int_eq(r.t[1].start, 12);
	/* Korean is written with spaces: ordinary words */
	tokenize("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xed\x85\x8d\xec\x8a\xa4\xed\x8a\xb8", &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.t[0].type, TX_TOKEN_WORD);
}
END_TEST

START_TEST(test_offsets_point_at_original)
{
	result		r;
	const char *s = "\xe2\x80\x9c" "Do\xc3\xb1" "ate\xe2\x80\x9d, said \xef\xbc\xa1\xef\xbc\xa2.";

	tokenize(s, &r);
	ck_assert_int_eq(r.n, 3);
	ck_assert_int_eq(r.t[0].start, 3);
	ck_assert_int_eq(r.t[0].end, 10);
	ck_assert_int_eq(r.t[1].start, 15);
	ck_assert_int_eq(r.t[2].start, 20);
	ck_assert_int_eq(r.t[2].end, 26);
	ck_assert_str_eq(r.norm[2], "ab");
}
END_TEST

START_TEST(test_invalid_utf8)
{
	result		r;

	/* invalid bytes never make a token and never shift offsets */
	tokenize("ab\xff" "cd \xc3 ef \xe2\x80 gh\xed\xa0\x80" "ij", &r);
	ck_assert_int_eq(r.n, 5);
	expect(&r, 0, "ab", "ab", TX_TOKEN_WORD, 1);
	expect(&r, 1, "cd", "cd", TX_TOKEN_WORD, 2);
	expect(&r, 2, "ef", "ef", TX_TOKEN_WORD, 3);
	expect(&r, 3, "gh", "gh", TX_TOKEN_WORD, 4);
	expect(&r, 4, "ij", "ij", TX_TOKEN_WORD, 5);
	ck_assert_int_eq(r.t[4].start, 19);
}
END_TEST

START_TEST(test_emails_and_spacing_accents)
{
	result		r;

	/* ICU keeps e-mail addresses together (@ joins like a letter) */
	tokenize("mail john@example.com @ @x", &r);
	ck_assert_int_eq(r.n, 3);
	expect(&r, 1, "john@example.com", "john@example.com", TX_TOKEN_WORD, 2);
	expect(&r, 2, "@x", "@x", TX_TOKEN_WORD, 3);
	/* NFKC of a spacing diacritic is a space and a mark: neither stays */
	tokenize("x\xef\xb1\xa2y", &r);
	ck_assert_int_ge(r.n, 1);
	ck_assert_ptr_null(strchr(r.norm[0], ' '));
}
END_TEST

START_TEST(test_reset_and_long_input)
{
	result		r;
	size_t		n = 300000;
	char	   *big = malloc(n + 1);
	tx_token	t;
	tx_error	err;
	size_t		i;
	int			count = 0;

	/* a reset forgets the previous input */
	tokenize("one two", &r);
	tokenize("three", &r);
	ck_assert_int_eq(r.n, 1);
	expect(&r, 0, "three", "three", TX_TOKEN_WORD, 1);

	/* one 300 kB word, then many short ones */
	memset(big, 'a', n);
	big[n] = '\0';
	tx_tokenizer_force_icu(tk, false);
	tx_tokenizer_reset(tk, big, n);
	ck_assert_int_eq(tx_tokenizer_next(tk, &t, &err), 1);
	ck_assert_int_eq(t.normlen, n);
	ck_assert_int_eq(tx_tokenizer_next(tk, &t, &err), 0);
	for (i = 0; i < n; i += 2)
		big[i + 1] = ' ';
	tx_tokenizer_reset(tk, big, n);
	while (tx_tokenizer_next(tk, &t, &err) == 1)
		count++;
	ck_assert_int_eq(count, n / 2);
	ck_assert_int_eq(t.pos, n / 2);
	free(big);
}
END_TEST

START_TEST(test_latin_range)
{
	result		r;

	/* Catalan middle dot joins letters; the soft hyphen is left to ICU;
	 * ½ is no word (not a decimal digit); Ǆ folds to two letters; ×
	 * separates */
	tokenize("col\xc2\xb7lecci\xc3\xb3 co\xc2\xadop \xc2\xbd \xc7\x84ungla x\xc3\x97y", &r);
	ck_assert_int_eq(r.n, 5);
	expect(&r, 0, "col\xc2\xb7lecci\xc3\xb3", "col\xc2\xb7leccio", TX_TOKEN_WORD, 1);
	expect(&r, 1, "co\xc2\xadop", "coop", TX_TOKEN_WORD, 2);
	expect(&r, 2, "\xc7\x84ungla", "dzungla", TX_TOKEN_WORD, 3);
	expect(&r, 3, "x", "x", TX_TOKEN_WORD, 4);
	expect(&r, 4, "y", "y", TX_TOKEN_WORD, 5);
}
END_TEST

START_TEST(test_supplementary_planes)
{
	result		r;

	/* mathematical bold ABC (4-byte UTF-8, surrogate pairs in UTF-16), an
	 * emoji between words, a Deseret word */
	tokenize("\xf0\x9d\x90\x80\xf0\x9d\x90\x81\xf0\x9d\x90\x82 x\xf0\x9f\x98\x80y \xf0\x90\x90\x80\xf0\x90\x90\x81", &r);
	ck_assert_int_eq(r.n, 4);
	expect(&r, 0, "\xf0\x9d\x90\x80\xf0\x9d\x90\x81\xf0\x9d\x90\x82", "abc", TX_TOKEN_WORD, 1);
	ck_assert_int_eq(r.t[0].end, 12);
	expect(&r, 1, "x", "x", TX_TOKEN_WORD, 2);
	expect(&r, 2, "y", "y", TX_TOKEN_WORD, 3);
	ck_assert_int_eq(r.t[2].start, 18);
	/* Deseret capitals fold to small letters */
	expect(&r, 3, "\xf0\x90\x90\x80\xf0\x90\x90\x81", "\xf0\x90\x90\xa8\xf0\x90\x90\xa9", TX_TOKEN_WORD, 4);
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(tx_token_type_name(TX_TOKEN_WORD), "word");
	ck_assert_str_eq(tx_token_type_name(TX_TOKEN_COMPOUND), "compound");
	ck_assert_str_eq(tx_token_type_name(TX_TOKEN_BLANK), "blank");
	ck_assert_ptr_null(tx_token_type_name(5));
	ck_assert_ptr_null(tx_token_type_name(99));
	ck_assert_ptr_null(tx_token_type_description(-1));
	ck_assert_ptr_nonnull(tx_token_type_description(TX_TOKEN_DICT));
	/* free accepts NULL */
	tx_tokenizer_free(NULL);
}
END_TEST

/* tx_tokenizer_next_batch hands out the tokens tx_tokenizer_next does */
START_TEST(test_next_batch)
{
	const char *s = "Self-reliance, 24/7 and caf\xc3\xa9 -- Ren's \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e e-mail a.b@c.d "
		"covid-19 one two three four five six seven eight nine ten";
	tx_token	one[64];
	char		norms[64][32];
	tx_token	batch[64];
	tx_token	t;
	tx_error	err;
	int			n = 0,
				sizes[] = {1, 2, 3, 7, 32, 64},
				k;

	tx_tokenizer_reset(tk, s, strlen(s));
	while (tx_tokenizer_next(tk, &t, &err) == 1)
	{
		ck_assert_int_lt(t.normlen, 32);
		strcpy(norms[n], t.norm);	/* norms last until the next reset */
		one[n++] = t;
	}
	ck_assert_int_gt(n, 20);
	for (k = 0; k < 6; k++)
	{
		int			got = 0,
					rc,
					i;

		tx_tokenizer_reset(tk, s, strlen(s));
		while ((rc = tx_tokenizer_next_batch(tk, batch + got, sizes[k], &err)) > 0)
		{
			got += rc;
			if (rc < sizes[k])
				break;
		}
		ck_assert_int_ge(rc, 0);
		ck_assert_int_eq(tx_tokenizer_next_batch(tk, batch + got, sizes[k], &err), 0);
		ck_assert_int_eq(got, n);
		for (i = 0; i < n; i++)
		{
			ck_assert_int_eq(batch[i].start, one[i].start);
			ck_assert_int_eq(batch[i].end, one[i].end);
			ck_assert_int_eq(batch[i].type, one[i].type);
			ck_assert_int_eq(batch[i].pos, one[i].pos);
			ck_assert_str_eq(batch[i].norm, norms[i]);
		}
	}
}
END_TEST

/* ASCII words of every length up to 20 are lower-cased a word at a time: same as ICU */
START_TEST(test_ascii_lowercase_lengths)
{
	static const char letters[] = "AbCdEfGhIjKlMnOpQrStUvWxYz@Z_9";
	char		buf[128];
	char		want[64];
	result		r;
	int			len,
				k;

	for (len = 1; len <= 20; len++)
	{
		for (k = 0; k < len; k++)
		{
			buf[k] = letters[(k * 7 + len) % 30];
			want[k] = (char) (buf[k] >= 'A' && buf[k] <= 'Z' ? buf[k] + 32 : buf[k]);
		}
		buf[len] = want[len] = '\0';
		if (buf[0] == '@' || buf[0] == '_' || buf[len - 1] == '@' || buf[len - 1] == '_')
			continue;			/* not one word */
		tokenize(buf, &r);		/* compares with ICU */
		ck_assert_int_eq(r.n, 1);
		ck_assert_str_eq(r.norm[0], want);
		/* with a possessive and punctuation around */
		{
			char		word[32];

			memcpy(word, buf, len + 1);
			snprintf(buf, sizeof(buf), "%s's, [ZZ%s]", word, word);
		}
		tokenize(buf, &r);
		ck_assert_int_ge(r.n, 2);
		ck_assert_str_eq(r.norm[0], want);
	}
}
END_TEST

/*
 * Spans of letters with at most one trailing punctuation character are made
 * into word tokens directly; every span next to that shape must still be
 * what the scanner and ICU make of it.
 */
START_TEST(test_word_spans)
{
	static const char *const spans[] = {
		"word", "Word,", "word.", "word;", "word?", "word!", "word'", "word\"",
		"word)", "word-", "word/", "word:", "word\x01", "word\x7f", "word#",
		"word.,", "word..", "word'.", "word's", "word'x", "word.x", "word,x",
		"word9", "word_", "word@", "word@x", "w", "W.", "WORD", "wOrD'",
		"word\xe2\x80\x99", "word\xe2\x80\x9d", "word\xc3\xa9", "word.\xc3\xa9",
		"word-word", "word--word", "word-9", "self-", "U.S.", "e.g.", "Mr.",
	};
	static const char *const seps[] = {" ", "\t", "\n", "\r\n", "  ", ""};
	char		buf[256];
	result		r;
	int			i,
				j,
				k;

	for (i = 0; i < (int) (sizeof(spans) / sizeof(spans[0])); i++)
		for (k = 0; k < (int) (sizeof(seps) / sizeof(seps[0])); k++)
		{
			j = (i * 5 + 3) % (int) (sizeof(spans) / sizeof(spans[0]));
			/* alone, at the end, before another span */
			snprintf(buf, sizeof(buf), "%s", spans[i]);
			tokenize(buf, &r);
			snprintf(buf, sizeof(buf), "x%s%s", seps[k], spans[i]);
			tokenize(buf, &r);
			snprintf(buf, sizeof(buf), "%s%s%s x", spans[i], seps[k], spans[j]);
			tokenize(buf, &r);
		}
	tokenize("Word, word. Word's word' WORD", &r);
	ck_assert_int_eq(r.n, 5);
	expect(&r, 0, "Word", "word", TX_TOKEN_WORD, 1);
	expect(&r, 1, "word", "word", TX_TOKEN_WORD, 2);
	expect(&r, 2, "Word's", "word", TX_TOKEN_WORD, 3);
	expect(&r, 3, "word", "word", TX_TOKEN_WORD, 4);
	expect(&r, 4, "WORD", "word", TX_TOKEN_WORD, 5);
	ck_assert_int_eq(r.t[1].end, 10);
}
END_TEST

static Suite *
tokenize_suite(void)
{
	Suite	   *s = suite_create("tokenize");
	TCase	   *tc = tcase_create("tokenize");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ascii_words);
	tcase_add_test(tc, test_empty_and_punctuation);
	tcase_add_test(tc, test_apostrophes);
	tcase_add_test(tc, test_accents_and_folding);
	tcase_add_test(tc, test_nfkc);
	tcase_add_test(tc, test_numbers_and_mixed);
	tcase_add_test(tc, test_compounds);
	tcase_add_test(tc, test_compound_limits);
	tcase_add_test(tc, test_dictionary_scripts);
	tcase_add_test(tc, test_offsets_point_at_original);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_emails_and_spacing_accents);
	tcase_add_test(tc, test_reset_and_long_input);
	tcase_add_test(tc, test_latin_range);
	tcase_add_test(tc, test_supplementary_planes);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_next_batch);
	tcase_add_test(tc, test_ascii_lowercase_lengths);
	tcase_add_test(tc, test_word_spans);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(tokenize_suite)
