/*
 * bm25idx.h
 *	  PostgreSQL-free parts of the bm25 index: analysed documents, the
 *	  in-memory inverted batch, the posting list codec with block-max
 *	  headers, and the top-k search over posting cursors.
 *
 * Documents get dense 32-bit ids in insertion order (docid), so posting
 * lists are always sorted by docid and a segment written later only holds
 * larger docids than the ones written before it.
 *
 * A posting list (one term of one segment) is encoded as
 *
 *	 bm25_plist_hdr                     fixed, 24 bytes
 *	 dense section                      only when flagged (see below)
 *	 bm25_block_hdr[nblocks]            fixed, 44 bytes each
 *	 doc section                        per doc: varbyte docid delta, tf, dl
 *	 position section                   per doc: tf varbyte position deltas
 *
 * with BM25_BLOCK docs per block.  The block headers carry the largest tf and
 * the smallest document length of the block: an upper bound of the block's
 * BM25 contribution for any avgdl, which the search uses to skip blocks.
 * Scoring reads the headers and the doc section only; positions are read for
 * phrase and proximity checks.
 *
 * Dense section.  A writer with dense set gives a list whose documents are
 * at least 1/BM25_DENSE_RATIO of its docid span (and at least
 * BM25_DENSE_MIN_DOCS) a second form, for conjunctions of common words:
 *
 *	 uint32 len, base, nbits, nwords    len: bytes of the section
 *	 uint64 words[nwords]               bit i: docid base + i is in the list
 *	 uint32 ranks[ceil(nwords / 8)]     set bits before each 8-word run
 *	 uint8  tfs[ceil(ndocs / 2)]        tf of the r-th doc in nibble r
 *	                                    (low nibble first), 15: >= 15
 *
 * so a conjunction tests membership with a bit and takes the tf of the r-th
 * doc (the length is the driving list's) without decoding the list.  It is
 * flagged by bit 31 of the nblocks field; lists written by earlier versions
 * never have it.
 */
#ifndef BM25IDX_H
#define BM25IDX_H

#include "tx_core.h"

#define BM25_BLOCK 128
#define BM25_DENSE_RATIO 128	/* docid span / docs at most this for a dense section */
#define BM25_DENSE_MIN_DOCS 256
#define BM25_PLIST_DENSE 0x80000000u	/* flag in the nblocks field */
#define BM25_DOCID_END UINT32_MAX
#define BM25_MAX_TERM_LEN 255	/* longer lexemes are not indexed */

/* ------------------------------------------------------------ varbyte */
static inline size_t
bm25_vb_put(uint8_t *p, uint32_t v)
{
	size_t		n = 0;

	while (v >= 0x80)
	{
		p[n++] = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t) v;
	return n;
}

/* Decode one varbyte integer; never reads past end (returns 0 there). */
static inline uint32_t
bm25_vb_get(const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	uint32_t	v = 0;
	int			shift = 0;

	/* one byte: most deltas, tfs and lengths */
	if (p < end && *p < 0x80)
	{
		*pp = p + 1;
		return *p;
	}
	while (p < end)
	{
		uint8_t		c = *p++;

		v |= (uint32_t) (c & 0x7F) << shift;
		if (!(c & 0x80) || shift >= 28)
			break;
		shift += 7;
	}
	*pp = p;
	return v;
}

extern void bm25_buf_vb(tx_buf *b, uint32_t v);

/* ------------------------------------------------------------ scoring */
typedef struct bm25_params
{
	double		k1;
	double		b;
	double		avgdl;			/* > 0 */
} bm25_params;

/* Lucene's idf: ln(1 + (N - df + 0.5) / (df + 0.5)); always > 0. */
extern double bm25_idf(double N, double df);

/*
 * One term's contribution, w = qtf * idf:
 *   w * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
 * (the same value as tx_bm25_term() in bm25.h, which passages use; Lucene
 * drops the constant factor k1 + 1, which does not change the ranking).
 */
static inline double
bm25_tf_score(const bm25_params *p, double w, double tf, double dl)
{
	return w * tf * (p->k1 + 1.0) / (tf + p->k1 * (1.0 - p->b + p->b * dl / p->avgdl));
}

/*
 * A 64-bit hash of n bytes, for telling a row's stored value again within a
 * statement (not persisted: it may change between versions).  Eight bytes
 * at a time in two lanes: much faster than PostgreSQL's hash_bytes_extended
 * on kilobytes of text, and not meant to resist crafted collisions.
 */
extern uint64_t bm25_hash_bytes(const void *data, size_t n);

/* ------------------------------------------------------------ analysed documents */
typedef struct bm25_tok
{
	const char *lexeme;
	int			len;
	uint32_t	pos;			/* 1-based word position */
} bm25_tok;

typedef struct bm25_dterm
{
	const char *lexeme;
	int			len;
	uint32_t	tf;
	const uint32_t *pos;		/* tf ascending positions */
} bm25_dterm;

/* A document as distinct terms sorted by bytes, with their positions. */
typedef struct bm25_doc
{
	uint32_t	dl;				/* indexed tokens (sum of tf) */
	int			nterms;
	bm25_dterm *terms;
	uint32_t   *posbuf;			/* storage of positions */
} bm25_doc;

/* Group tokens (any order) into a document; lexemes are referenced, not copied. */
extern void bm25_doc_build(const bm25_tok *toks, int ntoks, bm25_doc *doc);
extern void bm25_doc_free(bm25_doc *doc);

/*
 * Incremental document builder for long texts: tokens are added one by one
 * (lexemes are copied), memory is one position per token plus the distinct
 * lexemes, instead of a token array sorted at the end.  bm25_docb_finish
 * fills doc with terms that point into the builder, so free the builder only
 * after the document.
 */
typedef struct bm25_docb bm25_docb;

extern bm25_docb *bm25_docb_create(void);
extern void bm25_docb_add(bm25_docb *b, const char *lexeme, int len, uint32_t pos);
extern void bm25_docb_finish(bm25_docb *b, bm25_doc *doc);
extern void bm25_docb_free(bm25_docb *b);

/* Term index in doc or -1. */
extern int	bm25_doc_find(const bm25_doc *doc, const char *lexeme, int len);

/* Pending-list record: docid, dl, terms with positions (references doc's lexemes). */
extern void bm25_doc_encode(const bm25_doc *doc, uint32_t docid, tx_buf *out);
/* Decode a record; lexemes point into rec.  False on malformed input. */
extern bool bm25_doc_decode(const uint8_t *rec, size_t len, uint32_t *docid, bm25_doc *doc);

/*
 * Reading a record term by term without decoding positions (a scan looking
 * for a few query terms): begin, then next until it returns 0 (end) or -1
 * (malformed); positions of a term on demand (tf values).
 */
typedef struct bm25_rec_iter
{
	const uint8_t *p;
	const uint8_t *end;
	uint32_t	docid;
	uint32_t	dl;
	uint32_t	nterms;
	uint32_t	i;
} bm25_rec_iter;

typedef struct bm25_rec_term
{
	const char *lexeme;
	int			len;
	uint32_t	tf;
	const uint8_t *pos;			/* varbyte deltas */
	uint32_t	posbytes;
} bm25_rec_term;

extern bool bm25_rec_begin(bm25_rec_iter *it, const uint8_t *rec, size_t len);
extern int	bm25_rec_next(bm25_rec_iter *it, bm25_rec_term *t);
extern bool bm25_rec_positions(const bm25_rec_term *t, uint32_t *out);

extern int	bm25_term_cmp(const char *a, int alen, const char *b, int blen);

/* ------------------------------------------------------------ in-memory inverted batch */
typedef struct bm25_acc bm25_acc;

extern bm25_acc *bm25_acc_create(void);
extern void bm25_acc_free(bm25_acc *a);
/* Docids must be added in increasing order. */
extern void bm25_acc_add(bm25_acc *a, uint32_t docid, const bm25_doc *doc);
extern size_t bm25_acc_memory(const bm25_acc *a);

/*
 * Documents added token by token, the way a build feeds the accumulator
 * without building a bm25_doc: bm25_acc_code gives the code of a token's
 * lexemes (nlex strings, each NUL-terminated, in a row), which stays valid
 * for the accumulator's life (until bm25_acc_sort), so a caller can keep it
 * per distinct token text and skip the lexeme hashing for every later token.
 * Empty lexemes and ones longer than BM25_MAX_TERM_LEN are not indexed (code
 * 0 when none is left).  Between begin and end, each token is given with its
 * code and word position; the postings are those bm25_acc_add writes for the
 * same document (positions sorted, dl the number of indexed lexemes, which
 * end returns).  Docids increase as with bm25_acc_add.  The open document's
 * buffers are allocated with the accumulator and only grown by adding tokens;
 * end may allocate anew (after a huge document).
 */
#define BM25_ACC_GROUP 0x80000000u	/* a code of several terms */

extern uint32_t bm25_acc_code(bm25_acc *a, const char *lexemes, int nlex);
extern void bm25_acc_doc_begin(bm25_acc *a, uint32_t docid);
extern void bm25_acc_doc_add(bm25_acc *a, uint32_t code, uint32_t pos);
extern uint32_t bm25_acc_doc_end(bm25_acc *a);
extern int	bm25_acc_nterms(const bm25_acc *a);
extern uint32_t bm25_acc_ndocs(const bm25_acc *a);

/* Terms in byte order: after bm25_acc_sort, term i and its encoded posting list. */
extern void bm25_acc_sort(bm25_acc *a);
extern const char *bm25_acc_term(const bm25_acc *a, int i, int *len, uint32_t *df);
extern void bm25_acc_encode(const bm25_acc *a, int i, bool dense, tx_buf *out);

/*
 * The raw postings of term i: per document the varbyte docid delta (the
 * first from 0), tf, length and tf position deltas.  A parallel build ships
 * these between processes and re-bases the docids with bm25_pw_add_raw.
 */
extern const uint8_t *bm25_acc_raw(const bm25_acc *a, int i, size_t *len);

/* ------------------------------------------------------------ posting lists */
typedef struct bm25_plist_hdr
{
	uint32_t	ndocs;
	uint32_t	nblocks;		/* without the flag */
	uint32_t	doc_len;
	uint32_t	pos_len;
	uint32_t	max_tf;
	uint32_t	min_dl;
	bool		dense;			/* a dense section follows the header */
	uint32_t	dense_len;		/* its bytes (bm25_plist_read_hdr reads them when
								 * given 28 bytes; else 0 until the caller sets it) */
} bm25_plist_hdr;

/* A parsed dense section; words, ranks and tfs point into the list. */
typedef struct bm25_dense
{
	uint32_t	base;
	uint32_t	nbits;
	uint32_t	nwords;
	uint32_t	ndocs;
	const uint8_t *words;
	const uint8_t *ranks;
	const uint8_t *tfs;
	/* bm25_dense_use_grid: the bits again, aligned for ANDs with other lists */
	const uint64_t *grid;		/* word j: docids 64 * (g0 + j) ... + 63 */
	const uint64_t *gsum;		/* bit j: grid word j is not 0 */
	const uint32_t *grank;		/* entry i: the bits in grid words before 8 * i */
	uint32_t	g0;
	uint32_t	gn;
} bm25_dense;

#define BM25_DENSE_HDR_SIZE 16

/*
 * The grid form of a parsed dense section: its bits on words of 64 docids
 * that start at a multiple of 64, then a summary bit per word (not 0), then
 * a rank directory (32-bit counts of the bits before every eighth word).  A
 * caller that keeps sections (the backend's cache) makes it once
 * (bm25_dense_grid_words words, filled by bm25_dense_grid) and hands it to
 * each cursor's section with bm25_dense_use_grid; a conjunction whose lists
 * all have one ANDs the grids instead of decoding its rarest list.
 */
extern size_t bm25_dense_grid_words(const bm25_dense *d);
extern void bm25_dense_grid(const bm25_dense *d, uint64_t *out);
extern void bm25_dense_use_grid(bm25_dense *d, const uint64_t *grid);

/* Size of the dense section of a list of ndocs docs in [first, last]; 0: none. */
extern size_t bm25_dense_size(uint32_t ndocs, uint32_t first, uint32_t last);

/*
 * Parse a dense section (p, len bytes) of a list of ndocs docs; false when
 * malformed (sizes that do not agree).  Lookups never read out of bounds,
 * whatever the bits say.
 */
extern bool bm25_dense_parse(const uint8_t *p, size_t len, uint32_t ndocs, bm25_dense *d);
/* Smallest docid >= target in the section, or BM25_DOCID_END. */
extern uint32_t bm25_dense_next(const bm25_dense *d, uint32_t target);
/* Rank (0-based index in the list) of a docid in the section, or -1. */
extern int64_t bm25_dense_rank(const bm25_dense *d, uint32_t docid);
/* tf of the doc of rank r, 0 when the nibble does not hold it (>= 15). */
extern uint32_t bm25_dense_tf(const bm25_dense *d, uint32_t r);

#define BM25_IMPACTS 4

/*
 * Block header.  Besides the largest tf and smallest length, up to
 * BM25_IMPACTS (tf, length) pairs such that every doc of the block has a pair
 * with tf >= its tf and length <= its length (a coarsened Pareto frontier,
 * Lucene's "impacts"): the block's BM25 upper bound is the best score of a
 * pair, which holds for any avgdl and is much tighter than (max tf, min
 * length) taken separately.  Unused pairs have tf 0.
 */
typedef struct bm25_block_hdr
{
	uint32_t	last_docid;
	uint32_t	doc_off;
	uint32_t	pos_off;
	uint32_t	min_dl;
	uint16_t	max_tf;			/* saturated at 65535 */
	uint16_t	count;
	uint16_t	imp_tf[BM25_IMPACTS];
	uint32_t	imp_dl[BM25_IMPACTS];
} bm25_block_hdr;

#define BM25_PLIST_HDR_SIZE 24
#define BM25_BLOCK_HDR_SIZE 44

/* Builds one posting list from docs in increasing docid order. */
typedef struct bm25_plist_writer
{
	tx_buf		docs;
	tx_buf		pos;
	tx_buf		hdrs;
	bm25_plist_hdr h;
	uint32_t	last_docid;
	uint32_t	blk_first_prev;
	bm25_block_hdr cur;
	bool		any;
	bool		dense;			/* add a dense section to lists dense enough */
	uint32_t	first_docid;
	uint32_t	blk_tf[BM25_BLOCK];	/* (tf, dl) of the docs of the open block */
	uint32_t	blk_dl[BM25_BLOCK];
} bm25_plist_writer;

extern void bm25_pw_init(bm25_plist_writer *w);
extern void bm25_pw_add(bm25_plist_writer *w, uint32_t docid, uint32_t tf, uint32_t dl, const uint32_t *pos);

/*
 * Add every document of a raw posting stream (bm25_acc_raw) with base added
 * to its docid; posbuf and poscap are scratch space for positions, grown with
 * tx_realloc (free *posbuf with tx_free).  The caller keeps docids increasing
 * across calls.  False when raw is malformed (docids not increasing, tf 0,
 * truncated, or a docid past BM25_DOCID_END).
 */
extern bool bm25_pw_add_raw(bm25_plist_writer *w, const uint8_t *raw, size_t len, uint32_t base,
							uint32_t **posbuf, size_t *poscap);
/* Append the finished list to out and reset the writer for the next term. */
extern void bm25_pw_finish(bm25_plist_writer *w, tx_buf *out);
extern void bm25_pw_free(bm25_plist_writer *w);

extern bool bm25_plist_read_hdr(const uint8_t *p, size_t len, bm25_plist_hdr *h);
extern size_t bm25_plist_total_len(const bm25_plist_hdr *h);
extern size_t bm25_plist_scoring_len(const bm25_plist_hdr *h);	/* header, dense, blocks, docs */

/* ------------------------------------------------------------ cursors and top-k */
typedef struct bm25_cursor bm25_cursor;

/* Returns the start of the position section (pos_len bytes), loading it if needed. */
typedef const uint8_t *(*bm25_pos_loader) (bm25_cursor *c, void *arg);

/* Fills the doc section of a lazy cursor's data in place; false on failure. */
typedef bool (*bm25_docs_loader) (bm25_cursor *c, void *arg);

struct bm25_cursor
{
	/* input */
	const uint8_t *data;		/* header + block headers + doc section */
	size_t		len;
	const uint8_t *pos;			/* position section or NULL (then loader) */
	bm25_pos_loader loader;
	void	   *loader_arg;
	double		w;				/* qtf * idf */
	int			term;			/* caller's term index */
	bool		required;		/* every accepted doc contains this term */
	bool		dense_ok;		/* a conjunction may answer this list from its dense
								 * section: the accept function never asks it
								 * for positions (it is positioned, docid only) */
	bm25_docs_loader docs_loader;	/* lazy cursors (bm25_cursor_init_lazy) */
	void	   *docs_arg;

	/* state */
	bm25_plist_hdr h;
	const uint8_t *hdrs;
	const uint8_t *docs;
	uint32_t	blk;			/* current block */
	uint32_t	sblk;			/* shallow block pointer of the block-max check */
	int			dblk;			/* decoded block or -1 */
	int			n;				/* docs in decoded block */
	int			idx;			/* position in decoded block */
	uint32_t	docid;			/* current docid or BM25_DOCID_END */
	double		ub;				/* upper bound of the whole list */
	double	   *bb;				/* upper bound of each block (bm25_cursor_bound) */
	uint32_t	d_docid[BM25_BLOCK];
	uint32_t	d_tf[BM25_BLOCK];
	uint32_t	d_dl[BM25_BLOCK];
	int			iblk;			/* block whose impacts are below, or -1 */
	uint32_t	i_min_dl;
	uint32_t	i_tf[BM25_IMPACTS];	/* 0: unused; all 0: none (max_tf in i_tf[0] - 1) */
	uint32_t	i_dl[BM25_IMPACTS];
	int			pblk;			/* block whose positions are decoded, or -1 */
	uint32_t	p_start[BM25_BLOCK + 1];
	uint32_t   *p_buf;
	size_t		p_cap;
	bm25_dense	dn;				/* parsed dense section (dn.words NULL: none) */
	bool		lazy;			/* doc section not loaded yet */
	bool		probe;			/* this search answers it from dn */
	uint32_t	ptf;			/* probe: tf and length of the doc it is on */
	uint32_t	pdl;
};

/* False when data is malformed. */
extern bool bm25_cursor_init(bm25_cursor *c, const uint8_t *data, size_t len, double w, int term);

/*
 * A cursor over a list whose data (scoring_len bytes) holds the header (with
 * the dense section's length after it) and the block headers, the doc
 * section only if with_docs (else loader fills it in place when a block must
 * be decoded: a search that cannot answer the list from its dense section,
 * with dense_ok set by the caller, loads the docs first).  The dense section
 * itself is read at dense (dense_len bytes, in data or elsewhere); NULL: the
 * list is read as if it had none.  bm25_cursor_init is (data + header size
 * if flagged, true, NULL, NULL).  False when malformed.
 */
extern bool bm25_cursor_init_parts(bm25_cursor *c, uint8_t *data, size_t len, double w, int term,
								   const uint8_t *dense, bool with_docs, bm25_docs_loader loader, void *arg);
extern void bm25_cursor_free(bm25_cursor *c);
extern void bm25_cursor_bound(bm25_cursor *c, const bm25_params *p);
/* Move to the first doc >= target; returns the docid or BM25_DOCID_END. */
extern uint32_t bm25_cursor_seek(bm25_cursor *c, uint32_t target);
extern uint32_t bm25_cursor_tf(bm25_cursor *c);
extern uint32_t bm25_cursor_dl(bm25_cursor *c);
/* Positions of the current doc; NULL (npos 0) if unavailable. */
extern const uint32_t *bm25_cursor_positions(bm25_cursor *c, int *npos);

typedef struct bm25_hit
{
	double		score;
	uint32_t	docid;
} bm25_hit;

/* Bounded min-heap of the best hits (higher score first, then lower docid). */
typedef struct bm25_heap
{
	bm25_hit   *h;
	int			n;
	int			k;
	int			cap;
} bm25_heap;

extern void bm25_heap_init(bm25_heap *hp, int k);
extern void bm25_heap_free(bm25_heap *hp);
extern bool bm25_heap_push(bm25_heap *hp, double score, uint32_t docid);
extern double bm25_heap_threshold(const bm25_heap *hp);	/* 0 until full */
/* Sort best-first in place; the heap is no longer a heap afterwards. */
extern void bm25_heap_sort(bm25_heap *hp);
extern bool bm25_hit_better(const bm25_hit *a, const bm25_hit *b);

/*
 * Called for a fully scored doc that would enter the heap; the cursors of the
 * terms it contains are positioned on it.  Return false to drop it.
 */
typedef bool (*bm25_accept_fn) (uint32_t docid, bm25_cursor **cursors, int ncursors, void *arg);

/*
 * Top-k over one set of cursors (a segment) into a heap shared by all
 * segments.  When some cursors are marked required (the query is a
 * conjunction of them and maybe more), the rarest required list drives and
 * the others are leapfrogged; otherwise MaxScore over the union.  Both skip
 * docid ranges whose block-max bound cannot beat the heap.  Cursors must be
 * processed in increasing docid order across calls (ties keep the lower
 * docid).  Heap scores are summed in the order of the cursors array, so a
 * caller that sums its terms in the same order gets the same bits.  Returns
 * the number of candidates looked at.
 */
extern long bm25_topk(bm25_cursor **cursors, int n, const bm25_params *p,
					  bm25_heap *heap, bm25_accept_fn accept, void *arg);

#endif							/* BM25IDX_H */
