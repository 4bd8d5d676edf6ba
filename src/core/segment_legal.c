/*
 * segment_legal.c
 *	  Official records: congressional hearings and floor proceedings (GPO
 *	  <pre> text or plain text: "    Mr. SMITH. text", "The Chairman.",
 *	  "[[Page S8537]]" marks) and court transcripts ("MR. X:" labels, Q/A
 *	  examination attributed to the attorney of the last "BY MR. X:" line,
 *	  line numbers in the margin, page numbers).
 */
#include "segment_int.h"

/* ------------------------------------------------------------- HTML */

void
seg_html_to_text(const char *s, size_t len, tx_buf *buf)
{
	size_t		i = 0;

	while (i < len)
	{
		char		c = s[i];

		if ((i & 0xFFFF) == 0)
			tx_check_interrupts();
		if (c == '<')
		{
			const char *gt = memchr(s + i, '>', len - i < 2000 ? len - i : 2000);

			/* a tag: drop it, but keep its line breaks so line numbers hold */
			if (gt)
			{
				size_t		k;

				for (k = i; k < (size_t) (gt - s); k++)
					if (s[k] == '\n')
						tx_buf_putc(buf, '\n');
				i = gt - s + 1;
				continue;
			}
		}
		if (c == '&')
		{
			static const struct
			{
				const char *n;
				const char *t;
			}			e[] = {
				{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
				{"&nbsp;", " "}, {"&#39;", "'"}, {"&apos;", "'"}
			};
			size_t		k;
			bool		done = false;

			for (k = 0; k < sizeof(e) / sizeof(e[0]); k++)
			{
				size_t		l = strlen(e[k].n);

				if (len - i >= l && memcmp(s + i, e[k].n, l) == 0)
				{
					tx_buf_append(buf, e[k].t, strlen(e[k].t));
					i += l;
					done = true;
					break;
				}
			}
			if (done)
				continue;
		}
		tx_buf_putc(buf, c);
		i++;
	}
}

static bool
looks_html(const char *s, size_t len)
{
	size_t		n = len < 4096 ? len : 4096;
	size_t		i;

	for (i = 0; i + 5 <= n; i++)
	{
		if (s[i] == '<' && (memcmp(s + i, "<pre", 4) == 0 || memcmp(s + i, "<PRE", 4) == 0 ||
							memcmp(s + i, "<html", 5) == 0 || memcmp(s + i, "<HTML", 5) == 0 ||
							memcmp(s + i, "<!DOC", 5) == 0 || memcmp(s + i, "<body", 5) == 0))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------- hearings */

static const char *const honorifics[] = {
	"Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Chairman", "Chairwoman", "Chair", "Senator",
	"Representative", "Secretary", "General", "Admiral", "Governor", "Judge", "Ambassador",
	"Commissioner", "Director", "Delegate", "Vice", "Acting", "Mayor", "Professor", NULL
};

static bool
word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(p, w, n) == 0;
}

static bool
in_list(const char *p, size_t n, const char *const *list)
{
	int			i;

	for (i = 0; list[i]; i++)
		if (word_is(p, n, list[i]))
			return true;
	return false;
}

/*
 * "Mr. SMITH of Texas. text", "The CHAIRMAN. text", "Chairman Frank. text",
 * "The PRESIDING OFFICER. text", "Mr. Kanjorski. [presiding] text".
 * Returns the length of the name (without the period), 0 if none; *text is
 * where the speech starts.
 */
static size_t
hearing_label(const char *p, size_t n, size_t *text)
{
	size_t		i = 0;
	int			words = 0;
	bool		first_ok = false;

	if (n > SEG_LABEL_MAX)
		n = SEG_LABEL_MAX;
	while (i < n && words < 7)
	{
		size_t		st = i;
		bool		cap;

		while (i < n && p[i] != ' ' && p[i] != '.' && p[i] != ',' && p[i] != ':')
			i++;
		if (i == st)
			return 0;
		cap = (p[st] >= 'A' && p[st] <= 'Z') || (unsigned char) p[st] >= 0x80;
		if (words == 0)
		{
			size_t		wl = i - st + (i < n && p[i] == '.' ? 1 : 0);

			first_ok = word_is(p, i - st, "The") || in_list(p, wl, honorifics);
			if (!first_ok)
				return 0;
		}
		else if (!cap && !word_is(p + st, i - st, "of") && !word_is(p + st, i - st, "pro") &&
				 !word_is(p + st, i - st, "tempore") && !word_is(p + st, i - st, "de") &&
				 !word_is(p + st, i - st, "van") && !word_is(p + st, i - st, "von"))
			return 0;
		words++;
		if (i < n && p[i] == '.')
		{
			/* "Mr." is an abbreviation; after a name word the period ends the label */
			bool		abbrev = words == 1 && in_list(p, i - st + 1, honorifics);

			if (!abbrev && i - st == 1 && i + 1 < n && p[i + 1] != ' ')
				abbrev = true;	/* an initial: "J.D." */
			if (!abbrev && words >= 2)
			{
				size_t		name_len = i;
				size_t		t = i + 1;

				while (t < n && p[t] == ' ')
					t++;
				if (t < n && p[t] == '[')
				{
					/* "[presiding]" and the like */
					const char *rb = memchr(p + t, ']', n - t < 30 ? n - t : 30);

					if (rb)
					{
						t = rb - p + 1;
						while (t < n && p[t] == ' ')
							t++;
					}
				}
				if (t >= n && i + 1 < n)
					return 0;
				*text = t;
				return name_len;
			}
			i++;
			if (i < n && p[i] == ' ')
				i++;
			continue;
		}
		if (i < n && p[i] == ' ')
		{
			i++;
			continue;
		}
		return 0;
	}
	return 0;
}

/* the number of a "[[Page S8537]]" mark at p (8537), -1 if none */
static int32_t
page_mark_number(const char *p, size_t n)
{
	size_t		i = 7;
	int32_t		v = 0;
	bool		digits = false;

	if (n < 10 || memcmp(p, "[[Page ", 7) != 0)
		return -1;
	while (i < n && i < 30 && p[i] != ']')
	{
		if (p[i] >= '0' && p[i] <= '9')
		{
			if (v < 10000000)
				v = v * 10 + (p[i] - '0');
			digits = true;
		}
		i++;
	}
	return digits && i + 1 < n && p[i] == ']' && p[i + 1] == ']' ? v : -1;
}

/* remove "[[Page S8537]]" marks in place (returns the new length); *last is
 * the number of the last mark removed */
static size_t
strip_page_marks(char *p, size_t n, int *marks, int32_t *last)
{
	size_t		r = 0,
				w = 0;

	while (r < n)
	{
		if (p[r] == '[' && r + 8 < n && p[r + 1] == '[' && memcmp(p + r + 2, "Page ", 5) == 0)
		{
			const char *e = memchr(p + r, ']', n - r < 30 ? n - r : 30);

			if (e && (size_t) (e - p) + 1 < n && e[1] == ']')
			{
				int32_t		num = page_mark_number(p + r, n - r);

				if (num >= 0)
					*last = num;
				r = e - p + 2;
				(*marks)++;
				continue;
			}
		}
		p[w++] = p[r++];
	}
	return w;
}

static bool
is_rule_line(const char *p, size_t n)
{
	size_t		i;

	if (n < 5)
		return false;
	for (i = 0; i < n; i++)
		if (p[i] != '=' && p[i] != '_' && p[i] != '-' && p[i] != '*' && p[i] != ' ')
			return false;
	return true;
}

static bool
clerk_reads(const char *p, size_t n)
{
	/* "The clerk will report.", "The assistant legislative clerk read as follows:" */
	const char *c;

	if (n < 10 || memcmp(p, "The ", 4) != 0)
		return false;
	c = memchr(p, ':', n);
	if (!c || (size_t) (c - p) + 1 != n)
		return false;
	for (; p + 5 <= c; p++)
		if (memcmp(p, "clerk", 5) == 0 || memcmp(p, "Clerk", 5) == 0)
			return true;
	return false;
}

static bool
ends_with(const char *p, size_t n, const char *w)
{
	size_t		l = strlen(w);

	return n >= l && memcmp(p + n - l, w, l) == 0;
}

/*
 * Narration by the record, not by a member: a paragraph that starts "The "
 * and a lower-case word and reads like procedure ("The amendment is as
 * follows:", "The legislative clerk proceeded to call the roll.", "The
 * motion to lay on the table was agreed to.").  Looks at most 400 bytes of
 * the paragraph that starts at line i.
 */
static bool
record_narration(const char *s, const seg_lines *ls, size_t i, int indent)
{
	char		buf[400];
	size_t		n = 0,
				k;

	for (k = i; k < ls->n && k < i + 4; k++)
	{
		const seg_line *l = &ls->v[k];
		size_t		take;

		if (l->kind != SEG_L_TEXT || (k > i && l->indent >= indent))
			break;
		take = l->len < sizeof(buf) - n - 1 ? l->len : sizeof(buf) - n - 1;
		if (n > 0 && n < sizeof(buf) - 1)
			buf[n++] = ' ';
		memcpy(buf + n, s + l->off, take);
		n += take;
	}
	if (n < 8 || memcmp(buf, "The ", 4) != 0 || !(buf[4] >= 'a' && buf[4] <= 'z'))
		return false;
	if (k < ls->n && k == i + 4)
		return false;			/* a long paragraph is speech */
	if (clerk_reads(buf, n) || ends_with(buf, n, "follows:") || ends_with(buf, n, "agreed to.") ||
		ends_with(buf, n, "agreed to en bloc.") || ends_with(buf, n, "the roll.") ||
		ends_with(buf, n, "rejected.") || ends_with(buf, n, "was passed.") ||
		ends_with(buf, n, "were passed.") || ends_with(buf, n, "third time."))
		return true;
	for (k = 0; k + 12 <= n; k++)
		if (memcmp(buf + k, " clerk read", 11) == 0 || memcmp(buf + k, " clerk proc", 11) == 0 ||
			memcmp(buf + k, " clerk call", 11) == 0)
			return true;
	return false;
}

/*
 * Material the record inserts rather than anyone says: "[The prepared
 * statement of ... follows:]", "[Whereupon, the hearing was adjourned.]",
 * "[GRAPHIC] [TIFF OMITTED]".  "[Laughter.]" is not: the speaker goes on.
 */
static bool
is_insertion(const char *p, size_t n)
{
	size_t		k;

	if (n < 9 || p[0] != '[')
		return false;
	if (memcmp(p, "[GRAPHIC]", 9) == 0 || (n >= 11 && memcmp(p, "[Whereupon", 10) == 0) ||
		(n >= 13 && memcmp(p, "[The prepared", 13) == 0))
		return true;
	for (k = 1; k + 18 <= n && k < 120; k++)
		if (memcmp(p + k, "prepared statement", 18) == 0)
			return true;
	return false;
}

static void
run_hearing_text(seg_builder *b, const char *s, size_t len)
{
	seg_lines	ls;
	size_t		i;
	int			hist[9] = {0};
	int			para_indent = 4;
	int			marks = 0;
	int32_t		mark_page = 0;
	int32_t		pending_page = 0;
	bool		last_graphic = false;
	bool		labelled = false;
	tx_buf		line;

	seg_split_lines(s, len, &ls);
	tx_buf_init(&line, 256);
	/* the paragraph indent is the commonest indent of label lines */
	for (i = 0; i < ls.n; i++)
	{
		size_t		t;
		seg_line   *l = &ls.v[i];

		tx_check_interrupts();
		if (l->kind == SEG_L_TEXT && l->indent >= 1 && l->indent <= 8 &&
			hearing_label(s + l->off, l->len, &t) > 0)
			hist[l->indent]++;
	}
	{
		int			k,
					best = 0;

		for (k = 1; k <= 8; k++)
			if (hist[k] > best)
			{
				best = hist[k];
				para_indent = k;
			}
	}
	/* the record prints "[[Page S8537]]" where a page begins: before the
	 * first mark is the page before it */
	b->page = 0;
	{
		const char *q = s;

		while (q < s + len && (q = memchr(q, '[', s + len - q)) != NULL)
		{
			int32_t		num = page_mark_number(q, s + len - q);

			if (num > 0)
			{
				b->page = num > 1 ? num - 1 : 1;
				break;
			}
			q++;
		}
	}
	for (i = 0; i < ls.n; i++)
	{
		seg_line   *l = &ls.v[i];
		char	   *p;
		size_t		n,
					nl,
					t;
		int			before = marks;

		/* a mark inside the line before applies from this line on */
		if (pending_page > 0)
		{
			b->page = pending_page;
			pending_page = 0;
		}

		tx_check_interrupts();
		if (l->kind != SEG_L_TEXT)
		{
			if (l->kind == SEG_L_BLANK && !labelled && seg_current(b))
				seg_sep(b, '\n');
			continue;
		}
		tx_buf_reset(&line);
		tx_buf_append(&line, s + l->off, l->len);
		n = strip_page_marks(line.data, line.len, &marks, &mark_page);
		p = line.data;
		if (marks > before && mark_page > 0)
			pending_page = mark_page;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == 0 || is_rule_line(p, n))
			continue;
		if (l->indent == para_indent && (nl = hearing_label(p, n, &t)) > 0)
		{
			int32_t		sp = seg_speaker(b, p, nl);

			seg_begin_turn(b, sp, NULL, 0, (int32_t) i + 1, 0.97f);
			labelled = true;
			seg_put_clean(b, p + t, n - t);
			continue;
		}
		if ((l->indent == para_indent && record_narration(s, &ls, i, para_indent)) ||
			is_insertion(p, n))
		{
			/* the clerk reading, inserted material: no member speaks; a run of
			 * graphics is one row */
			bool		graphic = n >= 9 && memcmp(p, "[GRAPHIC]", 9) == 0;

			if (graphic && last_graphic && seg_current(b))
				seg_sep(b, '\n');
			else
				seg_begin_turn(b, -1, NULL, 0, (int32_t) i + 1, 0.8f);
			last_graphic = graphic;
			labelled = false;
			seg_put_clean(b, p, n);
			continue;
		}
		last_graphic = false;
		if (seg_current(b) == NULL || (!labelled && l->indent >= para_indent &&
									   (i == 0 || ls.v[i - 1].kind == SEG_L_BLANK)))
		{
			seg_begin_turn(b, -1, NULL, 0, (int32_t) i + 1, 0.9f);
			labelled = false;
		}
		else
			seg_sep(b, labelled && l->indent == para_indent ? '\n' : ' ');
		seg_put_clean(b, p, n);
	}
	tx_buf_free(&line);
	tx_free(ls.v);
}

void
seg_run_hearing(seg_builder *b, const char *s, size_t len)
{
	if (looks_html(s, len))
	{
		tx_buf		t;

		tx_buf_init(&t, len + 1);
		seg_html_to_text(s, len, &t);
		run_hearing_text(b, t.data, t.len);
		tx_buf_free(&t);
		return;
	}
	run_hearing_text(b, s, len);
}

/* ------------------------------------------------------------- court */

/* "MR. SMITH:", "THE WITNESS:", "A JUROR:" in capitals; returns name length */
static size_t
court_label(const char *p, size_t n, size_t *text)
{
	size_t		i = 0;
	int			words = 0;
	bool		letter = false;

	if (n > 80)
		n = 80;
	while (i < n)
	{
		unsigned char c = (unsigned char) p[i];

		if (c == ':')
			break;
		if (c >= 'a' && c <= 'z')
			return 0;
		if (c == ' ')
		{
			if (i > 0 && p[i - 1] != ' ')
				words++;
		}
		else if ((c >= 'A' && c <= 'Z') || c >= 0x80)
			letter = true;
		else if (c != '.' && c != '\'' && c != '-' && !(c >= '0' && c <= '9'))
			return 0;
		i++;
	}
	if (i >= n || !letter || words > 5 || i < 2)
		return 0;
	if (i + 1 < n && p[i + 1] != ' ')
		return 0;
	*text = i + 1;
	while (*text < n && p[*text] == ' ')
		(*text)++;
	{
		size_t		e = i;

		while (e > 0 && p[e - 1] == ' ')
			e--;
		return e;
	}
}

void
seg_run_court(seg_builder *b, const char *s, size_t len)
{
	seg_lines	ls;
	size_t		i;
	size_t		numbered = 0,
				ntext = 0;
	bool		strip_numbers;
	const char *examiner = NULL;
	size_t		examiner_len = 0;
	bool		labelled = false;

	seg_split_lines(s, len, &ls);
	/* line numbers in the margin: most lines start with 1-2 digits and spaces */
	for (i = 0; i < ls.n; i++)
	{
		const seg_line *l = &ls.v[i];
		const char *p = s + l->off;

		if (l->kind != SEG_L_TEXT)
			continue;
		ntext++;
		if (l->len >= 2 && p[0] >= '0' && p[0] <= '9' &&
			((l->len > 1 && p[1] == ' ') ||
			 (l->len > 2 && p[1] >= '0' && p[1] <= '9' && p[2] == ' ')))
			numbered++;
	}
	strip_numbers = ntext > 0 && numbered * 2 > ntext;

	for (i = 0; i < ls.n; i++)
	{
		seg_line   *l = &ls.v[i];
		const char *p = s + l->off;
		size_t		n = l->len,
					nl,
					t;

		tx_check_interrupts();
		if (l->kind != SEG_L_TEXT)
			continue;
		/* a page number: far indented, or "Page 12", or any lone number when
		 * the margin has no line numbers */
		if (n <= 12 && (l->indent >= 8 || !strip_numbers || (n > 5 && memcmp(p, "Page ", 5) == 0)))
		{
			size_t		k = (n > 5 && memcmp(p, "Page ", 5) == 0) ? 5 : 0;
			int32_t		num = 0;

			while (k < n && p[k] >= '0' && p[k] <= '9' && num < 100000)
				num = num * 10 + (p[k++] - '0');
			if (k == n && n > 0 && p[n - 1] >= '0' && p[n - 1] <= '9')
			{
				b->page = num > 0 ? num : b->page;
				continue;
			}
		}
		if (strip_numbers)
		{
			size_t		k = 0;

			while (k < n && k < 3 && p[k] >= '0' && p[k] <= '9')
				k++;
			if (k > 0 && (k == n || p[k] == ' '))
			{
				while (k < n && p[k] == ' ')
					k++;
				p += k;
				n -= k;
			}
			if (n == 0)
				continue;
		}
		/* "BY MR. SMITH:" names the examining attorney */
		if (n > 4 && memcmp(p, "BY ", 3) == 0 && p[n - 1] == ':')
		{
			examiner = p + 3;
			examiner_len = n - 4;
			while (examiner_len > 0 && examiner[examiner_len - 1] == ' ')
				examiner_len--;
			seg_begin_turn(b, -1, NULL, 0, (int32_t) i + 1, 0.9f);
			seg_put_clean(b, p, n);
			seg_end_turn(b);
			labelled = false;
			continue;
		}
		/* Q and A, with or without a period */
		if ((p[0] == 'Q' || p[0] == 'A') &&
			(n == 1 || p[1] == ' ' || p[1] == '\t' ||
			 (p[1] == '.' && (n == 2 || p[2] == ' ' || p[2] == '\t'))))
		{
			int32_t		sp;
			size_t		k = p[1] == '.' ? 2 : 1;

			/* "Q. (By Mr. Smith) Did you ..." names the examiner too */
			while (k < n && (p[k] == ' ' || p[k] == '\t'))
				k++;
			if (p[0] == 'Q' && k + 4 < n && p[k] == '(' && (p[k + 1] == 'B' || p[k + 1] == 'b') &&
				(p[k + 2] == 'y' || p[k + 2] == 'Y') && p[k + 3] == ' ')
			{
				const char *rp = memchr(p + k, ')', n - k < 60 ? n - k : 60);

				if (rp && rp > p + k + 4)
				{
					examiner = p + k + 4;
					examiner_len = rp - examiner;
					k = rp - p + 1;
				}
			}
			if (p[0] == 'Q')
				sp = examiner ? seg_speaker(b, examiner, examiner_len) : seg_speaker(b, "Q", 1);
			else if (examiner)
				sp = seg_speaker(b, "THE WITNESS", 11);
			else
				sp = seg_speaker(b, "A", 1);	/* an interview, or before any "BY" line */
			seg_begin_turn(b, sp, NULL, 0, (int32_t) i + 1, examiner || p[0] == 'A' ? 0.95f : 0.85f);
			labelled = true;
			while (k < n && (p[k] == ' ' || p[k] == '\t'))
				k++;
			seg_put_clean(b, p + k, n - k);
			continue;
		}
		if ((nl = court_label(p, n, &t)) > 0)
		{
			int32_t		sp = seg_speaker(b, p, nl);

			seg_begin_turn(b, sp, NULL, 0, (int32_t) i + 1, 0.95f);
			labelled = true;
			seg_put_clean(b, p + t, n - t);
			continue;
		}
		/* "(Recess)" and other stage directions stand alone */
		if (p[0] == '(' && p[n - 1] == ')')
		{
			seg_begin_turn(b, -1, NULL, 0, (int32_t) i + 1, 0.9f);
			seg_put_clean(b, p, n);
			seg_end_turn(b);
			labelled = false;
			continue;
		}
		if (seg_current(b) == NULL)
		{
			seg_begin_turn(b, -1, NULL, 0, (int32_t) i + 1, 0.9f);
			labelled = false;
		}
		else
			seg_sep(b, ' ');
		seg_put_clean(b, p, n);
	}
	(void) labelled;
	tx_free(ls.v);
}
