/*
 * test_turn_lit.c
 *	  Unit tests of the text form of a turn: every literal form, format/parse
 *	  round trips, every error with its code and position, and word counts.
 */
#include <stdio.h>

#include "unit.h"

#include "turn_lit.h"

/* Quoted labels are tx_alloc'ed; everything else points into the input. */
static void
parts_free(turn_parts *p, const char *s, size_t len)
{
	if (p->speaker && (p->speaker < s || p->speaker > s + len))
		tx_free((void *) p->speaker);
	if (p->affiliation && (p->affiliation < s || p->affiliation > s + len))
		tx_free((void *) p->affiliation);
	p->speaker = p->affiliation = NULL;
}

static bool
label_is(const char *p, size_t n, const char *want)
{
	if (want == NULL)
		return p == NULL;
	return p != NULL && n == strlen(want) && memcmp(p, want, n) == 0;
}

#define NO TURN_NO_TIME

/* Parse s and compare every part; NULL speaker/affiliation = none. */
static void
expect_parts(const char *s, const char *speaker, const char *affil, const char *body,
			 int64_t start_ms, int64_t end_ms)
{
	turn_parts	p;
	tx_error	err;
	size_t		len = strlen(s);

	tx_error_clear(&err);
	ck_assert_msg(turn_parse(s, len, &p, &err), "parse of [%s] failed: %s (at %ld)",
				  s, err.message, err.position);
	ck_assert_msg(label_is(p.speaker, p.speaker_len, speaker),
				  "[%s]: speaker [%.*s], want [%s]", s, (int) p.speaker_len,
				  p.speaker ? p.speaker : "(null)", speaker ? speaker : "(null)");
	ck_assert_msg(label_is(p.affiliation, p.affiliation_len, affil),
				  "[%s]: affiliation [%.*s], want [%s]", s, (int) p.affiliation_len,
				  p.affiliation ? p.affiliation : "(null)", affil ? affil : "(null)");
	ck_assert_msg(label_is(p.body, p.body_len, body), "[%s]: body [%.*s], want [%s]",
				  s, (int) p.body_len, p.body, body);
	ck_assert_msg(p.start_ms == start_ms, "[%s]: start %lld, want %lld", s,
				  (long long) p.start_ms, (long long) start_ms);
	ck_assert_msg(p.end_ms == end_ms, "[%s]: end %lld, want %lld", s,
				  (long long) p.end_ms, (long long) end_ms);
	parts_free(&p, s, len);
}

/* Parse s (of length len) and expect an error with code, position and message. */
static void
expect_error_n(const char *s, size_t len, tx_errcode code, long position, const char *msg)
{
	turn_parts	p;
	tx_error	err;

	tx_error_clear(&err);
	ck_assert_msg(!turn_parse(s, len, &p, &err), "[%.*s] parsed but should fail with \"%s\"",
				  (int) (len > 60 ? 60 : len), s, msg);
	ck_assert_msg(err.code == code, "[%.*s]: code %d, want %d (%s)", (int) (len > 60 ? 60 : len),
				  s, err.code, code, err.message);
	ck_assert_msg(strcmp(err.message, msg) == 0, "[%.*s]: message \"%s\", want \"%s\"",
				  (int) (len > 60 ? 60 : len), s, err.message, msg);
	ck_assert_msg(err.position == position, "[%.*s]: position %ld, want %ld (%s)",
				  (int) (len > 60 ? 60 : len), s, err.position, position, msg);
	ck_assert_msg(err.message[strlen(err.message) - 1] != '.', "message ends with a period");
	parts_free(&p, s, len);
}

static void
expect_error(const char *s, tx_errcode code, long position, const char *msg)
{
	expect_error_n(s, strlen(s), code, position, msg);
}

/* format(parts) must be want (unless NULL), and parsing it must give the parts back. */
static void
expect_format(const turn_parts *in, const char *want)
{
	tx_buf		b;
	turn_parts	back;
	tx_error	err;

	tx_buf_init(&b, 16);
	turn_format(in, &b);
	if (want)
		ck_assert_msg(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
					  "formatted [%s], want [%s]", b.data, want);
	tx_error_clear(&err);
	ck_assert_msg(turn_parse(b.data, b.len, &back, &err), "reparse of [%s] failed: %s",
				  b.data, err.message);
	ck_assert(label_is(back.speaker, back.speaker_len, NULL) == (in->speaker == NULL));
	if (in->speaker)
		ck_assert_msg(back.speaker_len == in->speaker_len &&
					  memcmp(back.speaker, in->speaker, in->speaker_len) == 0,
					  "speaker changed through [%s]", b.data);
	ck_assert((back.affiliation == NULL) == (in->affiliation == NULL));
	if (in->affiliation)
		ck_assert_msg(back.affiliation_len == in->affiliation_len &&
					  memcmp(back.affiliation, in->affiliation, in->affiliation_len) == 0,
					  "affiliation changed through [%s]", b.data);
	ck_assert_msg(back.body_len == in->body_len && memcmp(back.body, in->body, in->body_len) == 0,
				  "body changed through [%s]", b.data);
	ck_assert(back.start_ms == in->start_ms);
	ck_assert(back.end_ms == in->end_ms);
	parts_free(&back, b.data, b.len);
	tx_buf_free(&b);
}

static turn_parts
mk(const char *speaker, const char *affil, const char *body, int64_t start, int64_t end)
{
	turn_parts	p;

	memset(&p, 0, sizeof(p));
	p.speaker = speaker;
	p.speaker_len = speaker ? strlen(speaker) : 0;
	p.affiliation = affil;
	p.affiliation_len = affil ? strlen(affil) : 0;
	p.body = body;
	p.body_len = strlen(body);
	p.start_ms = start;
	p.end_ms = end;
	return p;
}

/* ------------------------------------------------------------------ forms */

START_TEST(test_plain)
{
	expect_parts("Ren: We believe", "Ren", NULL, "We believe", NO, NO);
	expect_parts("Ren Zhengfei: We believe", "Ren Zhengfei", NULL, "We believe", NO, NO);
	expect_parts("   Ren   :We believe", "Ren", NULL, "We believe", NO, NO);
	expect_parts("\t Ren\t : x", "Ren", NULL, "x", NO, NO);
	expect_parts("Ren\t: x", "Ren", NULL, "x", NO, NO);
	expect_parts("Ren Zhengfei\t\t(\tHuawei\t)\t: x", "Ren Zhengfei", "Huawei", "x", NO, NO);
	/* only one space after the colon is dropped */
	expect_parts("Ren:   x", "Ren", NULL, "  x", NO, NO);
	expect_parts("Ren:\tx", "Ren", NULL, "\tx", NO, NO);
	/* unicode names */
	expect_parts("Renée Zellweger: bonjour", "Renée Zellweger", NULL, "bonjour", NO, NO);
	expect_parts("任正非: 我们相信", "任正非", NULL, "我们相信", NO, NO);
	/* a bare name may hold - . ' , / and digits */
	expect_parts("J.-P. O'Brien, Jr. 2/3: x", "J.-P. O'Brien, Jr. 2/3", NULL, "x", NO, NO);
}
END_TEST

START_TEST(test_time_spans)
{
	expect_parts("[00:01:02.500-00:01:09] Ren: x", "Ren", NULL, "x", 62500, 69000);
	expect_parts("[1:02] Ren: x", "Ren", NULL, "x", 62000, NO);
	expect_parts("[75.5] Ren: x", "Ren", NULL, "x", 75500, NO);
	expect_parts("[75] Ren: x", "Ren", NULL, "x", 75000, NO);
	expect_parts("[00:00:01] Ren: x", "Ren", NULL, "x", 1000, NO);
	expect_parts("[-00:00:05] Ren: x", "Ren", NULL, "x", NO, 5000);
	expect_parts("[00:00:05-] Ren: x", "Ren", NULL, "x", 5000, NO);
	expect_parts("[ 1.25 - 2.125 ]Ren: x", "Ren", NULL, "x", 1250, 2125);
	expect_parts("  [\t1-1\t]  Ren: x", "Ren", NULL, "x", 1000, 1000);
	expect_parts("[0.001-0.01] Ren: x", "Ren", NULL, "x", 1, 10);
	expect_parts("[1:00:00.1] Ren: x", "Ren", NULL, "x", 3600100, NO);
	expect_parts("[99999:59:59.999] Ren: x", "Ren", NULL, "x", TURN_MAX_MS, NO);
	expect_parts("[359999999.999] Ren: x", "Ren", NULL, "x", TURN_MAX_MS, NO);
	expect_parts("[120:00] Ren: x", "Ren", NULL, "x", 7200000, NO);	/* minutes may exceed 59 when first */
	expect_parts("[00:00:01] : x", NULL, NULL, "x", 1000, NO);
	expect_parts("[00:00:01]: x", NULL, NULL, "x", 1000, NO);
	expect_parts("[1-2] (Audience): x", NULL, "Audience", "x", 1000, 2000);
}
END_TEST

START_TEST(test_affiliation)
{
	expect_parts("Ren (Huawei): x", "Ren", "Huawei", "x", NO, NO);
	expect_parts("Ren(Huawei):x", "Ren", "Huawei", "x", NO, NO);
	expect_parts("Nathan VanderKlippe (The Globe and Mail): x", "Nathan VanderKlippe",
				 "The Globe and Mail", "x", NO, NO);
	expect_parts("Ren (  Huawei Technologies  ) : x", "Ren", "Huawei Technologies", "x", NO, NO);
	expect_parts("Ren (Huawei: Shenzhen): x", "Ren", "Huawei: Shenzhen", "x", NO, NO);
	expect_parts("Ren ([HQ]): x", "Ren", "[HQ]", "x", NO, NO);
	expect_parts("Ren (\"Huawei (Shenzhen)\"): x", "Ren", "Huawei (Shenzhen)", "x", NO, NO);
	expect_parts("Ren ( \"Say \"\"hi\"\"\" ): x", "Ren", "Say \"hi\"", "x", NO, NO);
	expect_parts("[1-2] Ren (Huawei): x", "Ren", "Huawei", "x", 1000, 2000);
}
END_TEST

START_TEST(test_quoted_names)
{
	expect_parts("\"Dr. Ko: MD\": x", "Dr. Ko: MD", NULL, "x", NO, NO);
	expect_parts("\"Ren \"\"the boss\"\"\": x", "Ren \"the boss\"", NULL, "x", NO, NO);
	expect_parts("\"[Inaudible]\": x", "[Inaudible]", NULL, "x", NO, NO);
	expect_parts("\"Ren (ret.)\" (Huawei): x", "Ren (ret.)", "Huawei", "x", NO, NO);
	expect_parts("\"\"\"\": x", "\"", NULL, "x", NO, NO);
	expect_parts("\" Ren \": x", " Ren ", NULL, "x", NO, NO);
	expect_parts("  \"Ren\"  : x", "Ren", NULL, "x", NO, NO);
	expect_parts("\"Ren\"(\"A (B)\"):x", "Ren", "A (B)", "x", NO, NO);
	expect_parts("[5] \"a]b\": x", "a]b", NULL, "x", 5000, NO);
}
END_TEST

START_TEST(test_unknown_speaker)
{
	expect_parts(": x", NULL, NULL, "x", NO, NO);
	expect_parts(":x", NULL, NULL, "x", NO, NO);
	expect_parts("   : x", NULL, NULL, "x", NO, NO);
	expect_parts("(Audience): x", NULL, "Audience", "x", NO, NO);
	expect_parts("  (Audience) : x", NULL, "Audience", "x", NO, NO);
	expect_parts(":", NULL, NULL, "", NO, NO);
}
END_TEST

START_TEST(test_body_verbatim)
{
	expect_parts("Ren:", "Ren", NULL, "", NO, NO);
	expect_parts("Ren: ", "Ren", NULL, "", NO, NO);
	expect_parts("Ren:  ", "Ren", NULL, " ", NO, NO);
	expect_parts("Ren: a\nb\tc: d", "Ren", NULL, "a\nb\tc: d", NO, NO);
	expect_parts("Ren: line one\r\n\r\nline two\n", "Ren", NULL, "line one\r\n\r\nline two\n", NO, NO);
	expect_parts("Ren: Q: yes? A: no.", "Ren", NULL, "Q: yes? A: no.", NO, NO);
	expect_parts("Ren: [laughs] \"quoted\" (aside) trailing  ", "Ren", NULL,
				 "[laughs] \"quoted\" (aside) trailing  ", NO, NO);
	expect_parts("Ren: \x01\x7f control bytes are body", "Ren", NULL,
				 "\x01\x7f control bytes are body", NO, NO);
	expect_parts("Ren: 👍 émoji", "Ren", NULL, "👍 émoji", NO, NO);
}
END_TEST

START_TEST(test_long_labels)
{
	char		name[1100];
	char		s[1200];

	/* exactly 1000 bytes is allowed, bare and quoted */
	memset(name, 'a', 1000);
	name[1000] = '\0';
	snprintf(s, sizeof(s), "%s: x", name);
	expect_parts(s, name, NULL, "x", NO, NO);
	snprintf(s, sizeof(s), "\"%s\": x", name);
	expect_parts(s, name, NULL, "x", NO, NO);
	snprintf(s, sizeof(s), "(%s): x", name);
	expect_parts(s, NULL, name, "x", NO, NO);
}
END_TEST

/* ------------------------------------------------------------------ format */

START_TEST(test_format)
{
	turn_parts	p;

	p = mk("Ren", NULL, "We believe", NO, NO);
	expect_format(&p, "Ren: We believe");
	p = mk("Ren", "Huawei", "x", 62500, 69000);
	expect_format(&p, "[00:01:02.500-00:01:09] Ren (Huawei): x");
	p = mk("Ren", NULL, "x", 1000, NO);
	expect_format(&p, "[00:00:01] Ren: x");
	p = mk("Ren", NULL, "x", NO, 5000);
	expect_format(&p, "[-00:00:05] Ren: x");
	p = mk(NULL, NULL, "x", NO, NO);
	expect_format(&p, ": x");
	p = mk(NULL, "Audience", "x", NO, NO);
	expect_format(&p, "(Audience): x");
	p = mk(NULL, NULL, "x", 0, 0);
	expect_format(&p, "[00:00:00-00:00:00] : x");
	p = mk("Ren", NULL, "", NO, NO);
	expect_format(&p, "Ren: ");
	p = mk("Ren", NULL, "  lead and trail  ", NO, NO);
	expect_format(&p, "Ren:   lead and trail  ");
	p = mk("Ren", NULL, "a\nb\tc: d", NO, NO);
	expect_format(&p, "Ren: a\nb\tc: d");
	p = mk("Ren", NULL, "x", TURN_MAX_MS, TURN_MAX_MS);
	expect_format(&p, "[99999:59:59.999-99999:59:59.999] Ren: x");
	p = mk("Ren", NULL, "x", 1, 3600000 + 60000 + 1010);
	expect_format(&p, "[00:00:00.001-01:01:01.010] Ren: x");
	/* names that need quotes */
	p = mk("Dr. Ko: MD", NULL, "x", NO, NO);
	expect_format(&p, "\"Dr. Ko: MD\": x");
	p = mk("Ren \"the boss\"", NULL, "x", NO, NO);
	expect_format(&p, "\"Ren \"\"the boss\"\"\": x");
	p = mk("[Inaudible]", NULL, "x", NO, NO);
	expect_format(&p, "\"[Inaudible]\": x");
	p = mk("a]b", NULL, "x", NO, NO);
	expect_format(&p, "\"a]b\": x");
	p = mk("Ren (ret.)", NULL, "x", NO, NO);
	expect_format(&p, "\"Ren (ret.)\": x");
	p = mk("a)b", NULL, "x", NO, NO);
	expect_format(&p, "\"a)b\": x");
	p = mk(" Ren", NULL, "x", NO, NO);
	expect_format(&p, "\" Ren\": x");
	p = mk("Ren ", NULL, "x", NO, NO);
	expect_format(&p, "\"Ren \": x");
	p = mk("\"", NULL, "x", NO, NO);
	expect_format(&p, "\"\"\"\": x");
	/* affiliations that need quotes; a colon or bracket does not */
	p = mk("Ren", "Huawei (Shenzhen)", "x", NO, NO);
	expect_format(&p, "Ren (\"Huawei (Shenzhen)\"): x");
	p = mk("Ren", "Say \"hi\"", "x", NO, NO);
	expect_format(&p, "Ren (\"Say \"\"hi\"\"\"): x");
	p = mk("Ren", " padded ", "x", NO, NO);
	expect_format(&p, "Ren (\" padded \"): x");
	p = mk("Ren", "Huawei: HQ [CN]", "x", NO, NO);
	expect_format(&p, "Ren (Huawei: HQ [CN]): x");
	p = mk(NULL, "A (B)", "x", 1000, NO);
	expect_format(&p, "[00:00:01] (\"A (B)\"): x");
}
END_TEST

START_TEST(test_format_time)
{
	struct
	{
		int64_t		ms;
		const char *want;
	}			cases[] = {
		{0, "00:00:00"}, {1, "00:00:00.001"}, {999, "00:00:00.999"}, {1000, "00:00:01"},
		{59999, "00:00:59.999"}, {60000, "00:01:00"}, {3599999, "00:59:59.999"},
		{3600000, "01:00:00"}, {36000000, "10:00:00"}, {360000000, "100:00:00"},
		{TURN_MAX_MS, "99999:59:59.999"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		tx_buf		b;
		size_t		pos = 0;
		int64_t		ms;
		tx_error	err;

		tx_buf_init(&b, 8);
		turn_format_time(cases[i].ms, &b);
		ck_assert_str_eq(b.data, cases[i].want);
		ck_assert(turn_parse_time(b.data, b.len, &pos, &ms, &err));
		ck_assert_uint_eq(pos, b.len);
		ck_assert(ms == cases[i].ms);
		tx_buf_free(&b);
	}
}
END_TEST

/* parse -> format is canonical, and canonical text is a fixpoint */
START_TEST(test_canonical)
{
	struct
	{
		const char *in;
		const char *want;
	}			cases[] = {
		{"Ren: x", "Ren: x"},
		{"  Ren  :x", "Ren: x"},
		{"[1:02]Ren:x", "[00:01:02] Ren: x"},
		{"[75.5] Ren: x", "[00:01:15.500] Ren: x"},
		{"[ 1.5 - 2 ] Ren ( Huawei ) : x", "[00:00:01.500-00:00:02] Ren (Huawei): x"},
		{"[-5] : x", "[-00:00:05] : x"},
		{"[5-] : x", "[00:00:05] : x"},
		{"\"Ren\": x", "Ren: x"},
		{"Ren (\"Huawei\"): x", "Ren (Huawei): x"},
		{"\"Dr. Ko: MD\" (\"A (B)\"): x", "\"Dr. Ko: MD\" (\"A (B)\"): x"},
		{"(Audience):x", "(Audience): x"},
		{":", ": "},
		{"[1.50] Ren: x", "[00:00:01.500] Ren: x"},
		{"[0:0:0.000] Ren: x", "[00:00:00] Ren: x"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		turn_parts	p;
		tx_error	err;
		tx_buf		b;
		const char *s = cases[i].in;

		ck_assert_msg(turn_parse(s, strlen(s), &p, &err), "[%s]: %s", s, err.message);
		tx_buf_init(&b, 16);
		turn_format(&p, &b);
		ck_assert_msg(strcmp(b.data, cases[i].want) == 0, "[%s] formats as [%s], want [%s]",
					  s, b.data, cases[i].want);
		parts_free(&p, s, strlen(s));
		/* fixpoint */
		ck_assert(turn_parse(b.data, b.len, &p, &err));
		{
			tx_buf		b2;

			tx_buf_init(&b2, 16);
			turn_format(&p, &b2);
			ck_assert_str_eq(b2.data, b.data);
			tx_buf_free(&b2);
		}
		parts_free(&p, b.data, b.len);
		tx_buf_free(&b);
	}
}
END_TEST

/* round trip of many generated names through format and parse */
START_TEST(test_round_trip_generated)
{
	const char *pieces[] = {"a", " ", ":", "\"", "[", "]", "(", ")", "-", "é", "\"\"", "x y", "'", ","};
	const int	np = sizeof(pieces) / sizeof(pieces[0]);
	const char *bodies[] = {"", " ", "x", " x ", "a\nb", "\t", ": x", "\"q\"", "[1] y: z"};
	int			n = 0;

	for (int i = 0; i < np; i++)
		for (int j = 0; j < np; j++)
			for (int k = 0; k < np; k++)
			{
				char		name[64];
				turn_parts	p;

				snprintf(name, sizeof(name), "%s%s%s", pieces[i], pieces[j], pieces[k]);
				p = mk(name, (i + j) % 3 == 0 ? NULL : name, bodies[(i + j + k) % 9],
					   (k % 2) ? NO : (int64_t) i * 61001, (j % 3) ? (int64_t) i * 61001 + k : NO);
				expect_format(&p, NULL);
				n++;
			}
	ck_assert_int_eq(n, np * np * np);
}
END_TEST

/* ------------------------------------------------------------------ errors */

START_TEST(test_error_empty)
{
	expect_error("", TX_ERR_SYNTAX, 1, "empty turn");
	expect_error("   \t ", TX_ERR_SYNTAX, 6, "empty turn");
}
END_TEST

START_TEST(test_error_missing_colon)
{
	expect_error("Ren", TX_ERR_SYNTAX, 4, "missing \":\" after the speaker label");
	expect_error("Ren said hello", TX_ERR_SYNTAX, 15, "missing \":\" after the speaker label");
	expect_error("[1] Ren", TX_ERR_SYNTAX, 8, "missing \":\" after the speaker label");
	expect_error("Ren (Huawei)", TX_ERR_SYNTAX, 13, "missing \":\" after the speaker label");
	expect_error("\"Ren\"", TX_ERR_SYNTAX, 6, "missing \":\" after the speaker label");
	expect_error("Ren (Huawei) x: y", TX_ERR_SYNTAX, 14, "unexpected character after the speaker label");
	expect_error("Ren (a)(b): y", TX_ERR_SYNTAX, 8, "unexpected character after the speaker label");
	/* position counts characters, not bytes */
	expect_error("Renée", TX_ERR_SYNTAX, 6, "missing \":\" after the speaker label");
}
END_TEST

START_TEST(test_error_quotes)
{
	expect_error("\"Ren: x", TX_ERR_SYNTAX, 1, "unterminated quoted speaker name");
	expect_error("[1] \"Ren\"\": x", TX_ERR_SYNTAX, 5, "unterminated quoted speaker name");
	expect_error("Ren (\"Huawei): x", TX_ERR_SYNTAX, 6, "unterminated quoted affiliation");
	expect_error("\"Ren\" x: y", TX_ERR_SYNTAX, 7, "unexpected character after quoted speaker name");
	expect_error("\"Ren\"x: y", TX_ERR_SYNTAX, 6, "unexpected character after quoted speaker name");
	expect_error("\"Ren\" [1]: y", TX_ERR_SYNTAX, 7, "unexpected character after quoted speaker name");
	expect_error("\"\": x", TX_ERR_SYNTAX, 1, "speaker name is empty");
	expect_error("  \"\" : x", TX_ERR_SYNTAX, 3, "speaker name is empty");
	expect_error("Ren \"the boss\": x", TX_ERR_SYNTAX, 5, "unexpected quote in speaker name");
	expect_error("Ren (Say \"hi\"): x", TX_ERR_SYNTAX, 10, "unexpected character in affiliation");
	expect_error("Ren (\"a\" b): x", TX_ERR_SYNTAX, 10, "unterminated affiliation");
}
END_TEST

START_TEST(test_error_brackets)
{
	expect_error("Ren]: x", TX_ERR_SYNTAX, 4, "unexpected bracket in speaker name");
	expect_error("Ren [1]: x", TX_ERR_SYNTAX, 5, "unexpected bracket in speaker name");
	expect_error("Ren): x", TX_ERR_SYNTAX, 4, "unexpected bracket in speaker name");
	expect_error("Ren (a (b)): x", TX_ERR_SYNTAX, 8, "unexpected character in affiliation");
	expect_error("Ren (Huawei: x", TX_ERR_SYNTAX, 5, "unterminated affiliation");
	expect_error("(Audience", TX_ERR_SYNTAX, 1, "unterminated affiliation");
	expect_error("Ren (\"Huawei\"", TX_ERR_SYNTAX, 5, "unterminated affiliation");
	expect_error("Ren (): x", TX_ERR_SYNTAX, 5, "affiliation is empty");
	expect_error("Ren (   ): x", TX_ERR_SYNTAX, 5, "affiliation is empty");
	expect_error("Ren (\"\"): x", TX_ERR_SYNTAX, 5, "affiliation is empty");
}
END_TEST

START_TEST(test_error_spans)
{
	expect_error("[00:00:01 Ren: x", TX_ERR_SYNTAX, 11, "unexpected character in time span");
	expect_error("[00:00:01", TX_ERR_SYNTAX, 1, "unterminated time span");
	expect_error("  [1-2", TX_ERR_SYNTAX, 3, "unterminated time span");
	expect_error("[", TX_ERR_SYNTAX, 1, "unterminated time span");
	expect_error("[] Ren: x", TX_ERR_SYNTAX, 1, "time span has no time");
	expect_error("[ - ] Ren: x", TX_ERR_SYNTAX, 1, "time span has no time");
	expect_error("[2-1] Ren: x", TX_ERR_VALUE, 1, "end time is before start time");
	expect_error("[00:01:09-00:01:02.500] Ren: x", TX_ERR_VALUE, 1, "end time is before start time");
	expect_error("[1-2-3] Ren: x", TX_ERR_SYNTAX, 5, "unexpected character in time span");
	expect_error("[1 2] Ren: x", TX_ERR_SYNTAX, 4, "unexpected character in time span");
	expect_error("[1] [2] Ren: x", TX_ERR_SYNTAX, 5, "unexpected bracket in speaker name");
}
END_TEST

START_TEST(test_error_times)
{
	expect_error("[x] Ren: x", TX_ERR_SYNTAX, 2, "expected a time");
	expect_error("[1:] Ren: x", TX_ERR_SYNTAX, 4, "expected a time");
	expect_error("[:30] Ren: x", TX_ERR_SYNTAX, 2, "expected a time");
	expect_error("[1-x] Ren: x", TX_ERR_SYNTAX, 4, "expected a time");
	expect_error("[1.] Ren: x", TX_ERR_SYNTAX, 4, "expected digits after the decimal point");
	expect_error("[1.2345] Ren: x", TX_ERR_VALUE, 7, "time has more than millisecond precision");
	expect_error("[00:00:01.0001] Ren: x", TX_ERR_VALUE, 14, "time has more than millisecond precision");
	expect_error("[00:00:60] Ren: x", TX_ERR_VALUE, 2, "seconds field must be below 60");
	expect_error("[1:60] Ren: x", TX_ERR_VALUE, 2, "seconds field must be below 60");
	expect_error("[1-1:75] Ren: x", TX_ERR_VALUE, 4, "seconds field must be below 60");
	expect_error("[00:60:00] Ren: x", TX_ERR_VALUE, 2, "minutes field must be below 60");
	expect_error("[1:2:3:4] Ren: x", TX_ERR_SYNTAX, 7, "time has more than three fields");
	expect_error("[1234567890123] Ren: x", TX_ERR_SYNTAX, 2, "time field has too many digits");
	expect_error("[100000:00:00] Ren: x", TX_ERR_VALUE, 2, "time is out of range");
	expect_error("[360000000] Ren: x", TX_ERR_VALUE, 2, "time is out of range");
	expect_error("[6000000:00] Ren: x", TX_ERR_VALUE, 2, "time is out of range");
	expect_error("[999999999999:00:00] Ren: x", TX_ERR_VALUE, 2, "time is out of range");
	expect_error("[+1] Ren: x", TX_ERR_SYNTAX, 2, "expected a time");
	expect_error("[é] Ren: x", TX_ERR_SYNTAX, 2, "expected a time");
	expect_error("[1-é] Ren: x", TX_ERR_SYNTAX, 4, "expected a time");
}
END_TEST

START_TEST(test_error_labels)
{
	char		s[1200];

	/* 1001 bytes: bare, quoted, affiliation */
	memset(s, 'a', 1001);
	strcpy(s + 1001, ": x");
	expect_error(s, TX_ERR_VALUE, 1, "speaker name is too long");
	s[0] = '"';
	memset(s + 1, 'a', 1001);
	strcpy(s + 1002, "\": x");
	expect_error(s, TX_ERR_VALUE, 1, "speaker name is too long");
	strcpy(s, "Ren (");
	memset(s + 5, 'b', 1001);
	strcpy(s + 1006, "): x");
	expect_error(s, TX_ERR_VALUE, 6, "affiliation is too long");
	/* 1001 bytes that are 334 characters (3-byte UTF-8) */
	s[0] = '\0';
	for (int i = 0; i < 333; i++)
		strcat(s, "名");
	strcat(s, "ab: x");
	ck_assert_uint_eq(strlen(s), 1001 + 3);
	expect_error(s, TX_ERR_VALUE, 1, "speaker name is too long");

	expect_error("Re\x01n: x", TX_ERR_SYNTAX, 3, "control character in speaker name");
	expect_error("Re\nn: x", TX_ERR_SYNTAX, 3, "control character in speaker name");
	expect_error("Ren\x7f: x", TX_ERR_SYNTAX, 4, "control character in speaker name");
	expect_error("é\x1b: x", TX_ERR_SYNTAX, 2, "control character in speaker name");
	expect_error("Ren (Hua\nwei): x", TX_ERR_SYNTAX, 9, "control character in affiliation");
	expect_error("Ren (Hua\twei): x", TX_ERR_SYNTAX, 9, "control character in affiliation");
	expect_error("Re\tn: x", TX_ERR_SYNTAX, 3, "control character in speaker name");
	expect_error("Ren\t\tx: y", TX_ERR_SYNTAX, 4, "control character in speaker name");
	expect_error("\"Re\nn\": x", TX_ERR_SYNTAX, 4, "control character in quoted speaker name");
	expect_error("\"Re\tn\": x", TX_ERR_SYNTAX, 4, "control character in quoted speaker name");
	expect_error("Ren (\"a\x01\"): x", TX_ERR_SYNTAX, 8, "control character in quoted affiliation");
	expect_error_n("Re\0n: x", 7, TX_ERR_SYNTAX, 3, "control character in speaker name");
}
END_TEST

START_TEST(test_error_body_nul)
{
	turn_parts	p;
	tx_error	err;

	tx_error_clear(&err);
	ck_assert(!turn_parse("Ren: a\0b", 8, &p, &err));
	ck_assert_int_eq(err.code, TX_ERR_VALUE);
	ck_assert_str_eq(err.message, "body contains a NUL byte");
}
END_TEST

START_TEST(test_error_hints)
{
	turn_parts	p;
	tx_error	err;

	tx_error_clear(&err);
	ck_assert(!turn_parse("Dr. Ko: MD: x", 3, &p, &err));	/* "Dr." */
	ck_assert(err.hint[0] != '\0');
	tx_error_clear(&err);
	ck_assert(!turn_parse("Ren]: x", 7, &p, &err));
	ck_assert_msg(strstr(err.hint, "double quotes") != NULL, "hint: %s", err.hint);
	ck_assert_msg(err.hint[strlen(err.hint) - 1] == '.', "hint is a sentence: %s", err.hint);
	tx_error_clear(&err);
	ck_assert(!turn_parse("[1.2345] R: x", 13, &p, &err));
	ck_assert_msg(strstr(err.hint, "milliseconds") != NULL, "hint: %s", err.hint);

	/* every error a user can hit from text carries a hint sentence */
	{
		const char *bad[] = {
			"", "Ren", "Ren x (a) b: y", "\"Ren: x", "Ren (\"a: x", "\"Ren\" x: y", "\"\": x",
			"Re\"n: x", "Ren]: x", "Re\x01n: x", "Ren (a (b)): x", "Ren (a\x01): x", "(a", "Ren (): x",
			"\"R\x01\": x", "[1", "[1 x] R: x", "[] R: x", "[2-1] R: x", "[x] R: x", "[1.] R: x",
			"[1.2345] R: x", "[60:60] R: x", "[1:60:00] R: x", "[1:2:3:4] R: x",
			"[1234567890123] R: x", "[100000:00:00] R: x",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			tx_error_clear(&err);
			ck_assert_msg(!turn_parse(bad[i], strlen(bad[i]), &p, &err), "[%s] parsed", bad[i]);
			ck_assert_msg(err.position > 0, "[%s]: no position (%s)", bad[i], err.message);
			ck_assert_msg(err.hint[0] >= 'A' && err.hint[0] <= 'Z' &&
						  err.hint[strlen(err.hint) - 1] == '.',
						  "[%s]: no hint sentence for \"%s\": [%s]", bad[i], err.message, err.hint);
			parts_free(&p, bad[i], strlen(bad[i]));
		}
	}
}
END_TEST

/* ------------------------------------------------------------------ validate */

START_TEST(test_validate)
{
	turn_parts	p;
	tx_error	err;
	char		big[1002];

	p = mk("Ren", "Huawei", "x", 1, 2);
	ck_assert(turn_validate(&p, &err));
	p = mk("", NULL, "x", NO, NO);
	ck_assert(!turn_validate(&p, &err));
	ck_assert_str_eq(err.message, "speaker name is empty");
	p = mk("Ren", "", "x", NO, NO);
	ck_assert(!turn_validate(&p, &err));
	ck_assert_str_eq(err.message, "affiliation is empty");
	memset(big, 'a', 1001);
	big[1001] = '\0';
	p = mk(big, NULL, "x", NO, NO);
	ck_assert(!turn_validate(&p, &err));
	ck_assert_str_eq(err.message, "speaker name is too long (1001 bytes)");
	ck_assert_int_eq(err.code, TX_ERR_VALUE);
	big[1000] = '\0';
	p = mk(big, big, "x", NO, NO);
	ck_assert(turn_validate(&p, &err));
	p = mk("Re\tn", NULL, "x", NO, NO);
	ck_assert(!turn_validate(&p, &err));
	ck_assert_str_eq(err.message, "speaker name contains a control character at byte 3");
	p = mk("Ren", NULL, "x", 2, 1);
	ck_assert(!turn_validate(&p, &err));
	ck_assert_str_eq(err.message, "end time is before start time");
	p = mk("Ren", NULL, "x", -1, NO);
	ck_assert(!turn_validate(&p, &err));
	ck_assert_str_eq(err.message, "time is out of range");
	p = mk("Ren", NULL, "x", NO, TURN_MAX_MS + 1);
	ck_assert(!turn_validate(&p, &err));
	ck_assert_str_eq(err.message, "time is out of range");
}
END_TEST

/* ------------------------------------------------------------------ words */

START_TEST(test_word_count)
{
	ck_assert_int_eq(turn_word_count("", 0), 0);
	ck_assert_int_eq(turn_word_count("   \t\n", 5), 0);
	ck_assert_int_eq(turn_word_count("We believe", 10), 2);
	ck_assert_int_eq(turn_word_count("  We   believe  ", 16), 2);
	ck_assert_int_eq(turn_word_count("a\tb\nc\rd\fe\vf", 11), 6);
	ck_assert_int_eq(turn_word_count("-- ... ?! —", strlen("-- ... ?! —")), 1);	/* — is non-ASCII */
	ck_assert_int_eq(turn_word_count("-- ... ?!", 9), 0);
	ck_assert_int_eq(turn_word_count("it's 42 well-known (x)", 22), 4);
	ck_assert_int_eq(turn_word_count("[laughter] Yes.", 15), 2);
	ck_assert_int_eq(turn_word_count("我们相信 Huawei", strlen("我们相信 Huawei")), 2);
	ck_assert_int_eq(turn_word_count("Renée", strlen("Renée")), 1);
	ck_assert_int_eq(turn_word_count("a b", 1), 1);	/* honours len */
	ck_assert_int_eq(turn_word_count("x\0y z", 5), 2);	/* NUL is not a space */
}
END_TEST

START_TEST(test_word_count_large)
{
	size_t		n = 3 * 1024 * 1024;
	char	   *s = malloc(n);

	for (size_t i = 0; i < n; i += 4)
		memcpy(s + i, "ab  ", 4);
	ck_assert_int_eq(turn_word_count(s, n), (int64_t) (n / 4));
	free(s);
}
END_TEST

static Suite *
turn_lit_suite(void)
{
	Suite	   *s = suite_create("turn_lit");
	TCase	   *tc;

	tc = tcase_create("forms");
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_time_spans);
	tcase_add_test(tc, test_affiliation);
	tcase_add_test(tc, test_quoted_names);
	tcase_add_test(tc, test_unknown_speaker);
	tcase_add_test(tc, test_body_verbatim);
	tcase_add_test(tc, test_long_labels);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_time);
	tcase_add_test(tc, test_canonical);
	tcase_add_test(tc, test_round_trip_generated);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_error_empty);
	tcase_add_test(tc, test_error_missing_colon);
	tcase_add_test(tc, test_error_quotes);
	tcase_add_test(tc, test_error_brackets);
	tcase_add_test(tc, test_error_spans);
	tcase_add_test(tc, test_error_times);
	tcase_add_test(tc, test_error_labels);
	tcase_add_test(tc, test_error_body_nul);
	tcase_add_test(tc, test_error_hints);
	tcase_add_test(tc, test_validate);
	suite_add_tcase(s, tc);

	tc = tcase_create("words");
	tcase_add_test(tc, test_word_count);
	tcase_add_test(tc, test_word_count_large);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(turn_lit_suite)
