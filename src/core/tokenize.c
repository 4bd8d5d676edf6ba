/*
 * tokenize.c
 *	  The ICU-based tokenizer behind the transcripts text search parser.
 *
 * See tokenize.h for what it produces.  The work is done one span (a run of
 * text between ASCII white space) at a time: the span is cut into word
 * segments (by the ASCII scanner or by ICU), each segment gets its kind and
 * normalized form, slash-joined numbers and hyphen-joined compounds are
 * grouped, and the resulting tokens are queued; tx_tokenizer_next hands the
 * queue out and refills it from the next span.
 */
#include "tokenize.h"

#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#define ARENA_BLOCK 32768
#define INTERRUPT_EVERY 65536

/* character classes of the ASCII scanner (UAX #29 word break properties) */
enum
{
	C_OTHER = 0,
	C_LETTER,					/* ALetter */
	C_DIGIT,					/* Numeric */
	C_EXTEND,					/* ExtendNumLet: _ */
	C_MIDNUMLET,				/* . ' U+2018 U+2019 */
	C_MIDNUM,					/* , ; */
	C_MIDLETTER,				/* U+00B7 */
	C_SPACE,					/* ASCII white space: ends a span */
	C_ICU						/* anything the scanner does not know */
};

typedef struct arena_block
{
	struct arena_block *next;
	size_t		used;
	size_t		cap;
	char		data[];
} arena_block;

/* a word segment of the current span */
typedef struct seg
{
	size_t		start;			/* absolute byte offsets */
	size_t		end;
	int			kind;			/* WORD, NUMBER, MIXED or DICT */
	bool		has_letter;
	bool		has_digit;
	bool		dict;			/* ICU said kana/ideographic, or dictionary
								 * script */
	bool		slashed;		/* numbers joined by slashes */
	const char *norm;
	size_t		normlen;
} seg;

struct tx_tokenizer
{
	const char *s;
	size_t		len;
	size_t		off;			/* where the next span starts looking */
	int			pos;			/* last position handed out */
	bool		force_icu;
	unsigned	spans;			/* spans segmented, for interrupt checks */

	/* token queue of the current span */
	tx_token   *q;
	int			qlen;
	int			qnext;
	int			qcap;

	/* segments of the current span */
	seg		   *segs;
	int			nsegs;
	int			segcap;

	/* UTF-16 copy of the current span and its byte offset map */
	UChar	   *u16;
	size_t	   *map;
	size_t		u16cap;

	/* normalization work buffers */
	UChar	   *w1;
	UChar	   *w2;
	size_t		w1cap;
	size_t		w2cap;

	arena_block *arena;
};

static UBreakIterator *shared_brk = NULL;

static bool tables_ready = false;
static void init_tables(tx_tokenizer *tk);

static const char *const type_names[TX_TOKEN_MAXTYPE + 1] = {
	[TX_TOKEN_WORD] = "word",
	[TX_TOKEN_NUMBER] = "number",
	[TX_TOKEN_MIXED] = "mixed",
	[TX_TOKEN_DICT] = "dict_word",
	[TX_TOKEN_NUMPART] = "compound_numpart",
	[TX_TOKEN_PART] = "compound_part",
	[TX_TOKEN_BLANK] = "blank",
	[TX_TOKEN_NUMCOMPOUND] = "numcompound",
	[TX_TOKEN_COMPOUND] = "compound",
};

static const char *const type_descriptions[TX_TOKEN_MAXTYPE + 1] = {
	[TX_TOKEN_WORD] = "Word of letters (inner . ' _ @ allowed)",
	[TX_TOKEN_NUMBER] = "Number",
	[TX_TOKEN_MIXED] = "Letters and digits, or numbers joined by slashes",
	[TX_TOKEN_DICT] = "Word from ICU dictionary segmentation (Chinese, Japanese, Thai, ...)",
	[TX_TOKEN_NUMPART] = "Part of a hyphenated compound, with digits",
	[TX_TOKEN_PART] = "Part of a hyphenated compound",
	[TX_TOKEN_BLANK] = "Space, punctuation and symbols",
	[TX_TOKEN_NUMCOMPOUND] = "Hyphenated compound with digits, whole",
	[TX_TOKEN_COMPOUND] = "Hyphenated compound, whole",
};

const char *
tx_token_type_name(int type)
{
	if (type < 0 || type > TX_TOKEN_MAXTYPE)
		return NULL;
	return type_names[type];
}

const char *
tx_token_type_description(int type)
{
	if (type < 0 || type > TX_TOKEN_MAXTYPE)
		return NULL;
	return type_descriptions[type];
}

/* ---------------------------------------------------------------- memory */

static char *
arena_alloc_block(tx_tokenizer *tk, size_t n)
{
	arena_block *b;
	/* short inputs (one turn) get a block their size */
	size_t		cap = tk->len < ARENA_BLOCK / 2 ? tk->len * 2 + 64 : ARENA_BLOCK;

	if (cap < n)
		cap = n;
	b = tx_alloc(offsetof(arena_block, data) + cap);
	b->cap = cap;
	b->used = n;
	b->next = tk->arena;
	tk->arena = b;
	return b->data;
}

static inline char *
arena_alloc(tx_tokenizer *tk, size_t n)
{
	arena_block *b = tk->arena;

	if (b == NULL || b->cap - b->used < n)
		return arena_alloc_block(tk, n);
	b->used += n;
	return b->data + b->used - n;
}

/* Free every arena block but one of at most the standard size, which is emptied. */
static void
arena_reset(tx_tokenizer *tk, bool keep)
{
	arena_block *b = tk->arena;
	arena_block *kept = NULL;

	while (b)
	{
		arena_block *next = b->next;

		if (keep && kept == NULL && b->cap <= ARENA_BLOCK)
		{
			kept = b;
			kept->used = 0;
			kept->next = NULL;
		}
		else
			tx_free(b);
		b = next;
	}
	tk->arena = kept;
}

#define GROW(ptr, cap, need) \
	do { \
		if ((size_t) (need) > (size_t) (cap)) \
		{ \
			size_t		newcap_ = (cap) ? (size_t) (cap) : 16; \
			while (newcap_ < (size_t) (need)) \
				newcap_ *= 2; \
			(ptr) = (ptr) ? tx_realloc((ptr), newcap_ * sizeof(*(ptr))) \
				: tx_alloc(newcap_ * sizeof(*(ptr))); \
			(cap) = newcap_; \
		} \
	} while (0)

tx_tokenizer *
tx_tokenizer_new(void)
{
	tx_tokenizer *tk = tx_alloc0(sizeof(tx_tokenizer));

	if (!tables_ready)
		init_tables(tk);
	return tk;
}

void
tx_tokenizer_reset(tx_tokenizer *tk, const char *s, size_t len)
{
	tk->s = s;
	tk->len = len;
	tk->off = 0;
	tk->pos = 0;
	tk->qlen = tk->qnext = 0;
	tk->nsegs = 0;
	arena_reset(tk, true);
}

void
tx_tokenizer_force_icu(tx_tokenizer *tk, bool force)
{
	tk->force_icu = force;
}

void
tx_tokenizer_free(tx_tokenizer *tk)
{
	if (tk == NULL)
		return;
	arena_reset(tk, false);
	if (tk->q)
		tx_free(tk->q);
	if (tk->segs)
		tx_free(tk->segs);
	if (tk->u16)
		tx_free(tk->u16);
	if (tk->map)
		tx_free(tk->map);
	if (tk->w1)
		tx_free(tk->w1);
	if (tk->w2)
		tx_free(tk->w2);
	tx_free(tk);
}

void
tx_tokenize_shutdown(void)
{
	if (shared_brk)
	{
		ubrk_close(shared_brk);
		shared_brk = NULL;
	}
}

/* ---------------------------------------------------------------- helpers */

static inline bool
is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static const unsigned char ascii_class[128] = {
	['A'] = C_LETTER,['B'] = C_LETTER,['C'] = C_LETTER,['D'] = C_LETTER,
	['E'] = C_LETTER,['F'] = C_LETTER,['G'] = C_LETTER,['H'] = C_LETTER,
	['I'] = C_LETTER,['J'] = C_LETTER,['K'] = C_LETTER,['L'] = C_LETTER,
	['M'] = C_LETTER,['N'] = C_LETTER,['O'] = C_LETTER,['P'] = C_LETTER,
	['Q'] = C_LETTER,['R'] = C_LETTER,['S'] = C_LETTER,['T'] = C_LETTER,
	['U'] = C_LETTER,['V'] = C_LETTER,['W'] = C_LETTER,['X'] = C_LETTER,
	['Y'] = C_LETTER,['Z'] = C_LETTER,
	['a'] = C_LETTER,['b'] = C_LETTER,['c'] = C_LETTER,['d'] = C_LETTER,
	['e'] = C_LETTER,['f'] = C_LETTER,['g'] = C_LETTER,['h'] = C_LETTER,
	['i'] = C_LETTER,['j'] = C_LETTER,['k'] = C_LETTER,['l'] = C_LETTER,
	['m'] = C_LETTER,['n'] = C_LETTER,['o'] = C_LETTER,['p'] = C_LETTER,
	['q'] = C_LETTER,['r'] = C_LETTER,['s'] = C_LETTER,['t'] = C_LETTER,
	['u'] = C_LETTER,['v'] = C_LETTER,['w'] = C_LETTER,['x'] = C_LETTER,
	['y'] = C_LETTER,['z'] = C_LETTER,
	['0'] = C_DIGIT,['1'] = C_DIGIT,['2'] = C_DIGIT,['3'] = C_DIGIT,
	['4'] = C_DIGIT,['5'] = C_DIGIT,['6'] = C_DIGIT,['7'] = C_DIGIT,
	['8'] = C_DIGIT,['9'] = C_DIGIT,
	['_'] = C_EXTEND,
	['@'] = C_LETTER,			/* ICU adds @ to ALetter (e-mail addresses) */
	[' '] = C_SPACE,['\t'] = C_SPACE,['\n'] = C_SPACE,['\r'] = C_SPACE,
	['\v'] = C_SPACE,['\f'] = C_SPACE,
	['.'] = C_MIDNUMLET,['\''] = C_MIDNUMLET,
	[','] = C_MIDNUM,[';'] = C_MIDNUM,
};

#define WB_LETTER 1
#define WB_DIGIT 2
#define WB_EXTEND 4
#define WB_AT 8					/* joins like a letter, is not one */

/* ASCII letters, digits and _ (the word_bits of everything else are 0) */
static unsigned char word_bits[256];
static unsigned char ascii_lower[128];

/*
 * U+0080..U+02FF (Latin-1, Latin Extended-A and -B, IPA, spacing modifier
 * letters): the scanner's class of each code point (from ICU's Word_Break
 * property; C_ICU for Format and anything unusual), its letter/digit bits,
 * and its normalized form, computed with ICU at start-up.  Normalization of
 * these code points is context-free (none of them composes with a
 * neighbour), so a token made of them folds character by character.
 */
#define LATIN_END 0x300
#define LATIN_FOLD_MAX 15
static unsigned char latin_class[LATIN_END];
static unsigned char latin_bits[LATIN_END];
static unsigned char latin_foldlen[LATIN_END];
static char latin_fold[LATIN_END][LATIN_FOLD_MAX];

static bool fold_utf16(tx_tokenizer *tk, const UChar *src, int32_t n, bool reference,
					   char **out, size_t *outlen, tx_error *err);

static void
init_tables(tx_tokenizer *tk)
{
	int			c;

	for (c = 0; c < 128; c++)
	{
		ascii_lower[c] = (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
		word_bits[c] = c == '@' ? WB_AT :
			ascii_class[c] == C_LETTER ? WB_LETTER :
			ascii_class[c] == C_DIGIT ? WB_DIGIT :
			ascii_class[c] == C_EXTEND ? WB_EXTEND : 0;
	}
	for (c = 0; c < LATIN_END; c++)
	{
		UChar		u = (UChar) c;
		char	   *out;
		size_t		outlen;
		tx_error	err;
		int			cls;

		latin_class[c] = C_ICU;
		if (c < 0x80)
			continue;
		switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK))
		{
			case U_WB_ALETTER:
				cls = C_LETTER;
				break;
			case U_WB_NUMERIC:
				cls = C_DIGIT;
				break;
			case U_WB_EXTENDNUMLET:
				cls = C_EXTEND;
				break;
			case U_WB_MIDNUMLET:
				cls = C_MIDNUMLET;
				break;
			case U_WB_MIDLETTER:
				cls = C_MIDLETTER;
				break;
			case U_WB_MIDNUM:
				cls = C_MIDNUM;
				break;
			case U_WB_OTHER:
			case U_WB_NEWLINE:
				cls = C_OTHER;
				break;
			default:
				continue;		/* Format, Extend, ...: leave to ICU */
		}
		if (!fold_utf16(tk, &u, 1, true, &out, &outlen, &err) || outlen > LATIN_FOLD_MAX)
			continue;
		memcpy(latin_fold[c], out, outlen);
		latin_foldlen[c] = (unsigned char) outlen;
		latin_bits[c] = u_isdigit(c) ? WB_DIGIT : u_isUAlphabetic(c) ? WB_LETTER : 0;
		latin_class[c] = (unsigned char) cls;
	}
	arena_reset(tk, true);
	tables_ready = true;
}

/*
 * Class of the character at s[i] (i < end) for the ASCII scanner, and its
 * length in *clen.  Besides ASCII it knows the punctuation transcripts are
 * full of: curly quotes, dashes, the ellipsis, guillemets, no-break space.
 */
static inline int
char_class(const unsigned char *s, size_t i, size_t end, int *clen)
{
	unsigned char c = s[i];

	if (c < 0x80)
	{
		*clen = 1;
		return ascii_class[c];
	}
	if (c == 0xE2 && i + 2 < end && s[i + 1] == 0x80)
	{
		unsigned char c3 = s[i + 2];

		*clen = 3;
		if (c3 == 0x98 || c3 == 0x99)	/* U+2018, U+2019 */
			return C_MIDNUMLET;
		if (c3 == 0x9C || c3 == 0x9D || c3 == 0x93 || c3 == 0x94 || c3 == 0xA6)
			return C_OTHER;		/* U+201C, U+201D, U+2013, U+2014, U+2026 */
		return C_ICU;
	}
	if (c >= 0xC2 && c <= 0xCB && i + 1 < end && (s[i + 1] & 0xC0) == 0x80)
	{
		/* U+0080..U+02FF: Latin-1, Latin Extended-A/B, IPA, modifiers */
		*clen = 2;
		return latin_class[((c & 0x1F) << 6) | (s[i + 1] & 0x3F)];
	}
	*clen = 1;
	return C_ICU;
}

static inline bool
is_wordish(int cls)
{
	return cls == C_LETTER || cls == C_DIGIT || cls == C_EXTEND;
}

static inline seg *
new_seg(tx_tokenizer *tk)
{
	seg		   *g;

	GROW(tk->segs, tk->segcap, tk->nsegs + 1);
	g = &tk->segs[tk->nsegs++];
	g->kind = 0;
	g->has_letter = g->has_digit = g->dict = g->slashed = false;
	g->norm = NULL;
	g->normlen = 0;
	return g;
}

/*
 * Remove a final 's or ' (possessives: Ren's -> ren, James' -> james).
 */
static inline size_t
strip_possessive(const char *p, size_t n)
{
	if (n > 2 && p[n - 1] == 's' && p[n - 2] == '\'')
		return n - 2;
	while (n > 1 && p[n - 1] == '\'')
		n--;
	return n;
}

/* ---------------------------------------------------------------- ASCII path */

static inline uint64_t
lower8(uint64_t v)
{
	/* eight ASCII bytes: set bit 5 of those in A..Z (no carry crosses a byte) */
	uint64_t	ge_a = v + UINT64_C(0x3F3F3F3F3F3F3F3F);	/* high bit: >= 'A' */
	uint64_t	gt_z = v + UINT64_C(0x2525252525252525);	/* high bit: > 'Z' */

	return v | (((ge_a ^ gt_z) & UINT64_C(0x8080808080808080)) >> 2);
}

static inline uint32_t
lower4(uint32_t v)
{
	uint32_t	ge_a = v + UINT32_C(0x3F3F3F3F);
	uint32_t	gt_z = v + UINT32_C(0x25252525);

	return v | (((ge_a ^ gt_z) & UINT32_C(0x80808080)) >> 2);
}

/* out[0..len) = src[0..len) (ASCII) lower-cased, a word at a time, the last word overlapping */
static inline void
lower_ascii(char *out, const unsigned char *src, size_t len)
{
	size_t		i;

	if (len >= 8)
	{
		uint64_t	v;

		for (i = 0; i + 8 < len; i += 8)
		{
			memcpy(&v, src + i, 8);
			v = lower8(v);
			memcpy(out + i, &v, 8);
		}
		memcpy(&v, src + len - 8, 8);
		v = lower8(v);
		memcpy(out + len - 8, &v, 8);
	}
	else if (len >= 4)
	{
		uint32_t	v,
					w;

		memcpy(&v, src, 4);
		memcpy(&w, src + len - 4, 4);
		v = lower4(v);
		w = lower4(w);
		memcpy(out, &v, 4);
		memcpy(out + len - 4, &w, 4);
	}
	else
		for (i = 0; i < len; i++)
			out[i] = ascii_lower[src[i]];
}

/*
 * Normalized form of a scanner segment: ASCII lower-cased, U+0080..U+02FF
 * from the fold table, curly apostrophes made ASCII; possessive removed.
 */
static inline void
norm_scanned(tx_tokenizer *tk, seg *g, bool latin, bool ascii)
{
	const unsigned char *s = (const unsigned char *) tk->s;
	size_t		need = g->end - g->start + 1;
	char	   *out;
	size_t		n = 0;
	size_t		i;

	if (ascii)
	{
		/* ASCII only: lower-case a word at a time, the last word overlapping */
		const unsigned char *src = s + g->start;
		size_t		len = need - 1;

		out = arena_alloc(tk, need);
		lower_ascii(out, src, len);
		n = strip_possessive(out, len);
		out[n] = '\0';
		g->norm = out;
		g->normlen = n;
		return;
	}
	if (latin)
	{
		need = 1;
		for (i = g->start; i < g->end; i++)
		{
			if (s[i] < 0x80)
				need++;
			else if (s[i] < 0xE0)
			{
				need += latin_foldlen[((s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F)];
				i++;
			}
			else
			{
				need++;
				i += 2;
			}
		}
	}
	out = arena_alloc(tk, need);
	for (i = g->start; i < g->end; i++)
	{
		unsigned char c = s[i];

		if (c < 0x80)
			out[n++] = ascii_lower[c];
		else if (c < 0xE0)
		{
			int			cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);

			memcpy(out + n, latin_fold[cp], latin_foldlen[cp]);
			n += latin_foldlen[cp];
			i++;
		}
		else
		{
			/* U+2018 or U+2019, the only 3-byte characters inside a segment */
			out[n++] = '\'';
			i += 2;
		}
	}
	n = strip_possessive(out, n);
	out[n] = '\0';
	g->norm = out;
	g->normlen = n;
}

/*
 * Cut the span that starts at a (not white space) into normalized segments
 * with the UAX #29 rules restricted to the characters char_class knows, and
 * set *bp to the end of the span.  Returns false (and no segments) when the
 * span holds anything else.
 */
static bool
scan_ascii(tx_tokenizer *tk, size_t a, size_t *bp)
{
	const unsigned char *s = (const unsigned char *) tk->s;
	size_t		end = tk->len;
	int			first = tk->nsegs;
	size_t		i = a;

	while (i < end)
	{
		int			clen;
		int			cls;
		int			last;		/* class of the last non-ASCII character */
		size_t		start;
		unsigned	flags = 0;
		bool		latin = false;
		bool		wide = false;	/* a character of more than one byte */

		if (s[i] < 0x80)
		{
			cls = ascii_class[s[i]];
			clen = 1;
		}
		else
			cls = char_class(s, i, end, &clen);
		if (cls == C_SPACE)
			break;
		if (cls == C_ICU)
			goto fail;
		if (!is_wordish(cls))
		{
			i += clen;
			continue;
		}

		/* a segment: letters, digits, _ joined by mid characters */
		start = i;
		last = cls;
		for (;;)
		{
			size_t		lim = end - i > INTERRUPT_EVERY ? i + INTERRUPT_EVERY : end;
			unsigned char f;
			int			prev,
						c2,
						l2,
						c3,
						l3;

			while (i < lim && (f = word_bits[s[i]]) != 0)
			{
				flags |= f;
				i++;
			}
			if (i >= end)
				break;
			if (i == lim)
			{
				tx_check_interrupts();
				continue;
			}
			c2 = char_class(s, i, end, &l2);
			if (c2 == C_ICU)
				goto fail;
			if (is_wordish(c2))
			{
				/* a letter or digit of the Latin range */
				flags |= latin_bits[((s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F)];
				latin = true;
				last = c2;
				i += l2;
				continue;
			}
			/* s[i - 1] ends a letter, digit or _ */
			prev = s[i - 1] < 0x80 ? ascii_class[s[i - 1]] : last;
			if (!(((c2 == C_MIDNUMLET || c2 == C_MIDLETTER) && prev == C_LETTER) ||
				  ((c2 == C_MIDNUMLET || c2 == C_MIDNUM) && prev == C_DIGIT)) ||
				i + l2 >= end)
				break;
			c3 = char_class(s, i + l2, end, &l3);
			if (c3 == C_ICU)
				goto fail;
			if (c3 != prev)		/* letter-mid-letter, digit-mid-digit */
				break;
			latin |= l2 == 2;
			wide |= l2 > 1;
			i += l2;
		}
		if (flags & (WB_LETTER | WB_DIGIT))
		{
			seg		   *g = new_seg(tk);

			g->start = start;
			g->end = i;
			g->has_letter = (flags & WB_LETTER) != 0;
			g->has_digit = (flags & WB_DIGIT) != 0;
			norm_scanned(tk, g, latin, !latin && !wide);
		}
	}
	*bp = i;
	return true;

fail:
	tk->nsegs = first;
	return false;
}

/* ---------------------------------------------------------------- ICU path */

static bool
icu_fail(tx_error *err, const char *what, UErrorCode status)
{
	return tx_error_set(err, status == U_MEMORY_ALLOCATION_ERROR ? TX_ERR_NOMEM : TX_ERR_INTERNAL,
						0, "ICU %s failed: %s", what, u_errorName(status));
}

/* UTF-16 copy of s[a..b) in tk->u16 with tk->map[k] = byte offset of unit k. */
static size_t
to_utf16(tx_tokenizer *tk, size_t a, size_t b)
{
	const unsigned char *s = (const unsigned char *) tk->s;
	size_t		need = (b - a) + 1;
	size_t		n = 0;
	size_t		i = a;

	if (need > tk->u16cap)
	{
		size_t		cap = tk->u16cap;

		GROW(tk->u16, cap, need);
		cap = tk->u16cap;
		GROW(tk->map, cap, need);
		tk->u16cap = cap;
	}
	while (i < b)
	{
		unsigned char c = s[i];
		uint32_t	cp;
		int			len;

		if (c < 0x80)
		{
			tk->map[n] = i;
			tk->u16[n++] = c;
			i++;
			continue;
		}
		len = tx_utf8_len(c);
		cp = 0xFFFD;
		if (len > 1 && i + len <= b)
		{
			uint32_t	v = c & (0xFF >> (len + 1));
			int			k;
			bool		ok = true;

			for (k = 1; k < len; k++)
			{
				if ((s[i + k] & 0xC0) != 0x80)
				{
					ok = false;
					break;
				}
				v = (v << 6) | (s[i + k] & 0x3F);
			}
			if (ok && !((len == 2 && v < 0x80) || (len == 3 && v < 0x800) ||
						(len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
						(v >= 0xD800 && v <= 0xDFFF)))
				cp = v;
			else
				len = 1;		/* invalid: its first byte becomes U+FFFD */
		}
		else
			len = 1;
		tk->map[n] = i;
		if (cp >= 0x10000)
		{
			tk->u16[n++] = U16_LEAD(cp);
			tk->map[n] = i;
			tk->u16[n++] = U16_TRAIL(cp);
		}
		else
			tk->u16[n++] = (UChar) cp;
		i += len;
	}
	tk->map[n] = b;
	return n;
}

static inline bool
is_dict_script(UChar32 c)
{
	UErrorCode	st = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript(c, &st);

	return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
		sc == USCRIPT_THAI || sc == USCRIPT_LAO || sc == USCRIPT_KHMER ||
		sc == USCRIPT_MYANMAR;
}

/* combining marks removed by accent folding: the diacritic blocks */
static inline bool
is_accent_mark(UChar c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
		(c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
		(c >= 0xFE20 && c <= 0xFE2F);
}

static inline bool
is_apostrophe(UChar c)
{
	return c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0xFF07;
}

/* dst = normalize(src) through the work buffer pair, growing as needed */
static int32_t
normalize_into(const UNormalizer2 *n2, const UChar *src, int32_t srclen,
			   UChar **dst, size_t *dstcap, UErrorCode *st)
{
	int32_t		len;

	if (*dstcap < 16)
	{
		size_t		cap = *dstcap;

		GROW(*dst, cap, 64);
		*dstcap = cap;
	}
	len = unorm2_normalize(n2, src, srclen, *dst, (int32_t) *dstcap, st);
	if (*st == U_BUFFER_OVERFLOW_ERROR)
	{
		size_t		cap = *dstcap;

		*st = U_ZERO_ERROR;
		GROW(*dst, cap, (size_t) len + 1);
		*dstcap = cap;
		len = unorm2_normalize(n2, src, srclen, *dst, (int32_t) *dstcap, st);
	}
	return len;
}

/* the ICU normalizers, fetched once (they are ICU singletons) */
static const UNormalizer2 *nfkc_cf = NULL;
static const UNormalizer2 *nfd = NULL;
static const UNormalizer2 *nfc = NULL;

/*
 * Does NFKC_Casefold output c need the decompose-strip-recompose pass?  Only
 * letters that decompose into a base and a diacritic of the stripped blocks,
 * the stripped marks themselves, and apostrophes do.
 */
static inline bool
needs_accent_pass(UChar c)
{
	return (c >= 0x00C0 && c < 0x0500) || (c >= 0x1AB0 && c < 0x1B00) ||
		(c >= 0x1DC0 && c < 0x2000) || c == 0x2018 || c == 0x2019 ||
		(c >= 0x20D0 && c < 0x2100) || (c >= 0xFE20 && c < 0xFE30);
}

/*
 * UTF-8 normalized form of src[0..n) into the arena: NFKC with full case
 * folding, accents removed (decompose, drop diacritic marks, recompose),
 * white space dropped (compatibility forms of spacing accents leave one),
 * apostrophes made ASCII.  reference: take the long way for every input
 * (tests compare the shortcuts against it).
 */
static bool
fold_utf16(tx_tokenizer *tk, const UChar *src, int32_t n, bool reference,
		   char **outp, size_t *outlenp, tx_error *err)
{
	UErrorCode	st = U_ZERO_ERROR;
	char	   *out;
	int32_t		outlen;
	int32_t		len;
	int32_t		k;
	bool		accents = reference;

	if (nfkc_cf == NULL)
	{
		nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
		nfd = unorm2_getNFDInstance(&st);
		nfc = unorm2_getNFCInstance(&st);
		if (U_FAILURE(st))
		{
			nfkc_cf = NULL;
			return icu_fail(err, "normalizer", st);
		}
	}

	len = normalize_into(nfkc_cf, src, n, &tk->w1, &tk->w1cap, &st);
	if (U_FAILURE(st))
		return icu_fail(err, "normalization", st);

	/* a space (from a spacing accent) must go, and its marks then meet the
	 * previous character: also the long way */
	for (k = 0; k < len && !accents; k++)
		accents = needs_accent_pass(tk->w1[k]) || u_isUWhiteSpace(tk->w1[k]);
	if (accents)
	{
		int32_t		m = 0;

		len = normalize_into(nfd, tk->w1, len, &tk->w2, &tk->w2cap, &st);
		if (U_FAILURE(st))
			return icu_fail(err, "normalization", st);
		for (k = 0; k < len; k++)
		{
			UChar		c = tk->w2[k];

			if (is_accent_mark(c) || u_isUWhiteSpace(c))
				continue;
			tk->w2[m++] = is_apostrophe(c) ? '\'' : c;
		}
		len = normalize_into(nfc, tk->w2, m, &tk->w1, &tk->w1cap, &st);
		if (U_FAILURE(st))
			return icu_fail(err, "normalization", st);
	}

	out = arena_alloc(tk, (size_t) len * 3 + 1);
	u_strToUTF8(out, len * 3 + 1, &outlen, tk->w1, len, &st);
	if (U_FAILURE(st))
		return icu_fail(err, "conversion", st);
	out[outlen] = '\0';
	*outp = out;
	*outlenp = (size_t) outlen;
	return true;
}

/* Normalized form of the segment u16[p..q) (see fold_utf16), possessive removed. */
static bool
norm_icu(tx_tokenizer *tk, seg *g, size_t p, size_t q, tx_error *err)
{
	const UChar *src = tk->u16 + p;
	int32_t		n = (int32_t) (q - p);
	int32_t		k;
	char	   *out;
	size_t		outlen;

	for (k = 0; k < n; k++)
		if (src[k] >= 0x80)
			break;
	if (k == n)
	{
		/* ASCII: NFKC_Casefold is lower-casing */
		out = arena_alloc(tk, n + 1);
		for (k = 0; k < n; k++)
			out[k] = (char) ascii_lower[src[k]];
		outlen = n;
	}
	else if (!fold_utf16(tk, src, n, tk->force_icu, &out, &outlen, err))
		return false;
	outlen = strip_possessive(out, outlen);
	out[outlen] = '\0';
	g->norm = out;
	g->normlen = outlen;
	return true;
}

static bool
scan_icu(tx_tokenizer *tk, size_t a, size_t b, tx_error *err)
{
	UErrorCode	st = U_ZERO_ERROR;
	size_t		n = to_utf16(tk, a, b);
	int32_t		p,
				q;

	if (shared_brk == NULL)
	{
		shared_brk = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
		if (U_FAILURE(st))
		{
			shared_brk = NULL;
			return icu_fail(err, "break iterator", st);
		}
	}
	ubrk_setText(shared_brk, tk->u16, (int32_t) n, &st);
	if (U_FAILURE(st))
		return icu_fail(err, "break iterator", st);

	p = ubrk_first(shared_brk);
	while ((q = ubrk_next(shared_brk)) != UBRK_DONE)
	{
		int32_t		status = ubrk_getRuleStatus(shared_brk);
		int32_t		k = p;
		bool		has_l = false,
					has_d = false,
					dict = status >= UBRK_WORD_KANA;
		bool		first_letter = true;

		tx_check_interrupts();
		if (status < UBRK_WORD_NONE_LIMIT)
		{
			p = q;
			continue;
		}
		while (k < q)
		{
			UChar32		c;

			U16_NEXT(tk->u16, k, q, c);
			if (u_isdigit(c))
				has_d = true;
			else if (u_isUAlphabetic(c))
			{
				has_l = true;
				if (first_letter)
				{
					first_letter = false;
					if (c >= 0x80 && is_dict_script(c))
						dict = true;
				}
			}
		}
		if (has_l || has_d)
		{
			seg		   *g = new_seg(tk);

			g->start = tk->map[p];
			g->end = tk->map[q];
			g->has_letter = has_l;
			g->has_digit = has_d;
			g->dict = dict;
			if (!norm_icu(tk, g, p, q, err))
				return false;
		}
		p = q;
	}
	return true;
}

/* ---------------------------------------------------------------- grouping */

static inline bool
gap_is(const tx_tokenizer *tk, size_t a, size_t b, char c)
{
	return b == a + 1 && tk->s[a] == c;
}

static inline bool
gap_is_hyphen(const tx_tokenizer *tk, size_t a, size_t b)
{
	const unsigned char *s = (const unsigned char *) tk->s;

	if (b == a + 1)
		return s[a] == '-';
	return b == a + 3 && s[a] == 0xE2 && s[a + 1] == 0x80 &&
		(s[a + 2] == 0x90 || s[a + 2] == 0x91);
}

static inline void
push_token(tx_tokenizer *tk, size_t start, size_t end, const char *norm,
		   size_t normlen, int type, int pos)
{
	tx_token   *t;

	GROW(tk->q, tk->qcap, tk->qlen + 1);
	t = &tk->q[tk->qlen++];
	t->start = start;
	t->end = end;
	t->norm = norm;
	t->normlen = normlen;
	t->type = type;
	t->pos = pos;
}

static const char *
join_norms(tx_tokenizer *tk, const seg *g, int n, char sep, size_t *outlen)
{
	size_t		len = 0;
	char	   *out;
	char	   *p;
	int			i;

	for (i = 0; i < n; i++)
		len += g[i].normlen + 1;
	out = p = arena_alloc(tk, len);
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = sep;
		memcpy(p, g[i].norm, g[i].normlen);
		p += g[i].normlen;
	}
	*p = '\0';
	*outlen = (size_t) (p - out);
	return out;
}

/* Kinds, slash-joined numbers, compounds: segments -> queued tokens. */
static void
group_segments(tx_tokenizer *tk)
{
	seg		   *g = tk->segs;
	int			n = tk->nsegs;
	int			i,
				w;

	/* kinds; drop segments whose normalized form is empty */
	for (i = w = 0; i < n; i++)
	{
		if (g[i].normlen == 0)
			continue;
		if (g[i].has_letter && g[i].has_digit)
			g[i].kind = TX_TOKEN_MIXED;
		else if (g[i].has_digit)
			g[i].kind = TX_TOKEN_NUMBER;
		else
			g[i].kind = g[i].dict ? TX_TOKEN_DICT : TX_TOKEN_WORD;
		if (w != i)
			g[w] = g[i];
		w++;
	}
	n = w;

	/* the common case: one word between spaces */
	if (n == 1)
	{
		push_token(tk, g[0].start, g[0].end, g[0].norm, g[0].normlen,
				   g[0].kind, ++tk->pos);
		return;
	}

	/* numbers joined by single slashes: 24/7, 9/11, 1/2/2020 */
	for (i = w = 0; i < n; w++)
	{
		int			j = i + 1;

		while (j < n && g[j - 1].kind == TX_TOKEN_NUMBER && g[j].kind == TX_TOKEN_NUMBER &&
			   gap_is(tk, g[j - 1].end, g[j].start, '/'))
			j++;
		if (j - i > 1)
		{
			seg			m = g[i];

			m.norm = join_norms(tk, g + i, j - i, '/', &m.normlen);
			m.end = g[j - 1].end;
			m.kind = TX_TOKEN_MIXED;
			m.slashed = true;
			g[w] = m;
		}
		else if (w != i)
			g[w] = g[i];
		i = j;
	}
	n = w;

	/* compounds */
	for (i = 0; i < n;)
	{
		int			j = i + 1;
		int			k;

		while (j < n && gap_is_hyphen(tk, g[j - 1].end, g[j].start))
			j++;
		if (j - i == 1)
		{
			push_token(tk, g[i].start, g[i].end, g[i].norm, g[i].normlen,
					   g[i].kind, ++tk->pos);
			i = j;
			continue;
		}
		if (j - i <= TX_COMPOUND_MAX_PARTS)
		{
			bool		digits = false;
			size_t		len;
			const char *whole;

			for (k = i; k < j; k++)
				digits |= g[k].kind == TX_TOKEN_NUMBER || g[k].kind == TX_TOKEN_MIXED;
			whole = join_norms(tk, g + i, j - i, '-', &len);
			push_token(tk, g[i].start, g[j - 1].end, whole, len,
					   digits ? TX_TOKEN_NUMCOMPOUND : TX_TOKEN_COMPOUND, tk->pos + 1);
		}
		for (k = i; k < j; k++)
			push_token(tk, g[k].start, g[k].end, g[k].norm, g[k].normlen,
					   (g[k].kind == TX_TOKEN_NUMBER || g[k].kind == TX_TOKEN_MIXED)
					   ? TX_TOKEN_NUMPART : TX_TOKEN_PART, ++tk->pos);
		i = j;
	}
}

/* ---------------------------------------------------------------- driver */

/*
 * Segment the next spans, until QUEUE_FILL tokens are queued or the input
 * ends (a call per span would cost more than the span's short word); false
 * when no token is left.
 */
#define QUEUE_FILL 32

static int
fill_queue(tx_tokenizer *tk, tx_error *err)
{
	const unsigned char *s = (const unsigned char *) tk->s;
	const size_t len = tk->len;	/* a local: stores through char pointers
								 * below could otherwise be its own */

	tk->qlen = tk->qnext = 0;
	while (tk->off < len)
	{
		size_t		a,
					b;

		/* spans are short: look for interrupts every 256 of them */
		if ((++tk->spans & 255) == 0)
			tx_check_interrupts();
		a = tk->off;
		while (a < len && s[a] < 0x80 && ascii_class[s[a]] == C_SPACE)
			a++;
		if (a >= len)
		{
			tk->off = a;
			break;
		}
		/*
		 * The common span: ASCII letters, then at most one ASCII punctuation
		 * character that does not join (not a letter, digit, _ or @), then
		 * white space or the end.  The scanner would make it one segment of
		 * letters, hence one word token: made here directly.
		 */
		if (word_bits[s[a]] == WB_LETTER && !tk->force_icu)
		{
			size_t		e = a + 1;
			size_t		lim = len - a > 1024 ? a + 1024 : len;
			bool		one = false;

			while (e < lim && word_bits[s[e]] == WB_LETTER)
				e++;
			b = e;
			if (e == len)
				one = true;
			else if (e < lim)
			{
				if (is_ascii_space(s[e]))
					one = true;
				else if (s[e] < 0x80 && word_bits[s[e]] == 0 &&
						 (e + 1 == len || is_ascii_space(s[e + 1])))
				{
					one = true;
					b = e + 1;
				}
			}
			if (one)
			{
				size_t		n = e - a;
				char	   *out = arena_alloc(tk, n + 1);

				lower_ascii(out, s + a, n);
				out[n] = '\0';
				push_token(tk, a, e, out, n, TX_TOKEN_WORD, ++tk->pos);
				tk->off = b;
				if (tk->qlen >= QUEUE_FILL)
					break;
				continue;
			}
		}
		tk->nsegs = 0;
		if (tk->force_icu || !scan_ascii(tk, a, &b))
		{
			for (b = a; b < len && !is_ascii_space(s[b]); b++)
				;
			tk->off = b;
			if (!scan_icu(tk, a, b, err))
				return -1;
		}
		tk->off = b;
		group_segments(tk);
		if (tk->qlen >= QUEUE_FILL)
			break;
	}
	return tk->qlen > 0;
}

int
tx_tokenizer_next(tx_tokenizer *tk, tx_token *tok, tx_error *err)
{
	if (tk->qnext >= tk->qlen)
	{
		int			rc = fill_queue(tk, err);

		if (rc <= 0)
			return rc;
	}
	*tok = tk->q[tk->qnext++];
	return 1;
}

int
tx_tokenizer_next_batch(tx_tokenizer *tk, tx_token *out, int max, tx_error *err)
{
	int			n = 0;

	while (n < max)
	{
		int			k;

		if (tk->qnext >= tk->qlen)
		{
			int			rc = fill_queue(tk, err);

			if (rc < 0)
				return -1;
			if (rc == 0)
				break;
		}
		k = tk->qlen - tk->qnext;
		if (k > max - n)
			k = max - n;
		memcpy(out + n, tk->q + tk->qnext, sizeof(tx_token) * k);
		tk->qnext += k;
		n += k;
	}
	return n;
}
