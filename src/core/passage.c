/*
 * passage.c
 *	  Passage selection: windows of whole sentences scored with BM25.
 */
#include "passage.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

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
 * The iterator only ever steps forward (ubrk_next), from the start of the
 * text to the end of the last range: re-synchronizing it on an offset
 * (ubrk_preceding, ubrk_following) runs ICU's safe-reverse rules, which for
 * sentences back up far (often to the start of the text) and cost more than
 * stepping over the gap.  Stepping also gives exactly the boundaries that
 * tx_sentence_starts gives: with the abbreviation suppressions, preceding()
 * can disagree with next() in rare cases.
 */
int
tx_sentence_starts_near(UBreakIterator *bi, UText *ut, const char *s, int len,
						const int32_t *ranges, int nranges, int32_t **starts)
{
	UErrorCode	st = U_ZERO_ERROR;
	int32_t    *out;
	int			n = 0,
				cap = 16;
	int			r;
	int32_t		cur = 0;		/* where the iterator stands */
	UChar	   *u16;
	int			i;

	out = tx_alloc(sizeof(int32_t) * cap);
	out[n++] = 0;

	/*
	 * ASCII text goes to ICU as UTF-16 (the same offsets): its UTF-8 text
	 * provider costs more than the widening.
	 */
	u16 = NULL;
	{
		const unsigned char *u = (const unsigned char *) s;
		unsigned char high = 0;

		/* two loops the compiler vectorizes: is it ASCII, then widen */
		for (i = 0; i < len; i++)
			high |= u[i];
		if (high < 0x80)
		{
			u16 = tx_alloc(sizeof(UChar) * (len + 1));
			for (i = 0; i < len; i++)
				u16[i] = u[i];
		}
	}
	if (u16 != NULL)
		utext_openUChars(ut, u16, len, &st);
	else
		utext_openUTF8(ut, s, len, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(bi, ut, &st);
	if (U_FAILURE(st))
	{
		if (u16)
			tx_free(u16);
		*starts = out;
		return n;
	}
	cur = ubrk_first(bi);
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
		/* step on from where the iterator is to the boundary at or before from */
		b = ubrk_next(bi);
		while (b != UBRK_DONE && b < len && b <= from)
		{
			tx_check_interrupts();
			last = b;
			b = ubrk_next(bi);
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
		for (; b != UBRK_DONE && b < len; b = ubrk_next(bi))
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
	/* leave the iterator on an empty text, not on the buffer freed here */
	utext_openUTF8(ut, "", 0, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(bi, ut, &st);
	if (u16)
		tx_free(u16);
	*starts = out;
	return n;
}
