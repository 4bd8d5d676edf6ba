/*
 * passage.h
 *	  Passage selection (core, no PostgreSQL headers): the best windows of
 *	  whole sentences, at most max_words words long, scored with BM25 over
 *	  the query matches they contain.
 */
#ifndef TX_PASSAGE_H
#define TX_PASSAGE_H

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "bm25.h"
#include "tx_core.h"

#define TX_PASSAGE_MAX_WORDS	10000	/* largest max_words accepted */
#define TX_PASSAGE_MAX_N		1000	/* largest number of passages asked for */

/* one match: tokens first_tok..last_tok (a phrase is one hit) of a query group */
typedef struct tx_hit
{
	int32_t		first_tok;
	int32_t		last_tok;
	int32_t		group;			/* index into group_weight */
} tx_hit;

typedef struct tx_passage_args
{
	int			ntokens;
	const int32_t *tok_start;	/* byte offset of each token, ascending */
	int			nsent;
	const int32_t *sent_start;	/* byte offset where each sentence starts, ascending */
	int			nhits;
	const tx_hit *hits;			/* sorted by first_tok */
	int			ngroups;
	const double *group_weight;	/* idf-based weight of each group (> 0) */
	int			max_words;		/* 1 .. TX_PASSAGE_MAX_WORDS */
	tx_bm25_params bm25;
} tx_passage_args;

typedef struct tx_passage
{
	int32_t		first_tok;
	int32_t		last_tok;
	double		score;
} tx_passage;

/*
 * Up to n non-overlapping passages holding at least one hit, best first
 * (ties: earlier first).  A window is a run of whole sentences of at most
 * max_words tokens; a sentence longer than that yields windows of max_words
 * tokens around its hits.  The score of a window is
 *   sum over groups g of weight(g) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / max_words))
 * with tf the hits of g in the window and dl its tokens.  Returns the number
 * written to out (0 when there are no hits).
 */
extern int	tx_passages(const tx_passage_args *a, int n, tx_passage *out);

/*
 * Sentence starts (byte offsets, the first is 0) of UTF-8 text s[0..len)
 * with an ICU sentence break iterator and a UText the caller owns (so that
 * an interrupt cannot leak them); returns the count, *starts tx_alloc'ed.
 */
extern int	tx_sentence_starts(UBreakIterator *bi, UText *ut, const char *s, int len, int32_t **starts);

/*
 * The same, limited to what matters around some byte ranges (sorted, not
 * overlapping, as from/to pairs): every sentence start inside a range plus
 * the last one before it and the first one after it.  Windows of at most
 * max_words words around a hit only need the sentences within max_words
 * words of it, so a long text is not broken into sentences everywhere.
 */
extern int	tx_sentence_starts_near(UBreakIterator *bi, UText *ut, const char *s, int len,
									const int32_t *ranges, int nranges, int32_t **starts);

/*
 * The same as tx_sentence_starts, computed as tx_sentence_starts_near does:
 * on ASCII text with the ASCII sentence scanner and its copy of the
 * abbreviation filter (*nsuppressed: the boundaries that filter suppressed,
 * -1 when the text went to ICU).  Exposed for the tests.
 */
extern int	tx_sentence_starts_fast(UBreakIterator *bi, UText *ut, const char *s, int len,
									int32_t **starts, int *nsuppressed);

/*
 * Where tx_sentence_starts_near starts iterating: the last offset at most
 * limit (and below len) that is certainly a sentence start of the whole-text
 * iteration, searched a bounded distance back (after a line break, or before
 * an uppercase letter that follows a sentence terminator, closing
 * punctuation and spaces, unless the iterator's abbreviation exceptions could
 * apply); 0 if there is none.  Exposed for the tests.
 */
extern int32_t tx_sentence_restart(UBreakIterator *bi, const char *s, int32_t len, int32_t limit);

#endif							/* TX_PASSAGE_H */
