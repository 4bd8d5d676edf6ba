/*
 * segment_label.c
 *	  The speaker label grammar shared by the text-like formats.
 *
 *	  label   := [ "[" time "]" ] name [ "(" time ")" ] { "," affil } [ " " ] ":"
 *	             [ "(" time ")" ]
 *	           | name "  " time          (Otter/Zoom header line, alone)
 *	           | "(" time ")" ":"         (Rev: the same speaker continues)
 *	  name    := word { " " word }       (1-6 words, at most 60 bytes)
 *	  word    := Capitalised word (letters, digits, ' - . inside), a name
 *	             particle (de, del, van, von, ...), or a number after a word
 *	  affil   := Capitalised word { " " (Capitalised word | function word) }
 *
 * A label may wrap over up to two further lines, across blank lines, and
 * spans at most SEG_LABEL_MAX bytes, so reading one is O(1).  Whether a
 * grammatical label is accepted (it may still be prose, "Huawei: ...") is
 * decided by the caller from document statistics.
 */
#include "segment_int.h"

#include <stddef.h>

#define WIN_MAX		(SEG_LABEL_MAX + 8)
#define MAX_WORDS	6
#define MAX_NAME	60

typedef struct window
{
	char		buf[WIN_MAX];
	size_t		n;
	size_t		seg_start[4];	/* buffer position where each line starts */
	size_t		seg_line[4];	/* line index */
	size_t		seg_len[4];
	int			nseg;
} window;

static const char *const particles[] = {
	"al", "bin", "bint", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du",
	"el", "ibn", "la", "le", "st", "ten", "ter", "van", "von", "y", "zu", "zum", "af", "av",
	"e", "des", NULL
};

static const char *const func_words[] = {
	"and", "of", "the", "for", "at", "in", "on", "de", "du", "des", "la", "le", "y", "und",
	"et", "da", "di", "del", "a", "an", "to", "&", "van", "von", "der", "für", "pour",
	"with", NULL
};

static const char *const stopwords[] = {
	"The", "A", "An", "In", "On", "At", "For", "To", "And", "But", "Or", "So", "If", "When",
	"While", "During", "After", "Before", "Let", "My", "Our", "Your", "His", "Her", "Their",
	"Its", "This", "That", "These", "Those", "It", "We", "I", "You", "He", "She", "They",
	"Note", "Example", "Step", "Chapter", "Part", "Section", "Figure", "Table", "Source",
	"Subject", "Date", "Title", "Re", "Update", "Warning", "Tip", "Lesson", "Rule", "Why",
	"What", "How", "Who", "Where", "Here", "There", "Now", "Then", "Also", "Yes", "No",
	"Well", "Oh", "Okay", "OK", "Thank", "Thanks", "Please", "One", "Two", "Three", "First",
	"Second", "Third", "Finally", "Today", "Yesterday", "Tomorrow", "Question", "Answer",
	"Time", "Location", "Place", "Transcript", "Episode", "Keywords", "Summary", NULL
};

static const char *const roles[] = {
	"q", "a", "question", "answer", "audience", "audience member", "journalist", "reporter",
	"moderator", "interviewer", "interviewee", "host", "co-host", "cohost", "guest", "narrator",
	"announcer", "presenter", "anchor", "unknown", "unknown speaker", "unidentified speaker",
	"unidentified male", "unidentified female", "unidentified man", "unidentified woman",
	"male", "female", "man", "woman", "voice", "voices", "crowd", "all", "both", "participant",
	"panelist", "student", "teacher", "speaker", "judge", "witness", "the court", "the witness",
	"the clerk", "clerk", "interpreter", "translator", "chair", "chairman", "chairwoman",
	"operator", "caller", "customer", "agent", "respondent", "juror", "member", "members",
	"multiple speakers", "off camera", "the moderator", "the chairman", "the president",
	"the speaker", "the interpreter", "the reporter", "the defendant", "defendant",
	"prosecutor", "counsel", NULL
};

/*
 * The words of a list chained by first byte (lower case when folding), with
 * their lengths, built once per process: a lookup visits only the words
 * that start with the same byte, and a length mask rejects most at once.
 */
#define WL_MAX		128

typedef struct word_list
{
	const char *const *words;
	bool		ready;
	uint32_t	lens[256];		/* bit len set: some word starts with the byte and has len bytes */
	int16_t		head[256];		/* first word starting with the byte, -1 = none */
	int16_t		next[WL_MAX];
	uint8_t		len[WL_MAX];
} word_list;

static word_list particle_list = {particles, false, {0}, {0}, {0}, {0}};
static word_list func_word_list = {func_words, false, {0}, {0}, {0}, {0}};
static word_list stopword_list = {stopwords, false, {0}, {0}, {0}, {0}};
static word_list role_list = {roles, false, {0}, {0}, {0}, {0}};

static void
word_list_build(word_list *wl)
{
	int			i;
	int			n = 0;

	while (wl->words[n])
		n++;
	memset(wl->head, -1, sizeof(wl->head));
	/* chained back to front so each chain keeps the list's order */
	for (i = n - 1; i >= 0; i--)
	{
		unsigned char c = (unsigned char) wl->words[i][0];
		size_t		l = strlen(wl->words[i]);

		wl->len[i] = (uint8_t) l;
		wl->lens[c] |= UINT32_C(1) << l;	/* every word is shorter than 32 bytes */
		wl->next[i] = wl->head[c];
		wl->head[c] = (int16_t) i;
	}
	wl->ready = true;
}

static bool
word_in(const char *w, size_t len, word_list *wl, bool ci)
{
	int			i;
	unsigned char first;

	if (len == 0)
		return false;
	if (!wl->ready)
		word_list_build(wl);
	first = (unsigned char) ((ci && w[0] >= 'A' && w[0] <= 'Z') ? w[0] - 'A' + 'a' : w[0]);
	if (len >= 32 || !(wl->lens[first] & (UINT32_C(1) << len)))
		return false;
	for (i = wl->head[first]; i >= 0; i = wl->next[i])
	{
		const char *b = wl->words[i];
		size_t		k;

		if (wl->len[i] != len)
			continue;
		for (k = 1; k < len; k++)
		{
			char		a = w[k];

			if (ci && a >= 'A' && a <= 'Z')
				a = a - 'A' + 'a';
			if (a != b[k])
				break;
		}
		if (k == len)
			return true;
	}
	return false;
}

bool
seg_is_role(const char *s, size_t len)
{
	/* "Speaker 2", "Juror 12": drop a trailing number */
	size_t		l = len;

	while (l > 0 && s[l - 1] >= '0' && s[l - 1] <= '9')
		l--;
	if (l < len)
	{
		if (l == 0 || s[l - 1] != ' ')
			l = len;
		else
			l--;
	}
	return word_in(s, l, &role_list, true);
}

/* fill the window from line li on */
static void
fill_window(window *w, const char *s, const seg_lines *lines, size_t li)
{
	size_t		k = li;
	int			extra = 0;

	w->n = 0;
	w->nseg = 0;
	while (k < lines->n && w->nseg < 3 && w->n < SEG_LABEL_MAX)
	{
		const seg_line *l = &lines->v[k];

		if (l->kind == SEG_L_TEXT)
		{
			size_t		take = l->len;

			if (w->nseg > 0)
				w->buf[w->n++] = ' ';
			if (take > SEG_LABEL_MAX - w->n)
				take = SEG_LABEL_MAX - w->n;
			w->seg_start[w->nseg] = w->n;
			w->seg_line[w->nseg] = k;
			w->seg_len[w->nseg] = take;
			w->nseg++;
			memcpy(w->buf + w->n, s + l->off, take);
			w->n += take;
		}
		else if (l->kind == SEG_L_BLANK || l->kind == SEG_L_PAGENUM || l->kind == SEG_L_HEADER)
		{
			if (++extra > 6)
				break;
		}
		else
			break;
		k++;
	}
	w->buf[w->n] = '\0';
}

/*
 * Every form of label has a colon within the window (Otter's "0:00"
 * included): look for one first, which rejects most lines at once.
 */
static bool
colon_ahead(const char *s, const seg_lines *lines, size_t li)
{
	size_t		k = li;
	size_t		budget = SEG_LABEL_MAX;
	int			nseg = 0,
				extra = 0;

	while (k < lines->n && nseg < 3 && budget > 0)
	{
		const seg_line *l = &lines->v[k];

		if (l->kind == SEG_L_TEXT)
		{
			size_t		take = l->len < budget ? l->len : budget;

			if (memchr(s + l->off, ':', take))
				return true;
			budget -= take;
			budget = budget > 0 ? budget - 1 : 0;
			nseg++;
		}
		else if (l->kind == SEG_L_BLANK || l->kind == SEG_L_PAGENUM || l->kind == SEG_L_HEADER)
		{
			if (++extra > 6)
				break;
		}
		else
			break;
		k++;
	}
	return false;
}

/* map a window position to (absolute offset, line index) */
static void
map_pos(const window *w, const seg_lines *lines, size_t q, size_t *abs, int *line)
{
	int			i;

	for (i = w->nseg - 1; i >= 0; i--)
	{
		if (q >= w->seg_start[i])
		{
			size_t		d = q - w->seg_start[i];

			if (d > w->seg_len[i])
				d = w->seg_len[i];
			*abs = lines->v[w->seg_line[i]].off + d;
			*line = (int) w->seg_line[i];
			return;
		}
	}
	*abs = lines->v[w->seg_line[0]].off;
	*line = (int) w->seg_line[0];
}

static size_t
skip_spaces(const char *b, size_t n, size_t i)
{
	while (i < n && (b[i] == ' ' || b[i] == '\t'))
		i++;
	return i;
}

/* "(12:34)" or "[1:02:03.5]" at b[i]: returns bytes consumed, 0 if none */
static size_t
read_bracket_time(const char *b, size_t n, size_t i, int64_t *ms)
{
	size_t		t;
	char		close;

	if (i >= n || (b[i] != '(' && b[i] != '['))
		return 0;
	close = b[i] == '(' ? ')' : ']';
	t = seg_parse_time(b + i + 1, n - i - 1, ms);
	if (t == 0 || i + 1 + t >= n || b[i + 1 + t] != close)
		return 0;
	return t + 2;
}

/*
 * One word at b[i]: returns its length (0 if not a word).  *cap says whether
 * it is capitalised (or all digits: *num).
 */
static size_t
read_word(const char *b, size_t n, size_t i, bool *cap, bool *num, bool *lower)
{
	size_t		j = i;
	int32_t		cp;
	bool		digits = true;

	*cap = *num = *lower = false;
	if (i >= n)
		return 0;
	{
		size_t		k = i;

		cp = seg_next_cp(b, n, &k);
	}
	if (cp >= '0' && cp <= '9')
	{
		/* a number, or a word that starts with one: "5G", "3M", "21st" */
		while (j < n && ((b[j] >= '0' && b[j] <= '9') || (b[j] >= 'a' && b[j] <= 'z') ||
						 (b[j] >= 'A' && b[j] <= 'Z')))
			j++;
		*num = true;
		return j - i;
	}
	if (cp == '&')
	{
		*lower = true;
		return 1;
	}
	if (!seg_cp_alpha(cp))
		return 0;
	*cap = seg_cp_upper(cp);
	*lower = seg_cp_lower(cp);
	while (j < n)
	{
		size_t		k = j;
		int32_t		c;

		/* ASCII letters and digits, the usual case, without decoding */
		if ((unsigned char) ((b[j] | 0x20) - 'a') < 26 || (b[j] >= '0' && b[j] <= '9'))
		{
			if (!(b[j] >= '0' && b[j] <= '9'))
				digits = false;
			j++;
			continue;
		}
		c = seg_next_cp(b, n, &k);
		if (seg_cp_alpha(c) || (c >= '0' && c <= '9'))
		{
			if (!(c >= '0' && c <= '9'))
				digits = false;
			j = k;
		}
		else if ((c == '\'' || c == 0x2019 || c == '-' || c == '.' || c == '&' || c == '/') && k < n)
		{
			/* inside a word only if a letter follows (O'Brien, Jean-Luc, J.R.) */
			size_t		k2 = k;
			int32_t		c2 = seg_next_cp(b, n, &k2);

			if (seg_cp_alpha(c2))
				j = k;
			else if (c == '.')
			{
				j = k;			/* abbreviation: "Mr." "Jr." */
				break;
			}
			else
				break;
		}
		else if (c == '.')
		{
			j = k;
			break;
		}
		else
			break;
	}
	(void) digits;
	return j - i;
}

/*
 * Read a name at b[i]; returns the end position (i if none) and counts words.
 */
static size_t
read_name(const char *b, size_t n, size_t i, int *nwords, bool *stop)
{
	size_t		end = i;
	size_t		p = i;
	int			words = 0,
				all = 0;

	*stop = false;
	while (p < n && all < MAX_WORDS + 2)
	{
		bool		cap,
					num,
					lower;
		size_t		wl = read_word(b, n, p, &cap, &num, &lower);

		if (wl == 0)
			break;
		if (cap)
		{
			if (all == 0 && word_in(b + p, wl, &stopword_list, false))
				*stop = true;
			/* "Q." "Mr." are fine; a sentence-final period is not part of a name */
			words++;
		}
		else if (num)
		{
			if (words == 0)
				break;			/* "2020:" is no name */
		}
		else if (lower)
		{
			/* particles only between capitalised words */
			if (words == 0 || !word_in(b + p, wl, &particle_list, false))
				break;
		}
		else
			break;
		all++;
		p += wl;
		if (cap || num)
			end = p;
		if (p - i > MAX_NAME)
			return i;
		if (p < n && b[p] == ' ' && p + 1 < n && b[p + 1] != ' ')
			p++;
		else
			break;
	}
	if (words == 0 || words > MAX_WORDS)
		return i;
	*nwords = words;
	return end;
}

/*
 * One affiliation segment: a capitalised word, then capitalised or function
 * words; with loose, other lower-case words too ("Beijing bureau chief").
 */
static size_t
read_affil_segment_x(const char *b, size_t n, size_t i, bool loose)
{
	size_t		p = i;
	size_t		end = i;
	int			words = 0;

	while (p < n && words < 12)
	{
		bool		cap,
					num,
					lower;
		size_t		wl = read_word(b, n, p, &cap, &num, &lower);

		if (wl == 0)
			break;
		if (!(cap || num))
		{
			if (words == 0 || (!loose && !word_in(b + p, wl, &func_word_list, true)))
				break;
		}
		/* a period ends a sentence unless the label goes on right after it
		 * ("Acme Inc.:", "Acme Inc., Paris:") */
		if (b[p + wl - 1] == '.' && !(p + wl < n && (b[p + wl] == ':' || b[p + wl] == ',')))
			break;
		words++;
		p += wl;
		if (cap || num || loose)
			end = p;
		if (p < n && b[p] == ' ' && p + 1 < n && b[p + 1] != ' ')
			p++;
		else
			break;
	}
	return end;
}

static size_t
read_affil_segment(const char *b, size_t n, size_t i)
{
	return read_affil_segment_x(b, n, i, false);
}

bool
seg_read_label(const char *s, const seg_lines *lines, size_t li, seg_label *out)
{
	window		w;
	const char *b;
	size_t		n,
				p,
				name_s,
				name_e,
				affil_s = 0,
				affil_e = 0,
				colon,
				first_len;
	int64_t		ms = SEG_NO_TIME,
				t;
	size_t		tl;
	int			nwords = 0;
	bool		stop;
	char		bold = 0;

	/* most lines start with a byte no label starts with */
	if (li < lines->n && lines->v[li].kind == SEG_L_TEXT &&
		!seg_label_first_ok(lines->v[li].first))
		return false;
	if (!colon_ahead(s, lines, li))
		return false;
	/* the affiliation buffer is filled only up to affil_len: clear the rest */
	memset(out, 0, offsetof(seg_label, affil));
	memset(&out->affil_len, 0, sizeof(*out) - offsetof(seg_label, affil_len));
	out->time_ms = SEG_NO_TIME;
	fill_window(&w, s, lines, li);
	b = w.buf;
	n = w.n;
	first_len = w.nseg > 0 ? w.seg_len[0] : 0;
	if (n == 0)
		return false;

	p = 0;
	/* "(02:10):" alone: Rev's mark that the same speaker goes on */
	if ((tl = read_bracket_time(b, n, 0, &t)) > 0)
	{
		size_t		q = tl;

		if (q < first_len && b[q] == ':')
			q++;
		if (skip_spaces(b, n, q) >= first_len)
		{
			out->time_only = true;
			out->time_ms = t;
			out->own_line = true;
			out->body_off = lines->v[li].off + lines->v[li].len;
			out->end_line = (int) li;
			return true;
		}
		/* "[00:01:02] Name:" */
		p = skip_spaces(b, n, tl);
		ms = t;
	}
	else if (b[0] >= '0' && b[0] <= '9' && (tl = seg_parse_time(b, first_len, &t)) > 0 &&
			 tl < first_len && b[tl] == ' ')
	{
		/* "00:01:02 Name:" */
		p = skip_spaces(b, n, tl);
		ms = t;
	}
	/* Markdown bold: "**Name:** text", "**Name**: text" */
	if (p + 2 < n && ((b[p] == '*' && b[p + 1] == '*') || (b[p] == '_' && b[p + 1] == '_')))
	{
		bold = b[p];
		p += 2;
	}

	name_s = p;
	name_e = read_name(b, n, p, &nwords, &stop);
	if (name_e == name_s)
		return false;
	p = name_e;

	/* Otter/Zoom: "Name  0:00" alone on its line */
	if (name_e < first_len && b[name_e] == ' ')
	{
		size_t		q = skip_spaces(b, first_len, name_e);

		tl = seg_parse_time(b + q, first_len - q, &t);
		if (tl > 0 && q + tl == first_len && q > name_e)
		{
			out->otter = true;
			out->own_line = true;
			out->time_ms = t;
			goto found_name;
		}
	}

	/* "Name (00:10):" */
	if (p < n && b[p] == ' ' && (tl = read_bracket_time(b, n, p + 1, &t)) > 0)
	{
		ms = t;
		p += 1 + tl;
	}
	/* "Journalist from Le Monde:" */
	if (p + 6 < n && memcmp(b + p, " from ", 6) == 0)
	{
		size_t		e = read_affil_segment(b, n, p + 6);

		if (e > p + 6 && e < n && (b[e] == ':' || b[e] == ',' || (b[e] == ' ' && e + 1 < n && b[e + 1] == ':')))
		{
			affil_s = p + 6;
			affil_e = e;
			p = e;
		}
	}
	/* affiliations: ", Title, Organisation" */
	while (p + 2 < n && b[p] == ',' && b[p + 1] == ' ')
	{
		/* a two-word name or a role may have a title in lower case */
		bool		loose = (nwords >= 2 && !stop) ||
			seg_is_role(b + name_s, name_e - name_s);
		size_t		e = read_affil_segment_x(b, n, p + 2, loose);

		if (e == p + 2)
			return false;
		if (affil_s == 0)
			affil_s = p + 2;
		affil_e = e;
		p = e;
	}
	/* "Name (Organisation):" */
	if (affil_s == 0 && p + 1 < n && b[p] == ' ' && b[p + 1] == '(')
	{
		size_t		e = read_affil_segment(b, n, p + 2);

		if (e > p + 2 && e < n && b[e] == ')')
		{
			affil_s = p + 2;
			affil_e = e;
			p = e + 1;
		}
	}
	/* "Name, Org :" */
	if (p + 1 < n && b[p] == ' ' && b[p + 1] == ':')
		p++;
	if (bold && p + 2 < n && b[p] == bold && b[p + 1] == bold && b[p + 2] == ':')
		p += 2;
	if (p >= n || b[p] != ':')
		return false;
	colon = p;
	/* "://" is a URL, "10:30" a time */
	if (colon + 1 < n && (b[colon + 1] == '/' || (b[colon + 1] >= '0' && b[colon + 1] <= '9')))
		return false;
	/* what follows the colon on its own line */
	{
		int			cs;
		size_t		segend;

		for (cs = w.nseg - 1; cs > 0 && w.seg_start[cs] > colon; cs--)
			;
		segend = w.seg_start[cs] + w.seg_len[cs];
		p = colon + 1;
		if (bold && p + 1 < segend && b[p] == bold && b[p + 1] == bold)
			p += 2;				/* "**Name:**" */
		p = skip_spaces(b, segend, p);
		/* "Name: (01:12)" */
		if (p < segend && (tl = read_bracket_time(b, segend, p, &t)) > 0)
		{
			ms = t;
			p = skip_spaces(b, segend, p + tl);
		}
		out->time_ms = ms;
		if (p >= segend)
		{
			/* nothing after the label on that line: the text starts on the next */
			out->own_line = true;
			out->body_off = lines->v[w.seg_line[cs]].off + lines->v[w.seg_line[cs]].len;
			out->end_line = (int) w.seg_line[cs];
		}
		else
		{
			size_t		abs;
			int			line;

			map_pos(&w, lines, p, &abs, &line);
			out->body_off = abs;
			out->end_line = line;
		}
	}
	if (p < n)
	{
		size_t		k = p;
		int32_t		c;

		c = seg_next_cp(b, n, &k);
		while ((c == '"' || c == 0x201C || c == '\'' || c == 0x2018 || c == '(') && k < n)
			c = seg_next_cp(b, n, &k);
		out->lower_after = seg_cp_lower(c);
	}

found_name:
	{
		size_t		abs;
		int			line;

		map_pos(&w, lines, name_s, &abs, &line);
		out->name_off = abs;
		out->name_len = name_e - name_s;
		if (affil_s)
		{
			/* copied from the window: a wrapped affiliation has spaces for line breaks */
			out->affil_len = affil_e - affil_s;
			memcpy(out->affil, b + affil_s, out->affil_len);
		}
		/* a name must not wrap */
		map_pos(&w, lines, name_s, &abs, &line);
		if (abs + out->name_len > lines->v[line].off + lines->v[line].len)
			return false;
	}
	if (out->otter)
	{
		out->body_off = lines->v[li].off + lines->v[li].len;
		out->end_line = (int) li;
	}
	out->ntokens = nwords;
	out->stopword = stop;
	out->role = seg_is_role(s + out->name_off, out->name_len);
	return true;
}

bool
seg_inline_label(const char *p, size_t n, size_t *name_len, size_t *text_start, bool brackets)
{
	int			nwords = 0;
	bool		stop;
	size_t		e;

	if (n > SEG_LABEL_MAX)
		n = SEG_LABEL_MAX;
	if (brackets && n > 2 && p[0] == '[')
	{
		e = read_name(p, n, 1, &nwords, &stop);
		if (e == 1 || e >= n || p[e] != ']' || (stop && nwords == 1))
			return false;
		*name_len = e - 1;
		*text_start = skip_spaces(p, n, e + 1);
		return true;
	}
	e = read_name(p, n, 0, &nwords, &stop);
	if (e == 0 || e >= n)
		return false;
	if (p[e] == ' ' && e + 1 < n && p[e + 1] == ':')
		e++;
	if (p[e] != ':' || (e + 1 < n && p[e + 1] != ' ' && p[e + 1] != '\t'))
		return false;
	if (stop && !seg_is_role(p, e))
		return false;
	*name_len = (p[e - 1] == ' ') ? e - 1 : e;
	*text_start = skip_spaces(p, n, e + 1);
	return true;
}
