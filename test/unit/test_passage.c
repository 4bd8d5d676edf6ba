/*
 * test_passage.c
 *	  Sentence starts near byte ranges (core/passage.c): exactly the starts
 *	  that the whole-text iteration gives, restricted to the ranges (the
 *	  last start at or before each range, every start inside it and the
 *	  first one at or after its end).
 */
#include "unit.h"

#include "passage.h"

/* the same selection, made from the whole list of starts */
static int
reference_near(const int32_t *full, int nfull, int len, const int32_t *ranges, int nr,
			   int32_t *out)
{
	int			n = 0,
				i = 0,
				r;

	out[n++] = 0;
	for (r = 0; r < nr; r++)
	{
		int32_t		from = ranges[2 * r] < 0 ? 0 : ranges[2 * r];
		int32_t		to = ranges[2 * r + 1] > len ? len : ranges[2 * r + 1];
		int32_t		last;
		int			j;

		if (i >= nfull)
			break;
		if (full[i] >= to)
			continue;
		last = full[i];
		for (j = i + 1; j < nfull && full[j] <= from; j++)
			last = full[j];
		if (last > out[n - 1])
			out[n++] = last;
		for (; j < nfull; j++)
		{
			if (full[j] > out[n - 1])
				out[n++] = full[j];
			if (full[j] >= to)
				break;
		}
		i = j;
	}
	return n;
}

static void
check_near(UBreakIterator *bi, const char *s, int len, const int32_t *ranges, int nr)
{
	UText		ut = UTEXT_INITIALIZER;
	int32_t    *full,
			   *near,
			   *ref;
	int			nfull,
				nnear,
				nref,
				i;

	nfull = tx_sentence_starts(bi, &ut, s, len, &full);
	nnear = tx_sentence_starts_near(bi, &ut, s, len, ranges, nr, &near);
	ref = tx_alloc(sizeof(int32_t) * (nfull + 1));
	nref = reference_near(full, nfull, len, ranges, nr, ref);
	ck_assert_int_eq(nnear, nref);
	for (i = 0; i < nnear; i++)
		ck_assert_int_eq(near[i], ref[i]);
	tx_free(full);
	tx_free(near);
	tx_free(ref);
	utext_close(&ut);
}

static UBreakIterator *
open_bi(void)
{
	UErrorCode	st = U_ZERO_ERROR;
	UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &st);

	ck_assert(U_SUCCESS(st));
	return bi;
}

/*
 * Curly quotes: ICU's ubrk_preceding skips the boundary after ?" here (on
 * the text alone it answers 0 for 77 and 78 where stepping has 76);
 * stepping forward only keeps it.
 */
#define PAD 1200

START_TEST(curly_quotes)
{
	UBreakIterator *bi = open_bi();
	char		s[2000];
	int			len;
	int32_t		ranges[] = {PAD + 78, PAD + 80};
	UText		ut = UTEXT_INITIALIZER;
	int32_t    *near;
	int			n;

	/* far from the start (the old code re-synchronized with ubrk_preceding there) */
	memset(s, 'a', PAD);
	for (n = 9; n < PAD; n += 10)
		s[n] = ' ';
	s[PAD - 2] = '.';
	strcpy(s + PAD, "Well, he said: \xe2\x80\x9c" "Did you not say that you were counsel for the company?"
		   "\xe2\x80\x9d \xe2\x80\x9cYes.\xe2\x80\x9d Now, my point is this.");
	len = (int) strlen(s);
	n = tx_sentence_starts_near(bi, &ut, s, len, ranges, 1, &near);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(near[0], 0);
	ck_assert_int_eq(near[1], PAD + 76);	/* the sentence "Yes." */
	ck_assert_int_eq(near[2], PAD + 87);	/* "Now, ..." */
	tx_free(near);
	utext_close(&ut);
	check_near(bi, s, len, ranges, 1);
	ubrk_close(bi);
}
END_TEST

/* a long text (ASCII and not) with many range layouts, far apart and close */
START_TEST(ranges_agree)
{
	UBreakIterator *bi = open_bi();
	char		buf[20000];
	int			len,
				i,
				r,
				ascii;
	static const char *const parts[] = {
		"Mr. Chief Justice, may it please the Court. ",
		"The statute says so -- in 18 U.S.C. 924(c). ",
		"Is that right? ",
		"Well, yes!  ",
		"He said \"no.\" ",
		"And then QUESTION: what about 3.5 percent? ",
		"e.g. the jurisdiction of the court... maybe. ",
		"Caf\xc3\xa9 \xe2\x80\x9cquoted?\xe2\x80\x9d \xe2\x80\x9cNext.\xe2\x80\x9d ",
	};

	for (ascii = 0; ascii < 2; ascii++)
	{
		len = 0;
		for (i = 0; len < (int) sizeof(buf) - 100; i++)
		{
			const char *p = parts[(i * 7 + i / 3) % (ascii ? 7 : 8)];

			memcpy(buf + len, p, strlen(p));
			len += (int) strlen(p);
		}
		for (r = 0; r < 60; r++)
		{
			int32_t		ranges[16];
			int			nr = 0;
			int32_t		at = (r * 37) % 500 - 20;

			while (nr < 8 && at < len + 10)
			{
				int32_t		to = at + (r % 5 == 0 ? 0 : 50 + (r * 13 + nr * 101) % 900);

				ranges[2 * nr] = at;
				ranges[2 * nr + 1] = to;
				nr++;
				at = to + 1 + (r * 211 + nr * 1009) % (r < 30 ? 4000 : 300);
			}
			check_near(bi, buf, len, ranges, nr);
		}
	}
	ubrk_close(bi);
}
END_TEST

START_TEST(edges)
{
	UBreakIterator *bi = open_bi();
	const char *s = "One. Two. Three.";
	int32_t		none[] = {0, 0};
	int32_t		past[] = {100, 200};
	int32_t		all[] = {-5, 1000};

	check_near(bi, s, (int) strlen(s), none, 0);
	check_near(bi, s, (int) strlen(s), none, 1);
	check_near(bi, s, (int) strlen(s), past, 1);
	check_near(bi, s, (int) strlen(s), all, 1);
	check_near(bi, "", 0, all, 1);
	ubrk_close(bi);
}
END_TEST

static Suite *
passage_suite(void)
{
	Suite	   *s = suite_create("passage");
	TCase	   *tc = tcase_create("sentences");

	tcase_add_test(tc, curly_quotes);
	tcase_add_test(tc, ranges_agree);
	tcase_add_test(tc, edges);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(passage_suite)
