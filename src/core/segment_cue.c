/*
 * segment_cue.c
 *	  Timed captions: WebVTT (voice spans, Zoom's "Name: text" cues, NOTE and
 *	  STYLE blocks, hour-less times) and SubRip (numbered cues, "," before the
 *	  milliseconds).  Dash lines ("- ") and ">>" mark a change of speaker
 *	  without a name.  Consecutive cues of one speaker become one turn that
 *	  spans their times; a cue without a name continues the current speaker.
 */
#include "segment_int.h"

typedef struct cue_state
{
	seg_builder *b;
	int32_t		speaker;		/* speaker of the open turn */
	bool		open;
	int64_t		start,
				end;
	int32_t		line;
	tx_buf		text;			/* cleaned text of the current piece */
} cue_state;

/* decode an entity at p (after '&'); returns bytes consumed, 0 if unknown */
static size_t
entity(const char *p, size_t n, tx_buf *out)
{
	static const struct
	{
		const char *name;
		const char *text;
	}			ents[] = {
		{"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"nbsp;", " "}, {"quot;", "\""},
		{"apos;", "'"}, {"#39;", "'"}, {"lrm;", ""}, {"rlm;", ""}
	};
	size_t		i;

	for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
	{
		size_t		l = strlen(ents[i].name);

		if (n >= l && memcmp(p, ents[i].name, l) == 0)
		{
			tx_buf_append(out, ents[i].text, strlen(ents[i].text));
			return l;
		}
	}
	return 0;
}

/* start a piece: new turn if the speaker changes (or change is forced) */
static void
piece(cue_state *st, int32_t speaker, bool named, bool change, int64_t start, int64_t end,
	  int32_t line, float conf)
{
	seg_builder *b = st->b;
	seg_turn   *t = seg_current(b);

	if (t == NULL || change || (named && speaker != st->speaker))
	{
		t = seg_begin_turn(b, named ? speaker : (change ? -1 : st->speaker), NULL, 0, line, conf);
		t->start_ms = start;
		t->end_ms = end;
		if (named || change)
			st->speaker = named ? speaker : -1;
		if (t->speaker < 0)
			t->confidence = change ? 0.6f : 0.5f;
	}
	else
	{
		seg_sep(b, ' ');
		if (end != SEG_NO_TIME && (t->end_ms == SEG_NO_TIME || end > t->end_ms))
			t->end_ms = end;
	}
}

/* the text of one payload line, tags stripped; voices start pieces */
static void
payload_line(cue_state *st, const char *p, size_t n, int64_t start, int64_t end, int32_t line,
			 bool srt)
{
	seg_builder *b = st->b;
	size_t		i = 0;
	bool		change = false;
	bool		started = false;
	size_t		nl,
				ts;
	const char *next_gt = NULL;

	/* dash dialogue and ">>" speaker arrows */
	if (n >= 2 && p[0] == '-' && (p[1] == ' ' || p[1] == '\t' || p[1] == '<' || p[1] == '['))
	{
		change = true;
		i = p[1] == ' ' || p[1] == '\t' ? 2 : 1;
	}
	else if (n >= 2 && p[0] == '>' && p[1] == '>')
	{
		change = true;
		i = 2;
		while (i < n && p[i] == ' ')
			i++;
	}
	else if (n == 1 && p[0] == '-')
		return;

	/* "Name: text" or "[Name] text" at the start (after leading tags) */
	{
		size_t		j = i;

		for (;;)
		{
			const char *gt = NULL;

			if (j + 1 < n && p[j] == '<' && p[j + 1] != 'v')
				gt = memchr(p + j, '>', n - j < 256 ? n - j : 256);
			else if (srt && j + 1 < n && p[j] == '{' && p[j + 1] == '\\')
				gt = memchr(p + j, '}', n - j < 64 ? n - j : 64);
			if (!gt)
				break;
			j = gt - p + 1;
		}
		if (j < n && p[j] != '<' && seg_inline_label(p + j, n - j, &nl, &ts, true))
		{
			int32_t		sp = seg_speaker(b, p + j + (p[j] == '[' ? 1 : 0), nl);

			piece(st, sp, sp >= 0, change, start, end, line, 0.95f);
			started = true;
			i = j + ts;
		}
	}
	if (!started && !(i < n && p[i] == '<' && i + 1 < n && p[i + 1] == 'v'))
	{
		piece(st, -1, false, change, start, end, line, 0.9f);
		started = true;
	}

	tx_buf_reset(&st->text);
	while (i < n)
	{
		char		c = p[i];

		if (c == '<')
		{
			const char *gt;

			/* the next '>' after i: reuse the last search while it lies ahead,
			 * so a line of many '<' is still one pass */
			if (next_gt == NULL || next_gt < p + i)
			{
				next_gt = memchr(p + i, '>', n - i);
				if (next_gt == NULL)
					next_gt = p + n;
			}
			gt = next_gt < p + n ? next_gt : NULL;

			if (i + 1 < n && p[i + 1] == 'v' && (i + 2 >= n || p[i + 2] == ' ' ||
												  p[i + 2] == '.' || p[i + 2] == '>'))
			{
				/* <v[.class...] Name> */
				size_t		a = i + 2;
				size_t		e;

				while (a < n && p[a] == '.')
				{
					a++;
					while (a < n && p[a] != '.' && p[a] != ' ' && p[a] != '>')
						a++;
				}
				/* flush text before the voice */
				if (st->text.len)
				{
					if (!started)
						piece(st, -1, false, false, start, end, line, 0.9f);
					seg_put_clean(b, st->text.data, st->text.len);
					tx_buf_reset(&st->text);
				}
				if (!gt)
				{
					/* "<v It's..." without '>': no name to trust, keep the words */
					piece(st, -1, false, true, start, end, line, 0.5f);
					started = true;
					i = a;
					continue;
				}
				e = gt - p;
				while (a < e && p[a] == ' ')
					a++;
				{
					size_t		ne = e;

					while (ne > a && p[ne - 1] == ' ')
						ne--;
					if (ne > a)
					{
						int32_t		sp = seg_speaker(b, p + a, ne - a);

						piece(st, sp, sp >= 0, change && sp < 0, start, end, line, 1.0f);
					}
					else
						piece(st, -1, false, true, start, end, line, 0.6f);
				}
				started = true;
				change = false;
				i = e + 1;
				continue;
			}
			if (gt)
			{
				/* any other tag (<i>, </v>, <c.x>, <00:01.000>) is markup */
				i = gt - p + 1;
				continue;
			}
			tx_buf_putc(&st->text, c);
			i++;
			continue;
		}
		if (c == '{' && srt && i + 1 < n && p[i + 1] == '\\')
		{
			/* SubRip/ASS override "{\an8}" (short) */
			const char *cb = memchr(p + i, '}', n - i < 64 ? n - i : 64);

			if (cb)
			{
				i = cb - p + 1;
				continue;
			}
		}
		if (c == '&')
		{
			size_t		e = entity(p + i + 1, n - i - 1, &st->text);

			if (e)
			{
				i += e + 1;
				continue;
			}
		}
		tx_buf_putc(&st->text, c);
		i++;
	}
	if (st->text.len)
	{
		if (!started)
			piece(st, -1, false, change, start, end, line, 0.9f);
		seg_put_clean(b, st->text.data, st->text.len);
	}
}

static bool
starts_with_word(const char *p, size_t n, const char *w)
{
	size_t		l = strlen(w);

	return n >= l && memcmp(p, w, l) == 0 && (n == l || p[l] == ' ' || p[l] == '\t');
}

static bool
all_digits(const char *p, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

/* "00:01.000 --> 00:02.000 settings" */
static bool
timing(const char *p, size_t n, int64_t *start, int64_t *end)
{
	size_t		a = seg_parse_time(p, n, start);
	size_t		i;

	if (a == 0)
		return false;
	i = a;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i + 3 > n || memcmp(p + i, "-->", 3) != 0)
		return false;
	i += 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (seg_parse_time(p + i, n - i, end) == 0)
		*end = SEG_NO_TIME;
	return true;
}

void
seg_run_cues(seg_builder *b, const char *s, size_t len, bool srt)
{
	seg_lines	ls;
	size_t		i = 0;
	cue_state	st;

	seg_split_lines(s, len, &ls);
	memset(&st, 0, sizeof(st));
	st.b = b;
	st.speaker = -1;
	tx_buf_init(&st.text, 256);

	/* the WEBVTT header block */
	if (!srt && ls.n > 0 && ls.v[0].len >= 6 && memcmp(s + ls.v[0].off, "WEBVTT", 6) == 0)
	{
		while (i < ls.n && ls.v[i].kind != SEG_L_BLANK)
			i++;
	}
	while (i < ls.n)
	{
		size_t		first,
					k;
		int64_t		cs = SEG_NO_TIME,
					ce = SEG_NO_TIME;
		bool		have_timing = false;

		tx_check_interrupts();
		while (i < ls.n && ls.v[i].kind == SEG_L_BLANK)
			i++;
		if (i >= ls.n)
			break;
		first = i;
		/* NOTE, STYLE and REGION blocks */
		if (!srt && (starts_with_word(s + ls.v[i].off, ls.v[i].len, "NOTE") ||
					 starts_with_word(s + ls.v[i].off, ls.v[i].len, "STYLE") ||
					 starts_with_word(s + ls.v[i].off, ls.v[i].len, "REGION")))
		{
			while (i < ls.n && ls.v[i].kind != SEG_L_BLANK)
				i++;
			continue;
		}
		/* identifier line (or SRT number), then the timing line */
		for (k = first; k < ls.n && k <= first + 1 && ls.v[k].kind != SEG_L_BLANK; k++)
		{
			if (timing(s + ls.v[k].off, ls.v[k].len, &cs, &ce))
			{
				have_timing = true;
				break;
			}
		}
		if (have_timing)
			i = k + 1;
		/* payload: up to the blank line */
		while (i < ls.n && ls.v[i].kind != SEG_L_BLANK)
		{
			seg_line   *l = &ls.v[i];

			tx_check_interrupts();
			/* a cue whose blank separator is missing: a timing line, or an
			 * SRT number right before one */
			{
				int64_t		a,
							e;

				if (i > first && timing(s + l->off, l->len, &a, &e))
					break;
				if (i + 1 < ls.n && l->len <= 10 && all_digits(s + l->off, l->len) &&
					timing(s + ls.v[i + 1].off, ls.v[i + 1].len, &a, &e))
					break;
			}
			payload_line(&st, s + l->off, l->len, cs, ce, (int32_t) i + 1, srt);
			i++;
		}
		if (i == first)
			i++;				/* cannot happen; keep moving */
	}
	tx_buf_free(&st.text);
	tx_free(ls.v);
}
