/*
 * segment_text.c
 *	  Prose transcripts with speaker labels: PDF-extracted text (page numbers,
 *	  running headers, hard wraps, hyphenation), scripts with "Name:"
 *	  paragraphs, labels on their own line, Rev and Otter exports.
 *
 * Stages, each one pass over the lines:
 *	 1. split into lines;
 *	 2. layout: page-number lines, page starts, running headers and footers
 *		(short lines that repeat next to page breaks), sections;
 *	 3. statistics: how often each label candidate's name occurs, which
 *		de-hyphenated words occur elsewhere;
 *	 4. build: accept labels, join wrapped lines, emit turns.
 */
#include "segment_int.h"

/* ------------------------------------------------------------- counting hash */

typedef struct strcount
{
	uint64_t   *hash;
	uint32_t   *count;
	size_t	   *koff;
	uint32_t   *klen;
	size_t		cap;
	size_t		used;
	tx_buf		keys;
} strcount;

static uint64_t
hash64(const char *s, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		h ^= (unsigned char) s[i];
		h *= 1099511628211ULL;
	}
	return h | 1;				/* never 0: 0 marks an empty slot */
}

static void
sc_init(strcount *c)
{
	memset(c, 0, sizeof(*c));
	tx_buf_init(&c->keys, 64);
}

static void
sc_free(strcount *c)
{
	tx_free(c->hash);
	tx_free(c->count);
	tx_free(c->koff);
	tx_free(c->klen);
	tx_buf_free(&c->keys);
}

static void
sc_grow(strcount *c)
{
	size_t		ncap = c->cap ? c->cap * 2 : 64;
	uint64_t   *nh = tx_alloc0(ncap * sizeof(uint64_t));
	uint32_t   *nc = tx_alloc0(ncap * sizeof(uint32_t));
	size_t	   *no = tx_alloc0(ncap * sizeof(size_t));
	uint32_t   *nl = tx_alloc0(ncap * sizeof(uint32_t));
	size_t		i;

	for (i = 0; i < c->cap; i++)
	{
		if (c->hash[i])
		{
			size_t		j = c->hash[i] & (ncap - 1);

			while (nh[j])
				j = (j + 1) & (ncap - 1);
			nh[j] = c->hash[i];
			nc[j] = c->count[i];
			no[j] = c->koff[i];
			nl[j] = c->klen[i];
		}
	}
	tx_free(c->hash);
	tx_free(c->count);
	tx_free(c->koff);
	tx_free(c->klen);
	c->hash = nh;
	c->count = nc;
	c->koff = no;
	c->klen = nl;
	c->cap = ncap;
}

/* slot of key, adding it (count 0) if add; -1 if absent and !add */
static long
sc_slot(strcount *c, const char *k, size_t len, bool add)
{
	uint64_t	h;
	size_t		j;

	if (len > 100000)
		len = 100000;
	if (c->cap == 0 || (add && c->used * 2 >= c->cap))
	{
		if (!add)
			return -1;
		sc_grow(c);
	}
	h = hash64(k, len);
	j = h & (c->cap - 1);
	while (c->hash[j])
	{
		if (c->hash[j] == h && c->klen[j] == len &&
			memcmp(c->keys.data + c->koff[j], k, len) == 0)
			return (long) j;
		j = (j + 1) & (c->cap - 1);
	}
	if (!add)
		return -1;
	c->hash[j] = h;
	c->count[j] = 0;
	c->koff[j] = c->keys.len;
	c->klen[j] = (uint32_t) len;
	tx_buf_append(&c->keys, k, len);
	c->used++;
	return (long) j;
}

static uint32_t
sc_get(strcount *c, const char *k, size_t len)
{
	long		j = sc_slot(c, k, len, false);

	return j < 0 ? 0 : c->count[j];
}

/* ------------------------------------------------------------- line tests */

static inline const char *
L(const char *s, const seg_line *l)
{
	return s + l->off;
}

/* a page number or page mark: "12", "- 12 -", "Page 12", "12 of 30", "[[Page S8537]]" */
static bool
is_page_number(const char *p, size_t n)
{
	size_t		i = 0,
				d;

	if (n == 0 || n > 24)
		return false;
	if (n > 5 && (memcmp(p, "Page ", 5) == 0 || memcmp(p, "PAGE ", 5) == 0))
		i = 5;
	else if (p[0] == '-' || p[0] == '\xe2')
	{
		/* "- 12 -" or "– 12 –" */
		while (i < n && !(p[i] >= '0' && p[i] <= '9'))
		{
			if (p[i] != '-' && p[i] != ' ' && (unsigned char) p[i] < 0x80)
				return false;
			i++;
		}
	}
	d = i;
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i == d || i - d > 4)
		return false;
	if (i == n)
		return true;
	if (n - i > 4 && memcmp(p + i, " of ", 4) == 0)
	{
		size_t		e = i + 4;

		while (e < n && p[e] >= '0' && p[e] <= '9')
			e++;
		return e == n && e > i + 4;
	}
	while (i < n && (p[i] == ' ' || p[i] == '-' || (unsigned char) p[i] >= 0x80))
		i++;
	return i == n && d > 0;
}

/* does the line end mid-sentence (letter, digit, comma...)? */
static bool
ends_open(const char *p, size_t n)
{
	unsigned char c;
	size_t		i;

	if (n == 0)
		return false;
	c = (unsigned char) p[n - 1];
	if (c < 0x80)
	{
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == ',' || c == ';' || c == '&' || c == '(')
			return true;
		/* a final hyphen is open only before a lower-case word, which is never
		 * a label; before a label it marks an interruption ("Senator Harris-") */
		return false;
	}
	/* a letter outside ASCII */
	i = n - 1;
	while (i > 0 && ((unsigned char) p[i] & 0xC0) == 0x80)
		i--;
	{
		size_t		k = i;
		int32_t		cp = seg_next_cp(p, n, &k);

		return seg_cp_alpha(cp);
	}
}

/* a short line without lower-case letters ("INTRODUCTION", "VOLUME I") */
static bool
is_caps_heading(const char *p, size_t n)
{
	size_t		i;
	bool		letter = false;

	if (n > 60)
		return false;
	for (i = 0; i < n; i++)
	{
		if (p[i] >= 'a' && p[i] <= 'z')
			return false;
		if (p[i] >= 'A' && p[i] <= 'Z')
			letter = true;
	}
	return letter;
}

static bool
starts_lower(const char *p, size_t n)
{
	size_t		k = 0;

	return n > 0 && seg_cp_lower(seg_next_cp(p, n, &k));
}

/* header key: the line with digits folded, so "Page 3 of 9" repeats */
static void
header_key(const char *p, size_t n, tx_buf *k)
{
	size_t		i;

	tx_buf_reset(k);
	tx_buf_reserve(k, n);
	for (i = 0; i < n; i++)
		k->data[i] = (p[i] >= '0' && p[i] <= '9') ? '#' : p[i];
	k->len = n;
	k->data[n] = '\0';
}

/* the hash64 of header_key's output, without building it */
static uint64_t
header_hash(const char *p, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		h ^= (unsigned char) ((p[i] >= '0' && p[i] <= '9') ? '#' : p[i]);
		h *= 1099511628211ULL;
	}
	return h | 1;
}

/* ------------------------------------------------------------- layout */

typedef struct layout
{
	int			pagenums;		/* page-number lines */
	bool		paged;			/* page numbers seen: count pages */
	int32_t    *span_line;		/* section spans: first line of each */
	int32_t    *span_sec;		/* section of each */
	size_t		nspans;
} layout;

static bool
is_standalone(const seg_lines *ls, size_t i)
{
	bool		before = (i == 0) || ls->v[i - 1].kind != SEG_L_TEXT;
	bool		after = (i + 1 >= ls->n) || ls->v[i + 1].kind != SEG_L_TEXT;

	return before && after;
}

static void
do_layout(seg_builder *b, const char *s, seg_lines *ls, layout *lay)
{
	size_t		i;
	size_t		ntext = 0,
				nindent1 = 0;
	strcount	hc;
	tx_buf		key;
	int32_t    *occ_line = NULL;
	int32_t    *occ_sec = NULL;
	size_t		nocc = 0,
				occ_cap = 0;

	memset(lay, 0, sizeof(*lay));

	/* page numbers: a short number line next to a blank line or a page start */
	for (i = 0; i < ls->n; i++)
	{
		seg_line   *l = &ls->v[i];

		if ((i & SEG_CHECK_EVERY) == 0)
			tx_check_interrupts();
		if (l->kind != SEG_L_TEXT)
			continue;
		ntext++;
		if (l->indent == 1)
			nindent1++;
		/* a page number starts with a digit, "Page", "-" or a dash */
		if (l->len <= 24 &&
			((l->first >= '0' && l->first <= '9') || l->first == 'P' || l->first == '-' ||
			 l->first == 0xE2) &&
			is_page_number(L(s, l), l->len))
		{
			bool		prev_blank = (i == 0) || ls->v[i - 1].kind != SEG_L_TEXT;
			bool		next_blank = (i + 1 >= ls->n) || ls->v[i + 1].kind != SEG_L_TEXT ||
				ls->v[i + 1].indent == 1 || (ls->v[i + 1].flags & SEG_LF_FORMFEED);

			/* alone between blank lines (or before a page start): "25" as the
			 * answer right under a label line is kept */
			if ((prev_blank && next_blank) || (l->flags & SEG_LF_FORMFEED))
			{
				l->kind = SEG_L_PAGENUM;
				lay->pagenums++;
			}
		}
	}
	/* "[[Page S8537]]" style marks were handled by the hearing stage */

	/* page starts: after a page number, a form feed, or (in paged text) a line
	 * indented by exactly one space, pdftotext's mark of a new page */
	{
		bool		after_num = false;
		bool		indent_marks = lay->pagenums >= 2 && nindent1 * 10 < ntext;

		for (i = 0; i < ls->n; i++)
		{
			seg_line   *l = &ls->v[i];

			if (l->kind == SEG_L_PAGENUM)
			{
				after_num = true;
				continue;
			}
			if (l->kind != SEG_L_TEXT)
				continue;
			if (after_num || (indent_marks && l->indent == 1))
				l->flags |= SEG_LF_PAGESTART;
			after_num = false;
		}
		lay->paged = lay->pagenums >= 2 || indent_marks;
		for (i = 0; i < ls->n && !lay->paged; i++)
			if (ls->v[i].flags & SEG_LF_FORMFEED)
				lay->paged = true;
	}

	/* running headers and footers: the first line of a page and the last line
	 * before a page number, when the same text recurs there */
	sc_init(&hc);
	tx_buf_init(&key, 128);
	{
		long		last_text = -1;

		for (i = 0; i < ls->n; i++)
		{
			seg_line   *l = &ls->v[i];

			if ((i & SEG_CHECK_EVERY) == 0)
				tx_check_interrupts();
			if (l->kind == SEG_L_TEXT && l->len >= 4 && l->len <= 120)
			{
				bool		first_of_page = false;

				/* first text line after page numbers */
				if (i > 0)
				{
					long		k = (long) i - 1;

					while (k >= 0 && ls->v[k].kind == SEG_L_BLANK)
						k--;
					first_of_page = k >= 0 && ls->v[k].kind == SEG_L_PAGENUM;
				}
				if (first_of_page || (l->flags & SEG_LF_FORMFEED))
				{
					long		j;

					header_key(L(s, l), l->len, &key);
					j = sc_slot(&hc, key.data, key.len, true);
					hc.count[j] += 2;
				}
			}
			if (l->kind == SEG_L_PAGENUM && last_text >= 0)
			{
				/* footer candidate: the line before a page number (once) */
				seg_line   *f = &ls->v[last_text];

				if (f->len >= 4 && f->len <= 120 && is_standalone(ls, (size_t) last_text) &&
					!(f->flags & SEG_LF_FORMFEED))
				{
					long		j;

					header_key(L(s, f), f->len, &key);
					j = sc_slot(&hc, key.data, key.len, true);
					hc.count[j] += 2;
				}
				last_text = -1;
				continue;
			}
			if (l->kind == SEG_L_TEXT)
				last_text = (long) i;
		}
	}
	/* a header recurs next to page breaks (weight >= 4) and is no label or
	 * stage direction; mark every standalone or page-adjacent occurrence */
	if (hc.used > 0)
	{
		uint64_t   *filter = tx_alloc0(1024 * sizeof(uint64_t));
		uint64_t   *shape = tx_alloc0(256 * 2 * sizeof(uint64_t));	/* [first byte] bit length */
		size_t		j;

		for (j = 0; j < hc.cap; j++)
			if (hc.hash[j] && hc.count[j] >= 4)
			{
				uint32_t	f = (uint32_t) (hc.hash[j] >> 48);
				unsigned char c0 = (unsigned char) hc.keys.data[hc.koff[j]];
				uint32_t	kl = hc.klen[j];

				filter[f >> 6] |= UINT64_C(1) << (f & 63);
				if (kl < 128)
					shape[c0 * 2 + (kl >> 6)] |= UINT64_C(1) << (kl & 63);
			}
		for (i = 0; i < ls->n; i++)
		{
			seg_line   *l = &ls->v[i];
			uint32_t	c;
			bool		adjacent;
			uint64_t	h;
			uint32_t	f;

			if ((i & SEG_CHECK_EVERY) == 0)
				tx_check_interrupts();
			if (l->kind != SEG_L_TEXT || l->len < 4 || l->len > 120)
				continue;
			if (l->first == '(' || l->first == '[')
				continue;
			{
				unsigned char c0 = l->first;

				/* no header starts with this byte and has this length */
				if (c0 >= '0' && c0 <= '9')
					c0 = '#';
				if (!(shape[c0 * 2 + (l->len >> 6)] & (UINT64_C(1) << (l->len & 63))))
					continue;
			}
			adjacent = is_standalone(ls, i);
			if (!adjacent)
			{
				long		k = (long) i - 1;

				while (k >= 0 && ls->v[k].kind == SEG_L_BLANK)
					k--;
				adjacent = k >= 0 && ls->v[k].kind == SEG_L_PAGENUM;
			}
			if (!adjacent)
				continue;
			h = header_hash(L(s, l), l->len);
			f = (uint32_t) (h >> 48);
			if (!(filter[f >> 6] & (UINT64_C(1) << (f & 63))))
				continue;
			header_key(L(s, l), l->len, &key);
			c = sc_get(&hc, key.data, key.len);
			if (c >= 4)
			{
				l->kind = SEG_L_HEADER;
				if (nocc == occ_cap)
				{
					occ_cap = occ_cap ? occ_cap * 2 : 16;
					occ_line = tx_realloc(occ_line, occ_cap * sizeof(int32_t));
					occ_sec = tx_realloc(occ_sec, occ_cap * sizeof(int32_t));
				}
				occ_line[nocc] = (int32_t) i;
				/* the section is the header text with page numbers cut off */
				{
					const char *p = L(s, l);
					size_t		n = l->len;

					while (n > 0 && ((p[n - 1] >= '0' && p[n - 1] <= '9') || p[n - 1] == ' ' ||
									 p[n - 1] == '|'))
						n--;
					while (n > 0 && ((p[0] >= '0' && p[0] <= '9') || p[0] == ' ' || p[0] == '|'))
						p++, n--;
					occ_sec[nocc] = n > 0 ? seg_section(b, p, n) : -1;
				}
				nocc++;
			}
		}
		tx_free(filter);
		tx_free(shape);
	}
	sc_free(&hc);
	tx_buf_free(&key);

	/* sections: from a header on; a new header's section starts at the first
	 * page break after the previous section's last occurrence */
	if (nocc > 0)
	{
		size_t		k;

		lay->span_line = tx_alloc((nocc + 1) * sizeof(int32_t));
		lay->span_sec = tx_alloc((nocc + 1) * sizeof(int32_t));
		lay->span_line[0] = 0;
		lay->span_sec[0] = occ_sec[0];
		lay->nspans = 1;
		for (k = 0; k + 1 < nocc; k++)
		{
			if (occ_sec[k + 1] != occ_sec[k])
			{
				int32_t		bl = occ_line[k + 1];
				int32_t		j;

				for (j = occ_line[k] + 1; j < occ_line[k + 1]; j++)
				{
					tx_check_interrupts();
					if (ls->v[j].kind == SEG_L_PAGENUM ||
						(ls->v[j].kind == SEG_L_TEXT && (ls->v[j].flags & SEG_LF_PAGESTART)))
					{
						bl = j;
						break;
					}
				}
				lay->span_line[lay->nspans] = bl;
				lay->span_sec[lay->nspans] = occ_sec[k + 1];
				lay->nspans++;
			}
		}
	}
	tx_free(occ_line);
	tx_free(occ_sec);
}

/* ------------------------------------------------------------- words */

static inline bool
word_byte(unsigned char c)
{
	return (unsigned char) ((c | 0x20) - 'a') < 26 || c >= 0x80;
}

static void
lower_append(tx_buf *k, const char *p, size_t n)
{
	size_t		i;
	char	   *d;

	tx_buf_reserve(k, n);
	d = k->data + k->len;
	for (i = 0; i < n; i++)
	{
		char		c = p[i];

		d[i] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
	}
	k->len += n;
	k->data[k->len] = '\0';
}

/* the word before a line-final hyphen: p[*ws .. n-1) */
static bool
hyphen_prefix(const char *p, size_t n, size_t *ws)
{
	size_t		i;

	if (n < 2 || p[n - 1] != '-' || !word_byte((unsigned char) p[n - 2]) || p[n - 2] == '-')
		return false;
	i = n - 1;
	while (i > 0 && word_byte((unsigned char) p[i - 1]))
		i--;
	*ws = i;
	return true;
}

static size_t
first_word_len(const char *p, size_t n)
{
	size_t		i = 0;

	while (i < n && word_byte((unsigned char) p[i]))
		i++;
	return i;
}

static const char *const connectors[] = {
	"and", "or", "to", "nor", "und", "oder", "bis", "et", "ou", "y", "o", "e", NULL
};

static bool
is_connector(const char *p, size_t n)
{
	int			i;

	for (i = 0; connectors[i]; i++)
		if (strlen(connectors[i]) == n && memcmp(connectors[i], p, n) == 0)
			return true;
	return false;
}

static long
next_text(const seg_lines *ls, size_t i)
{
	size_t		k;

	for (k = i + 1; k < ls->n; k++)
	{
		if (ls->v[k].kind == SEG_L_TEXT)
			return (long) k;
		if (ls->v[k].kind == SEG_L_SKIP)
			return -1;
	}
	return -1;
}

/* a word ends at [st, e): count it if it is a candidate */
static inline void
word_seen(const char *s, size_t st, size_t e, const uint64_t *filter, strcount *words, tx_buf *k)
{
	long		slot;

	if (e - st >= 64 || !(filter[(unsigned char) s[st]] & (UINT64_C(1) << (e - st))))
		return;
	tx_buf_reset(k);
	lower_append(k, s + st, e - st);
	slot = sc_slot(words, k->data, k->len, false);
	if (slot >= 0)
		words->count[slot]++;
}

#ifdef __SSE2__
#include <emmintrin.h>

/* bit i set when p[i] is a word byte (ASCII letter or part of a non-ASCII character) */
static inline uint64_t
word_mask64(const char *p)
{
	const __m128i bias = _mm_set1_epi8((char) 0x20);
	const __m128i a = _mm_set1_epi8('a');
	const __m128i flip = _mm_set1_epi8((char) 0x80);
	const __m128i lim = _mm_set1_epi8((char) (0x80 + 26));
	uint64_t	m = 0;
	int			k;

	for (k = 0; k < 4; k++)
	{
		__m128i		x = _mm_loadu_si128((const __m128i *) (p + 16 * k));
		__m128i		t = _mm_xor_si128(_mm_sub_epi8(_mm_or_si128(x, bias), a), flip);
		uint32_t	letters = (uint32_t) _mm_movemask_epi8(_mm_cmplt_epi8(t, lim));
		uint32_t	high = (uint32_t) _mm_movemask_epi8(x);

		m |= (uint64_t) (letters | high) << (16 * k);
	}
	return m;
}
#endif

/*
 * Every word of s, once: words are found 64 bytes at a time from bit masks
 * where SSE2 is available, so the scan has no branch per byte.
 */
static void
scan_words(const char *s, size_t len, const uint64_t *filter, strcount *words, tx_buf *k)
{
	size_t		p = 0;
	size_t		st = 0;
	bool		in_word = false;
	size_t		next_check = 0;

#ifdef __SSE2__
	uint64_t	lens = 0;
	int			minlen = 1;
	int			c;

	/* words shorter than every candidate need no look-up: skip them by mask */
	for (c = 0; c < 256; c++)
		lens |= filter[c];
	while (minlen < 8 && lens && !(lens & (UINT64_C(1) << minlen)))
		minlen++;
	while (p + 64 <= len)
	{
		uint64_t	m = word_mask64(s + p);
		uint64_t	prev = (m << 1) | (in_word ? 1 : 0);
		uint64_t	starts = m & ~prev;
		uint64_t	ends = ~m & prev;

		if (p >= next_check)
		{
			tx_check_interrupts();
			next_check = p + (1 << 20);
		}
		if (minlen > 1)
		{
			/*
			 * An end with a start fewer than minlen bytes before it: near is
			 * starts shifted by 1 .. minlen - 1, by doubling (shifts 1 .. p),
			 * then once more to reach minlen - 1.
			 */
			uint64_t	near = starts << 1;
			int			p2;

			for (p2 = 1; p2 * 2 <= minlen - 1; p2 *= 2)
				near |= near << p2;
			near |= near << (minlen - 1 - p2);
			ends &= ~near | ((UINT64_C(1) << (minlen - 1)) - 1);
		}
		/* one step per word: at its end, its start is the last start before */
		while (ends)
		{
			int			i = __builtin_ctzll(ends);
			uint64_t	before = starts & ((UINT64_C(1) << i) - 1);

			ends &= ends - 1;
			word_seen(s, before ? p + 63 - __builtin_clzll(before) : st, p + i,
					  filter, words, k);
		}
		if (starts)
			st = p + 63 - __builtin_clzll(starts);	/* the word that may go on */
		in_word = (m >> 63) & 1;
		p += 64;
	}
#endif
	for (; p < len; p++)
	{
		bool		w = word_byte((unsigned char) s[p]);

		if ((p & 0xFFFFF) == 0)
			tx_check_interrupts();
		if (w && !in_word)
			st = p;
		else if (!w && in_word)
			word_seen(s, st, p, filter, words, k);
		in_word = w;
	}
	(void) next_check;
	if (in_word)
		word_seen(s, st, len, filter, words, k);
}

/* collect the joined forms of line-end hyphenations and mark which occur */
static void
hyphen_evidence(const char *s, size_t len, const seg_lines *ls, strcount *words)
{
	size_t		i;
	tx_buf		k;

	tx_buf_init(&k, 64);
	for (i = 0; i < ls->n; i++)
	{
		const seg_line *l = &ls->v[i];
		size_t		ws;
		long		nx;

		if ((i & SEG_CHECK_EVERY) == 0)
			tx_check_interrupts();
		if (l->kind != SEG_L_TEXT || !hyphen_prefix(L(s, l), l->len, &ws))
			continue;
		nx = next_text(ls, i);
		if (nx < 0 || !starts_lower(L(s, &ls->v[nx]), ls->v[nx].len))
			continue;
		tx_buf_reset(&k);
		lower_append(&k, L(s, l) + ws, l->len - 1 - ws);
		lower_append(&k, L(s, &ls->v[nx]), first_word_len(L(s, &ls->v[nx]), ls->v[nx].len));
		sc_slot(words, k.data, k.len, true);
	}
	if (words->used > 0)
	{
		/*
		 * One pass over every word of the text.  Only words whose first
		 * letter and length match a candidate's are looked up.
		 */
		uint64_t   *filter = tx_alloc0(256 * sizeof(uint64_t));	/* [first byte] bit length */
		size_t		p = 0;
		size_t		next_check = 0;
		size_t		j;

		for (j = 0; j < words->cap; j++)
			if (words->hash[j] && words->klen[j] < 64)
			{
				unsigned char c0 = (unsigned char) words->keys.data[words->koff[j]];

				filter[c0] |= UINT64_C(1) << words->klen[j];
				if (c0 >= 'a' && c0 <= 'z')
					filter[c0 - 'a' + 'A'] |= UINT64_C(1) << words->klen[j];
			}
		(void) p;
		(void) next_check;
		scan_words(s, len, filter, words, &k);
		tx_free(filter);
	}
	tx_buf_free(&k);
}

/* ------------------------------------------------------------- labels */

/*
 * Can a label start at this line?  PS_YES after a line that ends a sentence
 * (or a heading); PS_WEAK after a blank line when the line before ends
 * open, which in double-spaced text is only a wrap, but may also follow a
 * title without punctuation; PS_NO when the line continues the sentence.
 */
#define PS_NO	0
#define PS_YES	1
#define PS_WEAK	2

static int
para_start(const char *s, const seg_lines *ls, long prev, bool blank, bool page_break)
{
	const seg_line *p;

	if (prev < 0)
		return PS_YES;
	p = &ls->v[prev];
	if (!ends_open(L(s, p), p->len))
		return PS_YES;
	/* a Markdown heading ("## Transcript") is a paragraph of its own */
	if (blank && L(s, p)[0] == '#')
		return PS_YES;
	if ((blank || page_break) && is_caps_heading(L(s, p), p->len))
		return PS_YES;
	return blank && !page_break ? PS_WEAK : PS_NO;
}

/*
 * seg_read_label, remembering lines that hold no label: the statistics pass
 * and the build pass ask about the same lines, and most lines have none.
 * The result depends only on the line index (the layout is fixed by then).
 */
static bool
read_label_cached(const char *s, seg_lines *ls, size_t i, seg_label *lb)
{
	if (ls->v[i].flags & SEG_LF_NOLABEL)
		return false;
	if (seg_read_label(s, ls, i, lb))
		return true;
	ls->v[i].flags |= SEG_LF_NOLABEL;
	return false;
}

/*
 * Labels the statistics pass read, kept for the build pass (which asks about
 * the same lines, in the same order, and would read each label and build
 * its key again).  Only labels without an affiliation are kept (those need
 * the label's text buffer); a line without an entry is simply read again.
 * One entry per label line: a few percent of the input at most.
 */
typedef struct label_memo
{
	uint32_t	line;			/* line index */
	uint32_t	klen;			/* the name's key: names.keys.data + koff */
	size_t		koff;			/* (slots move when the table grows; keys stay) */
	size_t		name_off;
	size_t		name_len;
	size_t		body_off;
	int64_t		time_ms;
	int32_t		ntokens;
	int32_t		end_line;
	bool		role;
	bool		stopword;
	bool		own_line;
	bool		lower_after;
	bool		otter;
} label_memo;

typedef struct label_memos
{
	label_memo *v;
	size_t		n;
	size_t		cap;
	size_t		next;			/* cursor of the build pass */
} label_memos;

static void
memo_add(label_memos *m, size_t line, const strcount *names, long slot, const seg_label *lb)
{
	label_memo *e;

	if (lb->affil_len > 0 || lb->time_only || line > UINT32_MAX)
		return;
	if (m->n == m->cap)
	{
		m->cap = m->cap ? m->cap * 2 : 256;
		m->v = tx_realloc(m->v, m->cap * sizeof(label_memo));
	}
	e = &m->v[m->n++];
	e->line = (uint32_t) line;
	e->koff = names->koff[slot];
	e->klen = names->klen[slot];
	e->name_off = lb->name_off;
	e->name_len = lb->name_len;
	e->body_off = lb->body_off;
	e->time_ms = lb->time_ms;
	e->ntokens = lb->ntokens;
	e->end_line = lb->end_line;
	e->role = lb->role;
	e->stopword = lb->stopword;
	e->own_line = lb->own_line;
	e->lower_after = lb->lower_after;
	e->otter = lb->otter;
}

/* the kept label of line i, if any: fills the fields the build pass reads */
static const label_memo *
memo_find(label_memos *m, size_t i, seg_label *lb)
{
	const label_memo *e;

	while (m->next < m->n && m->v[m->next].line < i)
		m->next++;
	if (m->next >= m->n || m->v[m->next].line != i)
		return NULL;
	e = &m->v[m->next];
	lb->name_off = e->name_off;
	lb->name_len = e->name_len;
	lb->affil_len = 0;
	lb->body_off = e->body_off;
	lb->time_ms = e->time_ms;
	lb->ntokens = e->ntokens;
	lb->role = e->role;
	lb->stopword = e->stopword;
	lb->own_line = e->own_line;
	lb->lower_after = e->lower_after;
	lb->time_only = false;
	lb->otter = e->otter;
	lb->end_line = e->end_line;
	return e;
}

static void
label_key(const char *s, const seg_label *lb, tx_buf *k)
{
	tx_buf_reset(k);
	seg_name_key(s + lb->name_off, lb->name_len, k);
}

/* accept a grammatical label?  sets *conf */
static bool
accept_label(const seg_label *lb, uint32_t count, int ps, float *conf)
{
	bool		strong = lb->ntokens >= 2 && !lb->stopword;
	bool		clean_after = !lb->lower_after || lb->own_line;

	/* after an open line and a blank: a role, or a name used as a label elsewhere */
	if (ps == PS_WEAK)
	{
		*conf = 0.75f;
		return clean_after && (lb->role || lb->otter || lb->time_ms != SEG_NO_TIME ||
							   (strong && (count >= 2 || lb->own_line)) || count >= 3);
	}

	if (lb->otter)
	{
		*conf = 0.97f;
		return true;
	}
	if (lb->role)
	{
		*conf = clean_after ? 0.9f : 0.7f;
		return clean_after || count >= 2;
	}
	if (lb->time_ms != SEG_NO_TIME)
	{
		*conf = 0.95f;
		return true;
	}
	if (strong)
	{
		*conf = count >= 2 ? 0.97f : 0.85f;
		if (!clean_after)
			*conf -= 0.15f;
		return clean_after || count >= 2;
	}
	/* one word or a function word first: only when the name recurs */
	*conf = count >= 3 ? 0.93f : 0.8f;
	if (!clean_after)
		*conf -= 0.15f;
	return count >= 2;
}

/* ------------------------------------------------------------- build */

void
seg_run_text(seg_builder *b, const char *s, size_t len)
{
	seg_lines	ls;
	layout		lay;
	strcount	names;
	strcount	words;
	label_memos memos;
	tx_buf		k;
	size_t		i;
	long		prev;
	bool		blank,
				page_break;
	int32_t		page;
	size_t		span = 0;
	int			glue = -1;		/* join for the next line: -1 normal, 0 none, ' ' */
	bool		labelled = false;	/* the open turn has a speaker */
	long		last_text = -1;

	seg_split_lines(s, len, &ls);
	do_layout(b, s, &ls, &lay);
	for (i = ls.n; i > 0; i--)
		if (ls.v[i - 1].kind == SEG_L_TEXT)
		{
			last_text = (long) i - 1;
			break;
		}

	/* statistics: label names at paragraph starts */
	sc_init(&names);
	memset(&memos, 0, sizeof(memos));
	tx_buf_init(&k, 64);
	prev = -1;
	blank = page_break = false;
	for (i = 0; i < ls.n; i++)
	{
		seg_line   *l = &ls.v[i];
		seg_label	lb;

		if ((i & SEG_CHECK_EVERY) == 0)
			tx_check_interrupts();
		if (l->kind == SEG_L_BLANK)
		{
			blank = true;
			continue;
		}
		if (l->kind != SEG_L_TEXT)
		{
			page_break = true;
			continue;
		}
		/* the first byte rules out most lines before para_start looks back */
		if (seg_label_first_ok(l->first) &&
			para_start(s, &ls, prev, blank, page_break) != PS_NO &&
			read_label_cached(s, &ls, i, &lb) && !lb.time_only)
		{
			long		j;

			label_key(s, &lb, &k);
			j = sc_slot(&names, k.data, k.len, true);
			names.count[j]++;
			memo_add(&memos, i, &names, j, &lb);
		}
		prev = (long) i;
		blank = page_break = false;
	}

	sc_init(&words);
	hyphen_evidence(s, len, &ls, &words);

	/* build */
	page = lay.paged ? 1 : 0;
	prev = -1;
	blank = page_break = false;
	for (i = 0; i < ls.n; i++)
	{
		seg_line   *l = &ls.v[i];
		const char *text;
		size_t		tlen;
		seg_label	lb;
		int			ps;
		bool		new_para;
		float		conf = 0;
		const label_memo *memo = NULL;

		if ((i & SEG_CHECK_EVERY) == 0)
			tx_check_interrupts();
		if (l->kind == SEG_L_BLANK)
		{
			blank = true;
			continue;
		}
		if (l->kind == SEG_L_PAGENUM || l->kind == SEG_L_HEADER)
		{
			page_break = true;
			continue;
		}
		if (l->kind != SEG_L_TEXT)
			continue;
		if (l->flags & SEG_LF_PAGESTART)
		{
			page_break = true;
			if (lay.paged && prev >= 0)
				page++;
		}
		else if (page_break && lay.paged && prev >= 0)
		{
			/* a page number or header without a marked page start */
			long		q = (long) i - 1;
			bool		num = false;

			while (q > prev)
			{
				if (ls.v[q].kind == SEG_L_PAGENUM)
					num = true;
				q--;
			}
			if (num)
				page++;
		}
		b->page = page;
		while (span + 1 < lay.nspans && lay.span_line[span + 1] <= (int32_t) i)
			span++;
		b->section = lay.nspans > 0 ? lay.span_sec[span] : -1;

		text = L(s, l);
		tlen = l->len;
		ps = para_start(s, &ls, prev, blank, page_break);
		new_para = ps == PS_YES && (blank || prev < 0) && !page_break;
		if (ps != PS_NO &&
			((memo = memo_find(&memos, i, &lb)) != NULL || read_label_cached(s, &ls, i, &lb)))
		{
			if (lb.time_only)
			{
				if (seg_current(b) && labelled)
				{
					seg_sep(b, '\n');
					glue = -1;
					prev = (long) i;
					blank = page_break = false;
					continue;
				}
			}
			else
			{
				const char *key;
				size_t		keylen;
				uint32_t	count;

				if (memo)
				{
					/* the key from the statistics pass */
					key = names.keys.data + memo->koff;
					keylen = memo->klen;
					count = sc_get(&names, key, keylen);
				}
				else
				{
					label_key(s, &lb, &k);
					key = k.data;
					keylen = k.len;
					count = sc_get(&names, k.data, k.len);
				}
				if (accept_label(&lb, count, ps, &conf))
				{
					int32_t		sp = seg_speaker_key(b, key, keylen, s + lb.name_off, lb.name_len);
					seg_turn   *t = seg_begin_turn(b, sp, lb.affil, lb.affil_len,
												   (int32_t) i + 1, conf);

					t->start_ms = lb.time_ms;
					labelled = true;
					glue = -1;
					/* lines the label wrapped over are consumed */
					i = (size_t) lb.end_line;
					l = &ls.v[i];
					text = s + lb.body_off;
					tlen = l->off + l->len - lb.body_off;
					b->page = page;
					if (tlen == 0)
					{
						prev = (long) i;
						blank = page_break = false;
						continue;
					}
					goto append;
				}
			}
		}
		/* text without a label: continue the turn, or a paragraph of preamble */
		if (seg_current(b) == NULL || (!labelled && new_para) ||
			((long) i == last_text && ps != PS_NO && tlen > 15 && memcmp(text, "Transcribed by ", 15) == 0))
		{
			seg_begin_turn(b, -1, NULL, 0, (int32_t) i + 1, 0.9f);
			if ((long) i == last_text && labelled)
				seg_current(b)->confidence = 0.8f;
			labelled = false;
			glue = -1;
		}
		else if (glue >= 0)
		{
			if (glue == ' ')
				seg_sep(b, ' ');
			else
				b->pending = 0;
		}
		else
			seg_sep(b, new_para ? '\n' : ' ');

append:
		{
			size_t		ws;
			long		nx;

			glue = -1;
			/* a line-final hyphen: decide now how the next line joins */
			if (hyphen_prefix(text, tlen, &ws) &&
				(nx = next_text(&ls, i)) >= 0 &&
				starts_lower(L(s, &ls.v[nx]), ls.v[nx].len))
			{
				const char *nt = L(s, &ls.v[nx]);
				size_t		fw = first_word_len(nt, ls.v[nx].len);

				if (is_connector(nt, fw))
				{
					/* suspended hyphen: "middle- to high-end" */
					seg_put_clean(b, text, tlen);
					glue = ' ';
				}
				else
				{
					tx_buf_reset(&k);
					lower_append(&k, text + ws, tlen - 1 - ws);
					lower_append(&k, nt, fw);
					if (sc_get(&words, k.data, k.len) > 0)
						seg_put_clean(b, text, tlen - 1);	/* syllable hyphen */
					else
						seg_put_clean(b, text, tlen);	/* compound: self-reliance */
					glue = 0;
				}
			}
			else
				seg_put_clean(b, text, tlen);
		}
		prev = (long) i;
		blank = page_break = false;
	}

	sc_free(&names);
	sc_free(&words);
	tx_free(memos.v);
	tx_buf_free(&k);
	tx_free(lay.span_line);
	tx_free(lay.span_sec);
	tx_free(ls.v);
}
