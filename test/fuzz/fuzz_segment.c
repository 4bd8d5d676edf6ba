/*
 * fuzz_segment.c
 *	  libFuzzer harness for the segmenter core: every format on arbitrary
 *	  bytes (made valid UTF-8 first, as PostgreSQL guarantees), checking
 *	  the invariants the SQL function relies on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"

/* replace invalid UTF-8 and NULs, as text in a UTF8 database cannot hold them */
static size_t
sanitize(const uint8_t *in, size_t n, char *out)
{
	size_t		i = 0,
				o = 0;

	while (i < n)
	{
		uint8_t		c = in[i];
		int			len = tx_utf8_len(c);
		int			k;
		bool		ok = (c != 0) && (c < 0x80 || len > 1) && i + len <= n;

		for (k = 1; ok && k < len; k++)
			ok = (in[i + k] & 0xC0) == 0x80;
		if (!ok)
		{
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, in + i, len);
		o += len;
		i += len;
	}
	return o;
}

/* streaming must hand over the same turns, in order: compare with the whole result */
typedef struct stream_check
{
	const seg_result *whole;
	size_t		next;
} stream_check;

static bool
same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

static void
stream_emit(void *arg, const seg_result *r, const seg_turn *t)
{
	stream_check *c = arg;
	const seg_result *w = c->whole;
	const seg_turn *u;

	if (c->next >= w->nturns)
		abort();
	u = &w->turns[c->next++];
	if (t->line != u->line || t->page != u->page || t->confidence != u->confidence ||
		t->start_ms != u->start_ms || t->end_ms != u->end_ms ||
		(t->speaker < 0) != (u->speaker < 0) || (t->section < 0) != (u->section < 0) ||
		(t->affil_off < 0) != (u->affil_off < 0))
		abort();
	if (t->speaker >= 0 && !same_text(SEG_NAME(r, t->speaker), SEG_NAME_LEN(r, t->speaker),
									  SEG_NAME(w, u->speaker), SEG_NAME_LEN(w, u->speaker)))
		abort();
	if (t->section >= 0 && !same_text(SEG_NAME(r, t->section), SEG_NAME_LEN(r, t->section),
									  SEG_NAME(w, u->section), SEG_NAME_LEN(w, u->section)))
		abort();
	if (t->affil_off >= 0 && !same_text(SEG_STR(r, t->affil_off), t->affil_len,
										SEG_STR(w, u->affil_off), u->affil_len))
		abort();
	if (!same_text(SEG_STR(r, t->body_off), t->body_len, SEG_STR(w, u->body_off), u->body_len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const seg_format formats[] = {SEG_AUTO, SEG_TEXT, SEG_VTT, SEG_SRT, SEG_HEARING, SEG_COURT};
	char	   *s;
	size_t		n,
				f;

	if (size < 1)
		return 0;
	s = malloc(size + 1);
	n = sanitize(data + 1, size - 1, s);
	s[n] = '\0';
	/* the first byte picks the format; also run auto on everything */
	for (f = 0; f < 2; f++)
	{
		seg_format	fmt = f == 0 ? formats[data[0] % 6] : SEG_AUTO;
		seg_result	r;
		tx_error	err;
		size_t		i;

		if (!segment_transcript(s, n, fmt, &r, &err))
			abort();
		for (i = 0; i < r.nturns; i++)
		{
			const seg_turn *t = &r.turns[i];

			if (t->body_off + t->body_len > r.text.len)
				abort();
			if (t->speaker >= (int32_t) r.nnames || t->section >= (int32_t) r.nnames)
				abort();
			if (t->speaker >= 0 && (SEG_NAME_LEN(&r, t->speaker) == 0 || SEG_NAME_LEN(&r, t->speaker) > 1000))
				abort();
			if (t->affil_off >= 0 && (t->affil_len <= 0 || t->affil_len > 1000))
				abort();
			if (t->start_ms != SEG_NO_TIME && (t->start_ms < 0 || t->start_ms > SEG_MAX_MS))
				abort();
			if (t->end_ms != SEG_NO_TIME && t->start_ms != SEG_NO_TIME && t->end_ms < t->start_ms)
				abort();
			if (t->confidence < 0 || t->confidence > 1)
				abort();
			if (t->line < 1 || (i > 0 && t->line < r.turns[i - 1].line && fmt != SEG_VTT && fmt != SEG_SRT))
				abort();
			/* bodies are trimmed and hold no NUL */
			if (t->body_len > 0 && (memchr(SEG_STR(&r, t->body_off), '\0', t->body_len) ||
									SEG_STR(&r, t->body_off)[t->body_len - 1] == ' '))
				abort();
		}
		{
			seg_result	sr;
			stream_check c = {&r, 0};

			if (!segment_transcript_stream(s, n, fmt, &sr, stream_emit, &c, &err) ||
				c.next != r.nturns || sr.nturns != 0)
				abort();
			seg_result_free(&sr);
		}
		seg_result_free(&r);
	}
	free(s);
	return 0;
}
