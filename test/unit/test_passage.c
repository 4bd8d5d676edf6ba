/*
 * test_passage.c
 *	  Sentence starts near byte ranges (core/passage.c): exactly the starts
 *	  that the whole-text iteration gives, restricted to the ranges (the
 *	  last start at or before each range, every start inside it and the
 *	  first one at or after its end).
 */
#include "unit.h"

#include "passage.h"
#include "../sentence_ref.h"

/* the selection from the whole list of starts, against a precomputed list */
static void
check_near_full(UBreakIterator *bi, const char *s, int len, const int32_t *full, int nfull,
				const int32_t *ranges, int nr)
{
	UText		ut = UTEXT_INITIALIZER;
	int32_t    *near,
			   *ref;
	int			nnear,
				nref,
				i;

	nnear = tx_sentence_starts_near(bi, &ut, s, len, ranges, nr, &near);
	ref = tx_alloc(sizeof(int32_t) * (nfull + 1));
	nref = sentence_ref_near(full, nfull, len, ranges, nr, ref);
	ck_assert_int_eq(nnear, nref);
	for (i = 0; i < nnear; i++)
		ck_assert_int_eq(near[i], ref[i]);
	tx_free(near);
	tx_free(ref);
	utext_close(&ut);
}

static void
check_near(UBreakIterator *bi, const char *s, int len, const int32_t *ranges, int nr)
{
	UText		ut = UTEXT_INITIALIZER;
	int32_t    *full;
	int			nfull;

	nfull = tx_sentence_starts(bi, &ut, s, len, &full);
	utext_close(&ut);
	check_near_full(bi, s, len, full, nfull, ranges, nr);
	tx_free(full);
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

/* index of the n-th (0-based) occurrence of needle in s */
static int32_t
at(const char *s, const char *needle, int nth)
{
	const char *p = s;

	for (;;)
	{
		p = strstr(p, needle);
		ck_assert_ptr_nonnull(p);
		if (nth-- == 0)
			return (int32_t) (p - s);
		p++;
	}
}

/* where the iteration restarts, on texts where the answer is known */
START_TEST(restart_points)
{
	UBreakIterator *bi = open_bi();
	const char *s;

#define RESTART(S, LIMIT) tx_sentence_restart(bi, (S), (int32_t) strlen(S), (LIMIT))
	/* before an uppercase letter after a period and a space */
	s = "Pad. He left. Then he came back.";
	ck_assert_int_eq(RESTART(s, at(s, "came", 0)), at(s, "Then", 0));
	ck_assert_int_eq(RESTART(s, at(s, "Then", 0)), at(s, "Then", 0));
	ck_assert_int_eq(RESTART(s, at(s, "Then", 0) - 1), at(s, "He", 0));
	/* not after an abbreviation of the filter: "Mr." and "U.S." */
	s = "Pad. He met Mr. Smith there.";
	ck_assert_int_eq(RESTART(s, at(s, "there", 0)), at(s, "He", 0));
	s = "Pad. It is the U.S. Army now.";
	ck_assert_int_eq(RESTART(s, at(s, "now", 0)), at(s, "It", 0));
	/* not after a number or a lowercase word, nor inside "3.14" */
	s = "Pad. It is 3.14 Then 3. x. Not. y";
	ck_assert_int_eq(RESTART(s, at(s, "y", 0)), at(s, "Not", 0));
	ck_assert_int_eq(RESTART(s, at(s, "Not", 0) - 1), at(s, "It", 0));
	/* closing quotes and brackets, ? and ! */
	s = "Pad. She said \"Go.\" Then (really?) Now it's! Over";
	ck_assert_int_eq(RESTART(s, at(s, "Now", 0) - 1), at(s, "Then", 0));
	ck_assert_int_eq(RESTART(s, at(s, "Over", 0) - 1), at(s, "Now", 0));
	ck_assert_int_eq(RESTART(s, at(s, "Over", 0)), at(s, "Over", 0));
	s = "Pad. \xe2\x80\x9cYes.\xe2\x80\x9d Now \xe2\x80\x98no?\xe2\x80\x99  Two";
	ck_assert_int_eq(RESTART(s, at(s, "Two", 0) - 1), at(s, "Now", 0));
	ck_assert_int_eq(RESTART(s, at(s, "Two", 0)), at(s, "Two", 0));
	/* an uppercase letter that is not Latin */
	s = "Pad. It ended. \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 x. \xce\xa3\xce\xbf y";
	ck_assert_int_eq(RESTART(s, at(s, "y", 0)), at(s, "\xce\xa3", 0));
	ck_assert_int_eq(RESTART(s, at(s, "x.", 0)), at(s, "\xd0\x9f", 0));
	/* Extend, Format or another space character in between: not used */
	s = "Pad. It.\xcc\x81 Not. y.\xc2\xad Now. z.\xc2\xa0No";
	ck_assert_int_eq(RESTART(s, at(s, "No", 2)), at(s, "It", 0));
	/* after LF, CR LF and a lone CR; never between CR and LF */
	s = "pad x\r\nNext y\rlast\nz";
	ck_assert_int_eq(RESTART(s, at(s, "\n", 0)), 0);
	ck_assert_int_eq(RESTART(s, at(s, "Next", 0)), at(s, "Next", 0));
	ck_assert_int_eq(RESTART(s, at(s, "last", 0) + 1), at(s, "last", 0));
	ck_assert_int_eq(RESTART(s, at(s, "z", 0)), at(s, "z", 0));
	/* nothing, and the edges */
	s = "no sentence end here at all";
	ck_assert_int_eq(RESTART(s, 20), 0);
	ck_assert_int_eq(RESTART(s, 0), 0);
	ck_assert_int_eq(RESTART(s, 1000), 0);
	ck_assert_int_eq(tx_sentence_restart(bi, "", 0, 5), 0);
	/*
	 * invalid UTF-8 before the terminator does not matter; between it and
	 * the letter, or as the letter, the point is not used
	 */
	s = "Pad. a\xff. Next \xe2\x80. Z.\xff No. \xc3 More";
	ck_assert_int_eq(RESTART(s, at(s, "More", 0)), at(s, "Z.", 0));
	ck_assert_int_eq(RESTART(s, at(s, "Z.", 0) - 1), at(s, "Next", 0));
#undef RESTART
	ubrk_close(bi);
}
END_TEST


/*
 * Texts where restarting matters: abbreviations, quotes and brackets after
 * the terminator, numbers, curly quotes, CR LF, uppercase letters that are
 * not Latin, Extend and Format characters, invalid UTF-8; ranges starting at
 * every offset after a long start.
 */
START_TEST(restart_agrees)
{
	UBreakIterator *bi = open_bi();
	static const char *const parts[] = {
		"He met Mr. Smith and Mrs. Jones. ",
		"The U.S. Army came. ",
		"It is 3.14 or 2.71. Then what? ",
		"She said \"Go.\" Then he left. ",
		"(Really.) Next one. ",
		"\xe2\x80\x9cYes.\xe2\x80\x9d \xe2\x80\x9cNo?\xe2\x80\x9d Okay. ",
		"Line one\r\nLine two\rLine three\nLine four. ",
		"e.g. This one. i.e. That one. etc. And so on. ",
		"Wait... What? ",
		"It ended. \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 world. ",
		"Done! \xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1 said. ",
		"Approx. Ten people. Dr. Who? Capt. Kirk. No. 5 is here. Jan. First. ",
		"End.  Two spaces. End.\tTab. ",
		"Ph.D. Students. a.m. Sleep. p.m. Work. ",
		"Odd.\xcc\x81 Mark. Soft.\xc2\xad Hyphen. ",
		"Sentence.\xc2\xa0Nbsp. ",
		"Invalid \xff\xfe. Bytes. \xe2\x80. Cut. ",
		"Close.) \xe2\x80\x99Quote. ",
		"QUESTION: Is that so? ANSWER: Yes, Your Honor. ",
		"vs. Smith. Inc. Co. Ltd. St. Louis. Mt. Everest. ",
	};
	const int	nparts = (int) (sizeof(parts) / sizeof(parts[0]));
	char		buf[12000];
	int			len = 0,
				order,
				i,
				restarts = 0;
	int32_t    *full;
	int			nfull;
	UText		ut = UTEXT_INITIALIZER;

	for (order = 0; order < 3; order++)
	{
		int			pad;

		len = 0;
		/* a start without terminators, then the parts in some order */
		for (pad = 0; pad < 300 + order * 700; pad++)
			buf[len++] = (pad % 6 == 5) ? ' ' : 'a' + pad % 7;
		for (i = 0; i < nparts * 3; i++)
		{
			const char *p = parts[(i * (order * 2 + 1) + i / nparts) % nparts];
			int			l = (int) strlen(p);

			memcpy(buf + len, p, l);
			len += l;
		}
		nfull = tx_sentence_starts(bi, &ut, buf, len, &full);
		for (i = 250; i <= len + 2; i++)
		{
			int32_t		ranges[6];

			ranges[0] = i;
			ranges[1] = i + (i % 5) * (i % 11);
			ranges[2] = ranges[1] + 1 + i % 40;
			ranges[3] = ranges[2] + i % 3;
			ranges[4] = ranges[3] + 300;
			ranges[5] = ranges[4] + 7;
			check_near_full(bi, buf, len, full, nfull, ranges, 1 + i % 3);
			if (i < len)
			{
				int32_t		p = tx_sentence_restart(bi, buf, len, i - 1);
				int			j;

				if (p > 0)
				{
					/* a start of the whole-text iteration */
					for (j = 0; j < nfull && full[j] != p; j++)
						;
					ck_assert_int_lt(j, nfull);
					ck_assert_int_le(p, i - 1);
					restarts++;
				}
			}
		}
		tx_free(full);
	}
	/* most ranges started after a restart point */
	ck_assert_int_gt(restarts, (len - 1000) / 2);
	utext_close(&ut);
	ubrk_close(bi);
}
END_TEST

/*
 * The ASCII sentence scanner and its copy of the abbreviation filter give
 * ICU's boundaries (and the scanner is what ran: nsuppressed >= 0).
 */
static int	last_nsupp;		/* boundaries the scanner's filter suppressed */

static int
check_scanner(UBreakIterator *bi, const char *s)
{
	UText		ut = UTEXT_INITIALIZER;
	int			len = (int) strlen(s);
	int32_t    *full,
			   *fast;
	int			nfull,
				nfast,
				nsupp,
				i;

	nfull = tx_sentence_starts(bi, &ut, s, len, &full);
	nfast = tx_sentence_starts_fast(bi, &ut, s, len, &fast, &nsupp);
	ck_assert_msg(nsupp >= 0, "not scanned: %s", s);
	last_nsupp = nsupp;
	ck_assert_msg(nfast == nfull, "%d starts, ICU %d: %s", nfast, nfull, s);
	for (i = 0; i < nfast; i++)
		ck_assert_msg(fast[i] == full[i], "start %d at %d, ICU %d: %s", i, fast[i], full[i], s);
	tx_free(full);
	tx_free(fast);
	utext_close(&ut);
	return nfull;
}

START_TEST(ascii_scanner)
{
	UBreakIterator *bi = open_bi();
	static const char *const cases[] = {
		/* abbreviations: suppressed, partly, or not at all */
		"Mr. Smith went to Washington. He stayed.",
		"Mr. Chief Justice, and may it please the Court. Thank you.",
		"Mrs. Jones and Dr. Who met Prof. X. Then they left.",
		"The U.S. Army is here. The U.S. is big. In the U.S.A. they vote.",
		"He has a Ph.D. He teaches. She is a Ph. D. Candidate.",
		"See Lt.Cdr. Data. Or Hon.B.A. Smith. Or Lt. Smith.",
		"It was 5 p.m. Then it rained. It was 5 p.m. then it rained.",
		"e.g. This. i.e. That. etc. Other. vs. Them. No. 5 is here. No. Five.",
		"HaMr. Smith. xMr. Smith. Mr.Smith. Mr.  Smith. Mr.\nSmith.",
		"Hello U. S. Marshal. Jones Jr. Sr. Went.",
		/* quotes, brackets, closing punctuation */
		"\"Stop.\" He left. (It was late.) She stayed. [Yes.] 'No.' Go!",
		"He said \"why?\" and left. \"Why?\" He left.",
		"End.) (Start. End.] [Start. End.\" \"Start.",
		/* numbers, ellipses, ?! */
		"It costs 3.5 dollars. Version 2.0.1 is out. Pi is 3.14.",
		"Wait... What? Really?! Yes!! No?? Fine... ok. Then... Then.",
		"Hmm.. Ok. Hmm... ok. .Start. ..Start",
		/* lower case after a period, SContinue */
		"This is it. and so on. The end. - a dash. , a comma. : colon; semi.",
		"Sentence one.sentence two. Sentence three.Four. U.S.Army.",
		"etc. (3) the next. etc. (3) The next. etc. 3 The next.",
		/* line breaks, tabs, other spaces */
		"Line one\nLine two\r\nLine three\rLine four. Five\n\nSix",
		"Tab.\tNext. Form.\fFeed. Vertical.\vTab. Space.  Two.",
		"Mr.\tSmith. Mr.\rSmith. Dr. \n Who.",
		/* edges */
		"", ".", "a", "A.", ". A", "?", "!?", "Mr.", "Mr. ", " Mr. X", "\n", "\r\n", "a.\r\n",
		"x\x01. Y\x7f. Z#. W*. V",
	};
	int			i;

	for (i = 0; i < (int) (sizeof(cases) / sizeof(cases[0])); i++)
		check_scanner(bi, cases[i]);
	/* the filter did suppress: "Mr." before "Smith" */
	check_scanner(bi, cases[0]);
	ck_assert_int_eq(last_nsupp, 1);
	ubrk_close(bi);
}
END_TEST

/* starts near ranges on ASCII text with abbreviations go through the scanner too */
START_TEST(ascii_near)
{
	UBreakIterator *bi = open_bi();
	char		s[4000];
	int			len = 0,
				k,
				r;
	static const char *const parts[] = {
		"Mr. Smith spoke. ", "The U.S. Congress passed it. ", "Why? ", "\"No.\" ",
		"It was 3.5 p.m. Then ", "Dr. Who left... ", "and so on. ", "Yes!\n",
	};

	for (k = 0; len < 3500; k++)
	{
		const char *p = parts[(k * 7 + k / 3) % 8];

		memcpy(s + len, p, strlen(p));
		len += (int) strlen(p);
	}
	s[len] = '\0';
	for (r = 0; r < 40; r++)
	{
		int32_t		ranges[4];

		ranges[0] = (r * 97) % len;
		ranges[1] = ranges[0] + (r * 13) % 200;
		ranges[2] = ranges[1] + 1 + (r * 31) % 400;
		ranges[3] = ranges[2] + (r * 7) % 100;
		check_near(bi, s, len, ranges, 2);
	}
	ck_assert_int_gt(check_scanner(bi, s), 100);
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
	tcase_add_test(tc, restart_points);
	tcase_add_test(tc, restart_agrees);
	tcase_add_test(tc, ascii_scanner);
	tcase_add_test(tc, ascii_near);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(passage_suite)
