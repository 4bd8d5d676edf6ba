/*
 * passage.c
 *	  Passage selection: windows of whole sentences scored with BM25.
 */
#include "passage.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/udata.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

typedef struct cand
{
	int32_t		first;
	int32_t		last;
	double		score;
} cand;

static int
cand_cmp(const void *a, const void *b)
{
	const cand *x = a,
			   *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->last < y->last ? -1 : (x->last > y->last);
}

/* first hit whose first_tok >= tok */
static int
first_hit_from(const tx_passage_args *a, int32_t tok)
{
	int			lo = 0,
				hi = a->nhits;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (a->hits[mid].first_tok < tok)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double
window_score(const tx_passage_args *a, int32_t first, int32_t last, int32_t *tf)
{
	int			h;
	int			g;
	double		score = 0;
	double		dl = last - first + 1;
	bool		any = false;

	for (h = first_hit_from(a, first); h < a->nhits && a->hits[h].first_tok <= last; h++)
	{
		if (a->hits[h].last_tok <= last && a->hits[h].group >= 0 && a->hits[h].group < a->ngroups)
		{
			tf[a->hits[h].group]++;
			any = true;
		}
	}
	if (!any)
		return 0;
	for (g = 0; g < a->ngroups; g++)
	{
		if (tf[g] > 0)
		{
			score += tx_bm25_term(a->group_weight[g], tf[g], 1, dl, a->max_words, &a->bm25);
			tf[g] = 0;
		}
	}
	return score;
}

int
tx_passages(const tx_passage_args *a, int n, tx_passage *out)
{
	int32_t    *sfirst,
			   *slast;
	int			ns = 0;
	int			s,
				t,
				i;
	cand	   *c = NULL;
	int			nc = 0,
				capc = 0;
	int32_t    *tf;
	int			nout = 0;

	if (a->nhits == 0 || a->ntokens == 0 || n <= 0 || a->max_words <= 0)
		return 0;

	/* tokens of each non-empty sentence */
	sfirst = tx_alloc(sizeof(int32_t) * (a->ntokens + 1));
	slast = tx_alloc(sizeof(int32_t) * (a->ntokens + 1));
	s = 0;
	{
		int			cur = -1;

		for (t = 0; t < a->ntokens; t++)
		{
			if ((t & 1023) == 0)
				tx_check_interrupts();
			while (s + 1 < a->nsent && a->sent_start[s + 1] <= a->tok_start[t])
				s++;
			if (ns > 0 && cur == s)
				slast[ns - 1] = t;
			else
			{
				sfirst[ns] = t;
				slast[ns] = t;
				ns++;
				cur = s;
			}
		}
	}

	tf = tx_alloc0(sizeof(int32_t) * (a->ngroups + 1));

#define ADD_CAND(F, L) \
	do { \
		double sc_ = window_score(a, (F), (L), tf); \
		if (sc_ > 0) \
		{ \
			if (nc == capc) \
			{ \
				capc = capc ? capc * 2 : 64; \
				c = tx_realloc(c, sizeof(cand) * capc); \
			} \
			c[nc].first = (F); c[nc].last = (L); c[nc].score = sc_; nc++; \
		} \
	} while (0)

	for (i = 0; i < ns; i++)
	{
		int			words = slast[i] - sfirst[i] + 1;
		int			j;

		tx_check_interrupts();
		if (words > a->max_words)
		{
			/* a long sentence: windows of max_words tokens around its hits */
			int			h;
			int32_t		prev = -1;

			for (h = first_hit_from(a, sfirst[i]); h < a->nhits && a->hits[h].first_tok <= slast[i]; h++)
			{
				int32_t		f = a->hits[h].first_tok - a->max_words / 4;

				tx_check_interrupts();
				if (f < sfirst[i])
					f = sfirst[i];
				if (f + a->max_words - 1 > slast[i])
					f = slast[i] - a->max_words + 1;
				if (f == prev)
					continue;
				prev = f;
				ADD_CAND(f, f + a->max_words - 1);
			}
			continue;
		}
		/* runs of whole sentences starting here; skip those without hits quickly */
		for (j = i; j < ns && slast[j] - sfirst[i] + 1 <= a->max_words; j++)
		{
			tx_check_interrupts();
			ADD_CAND(sfirst[i], slast[j]);
		}
	}
#undef ADD_CAND

	qsort(c, nc, sizeof(cand), cand_cmp);
	for (i = 0; i < nc && nout < n; i++)
	{
		int			k;
		bool		overlap = false;

		tx_check_interrupts();
		for (k = 0; k < nout; k++)
			if (!(c[i].last < out[k].first_tok || c[i].first > out[k].last_tok))
			{
				overlap = true;
				break;
			}
		if (overlap)
			continue;
		out[nout].first_tok = c[i].first;
		out[nout].last_tok = c[i].last;
		out[nout].score = c[i].score;
		nout++;
	}
	tx_free(c);
	tx_free(tf);
	tx_free(sfirst);
	tx_free(slast);
	return nout;
}

int
tx_sentence_starts(UBreakIterator *bi, UText *ut, const char *s, int len, int32_t **starts)
{
	UErrorCode	st = U_ZERO_ERROR;
	int32_t    *out;
	int			n = 0,
				cap = 16;
	int32_t		b;

	out = tx_alloc(sizeof(int32_t) * cap);
	out[n++] = 0;
	utext_openUTF8(ut, s, len, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(bi, ut, &st);
	if (U_SUCCESS(st))
	{
		for (b = ubrk_next(bi); b != UBRK_DONE && b < len; b = ubrk_next(bi))
		{
			tx_check_interrupts();
			if (n == cap)
			{
				cap *= 2;
				out = tx_realloc(out, sizeof(int32_t) * cap);
			}
			out[n++] = b;
		}
	}
	*starts = out;
	return n;
}

/*
 * Restart points.
 *
 * Stepping from the start of the text to the first range is most of the work
 * on a long text, so the iteration starts instead at a point before the first
 * range that is certainly a boundary of the whole-text iteration, on the text
 * from there.  That gives the same boundaries after it: ICU's forward
 * iteration (RuleBasedBreakIterator::handleNext) runs its state machine from
 * the previous boundary only, never reading before it, and starts every
 * segment in the same state (the rules' {bof} category included), whether
 * that boundary is the start of the text or not.  The abbreviation filter
 * (SimpleFilteredSentenceBreakIterator) looks back from each boundary over at
 * most one space and then over characters of its exception strings, which
 * hold no space and no line break, so it cannot look past the character
 * before a restart point (a space or a line break) in a way that matters.
 *
 * A restart point is a boundary whatever comes before it:
 * - after LF, and after CR not followed by LF (UAX #29 SB4; ICU keeps CR LF
 *   together, SB3): no rule goes on after them, and no exception string
 *   holds a line break, so the filter never suppresses it;
 * - before an uppercase letter (Sentence_Break=Upper) that follows
 *   STerm|ATerm Close* and one or more spaces (U+0020), with nothing else in
 *   between (no Extend or Format): SB11 breaks there, SB7 needs no space,
 *   SB8 a lowercase letter, SB8a SContinue or a terminator.  The filter
 *   suppresses such a break when the text before the space ends with one of
 *   its exception strings ("Mr.", or the "U." of "U.S."), so those points
 *   are tested against the same list (any prefix ending in a period, more
 *   than the filter itself checks).
 * The exception list is the one the filter loaded (ICU's brkitr data,
 * exceptions/SentenceBreak of the iterator's locale); when it cannot be read
 * or holds something unexpected, no restart point is used.
 */
#define RESTART_BACK	65536	/* bytes before the first range searched */
#define SUPP_BUF		16384	/* bytes of exception prefixes kept */
#define SUPP_MAX		2048	/* exception prefixes kept */

static struct
{
	int			state;			/* 0 not loaded, 1 usable, -1 not usable */
	char		locale[ULOC_FULLNAME_CAPACITY];
	int			n;
	int32_t		off[SUPP_MAX + 1];	/* prefix k is buf[off[k] .. off[k + 1]) */
	char		buf[SUPP_BUF];
}			supp;

static bool
supp_add(const char *p, int32_t len)
{
	int32_t		used = supp.off[supp.n];

	if (supp.n >= SUPP_MAX || used + len > SUPP_BUF)
		return false;
	memcpy(supp.buf + used, p, len);
	supp.off[++supp.n] = used + len;
	return true;
}

/*
 * The locale of a sentence iterator whose exception strings apply, or NULL
 * (none, root, or a name too long to keep)
 */
static const char *
exc_locale(UBreakIterator *bi)
{
	UErrorCode	st = U_ZERO_ERROR;
	const char *loc = ubrk_getLocaleByType(bi, ULOC_VALID_LOCALE, &st);

	if (U_FAILURE(st) || loc == NULL || loc[0] == '\0' || strcmp(loc, "root") == 0 ||
		strlen(loc) >= ULOC_FULLNAME_CAPACITY)
		return NULL;
	return loc;
}

/* ICU's exception strings of a locale: exceptions/SentenceBreak of its brkitr data */
typedef struct exc_strings
{
	UResourceBundle *b;
	UResourceBundle *ex;
	UResourceBundle *sb;		/* the array of strings */
} exc_strings;

/*
 * Open the exception strings of loc: 1 with r->sb an array of strings, 0 when
 * the locale has none (nothing to suppress), -1 when they cannot be read.
 * Close r with exc_strings_close whatever the answer.
 */
static int
exc_strings_open(const char *loc, exc_strings *r)
{
	UErrorCode	st = U_ZERO_ERROR;
	char		base[ULOC_FULLNAME_CAPACITY];

	memset(r, 0, sizeof(*r));
	uloc_getBaseName(loc, base, sizeof(base), &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
		return -1;
	r->b = ures_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", base, &st);
	if (U_FAILURE(st))
		return -1;
	r->ex = ures_getByKey(r->b, "exceptions", NULL, &st);
	if (st == U_MISSING_RESOURCE_ERROR)
		return 0;
	if (U_FAILURE(st))
		return -1;
	r->sb = ures_getByKey(r->ex, "SentenceBreak", NULL, &st);
	if (st == U_MISSING_RESOURCE_ERROR)
		return 0;
	if (U_FAILURE(st) || ures_getType(r->sb) != URES_ARRAY)
		return -1;
	return 1;
}

static void
exc_strings_close(exc_strings *r)
{
	if (r->sb)
		ures_close(r->sb);
	if (r->ex)
		ures_close(r->ex);
	if (r->b)
		ures_close(r->b);
}

/* read the exception strings of the iterator's locale; false if unusable */
static bool
supp_load(UBreakIterator *bi)
{
	UErrorCode	st = U_ZERO_ERROR;
	const char *loc = exc_locale(bi);
	exc_strings r;
	UResourceBundle *sb;
	bool		ok = false;
	int			have;
	int32_t		i,
				size;

	if (loc == NULL)
		return false;
	if (supp.state != 0 && strcmp(supp.locale, loc) == 0)
		return supp.state > 0;
	strcpy(supp.locale, loc);
	supp.state = -1;
	supp.n = 0;
	supp.off[0] = 0;
	have = exc_strings_open(loc, &r);
	if (have <= 0)
	{
		ok = have == 0;			/* none: nothing to suppress */
		goto done;
	}
	sb = r.sb;
	size = ures_getSize(sb);
	for (i = 0; i < size; i++)
	{
		const UChar *u;
		int32_t		ulen,
					blen,
					j;
		char		u8[256];

		u = ures_getStringByIndex(sb, i, &ulen, &st);
		if (U_FAILURE(st))
			goto done;
		u_strToUTF8(u8, sizeof(u8), &blen, u, ulen, &st);
		if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || blen <= 0)
			goto done;
		for (j = 0; j < blen; j++)
		{
			unsigned char c = (unsigned char) u8[j];

			/* no space, control, NEL, LS, PS or U+FFFD expected */
			if (c <= 0x20 || c == 0x7F ||
				(c == 0xC2 && j + 1 < blen && (unsigned char) u8[j + 1] <= 0xA0) ||
				(c == 0xE2 && j + 2 < blen && (unsigned char) u8[j + 1] == 0x80 &&
				 ((unsigned char) u8[j + 2] == 0xA8 || (unsigned char) u8[j + 2] == 0xA9)) ||
				(c == 0xEF && j + 2 < blen && (unsigned char) u8[j + 1] == 0xBF &&
				 (unsigned char) u8[j + 2] == 0xBD))
				goto done;
		}
		/* every prefix ending in a period, and the whole string */
		for (j = 0; j < blen; j++)
			if (u8[j] == '.' && !supp_add(u8, j + 1))
				goto done;
		if (u8[blen - 1] != '.' && !supp_add(u8, blen))
			goto done;
	}
	ok = true;
done:
	exc_strings_close(&r);
	supp.state = ok ? 1 : -1;
	return ok;
}

/* does s[0..e) end with an exception prefix? */
static bool
supp_before(const char *s, int32_t e)
{
	int			k;

	for (k = 0; k < supp.n; k++)
	{
		int32_t		plen = supp.off[k + 1] - supp.off[k];
		const char *end = supp.buf + supp.off[k + 1];

		/* the last two bytes first (the last is mostly the period) */
		if (plen <= e && end[-1] == s[e - 1] && (plen < 2 || end[-2] == s[e - 2]) &&
			memcmp(s + e - plen, supp.buf + supp.off[k], plen) == 0)
			return true;
	}
	return false;
}

/*
 * Is q (s[q - 1] a space, q < len) before an uppercase letter that follows
 * STerm|ATerm Close* spaces?
 */
static bool
space_restart(const unsigned char *u, int32_t q, int32_t len)
{
	UChar32		c;
	int32_t		i = q,
				j,
				closes;

	if (u[q] < 0x80)
	{
		if (u[q] < 'A' || u[q] > 'Z')
			return false;
	}
	else
	{
		U8_NEXT(u, i, len, c);
		if (c < 0 || u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK) != U_SB_UPPER)
			return false;
	}
	j = q - 1;
	while (j > 0 && u[j - 1] == ' ')
		j--;
	for (closes = 0; closes < 16; closes++)
	{
		int32_t		sbc;

		if (j <= 0)
			return false;
		U8_PREV(u, 0, j, c);
		if (c < 0)
			return false;
		sbc = u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
		if (sbc == U_SB_ATERM || sbc == U_SB_STERM)
			return true;
		if (sbc != U_SB_CLOSE)
			return false;
	}
	return false;
}

/* the last restart point at most limit, searching RESTART_BACK bytes back */
int32_t
tx_sentence_restart(UBreakIterator *bi, const char *s, int32_t len, int32_t limit)
{
	const unsigned char *u = (const unsigned char *) s;
	int32_t		q,
				stop;
	int			loaded = 0;

	if (limit >= len)
		limit = len - 1;
	if (limit < 1)
		return 0;
	stop = limit > RESTART_BACK ? limit - RESTART_BACK : 1;
	for (q = limit; q >= stop; q--)
	{
		unsigned char c = u[q - 1];

		if ((q & 4095) == 0)
			tx_check_interrupts();
		if (c == '\n' || (c == '\r' && u[q] != '\n'))
		{
			if (loaded == 0)
				loaded = supp_load(bi) ? 1 : -1;
			return loaded > 0 ? q : 0;
		}
		if (c == ' ' && space_restart(u, q, len))
		{
			if (loaded == 0)
				loaded = supp_load(bi) ? 1 : -1;
			if (loaded < 0)
				return 0;
			if (!supp_before(s, q - 1))
				return q;
		}
	}
	return 0;
}

/*
 * The ASCII sentence scanner.
 *
 * On ASCII text the boundaries of the iterator are computed without ICU.
 * First the raw boundaries (UAX #29 sentence rules, which ICU's rules
 * implement) by a scanner over the Sentence_Break classes of the ASCII
 * characters (read from ICU at start-up: CR, LF, Sp, Lower, Upper, Numeric,
 * ATerm, STerm, Close, SContinue and Other; if ICU gives any other class,
 * the scanner is not used).  A boundary of the whole-text iteration is a raw
 * boundary, and the raw boundaries after one do not depend on the text
 * before it (the characters before a raw boundary are never Upper or Lower,
 * all that SB7 looks back at; the other rules look back no further than the
 * terminator that starts them), so the scanner may start on any boundary.
 *
 * Then the abbreviation filter, as ICU's SimpleFilteredSentenceBreakIterator
 * applies it to each raw boundary n before the end: its builder makes, from
 * the exception strings, a backward list B (each string whose only period is
 * its last character, unless it is the part up to the first period of a
 * string with a period inside, "match"; and those parts, "partial") and a
 * forward list F (the strings with a period inside, and the strings that
 * are such a part).  At n it steps back over one space (U+0020) if there is
 * one, takes the longest string of B that the text there ends with, and
 * suppresses n if that is a "match"; if it is "partial", it reads the text
 * forward from where that string starts through a trie of F until the trie
 * has nothing more to offer (no string goes on, or one ends with no longer
 * one) or the text ends, and suppresses n when it stopped on a whole string
 * of F.  Here B and F are short arrays searched linearly, behind a filter
 * on the last two bytes.  The exception strings are those of the
 * iterator's locale (exceptions/SentenceBreak of ICU's brkitr data); when
 * they cannot be read or are not ASCII without spaces, ICU does it all.
 * The unit tests and fuzz_sentences compare the scanner with ICU.
 */
enum
{
	SB_OTHER = 0, SB_CR, SB_LF, SB_SP, SB_LOWER, SB_UPPER, SB_NUMERIC,
	SB_ATERM, SB_STERM, SB_CLOSE, SB_SCONTINUE,
	SB_BEYOND					/* a byte of a character that is not ASCII */
};

static int	sb_state = 0;		/* 0 not built, 1 usable, -1 not usable */
static unsigned char sb_class[256];
static bool sb_stop[256];		/* CR, LF, ATerm, STerm, and the end of ASCII */

/*
 * The ICU releases whose sentence rules and exception filter the scanner
 * reproduces (the unit tests and fuzz_sentences compare them); with any
 * other ICU library at run time, ICU finds every boundary itself.
 */
#define SB_ICU_MIN_MAJOR	72
#define SB_ICU_MAX_MAJOR	72

static bool
sb_ready(void)
{
	int			c;
	UVersionInfo v;

	if (sb_state != 0)
		return sb_state > 0;
	sb_state = -1;
	u_getVersion(v);
	if (v[0] < SB_ICU_MIN_MAJOR || v[0] > SB_ICU_MAX_MAJOR)
		return false;
	for (c = 0; c < 128; c++)
	{
		switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK))
		{
			case U_SB_OTHER:
				sb_class[c] = SB_OTHER;
				break;
			case U_SB_CR:
				sb_class[c] = SB_CR;
				break;
			case U_SB_LF:
				sb_class[c] = SB_LF;
				break;
			case U_SB_SP:
				sb_class[c] = SB_SP;
				break;
			case U_SB_LOWER:
				sb_class[c] = SB_LOWER;
				break;
			case U_SB_UPPER:
				sb_class[c] = SB_UPPER;
				break;
			case U_SB_NUMERIC:
				sb_class[c] = SB_NUMERIC;
				break;
			case U_SB_ATERM:
				sb_class[c] = SB_ATERM;
				break;
			case U_SB_STERM:
				sb_class[c] = SB_STERM;
				break;
			case U_SB_CLOSE:
				sb_class[c] = SB_CLOSE;
				break;
			case U_SB_SCONTINUE:
				sb_class[c] = SB_SCONTINUE;
				break;
			default:
				return false;	/* Extend, Format, Sep, OLetter: not expected */
		}
	}
	/* the scanner knows CR LF as these two bytes */
	if (sb_class['\r'] != SB_CR || sb_class['\n'] != SB_LF)
		return false;
	for (c = 128; c < 256; c++)
		sb_class[c] = SB_BEYOND;
	for (c = 0; c < 256; c++)
		sb_stop[c] = sb_class[c] == SB_CR || sb_class[c] == SB_LF ||
			sb_class[c] == SB_ATERM || sb_class[c] == SB_STERM || sb_class[c] == SB_BEYOND;
	sb_state = 1;
	return true;
}

#define EXC_MAX		1024		/* strings in B and F together */
#define EXC_BUF		32768		/* their bytes */
#define EXC_HASH(last, before) (((last) * 31 + (before)) & 255)

static struct
{
	int			state;			/* 0 not loaded, 1 usable, -1 not usable */
	char		locale[ULOC_FULLNAME_CAPACITY];
	int			nb;				/* B: b[0..nb), then F: b[nb..nb + nf) */
	int			nf;
	int32_t		off[EXC_MAX];
	int32_t		len[EXC_MAX];
	bool		partial[EXC_MAX];
	uint8_t		pair[8192];		/* bit (last byte, byte before) of B's strings */
	bool		single[256];	/* B's strings of one byte */
	int16_t		head[256];		/* B's strings by a hash of their last two
								 * bytes (-1 ends), chained by next */
	int16_t		next[EXC_MAX];
	int32_t		used;
	char		buf[EXC_BUF];
}			exc;

/* index of s[0..len) among exc strings from..to, -1 if absent */
static int
exc_find(const char *p, int32_t len, int from, int to)
{
	int			k;

	for (k = from; k < to; k++)
		if (exc.len[k] == len && memcmp(exc.buf + exc.off[k], p, len) == 0)
			return k;
	return -1;
}

static bool
exc_add(const char *p, int32_t len, bool partial)
{
	int			k = exc.nb + exc.nf;

	if (k >= EXC_MAX || exc.used + len > EXC_BUF)
		return false;
	memcpy(exc.buf + exc.used, p, len);
	exc.off[k] = exc.used;
	exc.len[k] = len;
	exc.partial[k] = partial;
	exc.used += len;
	return true;
}

/* build B and F for the iterator's locale; false if the scanner cannot filter */
static bool
exc_load(UBreakIterator *bi)
{
	UErrorCode	st = U_ZERO_ERROR;
	const char *loc = exc_locale(bi);
	exc_strings r;
	UResourceBundle *sb;
	char	   *raw = NULL;		/* the strings, NUL-separated */
	int32_t		rawlen = 0;
	int32_t		i,
				size = 0;
	bool		ok = false;
	int			have;
	int			pass;

	if (loc == NULL)
		return false;
	if (exc.state != 0 && strcmp(exc.locale, loc) == 0)
		return exc.state > 0;
	strcpy(exc.locale, loc);
	exc.state = -1;
	exc.nb = exc.nf = 0;
	exc.used = 0;
	memset(exc.pair, 0, sizeof(exc.pair));
	memset(exc.single, 0, sizeof(exc.single));
	memset(exc.head, 0xFF, sizeof(exc.head));
	have = exc_strings_open(loc, &r);
	if (have <= 0)
	{
		ok = have == 0;			/* none: nothing to suppress */
		goto done;
	}
	sb = r.sb;
	size = ures_getSize(sb);
	raw = tx_alloc(EXC_BUF);
	for (i = 0; i < size; i++)
	{
		const UChar *u;
		int32_t		ulen,
					j;

		u = ures_getStringByIndex(sb, i, &ulen, &st);
		if (U_FAILURE(st) || ulen <= 0 || rawlen + ulen + 1 > EXC_BUF)
			goto done;
		/* printable ASCII without spaces only */
		for (j = 0; j < ulen; j++)
		{
			if (u[j] <= 0x20 || u[j] >= 0x7F)
				goto done;
			raw[rawlen + j] = (char) u[j];
		}
		raw[rawlen + ulen] = '\0';
		rawlen += ulen + 1;
	}

	/* B: partial parts (once each), then the other period-final strings */
	for (pass = 0; pass < 2; pass++)
	{
		int32_t		at;

		for (at = 0; at < rawlen; at += (int32_t) strlen(raw + at) + 1)
		{
			const char *str = raw + at;
			int32_t		len = (int32_t) strlen(str);
			const char *dot = memchr(str, '.', len);
			bool		partial = dot != NULL && dot - str + 1 != len;

			if (pass == 0 && partial)
			{
				int32_t		plen = (int32_t) (dot - str) + 1;

				if (exc_find(str, plen, 0, exc.nb) < 0)
				{
					if (!exc_add(str, plen, true))
						goto done;
					exc.nb++;
				}
			}
			else if (pass == 1 && !partial && exc_find(str, len, 0, exc.nb) < 0)
			{
				if (!exc_add(str, len, false))
					goto done;
				exc.nb++;
			}
		}
	}
	/* F: the strings with a period inside, and those equal to a partial part */
	{
		int32_t		at;

		for (at = 0; at < rawlen; at += (int32_t) strlen(raw + at) + 1)
		{
			const char *str = raw + at;
			int32_t		len = (int32_t) strlen(str);
			const char *dot = memchr(str, '.', len);
			bool		partial = dot != NULL && dot - str + 1 != len;
			int			k = exc_find(str, len, 0, exc.nb);

			if ((partial || (k >= 0 && exc.partial[k])) &&
				exc_find(str, len, exc.nb, exc.nb + exc.nf) < 0)
			{
				if (!exc_add(str, len, false))
					goto done;
				exc.nf++;
			}
		}
	}
	for (i = 0; i < exc.nb; i++)
	{
		const unsigned char *e = (const unsigned char *) exc.buf + exc.off[i] + exc.len[i];

		if (exc.len[i] == 1)
			exc.single[e[-1]] = true;
		else
		{
			int			bit = (e[-1] << 8) | e[-2];

			exc.pair[bit >> 3] |= 1 << (bit & 7);
			exc.next[i] = exc.head[EXC_HASH(e[-1], e[-2])];
			exc.head[EXC_HASH(e[-1], e[-2])] = (int16_t) i;
		}
	}
	ok = true;
done:
	if (raw)
		tx_free(raw);
	exc_strings_close(&r);
	if (!ok)
		exc.nb = exc.nf = 0;
	exc.state = ok ? 1 : -1;
	return ok;
}

/* does the filter suppress raw boundary n (0 < n < len) of ASCII text s? */
static bool
exc_suppresses(const char *s, int32_t len, int32_t n)
{
	const unsigned char *u = (const unsigned char *) s;
	int32_t		e = u[n - 1] == ' ' ? n - 1 : n;
	int32_t		best = -1,
				at,
				k;
	int			i,
				bit;

	if (exc.nb == 0 || e == 0)
		return false;
	bit = e >= 2 ? (u[e - 1] << 8) | u[e - 2] : -1;
	if (!exc.single[u[e - 1]] && (bit < 0 || !(exc.pair[bit >> 3] & (1 << (bit & 7)))))
		return false;
	/* the longest string of B that the text ends with at e */
	if (exc.single[u[e - 1]])
		for (i = 0; i < exc.nb; i++)
			if (exc.len[i] == 1 && exc.buf[exc.off[i]] == s[e - 1])
				best = i;
	if (e >= 2)
		for (i = exc.head[EXC_HASH(u[e - 1], u[e - 2])]; i >= 0; i = exc.next[i])
			if (exc.len[i] <= e && (best < 0 || exc.len[i] > exc.len[best]) &&
				memcmp(s + e - exc.len[i], exc.buf + exc.off[i], exc.len[i]) == 0)
				best = i;
	if (best < 0)
		return false;
	if (!exc.partial[best])
		return true;
	if (exc.nf == 0)
		return false;
	/* forward through F from where it starts, as a trie would */
	at = e - exc.len[best];
	for (k = 1; at + k <= len; k++)
	{
		bool		any = false,
					value = false,
					longer = false;

		for (i = exc.nb; i < exc.nb + exc.nf; i++)
		{
			if (exc.len[i] < k || memcmp(exc.buf + exc.off[i], s + at, k) != 0)
				continue;
			any = true;
			if (exc.len[i] == k)
				value = true;
			else
				longer = true;
		}
		if (!any)
			return false;		/* no match */
		if (!longer)
			return value;		/* a final value; no value cannot happen */
		/* a value with more to come, or no value yet: go on */
		if (at + k == len)
			return value;		/* the end of the text */
	}
	return false;
}

#define RAW_UNKNOWN (-2)

/*
 * The next raw boundary after p (p < len), len at the end of the text;
 * RAW_UNKNOWN when finding it means reading a byte that is not ASCII.  The character before a raw boundary is never
 * Upper or Lower, so what comes before p matters to nothing but SB7's look
 * at s[i - 1], which is then not a letter in any case.
 */
static int32_t
ascii_next_raw(const unsigned char *s, int32_t len, int32_t p)
{
	int32_t		i = p;

#define NEED(k) do { if (s[k] >= 0x80) return RAW_UNKNOWN; } while (0)
	while (i < len)
	{
		int			c;
		int			nc;
		int32_t		j;

		NEED(i);
		c = sb_class[s[i]];
		if (!sb_stop[s[i]])
		{
			/* most characters: on to the next that may end a sentence */
			int32_t		lim = len - i > 4096 ? i + 4096 : len;

			while (i < lim && !sb_stop[s[i]])
				i++;
			tx_check_interrupts();
			continue;
		}
		if (c == SB_LF)
			return i + 1;		/* SB4 */
		if (c == SB_CR)
		{
			if (i + 1 < len)
				NEED(i + 1);
			return (i + 1 < len && s[i + 1] == '\n') ? i + 2 : i + 1;	/* SB3, SB4 */
		}
		j = i + 1;
		if (c == SB_ATERM && j < len)
		{
			NEED(j);
			nc = sb_class[s[j]];
			if (nc == SB_NUMERIC)
			{
				i = j;			/* SB6 */
				continue;
			}
			if (nc == SB_UPPER && i > 0 &&
				(sb_class[s[i - 1]] == SB_UPPER || sb_class[s[i - 1]] == SB_LOWER))
			{
				i = j;			/* SB7 */
				continue;
			}
		}
		while (j < len)
		{
			NEED(j);
			if (sb_class[s[j]] != SB_CLOSE)
				break;
			j++;
		}
		while (j < len)
		{
			NEED(j);
			if (sb_class[s[j]] != SB_SP)
				break;
			j++;
		}
		if (j >= len)
			return len;
		nc = sb_class[s[j]];
		if (nc == SB_CR)		/* SB9, SB10, then SB4 */
		{
			if (j + 1 < len)
				NEED(j + 1);
			return (j + 1 < len && s[j + 1] == '\n') ? j + 2 : j + 1;
		}
		if (nc == SB_LF)
			return j + 1;
		if (nc == SB_SCONTINUE || nc == SB_ATERM || nc == SB_STERM)
		{
			i = j;				/* SB8a */
			continue;
		}
		if (c == SB_ATERM)
		{
			/* SB8: (not OLetter, Upper, Lower, ParaSep, SATerm)* Lower */
			int32_t		k = j;
			int			kc = SB_OTHER;

			while (k < len)
			{
				NEED(k);
				kc = sb_class[s[k]];
				if (kc == SB_UPPER || kc == SB_LOWER || kc == SB_CR || kc == SB_LF ||
					kc == SB_ATERM || kc == SB_STERM)
					break;
				k++;
			}
			if (k < len && kc == SB_LOWER)
			{
				i = k;
				continue;
			}
		}
		return j;				/* SB11 */
	}
	return len;
#undef NEED
}

/*
 * A forward walk over the boundaries of the whole-text iteration, from a
 * boundary: with the ASCII scanner and filter, or with ICU on a text
 * s + base.
 */
typedef struct sent_walk
{
	UBreakIterator *bi;
	UText	   *ut;
	const char *s;
	int32_t		len;
	bool		ascii;			/* the scanner is in use */
	bool		scannable;		/* the scanner can be used (else ICU alone) */
	int32_t		at;				/* scanner: the last boundary returned */
	int32_t		base;			/* ICU alone: its text starts at s + base */
	int			nsuppressed;	/* raw boundaries the filter suppressed */
} sent_walk;

/* are the next ASCII_AHEAD bytes from b (or all up to len) ASCII? */
#define ASCII_AHEAD 256

static bool
ascii_ahead(const unsigned char *u, int32_t len, int32_t b)
{
	int32_t		end = len - b > ASCII_AHEAD ? b + ASCII_AHEAD : len;
	unsigned char high = 0;
	int32_t		i;

	for (i = b; i < end; i++)
		high |= u[i];
	return high < 0x80;
}

/*
 * The scanner has reached text that is not ASCII: ICU goes on, from a
 * restart point at or before the last boundary returned (or the start of
 * the text), to the first boundary after it, and does the rest.
 */
static int32_t
walk_to_icu(sent_walk *w)
{
	UErrorCode	st = U_ZERO_ERROR;
	int32_t		rp = w->at >= 1 ? tx_sentence_restart(w->bi, w->s, w->len, w->at) : 0;
	int32_t		b;

	w->ascii = false;
	w->base = rp;
	utext_openUTF8(w->ut, w->s + rp, w->len - rp, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(w->bi, w->ut, &st);
	if (U_FAILURE(st))
		return UBRK_DONE;
	for (b = ubrk_first(w->bi); b != UBRK_DONE; b = ubrk_next(w->bi))
	{
		tx_check_interrupts();
		if (b + rp > w->at)
			return b + rp;
	}
	return UBRK_DONE;
}

static int32_t
walk_next(sent_walk *w)
{
	const unsigned char *u = (const unsigned char *) w->s;
	int32_t		raw = w->at;

	if (!w->ascii)
	{
		int32_t		b = ubrk_next(w->bi);

		if (b == UBRK_DONE)
			return UBRK_DONE;
		b += w->base;
		/* back to the scanner where ASCII text follows for a while */
		if (w->scannable && b < w->len && ascii_ahead(u, w->len, b))
		{
			w->ascii = true;
			w->at = b;
		}
		return b;
	}
	if (w->at == UBRK_DONE || w->at >= w->len)
		return UBRK_DONE;
	for (;;)
	{
		raw = ascii_next_raw(u, w->len, raw);
		if (raw == RAW_UNKNOWN)
			return walk_to_icu(w);
		if (raw >= w->len)
		{
			w->at = UBRK_DONE;
			return UBRK_DONE;
		}
		if (!exc_suppresses(w->s, w->len, raw))
		{
			w->at = raw;
			return raw;
		}
		w->nsuppressed++;
	}
}

/*
 * Start a walk on the boundary from (a restart point or 0): with the
 * scanner when s[from] is ASCII and the filter's strings are known (ICU
 * takes over where the ASCII text ends), otherwise with ICU on s + from
 * (UTF-16 for ASCII, whose offsets are the same).  *u16 is what the caller frees afterwards.  Returns false if ICU
 * failed.
 */
static bool
walk_start(sent_walk *w, UBreakIterator *bi, UText *ut, const char *s, int32_t len,
		   int32_t from, UChar **u16)
{
	UErrorCode	st = U_ZERO_ERROR;
	const unsigned char *u = (const unsigned char *) s + from;
	unsigned char high = 0;
	int32_t		ulen = len - from;
	int32_t		i;

	memset(w, 0, sizeof(*w));
	w->bi = bi;
	w->ut = ut;
	w->s = s;
	w->len = len;
	w->at = from;
	w->base = from;
	*u16 = NULL;
	w->scannable = ulen > 0 && sb_ready() && exc_load(bi);
	if (w->scannable && u[0] < 0x80)
	{
		/* the scanner, and ICU from where the text stops being ASCII */
		w->ascii = true;
		return true;
	}
	/* two loops the compiler vectorizes: is it ASCII, then widen */
	for (i = 0; i < ulen; i++)
		high |= u[i];
	/* ASCII text goes to ICU as UTF-16: its UTF-8 text provider costs more than the widening */
	if (high < 0x80)
	{
		*u16 = tx_alloc(sizeof(UChar) * (ulen + 1));
		for (i = 0; i < ulen; i++)
			(*u16)[i] = u[i];
		utext_openUChars(ut, *u16, ulen, &st);
	}
	else
		utext_openUTF8(ut, s + from, ulen, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(bi, ut, &st);
	if (U_FAILURE(st))
		return false;
	ubrk_first(bi);
	return true;
}

/* leave the iterator on an empty text, not on a buffer about to be freed */
static void
walk_end(UBreakIterator *bi, UText *ut, UChar *u16)
{
	UErrorCode	st = U_ZERO_ERROR;

	utext_openUTF8(ut, "", 0, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(bi, ut, &st);
	if (u16)
		tx_free(u16);
}

int
tx_sentence_starts_fast(UBreakIterator *bi, UText *ut, const char *s, int len,
						int32_t **starts, int *nsuppressed)
{
	sent_walk	w;
	UChar	   *u16;
	int32_t    *out;
	int			n = 0,
				cap = 16;
	int32_t		b;

	out = tx_alloc(sizeof(int32_t) * cap);
	out[n++] = 0;
	if (len > 0 && walk_start(&w, bi, ut, s, len, 0, &u16))
	{
		for (b = walk_next(&w); b != UBRK_DONE && b < len; b = walk_next(&w))
		{
			tx_check_interrupts();
			if (n == cap)
			{
				cap *= 2;
				out = tx_realloc(out, sizeof(int32_t) * cap);
			}
			out[n++] = b;
		}
		if (nsuppressed)
			*nsuppressed = w.ascii ? w.nsuppressed : -1;
		walk_end(bi, ut, u16);
	}
	else if (nsuppressed)
		*nsuppressed = len == 0 ? 0 : -1;	/* an empty text has nothing to scan */
	*starts = out;
	return n;
}

/*
 * The iterator only ever steps forward (ubrk_next), from a restart point
 * before the first range (or the start of the text) to the end of the last
 * range: re-synchronizing it on an offset (ubrk_preceding, ubrk_following)
 * runs ICU's safe-reverse rules, which for sentences back up far (often to
 * the start of the text) and cost more than stepping over the gap.  Stepping
 * also gives exactly the boundaries that tx_sentence_starts gives: with the
 * abbreviation suppressions, preceding() can disagree with next() in rare
 * cases.  On ASCII text the steps are the scanner's.
 */
int
tx_sentence_starts_near(UBreakIterator *bi, UText *ut, const char *s, int len,
						const int32_t *ranges, int nranges, int32_t **starts)
{
	int32_t    *out;
	int			n = 0,
				cap = 16;
	int			r;
	int32_t		cur;			/* where the walk stands */
	int32_t		base = 0;
	UChar	   *u16;
	sent_walk	w;

	out = tx_alloc(sizeof(int32_t) * cap);
	out[n++] = 0;

	/*
	 * Start at the last restart point before the first range: before its
	 * start and its end, so that the iteration from there selects what the
	 * iteration from the start of the text would.
	 */
	if (nranges > 0 && len > 0)
	{
		int32_t		from = ranges[0] < 0 ? 0 : ranges[0];
		int32_t		to = ranges[1] > len ? len : ranges[1];
		int32_t		limit = (from < to ? from : to) - 1;

		if (limit >= 1)
			base = tx_sentence_restart(bi, s, len, limit);
	}
	if (!walk_start(&w, bi, ut, s, len, base, &u16))
	{
		walk_end(bi, ut, u16);
		*starts = out;
		return n;
	}

	cur = base;
	for (r = 0; r < nranges; r++)
	{
		int32_t		from = ranges[2 * r];
		int32_t		to = ranges[2 * r + 1];
		int32_t		b;
		int32_t		last = cur;

		tx_check_interrupts();
		if (from < 0)
			from = 0;
		if (to > len)
			to = len;
		if (cur == UBRK_DONE || cur >= len)
			break;
		if (cur >= to)
			continue;			/* the first boundary at or after to is in */
		/* step on from where the walk is to the boundary at or before from */
		b = walk_next(&w);
		while (b != UBRK_DONE && b < len && b <= from)
		{
			tx_check_interrupts();
			last = b;
			b = walk_next(&w);
		}
		if (last > out[n - 1] && last < len)
		{
			if (n == cap)
			{
				cap *= 2;
				out = tx_realloc(out, sizeof(int32_t) * cap);
			}
			out[n++] = last;
		}
		for (; b != UBRK_DONE && b < len; b = walk_next(&w))
		{
			tx_check_interrupts();
			if (b > out[n - 1])
			{
				if (n == cap)
				{
					cap *= 2;
					out = tx_realloc(out, sizeof(int32_t) * cap);
				}
				out[n++] = b;
			}
			if (b >= to)
				break;
		}
		cur = b;
	}
	walk_end(bi, ut, u16);
	*starts = out;
	return n;
}
