/*
 * bm25am.h
 *	  The bm25 index access method: page layout and the functions its files
 *	  share (bm25handler.c, bm25build.c, bm25insert.c, bm25scan.c,
 *	  bm25vacuum.c, bm25utils.c, bm25score.c).
 *
 * Storage (every page change goes through GenericXLog):
 *
 *	 block 0       metapage: options, corpus statistics (N, total length),
 *	               next docid, the segment list, the pending list, the
 *	               directory of document store pages
 *	 doc store     docid -> (heap TID, document length, dead flag), fixed
 *	               12-byte entries, located through directory pages
 *	 segments      immutable: a postings stream (bm25idx.h format, in term
 *	               order), a dictionary stream (term, df, postings address)
 *	               and a skip stream (every BM25_SKIP_EVERY-th term)
 *	 pending list  a stream of analysed documents appended by INSERT; it is
 *	               turned into a segment when it exceeds the pending_limit option,
 *	               and all segments are merged into one by VACUUM (dropping
 *	               dead documents, so they leave df and the statistics)
 *
 * A stream is a chain of pages whose contents area holds raw bytes (pd_lower
 * marks the end); an address is (block, offset in the contents area).
 * Pages freed by a merge are marked deleted with the next transaction id and
 * recycled by VACUUM once no snapshot can still read them.
 */
#ifndef BM25AM_H
#define BM25AM_H

#include "postgres.h"

#include "access/amapi.h"
#include "access/generic_xlog.h"
#include "access/reloptions.h"
#include "nodes/execnodes.h"
#include "nodes/pathnodes.h"
#include "storage/bufmgr.h"
#include "storage/dsm.h"
#include "storage/shm_toc.h"
#include "utils/relcache.h"

#include "bm25idx.h"

#define BM25_MAGIC			0x42324D35
#define BM25_VERSION		2
#define BM25_VERSION_DENSE	2	/* posting lists may have dense sections (bm25idx.h);
								 * version 1 indexes are read and written without */
#define BM25_METAPAGE_BLKNO 0
#define BM25_PAGE_ID		0xB25F

#define BM25_MAX_SEGMENTS	16
#define BM25_FLUSH_MERGE_AT 8	/* an insert-time flush merges the segments after the
								 * first (the build's) when this many exist */
#define BM25_MAX_DOCDIR		256
#define BM25_SKIP_EVERY		32
#define BM25_PENDING_LIMIT_KB 1024	/* default of the pending_limit option */

#define BM25_DEFAULT_K1		1.2
#define BM25_DEFAULT_B		0.75

/* page flags */
#define BM25_F_META		0x01
#define BM25_F_STREAM	0x02
#define BM25_F_DOCS		0x04
#define BM25_F_DIR		0x08
#define BM25_F_DELETED	0x10

typedef struct Bm25PageOpaqueData
{
	BlockNumber next;			/* next page of a stream */
	uint16		flags;
	uint16		page_id;
	uint32		xid_epoch;		/* deleted pages: FullTransactionId of deletion */
	uint32		xid;
} Bm25PageOpaqueData;

typedef Bm25PageOpaqueData *Bm25PageOpaque;

#define Bm25PageGetOpaque(page) ((Bm25PageOpaque) PageGetSpecialPointer(page))
#define BM25_CONTENTS_OFF	MAXALIGN(SizeOfPageHeaderData)
#define BM25_PAGE_CAP		(BLCKSZ - BM25_CONTENTS_OFF - MAXALIGN(sizeof(Bm25PageOpaqueData)))

typedef struct Bm25Addr
{
	BlockNumber blk;
	uint32		off;
} Bm25Addr;

typedef struct Bm25Segment
{
	BlockNumber post;			/* first page of each stream */
	BlockNumber dict;
	BlockNumber skip;
	uint32		nterms;
	uint32		nskip;
	uint32		ndocs;
	uint32		min_docid;
	uint32		max_docid;
	uint32		segid;			/* unique in the index (meta next_segid) */
	uint32		skip_bytes;		/* length of the skip stream */
} Bm25Segment;

/* doc store entry */
typedef struct Bm25DocEntry
{
	ItemPointerData tid;
	uint16		flags;			/* BM25_DOC_* */
	uint32		dl;
	uint32		hash;			/* bm25_body_hash() of the indexed text */
} Bm25DocEntry;

#define BM25_DOC_USED	0x01
#define BM25_DOC_DEAD	0x02
#define BM25_DOCS_PER_PAGE	((int) (BM25_PAGE_CAP / sizeof(Bm25DocEntry)))
#define BM25_DIR_PER_PAGE	((int) (BM25_PAGE_CAP / sizeof(BlockNumber)))

typedef struct Bm25MetaPageData
{
	uint32		magic;
	uint32		version;
	double		k1;
	double		b;
	Oid			config;			/* text search configuration of the analysis */
	uint32		next_docid;
	uint32		next_segid;
	uint64		ndocs;			/* live documents */
	uint64		total_len;		/* sum of their lengths */
	uint32		nsegments;
	Bm25Segment segments[BM25_MAX_SEGMENTS];
	Bm25Addr	pending_head;	/* blk InvalidBlockNumber = never used */
	Bm25Addr	pending_tail;
	uint32		pending_docs;
	uint64		pending_bytes;
	uint32		ndocdir;
	BlockNumber docdir[BM25_MAX_DOCDIR];
} Bm25MetaPageData;

typedef Bm25MetaPageData *Bm25MetaPage;

#define Bm25PageGetMeta(page) ((Bm25MetaPage) PageGetContents(page))

typedef struct Bm25Options
{
	int32		vl_len_;
	double		k1;
	double		b;
	int			pending_limit;	/* kB of pending records before a flush */
} Bm25Options;

/* a page of the index does not hold what it should */
#define BM25_CORRUPT(what) \
	ereport(ERROR, \
			(errcode(ERRCODE_INDEX_CORRUPTED), \
			 errmsg("bm25 index is corrupt"), \
			 errdetail("Unreadable %s.", what), \
			 errhint("REINDEX the index.")))

/* bm25handler.c */
extern void tx_init_bm25(void);
extern bytea *bm25options(Datum reloptions, bool validate);

/* bm25utils.c: pages */
extern Buffer bm25_new_buffer(Relation index);
extern void bm25_init_page(Page page, uint16 flags);
extern void bm25_read_meta(Relation index, Bm25MetaPageData *meta);
extern void bm25_mark_deleted(Relation index, BlockNumber blk);
extern void bm25_free_stream(Relation index, BlockNumber first, BlockNumber stop);

/* bm25utils.c: streams */
typedef struct Bm25Writer
{
	Relation	index;
	Buffer		buf;			/* current page, exclusively locked */
	char	   *img;			/* its image (BLCKSZ) */
	uint32		used;
	BlockNumber first;
	bool		fresh;			/* buf is a new page (not yet WAL-logged) */
} Bm25Writer;

extern void bm25_writer_start(Bm25Writer *w, Relation index);
extern Bm25Addr bm25_writer_pos(Bm25Writer *w);
extern void bm25_write(Bm25Writer *w, const void *data, size_t len);
extern void bm25_writer_finish(Bm25Writer *w);

typedef struct Bm25Reader
{
	Relation	index;
	BlockNumber blk;
	uint32		off;
	void	   *page;			/* copy of the current page's contents, or NULL */
	MemoryContext cxt;			/* where the copy is allocated */
	bool		direct;			/* bm25_read copies from the buffer, not a page copy */
} Bm25Reader;

/*
 * A reader keeps a copy of the page it is on for the varbyte and small reads
 * of dictionaries and pending records.  One made by bm25_reader_init_direct
 * is for a few large reads (posting lists): bm25_read copies just the bytes
 * asked for from each page's buffer, and the page copy is made only if a
 * varbyte read needs it.
 */
extern void bm25_reader_init(Bm25Reader *r, Relation index, Bm25Addr at);
extern void bm25_reader_init_direct(Bm25Reader *r, Relation index, Bm25Addr at);
extern bool bm25_read(Bm25Reader *r, void *dst, size_t len);
extern bool bm25_read_vb(Bm25Reader *r, uint32 *v);
extern bool bm25_reader_skip(Bm25Reader *r, size_t len);
extern Bm25Addr bm25_reader_pos(Bm25Reader *r);
extern void bm25_reader_end(Bm25Reader *r);

/* bm25utils.c: document store and pending list */
extern void bm25_docs_get(Relation index, const Bm25MetaPageData *meta, uint32 docid, Bm25DocEntry *e);
extern void bm25_docs_put(Relation index, Bm25MetaPageData *meta, uint32 docid, const Bm25DocEntry *e);
extern void bm25_pending_append(Relation index, Bm25MetaPageData *meta, const void *rec, uint32 len);

/* bm25utils.c: analysis of an indexed value */
extern void bm25_pending_foreach_raw(Relation index, Bm25Addr head, Bm25Addr tail,
									 void (*fn) (const uint8 *rec, size_t len, void *arg), void *arg);
extern void bm25_pending_corrupt(Relation index) pg_attribute_noreturn();
extern void bm25_pending_foreach(Relation index, Bm25Addr head, Bm25Addr tail,
								 void (*fn) (uint32 docid, const bm25_doc *doc, void *arg), void *arg);

/* bm25utils.c: analysis of an indexed value (allocates in the current context) */
extern void bm25_analyze_datum(Oid config, Datum value, Oid typid, bm25_doc *doc);
extern void bm25_analyze_text(Oid config, const char *s, int len, bm25_doc *doc);
extern void bm25_datum_body(Datum value, Oid typid, const char **s, int *len);
extern uint32 bm25_body_hash(Datum value, Oid typid);
extern uint32 bm25_acc_add_datum(bm25_acc *acc, MemoryContext acccx, uint32 *stamp, Oid config,
								 Datum value, Oid typid, uint32 docid, uint32 *hash);

/* bm25utils.c: segments */
typedef struct Bm25TermInfo
{
	uint32		df;
	Bm25Addr	post;
} Bm25TermInfo;

typedef struct Bm25SkipCache
{
	int			n;
	char	  **terms;
	int		   *lens;
	Bm25Addr   *addrs;
	MemoryContext cx;			/* the cache entry's memory */
	struct Bm25TermMemo *memo;	/* what exact lookups found (bm25_segment_lookup) */
} Bm25SkipCache;

/* The parsed skip index of a segment, cached per backend; do not free. */
extern Bm25SkipCache *bm25_skip_get(Relation index, const Bm25Segment *seg);
/* Forget the cached skip indexes (and word lookups) of index relid; InvalidOid: all. */
extern void bm25_skip_cache_inval(Oid relid);

/*
 * Look up a term (or, with prefix, every term starting with it; at most
 * max results) in a segment.  Returns the number found.
 */
extern int	bm25_segment_lookup(Relation index, const Bm25Segment *seg, Bm25SkipCache *sc,
								const char *term, int len, bool prefix,
								Bm25TermInfo *out, char **out_terms, int max);

/* Merge segments (and/or the pending list) into one new segment. */
#define BM25_ALL_SEGMENTS 0
#define BM25_NO_SEGMENTS BM25_MAX_SEGMENTS
extern bool bm25_merge(Relation index, int from_seg, bool include_pending,
					   const uint32 *dead, int ndead);

/* write a sorted in-memory batch as a segment */
extern void bm25_write_acc_segment(Relation index, bm25_acc *acc, Bm25Segment *seg, uint32 segid);

/*
 * write a segment term by term: terms in byte order, each with its encoded
 * posting list (docids increasing across the segment's terms' lists as usual)
 */
typedef struct Bm25SegBuild Bm25SegBuild;

extern Bm25SegBuild *bm25_segbuild_start(Relation index);
extern void bm25_segbuild_add(Bm25SegBuild *sb, const char *term, int len, const uint8 *plist, size_t plen);
extern void bm25_segbuild_finish(Bm25SegBuild *sb, Bm25Segment *seg, uint32 ndocs, uint32 segid);

/* bm25build.c */
extern IndexBuildResult *bm25build(Relation heap, Relation index, IndexInfo *indexInfo);
extern void bm25buildempty(Relation index);

/*
 * bm25build.c: pieces of the build that the parallel build (bm25buildpar.c)
 * shares with the serial one
 */
typedef struct Bm25DocStore
{
	Relation	index;
	char	   *img;			/* the open document page */
	int			n;				/* entries on it */
	BlockNumber *pages;			/* the pages written */
	int			npages;
	int			maxpages;
} Bm25DocStore;

extern void bm25_build_new_meta(Relation index, Bm25MetaPageData *meta);
extern void bm25_build_init_meta(Relation index, const Bm25MetaPageData *meta, ForkNumber fork);
extern void bm25_build_write_meta(Relation index, const Bm25MetaPageData *meta);
extern void bm25_docstore_init(Bm25DocStore *ds, Relation index);
extern void bm25_docstore_add(Bm25DocStore *ds, const Bm25DocEntry *e);
/* write the last document page and the directory into meta */
extern void bm25_docstore_finish(Bm25DocStore *ds, Bm25MetaPageData *meta);

/* bm25buildpar.c: the parallel build */

/*
 * Build with parallel workers when the planner grants some (the
 * parallel_workers reloption, max_parallel_maintenance_workers,
 * min_parallel_table_scan_size) and at least one starts; NULL means "build
 * serially" (nothing has been written to the index then).
 */
extern IndexBuildResult *bm25_build_parallel(Relation heap, Relation index, IndexInfo *indexInfo,
											 const Bm25MetaPageData *meta);
extern PGDLLEXPORT void bm25_build_worker_main(dsm_segment *seg, shm_toc *toc);

/* bm25insert.c */
extern bool bm25insert(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
					   Relation heap, IndexUniqueCheck checkUnique, bool indexUnchanged,
					   IndexInfo *indexInfo);

/* bm25scan.c */
extern IndexScanDesc bm25beginscan(Relation index, int nkeys, int norderbys);
extern void bm25rescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys);
extern bool bm25gettuple(IndexScanDesc scan, ScanDirection dir);
extern int64 bm25getbitmap(IndexScanDesc scan, TIDBitmap *tbm);
extern void bm25endscan(IndexScanDesc scan);

/* bm25vacuum.c */
extern IndexBulkDeleteResult *bm25bulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
											 IndexBulkDeleteCallback callback, void *callback_state);
extern IndexBulkDeleteResult *bm25vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats);

/* bm25handler.c */
extern void bm25costestimate(PlannerInfo *root, IndexPath *path, double loop_count,
							 Cost *indexStartupCost, Cost *indexTotalCost,
							 Selectivity *indexSelectivity, double *indexCorrelation,
							 double *indexPages);

#endif							/* BM25AM_H */
