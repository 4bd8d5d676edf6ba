/*
 * test_segment.c
 *	  Unit tests of the segmenter core (src/core/segment*.c).
 *
 * Most tests compare a compact rendering of the turns: one line per turn,
 * "speaker|body" ("-" for no speaker), optionally with "[start-end]" in ms.
 */
#include "unit.h"

#include <stdio.h>

#include "segment.h"

static char rendered[65536];

/* every field of a turn, one line, appended to a tx_buf */
static void
dump_turn(tx_buf *out, const seg_result *r, const seg_turn *t)
{
	tx_buf_printf(out, "%d|%d|%.3f|%lld|%lld|", t->line, t->page, t->confidence,
				  t->start_ms == SEG_NO_TIME ? -1LL : (long long) t->start_ms,
				  t->end_ms == SEG_NO_TIME ? -1LL : (long long) t->end_ms);
	if (t->speaker >= 0)
		tx_buf_append(out, SEG_NAME(r, t->speaker), SEG_NAME_LEN(r, t->speaker));
	tx_buf_putc(out, '|');
	if (t->section >= 0)
		tx_buf_append(out, SEG_NAME(r, t->section), SEG_NAME_LEN(r, t->section));
	tx_buf_putc(out, '|');
	if (t->affil_off >= 0)
		tx_buf_append(out, SEG_STR(r, t->affil_off), (size_t) t->affil_len);
	tx_buf_putc(out, '|');
	tx_buf_append(out, SEG_STR(r, t->body_off), t->body_len);
	tx_buf_putc(out, '\n');
}

static void
dump_emit(void *arg, const seg_result *r, const seg_turn *t)
{
	/* the streamed result holds only the turn being handed over */
	ck_assert_int_eq(r->nturns, 1);
	ck_assert_ptr_eq(t, &r->turns[0]);
	/* the headroom before the body: 4-aligned, and the body ends with a NUL */
	ck_assert_uint_ge(t->body_off, SEG_BODY_HEADROOM);
	ck_assert_uint_eq((t->body_off - SEG_BODY_HEADROOM) % 4, 0);
	ck_assert_uint_eq(r->text.len, t->body_off + t->body_len);
	dump_turn((tx_buf *) arg, r, t);
}

/*
 * segment_transcript_stream hands over exactly the turns segment_transcript
 * returns, every field equal.  Every render() checks it.
 */
static void
check_stream(const char *raw, size_t len, seg_format f)
{
	seg_result	r;
	tx_error	err;
	tx_buf		whole,
				streamed;
	size_t		i;

	tx_buf_init(&whole, 256);
	tx_buf_init(&streamed, 256);
	ck_assert(segment_transcript(raw, len, f, &r, &err));
	for (i = 0; i < r.nturns; i++)
		dump_turn(&whole, &r, &r.turns[i]);
	seg_result_free(&r);
	ck_assert(segment_transcript_stream(raw, len, f, &r, dump_emit, &streamed, &err));
	ck_assert_int_eq(r.nturns, 0);
	seg_result_free(&r);
	ck_assert_str_eq(streamed.data, whole.data);
	tx_buf_free(&whole);
	tx_buf_free(&streamed);
}

static const char *
render(const char *raw, const char *fmt, bool times)
{
	seg_result	r;
	tx_error	err;
	seg_format	f;
	size_t		i,
				n = 0;

	rendered[0] = '\0';
	ck_assert_msg(seg_format_from_name(fmt, strlen(fmt), &f, &err), "format %s", fmt);
	check_stream(raw, strlen(raw), f);
	ck_assert(segment_transcript(raw, strlen(raw), f, &r, &err));
	for (i = 0; i < r.nturns && n < sizeof(rendered) - 200; i++)
	{
		seg_turn   *t = &r.turns[i];

		if (i > 0)
			rendered[n++] = '\n';
		if (times)
			n += snprintf(rendered + n, sizeof(rendered) - n, "[%lld-%lld]",
						  t->start_ms == SEG_NO_TIME ? -1LL : (long long) t->start_ms,
						  t->end_ms == SEG_NO_TIME ? -1LL : (long long) t->end_ms);
		if (t->speaker >= 0)
			n += snprintf(rendered + n, sizeof(rendered) - n, "%.*s", (int) SEG_NAME_LEN(&r, t->speaker),
						  SEG_NAME(&r, t->speaker));
		else
			n += snprintf(rendered + n, sizeof(rendered) - n, "-");
		if (t->affil_off >= 0)
			n += snprintf(rendered + n, sizeof(rendered) - n, " (%.*s)", t->affil_len,
						  SEG_STR(&r, t->affil_off));
		n += snprintf(rendered + n, sizeof(rendered) - n, "|%.*s", (int) t->body_len,
					  SEG_STR(&r, t->body_off));
	}
	seg_result_free(&r);
	return rendered;
}

#define EXPECT(raw, fmt, want)		ck_assert_str_eq(render((raw), (fmt), false), (want))
#define EXPECT_T(raw, fmt, want)	ck_assert_str_eq(render((raw), (fmt), true), (want))

/* ---------------------------------------------------------------- formats */

START_TEST(format_names)
{
	seg_format	f;
	tx_error	err;

	ck_assert(seg_format_from_name("VTT", 3, &f, &err) && f == SEG_VTT);
	ck_assert(seg_format_from_name("pdf", 3, &f, &err) && f == SEG_TEXT);
	ck_assert(seg_format_from_name("qa", 2, &f, &err) && f == SEG_COURT);
	ck_assert(!seg_format_from_name("docx", 4, &f, &err));
	ck_assert_int_eq(err.code, TX_ERR_VALUE);
	ck_assert_str_eq(err.message, "unknown transcript format \"docx\"");
	ck_assert(strstr(err.hint, "auto, text") != NULL);
	ck_assert_str_eq(seg_format_name(SEG_HEARING), "hearing");
}
END_TEST

START_TEST(detection)
{
	ck_assert_int_eq(seg_detect("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", 33), SEG_VTT);
	ck_assert_int_eq(seg_detect("\xEF\xBB\xBFWEBVTT\n", 10), SEG_VTT);
	{
		const char *srt = "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:04,000\nHo\n";

		ck_assert_int_eq(seg_detect(srt, strlen(srt)), SEG_SRT);
	}
	{
		const char *court = "BY MR. X:\nQ Hi.\nA Ho.\nQ Why?\nA No.\n";

		ck_assert_int_eq(seg_detect(court, strlen(court)), SEG_COURT);
	}
	{
		const char *h = "    Mr. Smith. Hi.\n    Ms. Jones. Ho.\n    Mr. Smith. Why.\n";

		ck_assert_int_eq(seg_detect(h, strlen(h)), SEG_HEARING);
	}
	ck_assert_int_eq(seg_detect("Ann: hi\nBo: ho\n", 15), SEG_TEXT);
	ck_assert_int_eq(seg_detect("", 0), SEG_TEXT);
}
END_TEST

START_TEST(empty_input)
{
	EXPECT("", "auto", "");
	EXPECT("\n\n  \n\t\n", "text", "");
	EXPECT("WEBVTT\n", "vtt", "");
	EXPECT("", "srt", "");
	EXPECT("", "hearing", "");
	EXPECT("", "court", "");
}
END_TEST

/* ---------------------------------------------------------------- labels */

START_TEST(label_basic)
{
	EXPECT("Ann Lee: Hello.\nBo Ek: Hi.", "text", "Ann Lee|Hello.\nBo Ek|Hi.");
	/* same-speaker paragraphs under one label form one turn */
	EXPECT("Ann Lee: One.\n\nTwo.\n\nBo Ek: Three.", "text", "Ann Lee|One.\nTwo.\nBo Ek|Three.");
	/* text before the first label is kept without a speaker, a row per paragraph */
	EXPECT("Preface one\nwrapped.\n\nPreface two.\n\nAnn Lee: Hi.", "text",
		   "-|Preface one wrapped.\n-|Preface two.\nAnn Lee|Hi.");
}
END_TEST

START_TEST(label_affiliation)
{
	EXPECT("Nathan VanderKlippe, Asia Correspondent, The Globe and Mail: Hi.\n\nNathan VanderKlippe: Again.",
		   "text",
		   "Nathan VanderKlippe (Asia Correspondent, The Globe and Mail)|Hi.\nNathan VanderKlippe|Again.");
	/* wrapping over lines, even across a blank line */
	EXPECT("Jeanne Whalen, Global Business Reporter, Washington\n\nBureau, The Washington Post: Hello.",
		   "text", "Jeanne Whalen (Global Business Reporter, Washington Bureau, The Washington Post)|Hello.");
	/* space before the colon */
	EXPECT("Mavi Doñate, RTVE : ¿Qué?", "text", "Mavi Doñate (RTVE)|¿Qué?");
	/* titles in lower case after a two-word name; words with digits or "&" */
	EXPECT("Anna Fifield, Beijing bureau chief, The Washington Post: Hi.", "text",
		   "Anna Fifield (Beijing bureau chief, The Washington Post)|Hi.");
	EXPECT("Liu Fei, Head of 5G Security Research, R&D: Yes.", "text",
		   "Liu Fei (Head of 5G Security Research, R&D)|Yes.");
	/* a role or a name from somewhere */
	EXPECT("Journalist from Le Monde: Bonjour.", "text", "Journalist (Le Monde)|Bonjour.");
	/* parenthesised organisation */
	EXPECT("Ann Lee (Harbour Daily): Hi.", "text", "Ann Lee (Harbour Daily)|Hi.");
}
END_TEST

START_TEST(label_names)
{
	EXPECT("Ignacio del Castillo: Sí.\n\nMavi Doñate: No.\n\nJean-Luc O'Brien: Oui.\n\nDr. Melissa Ko: Yes.",
		   "text", "Ignacio del Castillo|Sí.\nMavi Doñate|No.\nJean-Luc O'Brien|Oui.\nDr. Melissa Ko|Yes.");
	/* one person, one speaker value: umlauts folded, first spelling kept */
	EXPECT("Detlef Zühlke: A.\n\nDetlef Zuehlke: B.\n\nDETLEF ZÜHLKE: C.", "text",
		   "Detlef Zühlke|A.\nDetlef Zühlke|B.\nDetlef Zühlke|C.");
}
END_TEST

START_TEST(label_roles)
{
	EXPECT("Q: Who?\nA: Me.\nAudience: Louder!\nJournalist: Why?\nModerator: Next.\nSpeaker 1: Hi.",
		   "text", "Q|Who?\nA|Me.\nAudience|Louder!\nJournalist|Why?\nModerator|Next.\nSpeaker 1|Hi.");
}
END_TEST

START_TEST(prose_colons)
{
	const char *base = "Ann Lee: Start.\n\n%s\n\nBo Ek: End.";
	const char *prose[] = {
		"Let me tell you this: it works.",
		"The answer to my question: Everyone thinks so.",
		"During a test, senior executives were asked: why?",
		"Huawei: Leadership, Culture, and Connectivity, which I read.",
		"Minimalist: the West should interfere less.",
		"See https://example.org: it helps.",
		"At 10:30: we stop.",
		"Note: this is prose.",
		"2020: a year.",
	};
	size_t		i;
	char		raw[512],
				want[512];

	for (i = 0; i < sizeof(prose) / sizeof(prose[0]); i++)
	{
		snprintf(raw, sizeof(raw), base, prose[i]);
		snprintf(want, sizeof(want), "Ann Lee|Start.\n%s\nBo Ek|End.", prose[i]);
		EXPECT(raw, "text", want);
	}
	/* a line that continues a sentence is no label, whatever it looks like */
	EXPECT("Ann Lee: There is a book named\nHuawei: Leadership, which I like.", "text",
		   "Ann Lee|There is a book named Huawei: Leadership, which I like.");
	EXPECT("Ann Lee: I met\nBo Ek: he said hi.\n\nBo Ek: Hello.", "text",
		   "Ann Lee|I met Bo Ek: he said hi.\nBo Ek|Hello.");
}
END_TEST

START_TEST(single_word_names)
{
	/* a one-word name is a label when it recurs */
	EXPECT("Ren: Yes.\n\nAnn Lee: Sure?\n\nRen: Sure.", "text", "Ren|Yes.\nAnn Lee|Sure?\nRen|Sure.");
	EXPECT("Ann Lee: Hi.\n\nRen: Yes.", "text", "Ann Lee|Hi.\nRen: Yes.");
}
END_TEST

START_TEST(own_line_labels)
{
	EXPECT("Susan Page:\nGood evening.\nWelcome.\n\nKamala Harris:\nThank you, Susan-\n\n"
		   "Susan Page:\nThank you-\n\nKamala Harris:\n... right.", "text",
		   "Susan Page|Good evening. Welcome.\nKamala Harris|Thank you, Susan-\n"
		   "Susan Page|Thank you-\nKamala Harris|... right.");
	/* labels with nothing after them do not swallow the next label */
	EXPECT("Ann Lee:\nBo Ek:\nCy Do: Hi.\n\nCy Do: Ho.", "text", "Ann Lee|\nBo Ek|\nCy Do|Hi.\nCy Do|Ho.");
}
END_TEST

START_TEST(rev_and_otter)
{
	EXPECT_T("Lenny Rachitsky (00:00):\nQ one.\n\nSeth Godin (00:10):\nA one.\n\n(02:10):\nA two.\n\n"
			 "Speaker 1 (1:02:03.5):\nBye.\n\nAnn Lee: (01:12) Hi.", "text",
			 "[0--1]Lenny Rachitsky|Q one.\n[10000--1]Seth Godin|A one.\nA two.\n"
			 "[3723500--1]Speaker 1|Bye.\n[72000--1]Ann Lee|Hi.");
	EXPECT_T("**Ann Lee:** Hi.\n\n**Bo Ek**: Ho.\n\n00:01:02 Ann Lee: Later.\n\n[00:02:00] Bo Ek: Then.\n\n"
			 "Ann Lee [00:03:00]: End.", "text",
			 "[-1--1]Ann Lee|Hi.\n[-1--1]Bo Ek|Ho.\n[62000--1]Ann Lee|Later.\n[120000--1]Bo Ek|Then.\n"
			 "[180000--1]Ann Lee|End.");
	EXPECT_T("Emma  0:00  \nHello there.\n\nUnknown Speaker  1:02:35\nHi.\n\nTranscribed by https://otter.ai",
			 "otter", "[0--1]Emma|Hello there.\n[3755000--1]Unknown Speaker|Hi.\n[-1--1]-|Transcribed by https://otter.ai");
}
END_TEST

/* ---------------------------------------------------------------- PDF layout */

START_TEST(pdf_page_artefacts)
{
	/* page numbers, a running header after them (the section), a sentence broken
	 * across the page, a page start marked by one leading space */
	const char *raw =
	"Ann Lee: We will build the quay and the\n\n12\n\nHarbour Briefing\n\n new road.\n\n"
	"Bo Ek: When?\n\n13\n\nHarbour Briefing\n\nAnn Lee: Soon.\n\n14\n\nHarbour Briefing\n\n Bo Ek: Good.\n";
	seg_result	r;
	tx_error	err;

	EXPECT(raw, "pdf", "Ann Lee|We will build the quay and the new road.\nBo Ek|When?\nAnn Lee|Soon.\nBo Ek|Good.");
	ck_assert(segment_transcript(raw, strlen(raw), SEG_TEXT, &r, &err));
	ck_assert_int_eq(r.nturns, 4);
	ck_assert_int_eq(r.turns[0].page, 1);
	ck_assert_int_eq(r.turns[2].page, 3);
	ck_assert_int_eq(r.turns[3].page, 4);
	ck_assert_int_ge(r.turns[0].section, 0);
	ck_assert_str_eq(SEG_NAME(&r, r.turns[0].section), "Harbour Briefing");
	ck_assert_int_eq(r.turns[1].line, 9);
	seg_result_free(&r);
}
END_TEST

START_TEST(numbers_kept)
{
	/* a number right under a label, or inside a paragraph, is text, not a page number */
	EXPECT("Ann Lee:\n25\n\nBo Ek:\nAnd then?\n\nAnn Lee: Then\n30\npeople came.", "text",
		   "Ann Lee|25\nBo Ek|And then?\nAnn Lee|Then 30 people came.");
}
END_TEST

START_TEST(pdf_sections_switch)
{
	/* two documents with their own running headers: the section switches at the
	 * first page break after the last header of the first */
	const char *raw =
	"Ann Lee: One.\n\n1\n\nFirst Talk\n\nBo Ek: Two.\n\n2\n\nFirst Talk\n\nAnn Lee: Three.\n\n3\n\n"
	"Second Talk\n\nCy Do: Four.\n\n4\n\nSecond Talk\n\nDee Fo: Five.\n";
	seg_result	r;
	tx_error	err;

	ck_assert(segment_transcript(raw, strlen(raw), SEG_TEXT, &r, &err));
	ck_assert_int_eq(r.nturns, 5);
	ck_assert_str_eq(SEG_NAME(&r, r.turns[0].section), "First Talk");
	ck_assert_str_eq(SEG_NAME(&r, r.turns[2].section), "First Talk");
	ck_assert_str_eq(SEG_NAME(&r, r.turns[3].section), "Second Talk");
	ck_assert_str_eq(SEG_NAME(&r, r.turns[4].section), "Second Talk");
	seg_result_free(&r);
}
END_TEST

START_TEST(pdf_hyphens)
{
	/* compound hyphen kept, syllable hyphen dropped only with evidence, suspended kept */
	EXPECT("Ann Lee: Our self-\nreliance matters.", "text", "Ann Lee|Our self-reliance matters.");
	EXPECT("Ann Lee: An inter-\nesting point, an interesting day.", "text",
		   "Ann Lee|An interesting point, an interesting day.");
	EXPECT("Ann Lee: An inter-\nesting point.", "text", "Ann Lee|An inter-esting point.");
	EXPECT("Ann Lee: From middle-\nto high-end ships.", "text", "Ann Lee|From middle- to high-end ships.");
	/* a dash before a capital is an interruption, not a hyphenation */
	EXPECT("Ann Lee: Thank you-\nBo Ek: Wait.", "text", "Ann Lee|Thank you-\nBo Ek|Wait.");
}
END_TEST

START_TEST(hyphen_evidence_anywhere)
{
	/* the evidence word may sit anywhere, across the 64-byte blocks of the scan */
	int			pad;

	for (pad = 0; pad < 140; pad += 7)
	{
		char		raw[512];
		char		want[512];

		snprintf(raw, sizeof(raw), "Ann Lee: An inter-\nesting day.\n\n%*sBo Ek: Quite interesting", pad, "");
		snprintf(want, sizeof(want), "Ann Lee|An interesting day.\nBo Ek|Quite interesting");
		EXPECT(raw, "text", want);
	}
}
END_TEST

START_TEST(pdf_double_spacing)
{
	/* double-spaced lines join into one paragraph when the line before is open */
	EXPECT("Ann Lee: I think the digital\n\neconomy will go global,\n\nbecause it can.\n\nBo Ek: Yes.",
		   "text", "Ann Lee|I think the digital economy will go global, because it can.\nBo Ek|Yes.");
}
END_TEST

START_TEST(line_endings)
{
	EXPECT("Ann Lee: One.\r\nBo Ek: Two.\r\n", "text", "Ann Lee|One.\nBo Ek|Two.");
	EXPECT("Ann Lee: One.\rBo Ek: Two.\r", "text", "Ann Lee|One.\nBo Ek|Two.");
	EXPECT("\xEF\xBB\xBF" "Ann Lee: One.\n", "text", "Ann Lee|One.");
	EXPECT("Ann Lee: One\ttab  and   spaces.", "text", "Ann Lee|One tab and spaces.");
}
END_TEST

/* ---------------------------------------------------------------- cues */

START_TEST(vtt_voices)
{
	EXPECT_T("WEBVTT\n\n00:11.000 --> 00:13.000\n<v Roger Bingham>We are\n\n"
			 "00:13.000 --> 00:16.000\n<v Roger Bingham>here.\n\n"
			 "00:16.000 --> 00:18.000\n<v.loud Neil deGrasse Tyson><i>Laughs</i></v>\n\n"
			 "00:18.000 --> 00:19.000\n<v.a.b Roger>No!</v> <v Neil>Yes &amp; no.\n", "vtt",
			 "[11000-16000]Roger Bingham|We are here.\n[16000-18000]Neil deGrasse Tyson|Laughs\n"
			 "[18000-19000]Roger|No!\n[18000-19000]Neil|Yes & no.");
	EXPECT("WEBVTT\n\n00:00.000 --> 00:02.000\n<v It's a blue apple tree!\n", "vtt", "-|It's a blue apple tree!");
	EXPECT("WEBVTT\n\n00:00.000 --> 00:02.000\n<v>It's a blue apple tree!\n", "vtt", "-|It's a blue apple tree!");
	EXPECT("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Joe>Hee!</v> Hee!\n", "vtt", "Joe|Hee! Hee!");
}
END_TEST

START_TEST(vtt_blocks)
{
	EXPECT_T("\xEF\xBB\xBFWEBVTT - title\r\n\r\nNOTE a\r\ncomment\r\n\r\nSTYLE\r\n::cue {}\r\n\r\n"
			 "REGION\r\nid:x\r\n\r\ncue-1\r\n00:00:01.000 --> 00:00:02.500 align:start\r\nHello\r\n", "vtt",
			 "[1000-2500]-|Hello");
	/* Zoom: names inside cues, a nameless cue continues the speaker, two speakers in a cue */
	EXPECT("WEBVTT\n\n1\n00:00:00.050 --> 00:00:01.790\nSrijani Ghosh: Hi!\n\n"
		   "2\n00:00:02.070 --> 00:00:04.050\nDr. Melissa Ko: let's see.\n\n"
		   "3\n00:00:04.100 --> 00:00:05.000\nand more.\n\n"
		   "4\n00:00:05.140 --> 00:00:08.310\nSrijani Ghosh: Hello!\nConor Healy: Hi.\n", "vtt",
		   "Srijani Ghosh|Hi!\nDr. Melissa Ko|let's see. and more.\nSrijani Ghosh|Hello!\nConor Healy|Hi.");
	/* dash dialogue and speaker arrows change the speaker without a name */
	EXPECT("WEBVTT\n\n00:01.000 --> 00:02.000\n- Déjala.\n- Tú no.\n\n"
		   "00:02.000 --> 00:03.000\n>> Hello.\n\n00:03.000 --> 00:04.000\nStill me.\n", "vtt",
		   "-|Déjala.\n-|Tú no.\n-|Hello. Still me.");
	/* SDH bracket names */
	EXPECT("WEBVTT\n\n00:01.000 --> 00:02.000\n[Alba] <i>En 1928,</i>\n\n"
		   "00:02.000 --> 00:03.000\n[ríen]\n", "vtt", "Alba|En 1928, [ríen]");
}
END_TEST

START_TEST(srt_cues)
{
	EXPECT_T("1\n00:00:01,000 --> 00:00:04,074\nCE FILM\n\n2\n00:00:04,200 --> 00:00:06,000\n<i>EXISTE.</i>\n\n"
			 "3\n00:02:49,683 --> 00:02:52,618\n- Tu es là?\n- Oui.\n\n"
			 "4\n00:02:53,000 --> 00:02:54,000\n{\\an8}RON: Quoi?\n", "srt",
			 "[1000-6000]-|CE FILM EXISTE.\n[169683-172618]-|Tu es là?\n[169683-172618]-|Oui.\n"
			 "[173000-174000]RON|Quoi?");
	/* a missing blank line between cues; an end before the start is dropped */
	EXPECT_T("1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:01,000\nTwo\n", "srt",
			 "[1000-2000]-|One Two");
}
END_TEST

/* ---------------------------------------------------------------- records */

START_TEST(hearing_turns)
{
	EXPECT("<pre>\n    Mr. Kanjorski. [presiding] Order.\nWithout objection.\n"
		   "    Mr. Chairman, thank you.\n\n    Mr. Hensarling. Thanks &amp; more.\n"
		   "    [The prepared statement of Mr. Hensarling follows:]\n"
		   "    The Chairman. Next.\n    Ms. Waters. Hi.\n</pre>", "hearing",
		   "Mr. Kanjorski|Order. Without objection.\nMr. Chairman, thank you.\n"
		   "Mr. Hensarling|Thanks & more.\n-|[The prepared statement of Mr. Hensarling follows:]\n"
		   "The Chairman|Next.\nMs. Waters|Hi.");
	EXPECT("  The PRESIDING OFFICER. The clerk will report.\n  The legislative clerk read as follows:\n"
		   "       A bill.\n  Mr. WARNER. I rise [[Page S8537]] today.\n  Mr. LEVIN. Yes.\n"
		   "  The amendment was agreed to.\n", "hearing",
		   "The PRESIDING OFFICER|The clerk will report.\n-|The legislative clerk read as follows: A bill.\n"
		   "Mr. WARNER|I rise today.\nMr. LEVIN|Yes.\n-|The amendment was agreed to.");
}
END_TEST

START_TEST(court_turns)
{
	EXPECT("MR. SMITH: Good\nmorning.\nBY MS. JONES:\nQ Name?\nA Ann.\nQ. Where?\nA. Here.\n(Recess)\n"
		   "THE WITNESS: Done.\n", "court",
		   "MR. SMITH|Good morning.\n-|BY MS. JONES:\nMS. JONES|Name?\nTHE WITNESS|Ann.\n"
		   "MS. JONES|Where?\nTHE WITNESS|Here.\n-|(Recess)\nTHE WITNESS|Done.");
	/* margin line numbers, page numbers, Q before any examiner */
	EXPECT("                 7\n 1  Q.  Seen him?\n 2  A.  Yes,\n 3  on the street.\n", "court",
		   "Q|Seen him?\nA|Yes, on the street.");
	/* "Q. (By Mr. Smith)" names the examiner */
	EXPECT("Q. (By Mr. Smith) Your name?\nA. Ann.\nQ. Age?\n", "court",
		   "Mr. Smith|Your name?\nTHE WITNESS|Ann.\nMr. Smith|Age?");
	/* an interview in Q. and A. paragraphs is detected as such */
	EXPECT("Q. Why?\nA. Because.\nQ. When?\nA. Now.\nQ. Where?\nA. Here,\nand there.\n", "auto",
		   "Q|Why?\nA|Because.\nQ|When?\nA|Now.\nQ|Where?\nA|Here, and there.");
}
END_TEST

/* ---------------------------------------------------------------- misc */

START_TEST(name_keys)
{
	tx_buf		b;

	tx_buf_init(&b, 16);
	seg_name_key("Detlef Zühlke", strlen("Detlef Zühlke"), &b);
	ck_assert_str_eq(b.data, "detlef zuehlke");
	tx_buf_reset(&b);
	seg_name_key("Mr.  SMITH", 10, &b);
	ck_assert_str_eq(b.data, "mr smith");
	tx_buf_reset(&b);
	seg_name_key("Mavi Doñate", strlen("Mavi Doñate"), &b);
	ck_assert_str_eq(b.data, "mavi donate");
	tx_buf_free(&b);
}
END_TEST

/* the streamed turns of the fixture transcripts, in every format */
START_TEST(stream_fixtures)
{
	static const char *const files[] = {
		"test/fixtures/ren-interviews-cut.txt", "test/fixtures/seg-pdf.txt",
		"test/fixtures/demo-briefing.txt", "test/fixtures/seg-transcripts.csv"
	};
	static const seg_format formats[] = {SEG_AUTO, SEG_TEXT, SEG_VTT, SEG_SRT, SEG_HEARING, SEG_COURT};
	size_t		i,
				k;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
	{
		FILE	   *f = fopen(files[i], "rb");
		tx_buf		b;
		char		chunk[8192];
		size_t		got;

		ck_assert_msg(f != NULL, "cannot open %s (run from the repository root)", files[i]);
		tx_buf_init(&b, 8192);
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			tx_buf_append(&b, chunk, got);
		fclose(f);
		for (k = 0; k < sizeof(formats) / sizeof(formats[0]); k++)
			check_stream(b.data, b.len, formats[k]);
		tx_buf_free(&b);
	}
}
END_TEST

START_TEST(pathological)
{
	/* large inputs of one kind stay linear and lose nothing */
	size_t		n = 200000,
				i;
	char	   *s = malloc(n + 1);
	seg_result	r;
	tx_error	err;

	memset(s, ':', n);
	s[n] = '\0';
	ck_assert(segment_transcript(s, n, SEG_AUTO, &r, &err));
	ck_assert_int_eq(r.nturns, 1);
	ck_assert_int_eq(r.turns[0].body_len, n);
	seg_result_free(&r);
	for (i = 0; i < n; i++)
		s[i] = (i % 3 == 2) ? '\n' : 'a';
	ck_assert(segment_transcript(s, n, SEG_TEXT, &r, &err));
	ck_assert_int_eq(r.nturns, 1);
	seg_result_free(&r);
	for (i = 0; i < n; i++)
		s[i] = "<v "[i % 3];
	ck_assert(segment_transcript(s, n, SEG_VTT, &r, &err));
	seg_result_free(&r);
	for (i = 0; i < n; i++)
		s[i] = "a\r"[i % 2];
	ck_assert(segment_transcript(s, n, SEG_TEXT, &r, &err));
	seg_result_free(&r);
	free(s);
}
END_TEST

static Suite *
segment_suite(void)
{
	Suite	   *s = suite_create("segment");
	TCase	   *tc = tcase_create("core");

	tcase_add_test(tc, format_names);
	tcase_add_test(tc, detection);
	tcase_add_test(tc, empty_input);
	tcase_add_test(tc, label_basic);
	tcase_add_test(tc, label_affiliation);
	tcase_add_test(tc, label_names);
	tcase_add_test(tc, label_roles);
	tcase_add_test(tc, prose_colons);
	tcase_add_test(tc, single_word_names);
	tcase_add_test(tc, own_line_labels);
	tcase_add_test(tc, rev_and_otter);
	tcase_add_test(tc, pdf_page_artefacts);
	tcase_add_test(tc, numbers_kept);
	tcase_add_test(tc, pdf_sections_switch);
	tcase_add_test(tc, pdf_hyphens);
	tcase_add_test(tc, hyphen_evidence_anywhere);
	tcase_add_test(tc, pdf_double_spacing);
	tcase_add_test(tc, line_endings);
	tcase_add_test(tc, vtt_voices);
	tcase_add_test(tc, vtt_blocks);
	tcase_add_test(tc, srt_cues);
	tcase_add_test(tc, hearing_turns);
	tcase_add_test(tc, court_turns);
	tcase_add_test(tc, name_keys);
	tcase_add_test(tc, stream_fixtures);
	tcase_add_test(tc, pathological);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(segment_suite)
