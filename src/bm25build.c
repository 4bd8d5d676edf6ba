/*
 * bm25build.c
 *	  Building a bm25 index: analyse every row into an in-memory inverted
 *	  batch, write it out as a segment (a run) whenever it outgrows
 *	  maintenance_work_mem, and merge the runs into one segment at the end.
 *	  With parallel workers (bm25buildpar.c) the analysis is shared out and
 *	  the leader writes the same index.
 */
#include "transcripts.h"

#include "access/tableam.h"
#include "analyze.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "utils/backend_progress.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"

#include "bm25am.h"

typedef struct Bm25BuildState
{
	Relation	index;
	Oid			typid;
	Bm25MetaPageData meta;
	bm25_acc   *acc;
	uint32		acc_stamp;		/* its term codes in the lexeme cache (0: none yet) */
	size_t		memlimit;
	MemoryContext tmpcx;
	MemoryContext acccx;
	double		indtuples;
	Bm25DocStore docs;
} Bm25BuildState;

static void
write_full_page(Relation index, Buffer buf, const char *img)
{
	GenericXLogState *state = GenericXLogStart(index);
	Page		page = GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE);

	memcpy(page, img, BLCKSZ);
	GenericXLogFinish(state);
}

void
bm25_build_write_meta(Relation index, const Bm25MetaPageData *meta)
{
	Buffer		buf = ReadBuffer(index, BM25_METAPAGE_BLKNO);
	GenericXLogState *state;
	Page		page;

	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	memcpy(Bm25PageGetMeta(page), meta, sizeof(Bm25MetaPageData));
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}

/* the metapage goes to block 0 of an empty fork */
void
bm25_build_init_meta(Relation index, const Bm25MetaPageData *meta, ForkNumber fork)
{
	Buffer		buf;
	GenericXLogState *state;
	Page		page;

	LockRelationForExtension(index, ExclusiveLock);
	buf = ReadBufferExtended(index, fork, P_NEW, RBM_NORMAL, NULL);
	UnlockRelationForExtension(index, ExclusiveLock);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	if (BufferGetBlockNumber(buf) != BM25_METAPAGE_BLKNO)
		elog(ERROR, "bm25: index \"%s\" is not empty", RelationGetRelationName(index));
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE);
	bm25_init_page(page, BM25_F_META);
	memcpy(Bm25PageGetMeta(page), meta, sizeof(Bm25MetaPageData));
	((PageHeader) page)->pd_lower = BM25_CONTENTS_OFF + sizeof(Bm25MetaPageData);
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}

void
bm25_build_new_meta(Relation index, Bm25MetaPageData *meta)
{
	Bm25Options *opts = (Bm25Options *) index->rd_options;

	memset(meta, 0, sizeof(*meta));
	meta->magic = BM25_MAGIC;
	meta->version = BM25_VERSION;
	meta->k1 = opts ? opts->k1 : BM25_DEFAULT_K1;
	meta->b = opts ? opts->b : BM25_DEFAULT_B;
	meta->config = tx_default_config();
	meta->pending_head.blk = meta->pending_tail.blk = InvalidBlockNumber;
}

void
bm25_docstore_init(Bm25DocStore *ds, Relation index)
{
	ds->index = index;
	ds->img = palloc(BLCKSZ);
	bm25_init_page(ds->img, BM25_F_DOCS);
	memset(PageGetContents(ds->img), 0, BM25_DOCS_PER_PAGE * sizeof(Bm25DocEntry));
	ds->n = 0;
	ds->maxpages = 64;
	ds->pages = palloc(sizeof(BlockNumber) * ds->maxpages);
	ds->npages = 0;
}

static void
flush_docpage(Bm25DocStore *ds)
{
	Buffer		buf;

	if (ds->n == 0)
		return;
	buf = bm25_new_buffer(ds->index);
	((PageHeader) ds->img)->pd_lower = BM25_CONTENTS_OFF + BM25_DOCS_PER_PAGE * sizeof(Bm25DocEntry);
	write_full_page(ds->index, buf, ds->img);
	if (ds->npages == ds->maxpages)
	{
		ds->maxpages *= 2;
		ds->pages = repalloc(ds->pages, sizeof(BlockNumber) * ds->maxpages);
	}
	ds->pages[ds->npages++] = BufferGetBlockNumber(buf);
	UnlockReleaseBuffer(buf);
	bm25_init_page(ds->img, BM25_F_DOCS);
	memset(PageGetContents(ds->img), 0, BM25_DOCS_PER_PAGE * sizeof(Bm25DocEntry));
	ds->n = 0;
}

void
bm25_docstore_add(Bm25DocStore *ds, const Bm25DocEntry *e)
{
	((Bm25DocEntry *) PageGetContents(ds->img))[ds->n++] = *e;
	if (ds->n == BM25_DOCS_PER_PAGE)
		flush_docpage(ds);
}

static void
flush_run(Bm25BuildState *bs)
{
	MemoryContext old;

	if (bm25_acc_ndocs(bs->acc) == 0)
		return;
	if (bs->meta.nsegments == BM25_MAX_SEGMENTS)
	{
		/* too many runs: merge what is written so far into one */
		bm25_build_write_meta(bs->index, &bs->meta);
		bm25_merge(bs->index, BM25_ALL_SEGMENTS, false, NULL, 0);
		bm25_read_meta(bs->index, &bs->meta);
	}
	old = MemoryContextSwitchTo(bs->acccx);
	bm25_write_acc_segment(bs->index, bs->acc, &bs->meta.segments[bs->meta.nsegments++],
						   bs->meta.next_segid++);
	MemoryContextSwitchTo(old);
	MemoryContextReset(bs->acccx);
	old = MemoryContextSwitchTo(bs->acccx);
	bs->acc = bm25_acc_create();
	bs->acc_stamp = 0;
	MemoryContextSwitchTo(old);
}

static void
build_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			   bool tupleIsAlive, void *state)
{
	Bm25BuildState *bs = state;
	MemoryContext old;
	uint32		docid;
	Bm25DocEntry e;

	if (isnull[0])
		return;
	memset(&e, 0, sizeof(e));
	old = MemoryContextSwitchTo(bs->tmpcx);
	docid = bs->meta.next_docid++;
	e.dl = bm25_acc_add_datum(bs->acc, bs->acccx, &bs->acc_stamp, bs->meta.config, values[0], bs->typid,
							  docid, &e.hash);
	MemoryContextSwitchTo(old);

	e.tid = *tid;
	e.flags = BM25_DOC_USED;
	bm25_docstore_add(&bs->docs, &e);
	bs->meta.ndocs++;
	bs->meta.total_len += e.dl;
	bs->indtuples += 1;
	MemoryContextReset(bs->tmpcx);

	if (bm25_acc_memory(bs->acc) > bs->memlimit)
		flush_run(bs);
}

/*
 * Write the last, partly filled document page (it stays open for inserts)
 * and the directory pages of the document store into meta.
 */
void
bm25_docstore_finish(Bm25DocStore *ds, Bm25MetaPageData *meta)
{
	int			i;

	if (ds->n > 0)
		flush_docpage(ds);
	for (i = 0; i * BM25_DIR_PER_PAGE < ds->npages || i == 0; i++)
	{
		char	   *img = palloc(BLCKSZ);
		BlockNumber *slots;
		Buffer		buf;
		int			j;

		if (i >= BM25_MAX_DOCDIR)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("bm25 index \"%s\" would hold too many documents",
							RelationGetRelationName(ds->index))));
		bm25_init_page(img, BM25_F_DIR);
		slots = (BlockNumber *) PageGetContents(img);
		for (j = 0; j < BM25_DIR_PER_PAGE; j++)
		{
			int			k = i * BM25_DIR_PER_PAGE + j;

			slots[j] = k < ds->npages ? ds->pages[k] : InvalidBlockNumber;
		}
		((PageHeader) img)->pd_lower = BM25_CONTENTS_OFF + BM25_DIR_PER_PAGE * sizeof(BlockNumber);
		buf = bm25_new_buffer(ds->index);
		write_full_page(ds->index, buf, img);
		meta->docdir[meta->ndocdir++] = BufferGetBlockNumber(buf);
		UnlockReleaseBuffer(buf);
		pfree(img);
	}
}

IndexBuildResult *
bm25build(Relation heap, Relation index, IndexInfo *indexInfo)
{
	IndexBuildResult *result;
	Bm25BuildState bs;
	double		reltuples;

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));
	memset(&bs, 0, sizeof(bs));
	bs.index = index;
	bs.typid = TupleDescAttr(RelationGetDescr(index), 0)->atttypid;
	bm25_build_new_meta(index, &bs.meta);
	bm25_build_init_meta(index, &bs.meta, MAIN_FORKNUM);

	result = bm25_build_parallel(heap, index, indexInfo, &bs.meta);
	if (result != NULL)
		return result;

	/* the batch's bookkeeping is not exact: leave a quarter of the budget */
	bs.memlimit = (size_t) maintenance_work_mem * 1024 / 4 * 3;
	bs.tmpcx = AllocSetContextCreate(CurrentMemoryContext, "bm25 build tuple", ALLOCSET_DEFAULT_SIZES);
	bs.acccx = AllocSetContextCreate(CurrentMemoryContext, "bm25 build batch", ALLOCSET_DEFAULT_SIZES);
	{
		MemoryContext old = MemoryContextSwitchTo(bs.acccx);

		bs.acc = bm25_acc_create();
		MemoryContextSwitchTo(old);
	}
	bm25_docstore_init(&bs.docs, index);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 1);
	reltuples = table_index_build_scan(heap, index, indexInfo, true, true,
									   build_callback, &bs, NULL);
	flush_run(&bs);
	bm25_docstore_finish(&bs.docs, &bs.meta);
	bm25_build_write_meta(index, &bs.meta);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 2);
	if (bs.meta.nsegments > 1)
		bm25_merge(index, BM25_ALL_SEGMENTS, false, NULL, 0);

	MemoryContextDelete(bs.tmpcx);
	MemoryContextDelete(bs.acccx);

	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = reltuples;
	result->index_tuples = bs.indtuples;
	return result;
}

void
bm25buildempty(Relation index)
{
	Bm25MetaPageData meta;

	bm25_build_new_meta(index, &meta);
	bm25_build_init_meta(index, &meta, INIT_FORKNUM);
}
