/*
 * bm25query.h
 *	  A tquery prepared against one bm25 index: the statistics of its terms
 *	  and, for a scan, their posting lists (bm25scan.c, bm25score.c).
 */
#ifndef BM25QUERY_H
#define BM25QUERY_H

#include "bm25am.h"
#include "tquery.h"

/* one index lexeme of a query term (a prefix term has several) */
typedef struct Bm25Lex
{
	int			term;			/* index in tq_all_terms() */
	char	   *s;
	int			len;
	double		df;				/* over all segments and the pending list */
	double		w;				/* qtf * idf, 0 for excluded-only terms */
} Bm25Lex;

typedef struct Bm25Plist
{
	int			lex;
	uint8	   *data;			/* header, block headers, doc section */
	size_t		len;
	Bm25Addr	posaddr;		/* where the positions are on disk */
	const uint8 *pos;			/* loaded positions, or NULL */
	Relation	index;
	MemoryContext cx;
	bool		dense_ok;		/* a conjunction may use its dense section */
	bool		lazy;			/* doc section not read yet (at docaddr) */
	Bm25Addr	docaddr;
	const uint8 *dense;			/* its dense section (read_dense), or NULL */
	const uint64 *grid;			/* and its grid form (cached sections), or NULL */
	Bm25Addr	denseaddr;
	uint32		segid;			/* where the list is: the dense cache's key */
	Bm25Addr	post;
} Bm25Plist;

/* the posting lists of one segment (or of the pending list) */
typedef struct Bm25Source
{
	Bm25Plist  *pl;
	int			n;
	int			max;
} Bm25Source;

typedef struct Bm25Query
{
	const TQuery *q;
	Relation	index;
	Bm25MetaPageData meta;
	TqTerm	   *terms;
	int			nterms;			/* tq_all_terms */
	int			npositive;		/* tq_terms */
	bool		needs_positions;
	bool		has_speaker;
	Bm25Lex    *lex;
	int			nlex;
	int			maxlex;
	Bm25Source *src;			/* segments in order, then the pending list */
	int			nsrc;
	double		N;
	bm25_params params;
	bool	   *required;		/* per term: every match contains it */
} Bm25Query;

extern Bm25Query *bm25_query_load(Relation index, const TQuery *q, bool postings);
extern void bm25_query_topk(Bm25Query *bq, int k, bm25_heap *heap);

/* bm25score.c: remember the index a scan used for a query (operator fallback) */
extern void bm25_register_scan(Oid indexoid, const TQuery *q);

/*
 * A stored value as the executor hands it to the operator, not detoasted:
 * the bytes of a short value (a TOAST pointer is 18 bytes), else their
 * length and 64-bit hash.  Equal keys mean equal text, so a row's key can be
 * found without fetching or decompressing its text.
 */
#define BM25_RAW_KEY_BYTES 32

typedef struct Bm25RawKey
{
	bool		valid;
	uint32		len;
	uint64		hash;
	uint8		bytes[BM25_RAW_KEY_BYTES];
} Bm25RawKey;

extern void bm25_raw_key(Datum value, Bm25RawKey *key);

/*
 * bm25score.c: the score of the row a scan just returned, so that the
 * operator evaluated on that row (the executor projects the ORDER BY
 * expression) takes it instead of analysing the text again.  raw is the
 * row's stored value (NULL: the scan could not read it), dochash the hash
 * of its text.
 */
extern void bm25_note_result(uint32 qhash, Size qlen, uint32 dochash, const Bm25RawKey *raw,
							 double score);
extern uint32 bm25_query_hash(const TQuery *q);

#endif							/* BM25QUERY_H */
