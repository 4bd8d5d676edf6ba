/*
 * test_tquery.c
 *	  The query language: every syntax element, every error with its
 *	  position, canonical output, evaluation, match spans and speakers.
 */
#include "unit.h"

#include "tquery_parse.h"

static tq_header *
compile(const char *q, bool lenient, tx_error *err)
{
	size_t		size;
	tq_header  *h = tq_compile(q, strlen(q), lenient, 0, tq_simple_analyze, NULL, &size, err);

	if (h)
		ck_assert_msg(tq_image_valid(h, size, err), "invalid image for %s: %s", q, err->message);
	return h;
}

/* canonical form, or "ERR <pos> <message>" */
static char *
canon_mode(const char *q, bool lenient)
{
	tx_error	err;
	tq_header  *h = compile(q, lenient, &err);
	tx_buf		b;
	char	   *r;

	tx_buf_init(&b, 64);
	if (h == NULL)
		tx_buf_printf(&b, "ERR %ld %s", err.position, err.message);
	else
	{
		tq_format(h, &b);
		tx_free(h);
	}
	r = strdup(b.data);
	tx_buf_free(&b);
	return r;
}

#define CANON(q, want) \
	do { char *got_ = canon_mode((q), false); ck_assert_str_eq(got_, (want)); free(got_); } while (0)
#define LENIENT(q, want) \
	do { char *got_ = canon_mode((q), true); ck_assert_str_eq(got_, (want)); free(got_); } while (0)

static char *
tsq(const char *q)
{
	tx_error	err;
	tq_header  *h = compile(q, false, &err);
	tx_buf		b;
	char	   *r;

	ck_assert_msg(h != NULL, "%s: %s", q, err.message);
	tx_buf_init(&b, 64);
	tq_format_tsquery(h, &b);
	tx_free(h);
	r = strdup(b.data);
	tx_buf_free(&b);
	return r;
}

#define TSQ(q, want) \
	do { char *got_ = tsq(q); ck_assert_str_eq(got_, (want)); free(got_); } while (0)

START_TEST(words_and_phrases)
{
	CANON("tariffs", "tariffs");
	CANON("  trade   war  ", "trade war");
	CANON("\"trade war\"", "\"trade war\"");
	CANON("\"the  trade war\"", "\"the trade war\"");
	CANON("econ*", "econ*");
	CANON("e-mail", "e-mail");
	CANON("", "");
	CANON("   ", "");
	CANON("the", "");
	CANON("the of", "");
	CANON("\"\"", "");
	TSQ("\"trade war\"", "('trade' <-> 'war')");
	TSQ("\"president of the united states\"", "('president' <3> 'united' <-> 'states')");
	TSQ("econ*", "'econ':*");
	TSQ("\"trade wa*\"", "('trade' <-> 'wa':*)");
	TSQ("e-mail", "('e' <-> 'mail')");
	TSQ("Tariffs TARIFFS", "('tariffs' & 'tariffs')");
}
END_TEST

START_TEST(operators)
{
	CANON("a b", "b");			/* a is a stop word */
	CANON("trade OR tariffs", "trade OR tariffs");
	CANON("trade or tariffs", "trade OR tariffs");
	CANON("trade | tariffs", "trade OR tariffs");
	CANON("china trade OR tariffs", "china trade OR tariffs");
	CANON("(china trade) OR tariffs", "(china trade) OR tariffs");
	CANON("china AND trade", "china trade");
	CANON("china -soybeans", "china -soybeans");
	CANON("china NOT soybeans", "china -soybeans");
	CANON("china -(soybeans OR corn)", "china -(soybeans OR corn)");
	CANON("china -\"soy beans\"", "china -\"soy beans\"");
	CANON("china --soybeans", "china --soybeans");
	CANON("china -(-soybeans)", "china --soybeans");
	CANON("NEAR(huawei ban)", "NEAR/10(huawei ban)");
	CANON("NEAR/5(huawei \"export ban\" sanctions)", "NEAR/5(huawei \"export ban\" sanctions)");
	CANON("NEAR/0(trade war)", "NEAR/0(trade war)");
	CANON("NEAR/3(the war)", "war");
	CANON("near", "near");
	CANON("((china))", "china");
	CANON("a OR china", "china");
	CANON("\"or\" china", "\"or\" china");
	CANON("ORegon", "ORegon");
	CANON("china (trade (war OR tariffs))", "china trade war OR tariffs");
	CANON("(china trade) OR (war -tariffs)", "(china trade) OR (war -tariffs)");
	TSQ("china -soybeans trade OR tariffs", "('china' & !'soybeans' & ('trade' | 'tariffs'))");
	TSQ("NEAR/2(huawei ban)", "('huawei' & 'ban')");
}
END_TEST

START_TEST(speakers)
{
	CANON("speaker:Ren", "speaker:Ren");
	CANON("tariffs speaker:Ren", "speaker:Ren tariffs");
	CANON("speaker:\"Anna Fifield\" china", "speaker:\"Anna Fifield\" china");
	CANON("SPEAKER:ren", "speaker:ren");
	CANON("speaker:Ren the", "speaker:Ren");
	CANON("speaker:", "ERR 1 empty speaker name");
	CANON("speaker:\"  \"", "ERR 1 empty speaker name");
	CANON("speaker:\"Anna", "ERR 9 unterminated speaker name");
	CANON("china OR speaker:Ren", "ERR 10 a speaker filter must apply to the whole query");
	CANON("-speaker:Ren china", "ERR 2 a speaker filter must apply to the whole query");
	CANON("(china speaker:Ren) trade", "speaker:Ren china trade");
	CANON("speaker:Ren speaker:Li", "ERR 13 only one speaker filter is allowed");
	CANON("speaker:\"A\veld\" x", "speaker:\"A\veld\" x");
}
END_TEST

START_TEST(errors)
{
	CANON("\"trade war", "ERR 1 unterminated phrase");
	CANON("china \"trade war", "ERR 7 unterminated phrase");
	CANON("(china trade", "ERR 1 parenthesis is not closed");
	CANON("china) trade", "ERR 6 unmatched closing parenthesis");
	CANON("()", "ERR 1 empty parentheses");
	CANON("OR china", "ERR 1 OR needs a term on each side");
	CANON("china OR", "ERR 7 OR needs a term on each side");
	CANON("china OR OR trade", "ERR 7 OR needs a term on each side");
	CANON("AND china", "ERR 1 AND needs a term on each side");
	CANON("china NOT", "ERR 7 NOT needs a term after it");
	CANON("-soybeans", "ERR 1 query has only excluded terms");
	CANON("-soybeans -corn", "ERR 1 query has only excluded terms");
	CANON("speaker:Ren -soybeans", "ERR 13 query has only excluded terms");
	CANON("china OR -soybeans", "ERR 10 an OR alternative has only excluded terms");
	CANON("NEAR/(a b)", "ERR 6 NEAR/ must be followed by a number");
	CANON("NEAR/101(a b)", "ERR 6 NEAR distance must be between 0 and 100");
	CANON("NEAR/5 (a b)", "ERR 7 NEAR must be followed by a parenthesis");
	CANON("NEAR(china)", "ERR 1 NEAR needs at least two terms");
	CANON("NEAR(china trade", "ERR 1 NEAR group is not closed");
	CANON("NEAR(china OR trade)", "ERR 12 NEAR takes only words and phrases");
	CANON("NEAR(china -trade)", "ERR 12 NEAR takes only words and phrases");
	/* positions count characters, not bytes */
	CANON("héllo wörld)", "ERR 12 unmatched closing parenthesis");
}
END_TEST

START_TEST(error_hints)
{
	tx_error	err;
	tq_header  *h = compile("-soybeans", false, &err);

	ck_assert_ptr_null(h);
	ck_assert_int_eq(err.code, TX_ERR_SYNTAX);
	ck_assert_str_eq(err.hint, "Add a term to search for, as in: tariffs -soybeans.");
	h = compile("\"open", false, &err);
	ck_assert_ptr_null(h);
	ck_assert_str_eq(err.hint, "Close the phrase with a double quote.");
}
END_TEST

START_TEST(limits)
{
	size_t		n = 1024 * 1024;
	char	   *big = malloc(n + 1);
	tx_error	err;
	tq_header  *h;
	size_t		i;
	tx_buf		b;

	memset(big, 'x', n);
	big[n] = '\0';
	h = compile(big, false, &err);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(err.code, TX_ERR_LIMIT);
	ck_assert_str_eq(err.message, "query text is too long (1048576 bytes, the limit is 65536)");
	free(big);

	/* 10,000 terms: stops at the 257th */
	tx_buf_init(&b, 64);
	for (i = 0; i < 10000; i++)
		tx_buf_printf(&b, "w%zu ", i);
	h = compile(b.data, false, &err);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(err.code, TX_ERR_LIMIT);
	ck_assert_str_eq(err.message, "too many terms in query (more than 256)");
	ck_assert_int_eq(err.position, 1 + 10 * 3 + 90 * 4 + 156 * 5);
	tx_buf_reset(&b);
	for (i = 0; i < 256; i++)
		tx_buf_printf(&b, "w%zu ", i);
	h = compile(b.data, false, &err);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(h->nterms, 256);
	tx_free(h);

	/* nesting */
	tx_buf_reset(&b);
	for (i = 0; i < 40; i++)
		tx_buf_putc(&b, '(');
	tx_buf_append(&b, "x", 1);
	for (i = 0; i < 40; i++)
		tx_buf_putc(&b, ')');
	h = compile(b.data, false, &err);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(err.code, TX_ERR_LIMIT);
	ck_assert_int_eq(err.position, 33);
	tx_buf_free(&b);

	h = compile("a\0b", false, &err);	/* strlen stops at the NUL: fine */
	ck_assert_ptr_nonnull(h);
	tx_free(h);
	h = tq_compile("ab\0c", 4, false, 0, tq_simple_analyze, NULL, &n, &err);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(err.position, 3);
}
END_TEST

START_TEST(lenient)
{
	LENIENT("\"trade war", "\"trade war\"");
	LENIENT("china or", "china");
	LENIENT("or china", "china");
	LENIENT("trade or or tariffs", "trade OR tariffs");
	LENIENT("china -soybeans", "china -soybeans");
	LENIENT("(china) trade)", "china trade");
	LENIENT("econ*", "econ");
	LENIENT("NEAR(a b) speaker:Ren", "NEAR b \"speaker:Ren\"");
	LENIENT("china - trade", "china -trade");
	LENIENT("china - - trade", "china -trade");
	LENIENT("china -", "china");
	LENIENT("-soybeans", "ERR 1 query has only excluded terms");
}
END_TEST

START_TEST(terms_and_qtf)
{
	tx_error	err;
	tq_header  *h = compile("china trade -soybeans china OR econ* -china", false, &err);
	const tq_termrec *t;

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(h->nterms, 4);
	ck_assert_int_eq(h->npositive, 3);
	t = TQ_TERMS(h);
	ck_assert_int_eq(t[0].qtf, 2);	/* china twice (the excluded one does not count) */
	ck_assert_int_eq(t[3].qtf, 0);	/* soybeans */
	ck_assert_int_eq(t[3].len, 8);
	ck_assert_int_eq(t[2].prefix, 1);
	ck_assert(!(h->flags & TQF_NEEDS_POSITIONS));
	tx_free(h);
	h = compile("\"trade war\"", false, &err);
	ck_assert(h->flags & TQF_NEEDS_POSITIONS);
	tx_free(h);
}
END_TEST

/* plain ANDs and ORs of words: a doc in the terms' lists matches as they say */
START_TEST(flat_queries)
{
	static const struct
	{
		const char *q;
		bool		flat;
	}			cases[] = {
		{"trade", true},
		{"china trade war", true},
		{"china OR trade OR war", true},
		{"china trade china", true},
		{"china trade -soybeans", false},	/* NOT */
		{"china OR econ*", false},	/* a prefix can expand to many lists */
		{"econ*", false},
		{"\"trade war\"", false},	/* phrase */
		{"e-mail policy", false},	/* a word of two tokens is a phrase */
		{"NEAR/3(trade war)", false},
		{"(china OR india) trade", false},	/* nested */
		{"china (trade war)", true},	/* the same AND, flattened */
		{"speaker:Smith trade", true},	/* the speaker filter is not the text's */
	};
	tx_error	err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		tq_header  *h = compile(cases[i].q, false, &err);

		ck_assert_msg(h != NULL, "%s: %s", cases[i].q, err.message);
		ck_assert_msg(tq_is_flat(h) == cases[i].flat, "tq_is_flat(%s) != %d", cases[i].q, cases[i].flat);
		tx_free(h);
	}
}
END_TEST

/* a document analysed with the simple analyser */
typedef struct doc
{
	const tq_header *h;
	int32_t		pos[64][64];
	int			npos[64];
} doc;

typedef struct docbuild
{
	doc		   *d;
} docbuild;

static void
doc_emit(const char *lex, int len, int pos, void *arg)
{
	doc		   *d = arg;
	const tq_termrec *t = TQ_TERMS(d->h);
	int			i;

	for (i = 0; i < d->h->nterms; i++)
	{
		const char *s = TQ_STRINGS(d->h) + t[i].off;

		if ((t[i].prefix ? len >= t[i].len : len == t[i].len) && memcmp(lex, s, t[i].len) == 0)
			d->pos[i][d->npos[i]++] = pos;
	}
}

static const int32_t *
doc_positions(int term, int *npos, void *arg)
{
	doc		   *d = arg;

	*npos = d->npos[term];
	return d->npos[term] ? d->pos[term] : NULL;
}

static bool
matches(const char *q, const char *text)
{
	tx_error	err;
	tq_header  *h = compile(q, false, &err);
	doc			d;
	bool		r;

	ck_assert_msg(h != NULL, "%s: %s", q, err.message);
	memset(&d, 0, sizeof(d));
	d.h = h;
	tq_simple_analyze(text, strlen(text), doc_emit, &d, NULL);
	r = tq_evaluate(h, doc_positions, &d);
	tx_free(h);
	return r;
}

START_TEST(evaluation)
{
	const char *t = "The trade war with China hurt soybean farmers in Iowa.";

	ck_assert(matches("china", t));
	ck_assert(matches("CHINA trade", t));
	ck_assert(!matches("china tariffs", t));
	ck_assert(matches("china tariffs OR farmers", t));
	ck_assert(matches("\"trade war\"", t));
	ck_assert(!matches("\"war trade\"", t));
	ck_assert(matches("\"the trade war\"", t));
	ck_assert(matches("\"war with china\"", t));
	ck_assert(!matches("\"war china\"", t));
	ck_assert(matches("soy*", t));
	ck_assert(!matches("soy", t));
	ck_assert(matches("china -tariffs", t));
	ck_assert(!matches("china -iowa", t));
	ck_assert(!matches("china -(iowa OR ohio)", t));
	ck_assert(matches("china -\"iowa farmers\"", t));
	ck_assert(matches("NEAR/2(trade china)", t));	/* war with between */
	ck_assert(!matches("NEAR/1(trade china)", t));
	ck_assert(matches("NEAR/1(china trade)", "china trade") && matches("NEAR/0(trade china)", "china trade"));
	ck_assert(matches("NEAR/4(\"trade war\" farmers)", t));
	ck_assert(!matches("NEAR/3(\"trade war\" farmers)", t));
	ck_assert(matches("NEAR/6(iowa trade soybean)", t));
	ck_assert(!matches("NEAR/5(iowa trade soybean)", t));
	ck_assert(!matches("", t));
	ck_assert(!matches("the", t));
	ck_assert(matches("speaker:Ren", t));	/* no text condition: the speaker decides */
	ck_assert(matches("speaker:Ren china", t));
	ck_assert(!matches("speaker:Ren tariffs", t));
}
END_TEST

START_TEST(spans)
{
	tx_error	err;
	tq_header  *h = compile("\"trade war\" china -iowa NEAR/1(soybean farmers) zzz", false, &err);
	doc			d;
	tq_span    *sp;
	int			n;

	memset(&d, 0, sizeof(d));
	d.h = h;
	tq_simple_analyze("The trade war with China hurt soybean farmers in Iowa. Trade war!", 65, doc_emit, &d, NULL);
	n = tq_match_spans(h, doc_positions, &d, &sp);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(sp[0].start, 2);
	ck_assert_int_eq(sp[0].end, 3);
	ck_assert_int_eq(sp[1].start, 5);
	ck_assert_int_eq(sp[1].end, 5);
	ck_assert_int_eq(sp[2].start, 7);
	ck_assert_int_eq(sp[3].start, 8);
	ck_assert_int_eq(sp[4].start, 11);
	ck_assert_int_eq(sp[4].end, 12);
	tx_free(sp);
	tx_free(h);
}
END_TEST

START_TEST(speaker_match)
{
	tx_error	err;
	tq_header  *h = compile("speaker:ren", false, &err);

	ck_assert(tq_speaker_match(h, "Ren Zhengfei", 12));
	ck_assert(tq_speaker_match(h, "MR. REN", 7));
	ck_assert(tq_speaker_match(h, "Rén", 4));
	ck_assert(!tq_speaker_match(h, "Lorenzo", 7));
	ck_assert(!tq_speaker_match(h, "Renata", 6));
	ck_assert(!tq_speaker_match(h, NULL, 0));
	tx_free(h);
	h = compile("speaker:\"Anna  Fifield\"", false, &err);
	ck_assert(tq_speaker_match(h, "ANNA FIFIELD", 12));
	ck_assert(tq_speaker_match(h, "Anna Fifield (Washington Post)", 30));
	ck_assert(!tq_speaker_match(h, "Anna", 4));
	tx_free(h);
	h = compile("china", false, &err);
	ck_assert(tq_speaker_match(h, "anyone", 6));
	tx_free(h);
	h = compile("speaker:\"Zoë Ölfa\"", false, &err);
	ck_assert(tq_speaker_match(h, "zoe olfa", 8));
	tx_free(h);
}
END_TEST

START_TEST(roundtrip)
{
	const char *qs[] = {
		"china (trade OR tariffs) -soybeans", "speaker:\"Anna Fifield\" NEAR/3(huawei \"export ban\")",
		"\"or\" \"-x\" e-mail econ* -(a OR b c)", "x -(-y)", "\"NEAR(a\" b",
		/* a speaker name holding a separator other than a plain space stays quoted */
		"speaker:\"A\veld\" x", "speaker:\"A\feld\" x", "speaker:\"A\xc2\xa0" "eld\" x",
	};
	int			i;

	for (i = 0; i < (int) (sizeof(qs) / sizeof(qs[0])); i++)
	{
		char	   *a = canon_mode(qs[i], false);
		char	   *b = canon_mode(a, false);

		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
}
END_TEST

static Suite *
tquery_suite(void)
{
	Suite	   *s = suite_create("tquery");
	TCase	   *tc = tcase_create("parse");

	tcase_add_test(tc, words_and_phrases);
	tcase_add_test(tc, operators);
	tcase_add_test(tc, speakers);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, error_hints);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, lenient);
	tcase_add_test(tc, terms_and_qtf);
	tcase_add_test(tc, flat_queries);
	tcase_add_test(tc, evaluation);
	tcase_add_test(tc, spans);
	tcase_add_test(tc, speaker_match);
	tcase_add_test(tc, roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(tquery_suite)
