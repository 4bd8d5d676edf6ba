/*
 * bm25buildpar.c
 *	  Building a bm25 index with parallel workers.
 *
 * PostgreSQL 15 gives built-in parallel builds only to btree, so ambuild
 * runs its own workers the way nbtsort.c does: a parallel context, the
 * leader taking part, each participant analysing its share of the table into
 * runs in temporary files of a SharedFileSet, and the leader merging the
 * runs into the index, which only the leader writes (WAL-logged through
 * GenericXLog as in the serial build).
 *
 * Document ids are dense and follow the heap order, exactly as in the serial
 * build, so that both builds give the same index (the same statistics,
 * document store, posting lists and so the same scores and tie order).  To
 * keep that without renumbering, the heap is cut into contiguous ranges of
 * blocks that participants take one at a time from a shared counter
 * (dynamic load balancing); each range is scanned with
 * table_index_build_range_scan and analysed into in-memory batches whose
 * docids count from 0 within the range.  A batch is written out as a run
 * when it outgrows the participant's share of maintenance_work_mem and at
 * the end of its range.  (A parallel heap scan, as nbtsort uses, hands out
 * chunks of blocks that interleave between participants and shrink to one
 * block at the end: runs would then not be contiguous in docid order.)
 *
 * A run file holds: a header, its documents (heap TID, length, body hash) in
 * scan order, then its terms in byte order, each with its raw postings
 * (bm25_acc_raw).  Runs ordered by (range, sequence) cover the docids one
 * after another, so the leader writes the document store run by run and
 * merges the terms of all runs, re-basing each run's docids
 * (bm25_pw_add_raw) into one segment.
 *
 * CREATE INDEX CONCURRENTLY builds serially (its scan needs an MVCC snapshot
 * that a worker cannot take on its own), as does a build for which the
 * planner grants no worker or no worker starts.
 */
#include "transcripts.h"

#include "access/parallel.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "lib/binaryheap.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "optimizer/optimizer.h"
#include "pgstat.h"
#include "port/atomics.h"
#include "storage/buffile.h"
#include "storage/sharedfileset.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/backend_progress.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "bm25am.h"

#define PARALLEL_KEY_BM25_SHARED	UINT64CONST(0xB250000000000001)
#define PARALLEL_KEY_QUERY_TEXT		UINT64CONST(0xB250000000000002)

/*
 * Ranges per participant.  The first half of the ranges covers three
 * quarters of the heap, the second half the last quarter: the ranges taken
 * last are small, so participants finish close together (the largest
 * imbalance is one small range), while the early ranges are few and large.
 */
#define BM25_RANGES_PER_PARTICIPANT 12
#define BM25_MIN_RANGE_BLOCKS		8

typedef struct Bm25ParShared
{
	Oid			heaprelid;
	Oid			indexrelid;
	Oid			config;
	Oid			typid;
	int			nparticipants;	/* planned workers + the leader */
	BlockNumber nblocks;
	uint32		nranges;
	Size		memlimit;		/* bytes of batch per participant */
	pg_atomic_uint32 next_range;

	slock_t		mutex;			/* protects the fields below */
	double		reltuples;
	double		indtuples;
	int			nfinished;

	SharedFileSet fileset;
	uint32		nruns[FLEXIBLE_ARRAY_MEMBER];	/* per participant: workers 0..,
												 * the leader last */
} Bm25ParShared;

/* header of a run file */
typedef struct Bm25RunHeader
{
	uint32		range;
	uint32		seq;
	uint32		ndocs;
	uint32		nterms;
	uint64		total_len;
} Bm25RunHeader;

/* one participant (a worker or the leader) */
typedef struct Bm25Part
{
	Bm25ParShared *shared;
	int			id;
	Relation	index;
	MemoryContext tmpcx;
	MemoryContext acccx;
	bm25_acc   *acc;
	Bm25DocEntry *docs;			/* the batch's documents, in acccx */
	uint32		ndocs;
	uint32		maxdocs;
	uint64		total_len;
	uint32		range;
	uint32		seq;
	uint32		nruns;
	double		indtuples;
} Bm25Part;

static void
run_name(char *name, size_t size, int participant, uint32 run)
{
	snprintf(name, size, "bm25.%d.%u", participant, run);
}

/* first block of range r (r = nranges gives nblocks) */
static BlockNumber
range_start(const Bm25ParShared *shared, uint32 r)
{
	uint64		n = shared->nblocks;
	uint64		big = n * 3 / 4;
	uint32		half = shared->nranges / 2;

	if (shared->nranges < 4)
		return (BlockNumber) (n * r / shared->nranges);
	if (r <= half)
		return (BlockNumber) (big * r / half);
	return (BlockNumber) (big + (n - big) * (r - half) / (shared->nranges - half));
}

static void
part_new_batch(Bm25Part *p)
{
	MemoryContext old;

	MemoryContextReset(p->acccx);
	old = MemoryContextSwitchTo(p->acccx);
	p->acc = bm25_acc_create();
	p->maxdocs = 1024;
	p->docs = palloc(sizeof(Bm25DocEntry) * p->maxdocs);
	MemoryContextSwitchTo(old);
	p->ndocs = 0;
	p->total_len = 0;
}

/* write the batch as a run file and start a new batch */
static void
part_flush(Bm25Part *p)
{
	char		name[MAXPGPATH];
	BufFile    *f;
	Bm25RunHeader h;
	MemoryContext old;
	int			i;

	if (p->ndocs == 0)
		return;
	old = MemoryContextSwitchTo(p->acccx);
	bm25_acc_sort(p->acc);
	MemoryContextSwitchTo(old);

	run_name(name, sizeof(name), p->id, p->nruns);
	f = BufFileCreateFileSet(&p->shared->fileset.fs, name);
	memset(&h, 0, sizeof(h));
	h.range = p->range;
	h.seq = p->seq++;
	h.ndocs = p->ndocs;
	h.nterms = (uint32) bm25_acc_nterms(p->acc);
	h.total_len = p->total_len;
	BufFileWrite(f, &h, sizeof(h));
	BufFileWrite(f, p->docs, sizeof(Bm25DocEntry) * p->ndocs);
	for (i = 0; i < bm25_acc_nterms(p->acc); i++)
	{
		int			len;
		uint32		df;
		const char *term = bm25_acc_term(p->acc, i, &len, &df);
		size_t		rawlen;
		const uint8 *raw = bm25_acc_raw(p->acc, i, &rawlen);
		uint32		l32 = (uint32) len;
		uint32		r32 = (uint32) rawlen;

		CHECK_FOR_INTERRUPTS();
		if (rawlen > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("bm25 index build: the postings of one term in one batch exceed 1 GB"),
					 errhint("Lower maintenance_work_mem.")));
		BufFileWrite(f, &l32, sizeof(l32));
		BufFileWrite(f, (void *) term, len);
		BufFileWrite(f, &r32, sizeof(r32));
		BufFileWrite(f, (void *) raw, rawlen);
	}
	BufFileClose(f);
	p->nruns++;
	part_new_batch(p);
}

static void
part_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			  bool tupleIsAlive, void *state)
{
	Bm25Part   *p = state;
	MemoryContext old;
	bm25_doc	doc;
	Bm25DocEntry *e;

	if (isnull[0])
		return;
	old = MemoryContextSwitchTo(p->tmpcx);
	bm25_analyze_datum(p->shared->config, values[0], p->shared->typid, &doc);
	MemoryContextSwitchTo(p->acccx);
	bm25_acc_add(p->acc, p->ndocs, &doc);
	if (p->ndocs == p->maxdocs)
	{
		p->maxdocs *= 2;
		p->docs = repalloc_huge(p->docs, sizeof(Bm25DocEntry) * (Size) p->maxdocs);
	}
	MemoryContextSwitchTo(old);
	e = &p->docs[p->ndocs++];
	memset(e, 0, sizeof(*e));
	e->tid = *tid;
	e->flags = BM25_DOC_USED;
	e->dl = doc.dl;
	e->hash = bm25_body_hash(values[0], p->shared->typid);
	p->total_len += doc.dl;
	p->indtuples += 1;
	MemoryContextReset(p->tmpcx);

	if (bm25_acc_memory(p->acc) + sizeof(Bm25DocEntry) * (Size) p->maxdocs > p->shared->memlimit ||
		p->ndocs >= PG_INT32_MAX / 2)
		part_flush(p);
}

/* take ranges until none is left; returns the heap tuples seen */
static void
part_run(Bm25ParShared *shared, int id, Relation heap, Relation index, IndexInfo *indexInfo)
{
	Bm25Part	p;
	double		reltuples = 0;

	memset(&p, 0, sizeof(p));
	p.shared = shared;
	p.id = id;
	p.index = index;
	p.tmpcx = AllocSetContextCreate(CurrentMemoryContext, "bm25 build tuple", ALLOCSET_DEFAULT_SIZES);
	p.acccx = AllocSetContextCreate(CurrentMemoryContext, "bm25 build batch", ALLOCSET_DEFAULT_SIZES);
	part_new_batch(&p);

	for (;;)
	{
		uint32		r = pg_atomic_fetch_add_u32(&shared->next_range, 1);
		BlockNumber start;
		BlockNumber n;

		CHECK_FOR_INTERRUPTS();
		if (r >= shared->nranges)
			break;
		start = range_start(shared, r);
		n = range_start(shared, r + 1) - start;
		if (n == 0)
			continue;
		p.range = r;
		p.seq = 0;
		reltuples += table_index_build_range_scan(heap, index, indexInfo,
												  false, false, false, start, n,
												  part_callback, &p, NULL);
		part_flush(&p);
	}

	SpinLockAcquire(&shared->mutex);
	shared->reltuples += reltuples;
	shared->indtuples += p.indtuples;
	shared->nruns[id] = p.nruns;
	shared->nfinished++;
	SpinLockRelease(&shared->mutex);

	MemoryContextDelete(p.tmpcx);
	MemoryContextDelete(p.acccx);
}

void
bm25_build_worker_main(dsm_segment *seg, shm_toc *toc)
{
	Bm25ParShared *shared;
	char	   *query;
	Relation	heap;
	Relation	index;
	IndexInfo  *indexInfo;

	query = shm_toc_lookup(toc, PARALLEL_KEY_QUERY_TEXT, true);
	debug_query_string = query;
	pgstat_report_activity(STATE_RUNNING, debug_query_string);

	shared = shm_toc_lookup(toc, PARALLEL_KEY_BM25_SHARED, false);
	/* the lock modes index.c holds for a (non-concurrent) build */
	heap = table_open(shared->heaprelid, ShareLock);
	index = index_open(shared->indexrelid, RowExclusiveLock);
	SharedFileSetAttach(&shared->fileset, seg);
	indexInfo = BuildIndexInfo(index);

	part_run(shared, ParallelWorkerNumber, heap, index, indexInfo);

	index_close(index, RowExclusiveLock);
	table_close(heap, ShareLock);
}

/* ------------------------------------------------------------ the leader's merge */

typedef struct RunSrc
{
	BufFile    *file;
	Bm25RunHeader h;
	uint32		base;			/* docid of the run's first document */
	uint32		left;			/* terms not read yet */
	bool		valid;
	tx_buf		term;
	tx_buf		raw;
} RunSrc;

static void
run_read(BufFile *f, void *dst, size_t n)
{
	if (n > 0 && BufFileRead(f, dst, n) != n)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read from a bm25 build run file: read too few bytes")));
}

static void
src_next(RunSrc *s)
{
	uint32		len;
	uint32		rawlen;

	if (s->left == 0)
	{
		s->valid = false;
		return;
	}
	run_read(s->file, &len, sizeof(len));
	tx_buf_reset(&s->term);
	tx_buf_reserve(&s->term, len);
	run_read(s->file, s->term.data, len);
	s->term.len = len;
	run_read(s->file, &rawlen, sizeof(rawlen));
	tx_buf_reset(&s->raw);
	tx_buf_reserve(&s->raw, rawlen);
	run_read(s->file, s->raw.data, rawlen);
	s->raw.len = rawlen;
	s->left--;
	s->valid = true;
}

static int
run_order_cmp(const void *a, const void *b)
{
	const RunSrc *x = a;
	const RunSrc *y = b;

	if (x->h.range != y->h.range)
		return x->h.range < y->h.range ? -1 : 1;
	if (x->h.seq != y->h.seq)
		return x->h.seq < y->h.seq ? -1 : 1;
	return 0;
}

/* binaryheap keeps the largest first: invert (term, run order) */
static int
src_heap_cmp(Datum a, Datum b, void *arg)
{
	RunSrc	   *srcs = arg;
	int			i = DatumGetInt32(a);
	int			j = DatumGetInt32(b);
	int			c = bm25_term_cmp(srcs[i].term.data, (int) srcs[i].term.len,
								  srcs[j].term.data, (int) srcs[j].term.len);

	if (c != 0)
		return -c;
	return i < j ? 1 : (i > j ? -1 : 0);
}

/* merge every run into the index; meta is the leader's copy of the metapage */
static void
leader_merge(Bm25ParShared *shared, Relation index, Bm25MetaPageData *meta)
{
	RunSrc	   *srcs;
	int			nsrc = 0,
				maxsrc = 0,
				i;
	uint64		ndocs = 0;
	Bm25DocStore ds;
	Bm25DocEntry *buf;
	binaryheap *heap;
	Bm25SegBuild *sb;
	bm25_plist_writer pw;
	tx_buf		enc;
	uint32	   *pos = NULL;
	size_t		poscap = 0;

	for (i = 0; i < shared->nparticipants; i++)
		maxsrc += shared->nruns[i];
	srcs = palloc0(sizeof(RunSrc) * Max(maxsrc, 1));
	for (i = 0; i < shared->nparticipants; i++)
	{
		uint32		r;

		for (r = 0; r < shared->nruns[i]; r++)
		{
			char		name[MAXPGPATH];
			RunSrc	   *s = &srcs[nsrc++];

			run_name(name, sizeof(name), i, r);
			s->file = BufFileOpenFileSet(&shared->fileset.fs, name, O_RDONLY, false);
			run_read(s->file, &s->h, sizeof(s->h));
		}
	}
	qsort(srcs, nsrc, sizeof(RunSrc), run_order_cmp);

	/* the document store, run after run: docids follow the heap order */
	bm25_docstore_init(&ds, index);
	buf = palloc(sizeof(Bm25DocEntry) * 1024);
	for (i = 0; i < nsrc; i++)
	{
		RunSrc	   *s = &srcs[i];
		uint32		done = 0;

		if (ndocs + s->h.ndocs >= BM25_DOCID_END)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("bm25 index \"%s\" would hold too many documents",
							RelationGetRelationName(index))));
		s->base = (uint32) ndocs;
		ndocs += s->h.ndocs;
		meta->total_len += s->h.total_len;
		while (done < s->h.ndocs)
		{
			uint32		n = Min(s->h.ndocs - done, 1024);
			uint32		k;

			CHECK_FOR_INTERRUPTS();
			run_read(s->file, buf, sizeof(Bm25DocEntry) * n);
			for (k = 0; k < n; k++)
				bm25_docstore_add(&ds, &buf[k]);
			done += n;
		}
	}
	pfree(buf);
	meta->ndocs = ndocs;
	meta->next_docid = (uint32) ndocs;

	/* the terms of every run, merged into one segment */
	if (ndocs > 0)
	{
		heap = binaryheap_allocate(Max(nsrc, 1), src_heap_cmp, srcs);
		for (i = 0; i < nsrc; i++)
		{
			tx_buf_init(&srcs[i].term, 64);
			tx_buf_init(&srcs[i].raw, 1024);
			srcs[i].left = srcs[i].h.nterms;
			src_next(&srcs[i]);
			if (srcs[i].valid)
				binaryheap_add_unordered(heap, Int32GetDatum(i));
		}
		binaryheap_build(heap);
		sb = bm25_segbuild_start(index);
		bm25_pw_init(&pw);
		tx_buf_init(&enc, 1024);
		while (!binaryheap_empty(heap))
		{
			int			first = DatumGetInt32(binaryheap_first(heap));
			tx_buf		term;

			CHECK_FOR_INTERRUPTS();
			tx_buf_init(&term, srcs[first].term.len + 1);
			tx_buf_append(&term, srcs[first].term.data, srcs[first].term.len);
			/* every run holding the term, in docid order */
			while (!binaryheap_empty(heap))
			{
				int			j = DatumGetInt32(binaryheap_first(heap));
				RunSrc	   *s = &srcs[j];

				if (bm25_term_cmp(s->term.data, (int) s->term.len, term.data, (int) term.len) != 0)
					break;
				if (!bm25_pw_add_raw(&pw, (const uint8 *) s->raw.data, s->raw.len, s->base, &pos, &poscap))
					elog(ERROR, "bm25: malformed postings in a build run file");
				src_next(s);
				if (s->valid)
					binaryheap_replace_first(heap, Int32GetDatum(j));
				else
					binaryheap_remove_first(heap);
			}
			tx_buf_reset(&enc);
			bm25_pw_finish(&pw, &enc);
			bm25_segbuild_add(sb, term.data, (int) term.len, (const uint8 *) enc.data, enc.len);
			tx_buf_free(&term);
		}
		bm25_segbuild_finish(sb, &meta->segments[0], (uint32) ndocs, meta->next_segid++);
		meta->nsegments = 1;
		bm25_pw_free(&pw);
		tx_buf_free(&enc);
		if (pos)
			tx_free(pos);
		binaryheap_free(heap);
		for (i = 0; i < nsrc; i++)
		{
			tx_buf_free(&srcs[i].term);
			tx_buf_free(&srcs[i].raw);
		}
	}
	for (i = 0; i < nsrc; i++)
		BufFileClose(srcs[i].file);
	pfree(srcs);

	bm25_docstore_finish(&ds, meta);
	bm25_build_write_meta(index, meta);
}

IndexBuildResult *
bm25_build_parallel(Relation heap, Relation index, IndexInfo *indexInfo,
					const Bm25MetaPageData *meta0)
{
	int			nworkers;
	int			nparticipants;
	BlockNumber nblocks;
	ParallelContext *pcxt;
	Size		size;
	Bm25ParShared *shared;
	char	   *query = NULL;
	Bm25MetaPageData meta;
	IndexBuildResult *result;
	int			launched;
	uint32		nruns = 0;
	StringInfoData per;
	int			i;
	TimestampTz t0,
				t1,
				t2,
				t3;

	/* CONCURRENTLY scans with an MVCC snapshot a worker cannot take itself */
	if (indexInfo->ii_Concurrent)
		return NULL;
#if PG_VERSION_NUM >= 170000
	/* amcanbuildparallel: index.c asked the planner already */
	nworkers = indexInfo->ii_ParallelWorkers;
#else
	nworkers = plan_create_index_workers(RelationGetRelid(heap), RelationGetRelid(index));
#endif
	if (nworkers <= 0)
		return NULL;
	nblocks = RelationGetNumberOfBlocks(heap);
	if (nblocks == 0)
		return NULL;
	nparticipants = nworkers + 1;

	EnterParallelMode();
	pcxt = CreateParallelContext("transcripts", "bm25_build_worker_main", nworkers);
	size = add_size(offsetof(Bm25ParShared, nruns), mul_size(sizeof(uint32), nparticipants));
	shm_toc_estimate_chunk(&pcxt->estimator, size);
	shm_toc_estimate_keys(&pcxt->estimator, 1);
	if (debug_query_string)
	{
		shm_toc_estimate_chunk(&pcxt->estimator, strlen(debug_query_string) + 1);
		shm_toc_estimate_keys(&pcxt->estimator, 1);
	}
	InitializeParallelDSM(pcxt);
	if (pcxt->seg == NULL)
	{
		/* no DSM segment to be had: serial */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return NULL;
	}

	shared = shm_toc_allocate(pcxt->toc, size);
	memset(shared, 0, size);
	shared->heaprelid = RelationGetRelid(heap);
	shared->indexrelid = RelationGetRelid(index);
	shared->config = meta0->config;
	shared->typid = TupleDescAttr(RelationGetDescr(index), 0)->atttypid;
	shared->nparticipants = nparticipants;
	shared->nblocks = nblocks;
	shared->nranges = Max(1, Min(nblocks / BM25_MIN_RANGE_BLOCKS,
								 (BlockNumber) (BM25_RANGES_PER_PARTICIPANT * nparticipants)));
	/* as nbtsort: maintenance_work_mem shared out; the batch's bookkeeping is not exact */
	shared->memlimit = (Size) maintenance_work_mem * 1024 / nparticipants / 4 * 3;
	pg_atomic_init_u32(&shared->next_range, 0);
	SpinLockInit(&shared->mutex);
	SharedFileSetInit(&shared->fileset, pcxt->seg);
	shm_toc_insert(pcxt->toc, PARALLEL_KEY_BM25_SHARED, shared);
	if (debug_query_string)
	{
		query = shm_toc_allocate(pcxt->toc, strlen(debug_query_string) + 1);
		strcpy(query, debug_query_string);
		shm_toc_insert(pcxt->toc, PARALLEL_KEY_QUERY_TEXT, query);
	}

	LaunchParallelWorkers(pcxt);
	launched = pcxt->nworkers_launched;
	if (launched == 0)
	{
		ereport(DEBUG1,
				(errmsg_internal("bm25 index \"%s\": no parallel worker could be started, building serially",
								 RelationGetRelationName(index))));
		WaitForParallelWorkersToFinish(pcxt);
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return NULL;
	}

	/* the leader takes part */
	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 1);
	t0 = GetCurrentTimestamp();
	part_run(shared, nworkers, heap, index, indexInfo);
	t1 = GetCurrentTimestamp();
	WaitForParallelWorkersToFinish(pcxt);
	t2 = GetCurrentTimestamp();
	if (shared->nfinished != launched + 1)
		elog(ERROR, "bm25: %d of %d build participants finished", shared->nfinished, launched + 1);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 2);
	meta = *meta0;
	leader_merge(shared, index, &meta);
	t3 = GetCurrentTimestamp();

	initStringInfo(&per);
	for (i = 0; i < nparticipants; i++)
	{
		nruns += shared->nruns[i];
		appendStringInfo(&per, "%s%u", i ? " " : "", shared->nruns[i]);
	}
	ereport(DEBUG1,
			(errmsg_internal("bm25 index \"%s\": parallel build with %d of %d planned workers and the leader",
							 RelationGetRelationName(index), launched, nworkers)));
	ereport(DEBUG2,
			(errmsg_internal("bm25 index \"%s\": %u block ranges of %u to %u blocks, %u runs merged, %.0f documents; "
							 "runs per participant (workers, then the leader): %s; "
							 "leader scan %.3f s, waiting for workers %.3f s, merge %.3f s",
							 RelationGetRelationName(index), shared->nranges,
							 range_start(shared, shared->nranges) - range_start(shared, shared->nranges - 1),
							 range_start(shared, 1) - range_start(shared, 0), nruns, shared->indtuples, per.data,
							 TimestampDifferenceMilliseconds(t0, t1) / 1000.0,
							 TimestampDifferenceMilliseconds(t1, t2) / 1000.0,
							 TimestampDifferenceMilliseconds(t2, t3) / 1000.0)));

	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = shared->reltuples;
	result->index_tuples = shared->indtuples;

	DestroyParallelContext(pcxt);
	ExitParallelMode();
	return result;
}
