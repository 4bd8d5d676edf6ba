/*
 * tquery.h
 *	  The tquery type (transcripts query language) and the C API other glue
 *	  files (the bm25 index) use to evaluate and score it.
 *
 * A TQuery is a varlena whose payload is the flat image of
 * src/core/tquery_parse.h: the parsed query with every word already
 * analysed (folded and stemmed) by a text search configuration.
 */
#ifndef TQUERY_H
#define TQUERY_H

#include "postgres.h"

#include "fmgr.h"

#include "tquery_parse.h"

typedef struct TQuery
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	tq_header	hdr;			/* followed by the rest of the image */
} TQuery;

#define TQUERY_HDR(q)			(&(q)->hdr)

/* bytes of the image (a value may carry corpus statistics after it) */
extern size_t tq_image_size(const tq_header *h);

#define DatumGetTQueryP(X)		((TQuery *) PG_DETOAST_DATUM(X))
#define PG_GETARG_TQUERY_P(n)	DatumGetTQueryP(PG_GETARG_DATUM(n))
#define PG_RETURN_TQUERY_P(x)	PG_RETURN_POINTER(x)

typedef struct TqTerm
{
	const char *lexeme;			/* analysed lexeme (not NUL-terminated) */
	int			len;			/* bytes */
	int			qtf;			/* occurrences in the query; 0 for excluded-only terms */
	bool		prefix;			/* matches every lexeme starting with lexeme */
} TqTerm;

/*
 * Distinct positive (non-excluded) lexemes; qtf = times the term occurs in
 * the query.  *terms is palloc'd and points into q.  Returns the count.
 */
extern int	tq_terms(const TQuery *q, TqTerm **terms);

/*
 * All distinct lexemes: the tq_terms() ones first, then the ones that occur
 * only in exclusions (qtf 0).  tq_eval() may ask for the positions of any of
 * them, so a positions callback must accept every index below this count.
 */
extern int	tq_all_terms(const TQuery *q, TqTerm **terms);

/* true when evaluation needs positions (phrase, NEAR) */
extern bool tq_needs_positions(const TQuery *q);

/*
 * Evaluate the boolean query for one document.  positions(term_index, &npos,
 * arg) returns the sorted 1-based positions of terms[term_index] (indexes of
 * tq_all_terms(), the positive ones first) in the document (NULL/0 if
 * absent); for a prefix term, the positions of every matching lexeme.  When
 * tq_needs_positions() is false any non-empty array works (only presence is
 * tested).  The speaker filter is not tested here (tq_speaker_matches).  A
 * query without words (empty, or only stop words) evaluates to false unless
 * it has a speaker filter.
 */
typedef const int32 *(*TqPositionsFn) (int term_index, int *npos, void *arg);
extern bool tq_eval(const TQuery *q, TqPositionsFn positions, void *arg);

/* the speaker filter as typed (NUL-terminated, palloc'd), or NULL */
extern const char *tq_speaker(const TQuery *q);

/* case- and accent-insensitive whole-word test of a speaker label; true without a filter */
extern bool tq_speaker_matches(const TQuery *q, const char *speaker, int len);

/* the text search configuration the query was analysed with */
extern Oid	tq_config(const TQuery *q);

/* build a tquery from text (raises 42601 / 54000 with position and hint) */
extern TQuery *tq_from_text(Oid cfg, const char *s, int len, bool lenient);

/*
 * Analysed document: tokens of one text with their lexemes and, per query
 * term, the sorted positions, ready for tq_eval and passage selection.
 */
typedef struct TqDoc
{
	const char *text;
	int			len;
	int			ntokens;
	int32	   *tok_start;		/* byte offsets */
	int32	   *tok_end;
	int32	   *tok_pos;		/* 1-based word position */
	int			nterms;			/* tq_all_terms count */
	int32	  **pos;			/* per term: sorted positions */
	int		   *npos;
	int32	   *tf;				/* per term: occurrences (= npos) */
	int			nwords;			/* last word position */
} TqDoc;

extern void tq_doc_analyze(const TQuery *q, const char *s, int len, TqDoc *doc);
extern const int32 *tq_doc_positions(int term, int *npos, void *arg);
extern bool tq_doc_matches(const TQuery *q, TqDoc *doc);
extern int	tq_doc_spans(const TQuery *q, TqDoc *doc, tq_span **spans);

/*
 * Corpus statistics a value may carry (tquery_with_stats): the number of
 * documents, their average length in words and, per term of
 * tq_all_terms(), its document frequency (for a prefix, the largest of the
 * matching lexemes').  False when the value carries none.
 */
extern bool tq_corpus_stats(const TQuery *q, double *ndocs, double *avgdl, const double **df);

/* the BM25 weight (idf) of each term of tq_all_terms(): from the carried statistics, else 1 */
extern double *tq_idf(const TQuery *q);

#endif							/* TQUERY_H */
