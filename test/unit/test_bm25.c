/*
 * test_bm25.c
 *	  BM25 weights checked against hand-computed values, and passage
 *	  selection over hand-made token and sentence layouts.
 */
#include "unit.h"

#include <math.h>

#include "bm25.h"
#include "passage.h"

START_TEST(idf_values)
{
	/* ln(1 + (1000 - 10 + 0.5) / (10 + 0.5)) */
	ck_assert_double_eq_tol(tx_bm25_idf(1000, 10), 4.557379522151743, 1e-12);
	/* a term in every document still weighs a little */
	ck_assert_double_eq_tol(tx_bm25_idf(100, 100), 0.004962789342129097, 1e-12);
	/* df is clamped */
	ck_assert_double_eq_tol(tx_bm25_idf(100, 500), tx_bm25_idf(100, 100), 1e-12);
	ck_assert_double_eq_tol(tx_bm25_idf(100, -3), tx_bm25_idf(100, 0), 1e-12);
	ck_assert(tx_bm25_idf(0, 0) > 0);
}
END_TEST

START_TEST(term_values)
{
	tx_bm25_params p = {1.2, 0.75};
	tx_bm25_params flat = {1.2, 0.0};

	/* 2 * 3 * 2.2 / (3 + 1.2 * (0.25 + 0.75 * 100 / 50)) */
	ck_assert_double_eq_tol(tx_bm25_term(2, 3, 1, 100, 50, &p), 2.5882352941176476, 1e-12);
	/* a term twice in the query weighs twice */
	ck_assert_double_eq_tol(tx_bm25_term(2, 3, 2, 100, 50, &p), 2 * 2.5882352941176476, 1e-12);
	/* b = 0: no length normalisation; tf saturates towards idf * (k1 + 1) */
	ck_assert_double_eq_tol(tx_bm25_term(1, 1, 1, 10, 1000, &flat), 1.0, 1e-12);
	ck_assert(tx_bm25_term(1, 1e9, 1, 10, 10, &p) < 2.2 + 1e-6);
	ck_assert_double_eq(tx_bm25_term(2, 0, 1, 10, 10, &p), 0.0);
	ck_assert_double_eq(tx_bm25_term(2, 1, 0, 10, 10, &p), 0.0);
}
END_TEST

START_TEST(param_checks)
{
	tx_error	err;
	tx_bm25_params ok = {1.2, 0.75};
	tx_bm25_params badk = {-1, 0.75};
	tx_bm25_params badb = {1.2, 1.5};
	tx_bm25_params nanb = {1.2, NAN};

	ck_assert(tx_bm25_params_valid(&ok, &err));
	ck_assert(!tx_bm25_params_valid(&badk, &err));
	ck_assert_str_eq(err.message, "parameter k1 must be between 0 and 100");
	ck_assert(!tx_bm25_params_valid(&badb, &err));
	ck_assert_str_eq(err.message, "parameter b must be between 0 and 1");
	ck_assert(!tx_bm25_params_valid(&nanb, &err));
}
END_TEST

/*
 * 20 tokens at byte offsets 0, 10, 20, ...; sentences start at tokens 0, 3,
 * 10 and 12 (so they hold 3, 7, 2 and 8 tokens).
 */
static int32_t tok_start[20];
static const int32_t sent_start[] = {0, 25, 95, 115};

static void
setup_tokens(void)
{
	int			i;

	for (i = 0; i < 20; i++)
		tok_start[i] = i * 10;
}

static tx_passage_args
args(const tx_hit *hits, int nhits, const double *w, int ngroups, int max_words)
{
	tx_passage_args a;

	setup_tokens();
	a.ntokens = 20;
	a.tok_start = tok_start;
	a.nsent = 4;
	a.sent_start = sent_start;
	a.nhits = nhits;
	a.hits = hits;
	a.ngroups = ngroups;
	a.group_weight = w;
	a.max_words = max_words;
	a.bm25.k1 = 1.2;
	a.bm25.b = 0.75;
	return a;
}

START_TEST(best_window)
{
	tx_hit		hits[] = {{1, 1, 0}, {11, 11, 0}};
	double		w[] = {1.0};
	tx_passage	out[4];
	tx_passage_args a = args(hits, 2, w, 1, 10);
	int			n = tx_passages(&a, 1, out);

	/* both hits score alike alone; the shortest window wins: sentence 3 (2 tokens) */
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(out[0].first_tok, 10);
	ck_assert_int_eq(out[0].last_tok, 11);
	/* 1 * 1 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / 10)) */
	ck_assert_double_eq_tol(out[0].score, 2.2 / (1 + 1.2 * (0.25 + 0.15)), 1e-12);

	/* top 3 non-overlapping: sentence 3, then sentence 1, nothing else has hits */
	n = tx_passages(&a, 3, out);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(out[1].first_tok, 0);
	ck_assert_int_eq(out[1].last_tok, 2);
	ck_assert(out[0].score >= out[1].score);
}
END_TEST

START_TEST(more_hits_win)
{
	/* two groups in sentence 2 beat one group in sentence 1 */
	tx_hit		hits[] = {{1, 1, 0}, {4, 4, 0}, {6, 7, 1}};
	double		w[] = {1.0, 1.0};
	tx_passage	out[2];
	tx_passage_args a = args(hits, 3, w, 2, 10);
	int			n = tx_passages(&a, 1, out);

	/*
	 * sentences 1 and 2 (10 tokens) hold all three hits:
	 * 2 * 2.2 / (2 + 1.2) + 2.2 / (1 + 1.2) = 2.375 beats sentence 2 alone
	 * (7 tokens): 2 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 0.7)) = 2.2798
	 */
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(out[0].first_tok, 0);
	ck_assert_int_eq(out[0].last_tok, 9);
	ck_assert_double_eq_tol(out[0].score, 2.375, 1e-12);
	a.max_words = 3;
	n = tx_passages(&a, 2, out);
	/* sentence 2 is now too long: windows of 3 tokens around its hits */
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(out[0].last_tok - out[0].first_tok, 2);
}
END_TEST

START_TEST(long_sentence)
{
	tx_hit		hits[] = {{15, 15, 0}};
	double		w[] = {2.0};
	tx_passage	out[1];
	tx_passage_args a = args(hits, 1, w, 1, 4);
	int			n = tx_passages(&a, 1, out);

	/* sentence 4 has 8 tokens (12..19): a 4-token window starting one before the hit */
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(out[0].first_tok, 14);
	ck_assert_int_eq(out[0].last_tok, 17);
}
END_TEST

START_TEST(no_hits)
{
	double		w[] = {1.0};
	tx_passage	out[1];
	tx_passage_args a = args(NULL, 0, w, 1, 10);

	ck_assert_int_eq(tx_passages(&a, 1, out), 0);
}
END_TEST

START_TEST(icu_sentences)
{
	const char *s = "Good morning. Did you sign it? Yes! Mr. Ren said so.";
	UErrorCode	st = U_ZERO_ERROR;
	UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &st);
	UText		ut = UTEXT_INITIALIZER;
	int32_t    *starts;
	int			n;

	ck_assert(U_SUCCESS(st));
	n = tx_sentence_starts(bi, &ut, s, (int) strlen(s), &starts);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(starts[0], 0);
	ck_assert_int_eq(starts[1], 14);
	ck_assert_int_eq(starts[2], 31);
	ck_assert_int_eq(starts[3], 36);
	tx_free(starts);

	/* only near byte 33 ("Yes!"): the start before it and the one after */
	{
		int32_t		ranges[] = {33, 34};

		n = tx_sentence_starts_near(bi, &ut, s, (int) strlen(s), ranges, 1, &starts);
		ck_assert_int_eq(n, 3);
		ck_assert_int_eq(starts[0], 0);
		ck_assert_int_eq(starts[1], 31);
		ck_assert_int_eq(starts[2], 36);
		tx_free(starts);
	}
	/* two ranges: the first sentence and the last one */
	{
		int32_t		ranges[] = {0, 5, 40, 45};

		n = tx_sentence_starts_near(bi, &ut, s, (int) strlen(s), ranges, 2, &starts);
		ck_assert_int_eq(n, 3);
		ck_assert_int_eq(starts[1], 14);
		ck_assert_int_eq(starts[2], 36);
		tx_free(starts);
	}
	utext_close(&ut);
	ubrk_close(bi);
}
END_TEST

static Suite *
bm25_suite(void)
{
	Suite	   *s = suite_create("bm25");
	TCase	   *tc = tcase_create("bm25");

	tcase_add_test(tc, idf_values);
	tcase_add_test(tc, term_values);
	tcase_add_test(tc, param_checks);
	tcase_add_test(tc, best_window);
	tcase_add_test(tc, more_hits_win);
	tcase_add_test(tc, long_sentence);
	tcase_add_test(tc, no_hits);
	tcase_add_test(tc, icu_sentences);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(bm25_suite)
