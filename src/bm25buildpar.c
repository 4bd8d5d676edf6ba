/*
 * bm25buildpar.c
 *	  Building a bm25 index with parallel workers.
 *
 * PostgreSQL 15 gives built-in parallel builds only to btree, so ambuild
 * runs its own workers the way nbtsort.c does: a parallel context, the
 * leader taking part, each participant analysing its share of the table into
 * runs in temporary files of a SharedFileSet and then merging its share of
 * the terms, and the leader writing the index from the merged files (only
 * the leader writes the index, WAL-logged through GenericXLog as in the
 * serial build).
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
 * A run file holds a header, its documents (heap TID, length, body hash)
 * in scan order, then its terms with their raw postings (bm25_acc_raw) in
 * partitions by a hash of the term, each partition in term order.  Runs
 * ordered by (range, sequence) cover the docids one after another.  When
 * every participant is done with the ranges (a condition variable), each
 * participant opens every run, computes the docid each run starts at, and
 * takes term partitions one at a time: it merges the partition across all
 * runs, re-basing each run's docids (bm25_pw_add_raw), into encoded posting
 * lists in a file of its own.  The leader then writes the document store
 * run after run and the partitions' terms, interleaved in term order, as
 * one segment: the pages a serial build writes.
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
#include "common/hashfn.h"
#include "storage/buffile.h"
#include "storage/condition_variable.h"
#include "storage/sharedfileset.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/backend_progress.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

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

/*
 * The terms are merged in parallel too: each run file holds its terms in
 * BM25_PARTS_PER_PARTICIPANT * participants partitions (by a hash of the
 * term, each in term order); participants take partitions one at a time and
 * merge them across all runs into encoded posting lists, and the leader
 * interleaves the partitions' outputs in term order into the segment.
 */
#define BM25_PARTS_PER_PARTICIPANT	4
#define BM25_MAX_PARTS				64

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

	uint32		nparts;			/* term partitions of the merge */
	pg_atomic_uint32 next_part;
	ConditionVariable scanned_cv;	/* nscanned grew or nlaunched was set */

	slock_t		mutex;			/* protects the fields below */
	double		reltuples;
	double		indtuples;
	int			nlaunched;		/* workers launched, -1 until known */
	int			nscanned;		/* participants done with their ranges */
	int			nfinished;		/* participants done with the merge */
	uint32		part_nterms[BM25_MAX_PARTS];	/* terms of each merged partition */

	SharedFileSet fileset;
	uint32		nruns[FLEXIBLE_ARRAY_MEMBER];	/* per participant: workers 0..,
												 * the leader last */
} Bm25ParShared;

/* header of a run file: then the documents, then the term partitions */
typedef struct Bm25RunHeader
{
	uint32		range;
	uint32		seq;
	uint32		ndocs;
	uint32		nterms;
	uint64		total_len;
	uint32		part_nterms[BM25_MAX_PARTS];
	int32		part_fileno[BM25_MAX_PARTS];	/* BufFileTell of each partition */
	int64		part_off[BM25_MAX_PARTS];
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
	uint32		acc_stamp;		/* its term codes in the lexeme cache (0: none yet) */
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

/* the merge partition of a term */
static uint32
term_part(const char *term, int len, uint32 nparts)
{
	return hash_bytes((const unsigned char *) term, len) % nparts;
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
	p->acc_stamp = 0;
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
	int			i,
				nterms;
	uint32		k;
	uint8	   *partof;

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
	/* the partition of every term, then each partition in term order */
	nterms = bm25_acc_nterms(p->acc);
	partof = palloc(sizeof(uint8) * Max(nterms, 1));
	for (i = 0; i < nterms; i++)
	{
		int			len;
		uint32		df;
		const char *term = bm25_acc_term(p->acc, i, &len, &df);

		partof[i] = (uint8) term_part(term, len, p->shared->nparts);
	}
	for (k = 0; k < p->shared->nparts; k++)
	{
		off_t		off;

		BufFileTell(f, &h.part_fileno[k], &off);
		h.part_off[k] = (int64) off;
		for (i = 0; i < nterms; i++)
		{
			int			len;
			uint32		df;
			const char *term;
			size_t		rawlen;
			const uint8 *raw;
			uint32		l32;
			uint32		r32;

			if (partof[i] != k)
				continue;
			CHECK_FOR_INTERRUPTS();
			term = bm25_acc_term(p->acc, i, &len, &df);
			raw = bm25_acc_raw(p->acc, i, &rawlen);
			if (rawlen > MaxAllocSize)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("bm25 index build: the postings of one term in one batch exceed 1 GB"),
						 errhint("Lower maintenance_work_mem.")));
			l32 = (uint32) len;
			r32 = (uint32) rawlen;
			BufFileWrite(f, &l32, sizeof(l32));
			BufFileWrite(f, (void *) term, len);
			BufFileWrite(f, &r32, sizeof(r32));
			BufFileWrite(f, (void *) raw, rawlen);
			h.part_nterms[k]++;
		}
	}
	pfree(partof);
	/* the header again, with the partitions' places */
	if (BufFileSeek(f, 0, 0, SEEK_SET) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not seek in a bm25 build run file")));
	BufFileWrite(f, &h, sizeof(h));
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
	Bm25DocEntry *e;
	uint32		dl,
				hash;

	if (isnull[0])
		return;
	old = MemoryContextSwitchTo(p->tmpcx);
	dl = bm25_acc_add_datum(p->acc, p->acccx, &p->acc_stamp, p->shared->config, values[0], p->shared->typid,
							p->ndocs, &hash);
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
	e->dl = dl;
	e->hash = hash;
	p->total_len += dl;
	p->indtuples += 1;
	MemoryContextReset(p->tmpcx);

	if (bm25_acc_memory(p->acc) + sizeof(Bm25DocEntry) * (Size) p->maxdocs > p->shared->memlimit ||
		p->ndocs >= PG_INT32_MAX / 2)
		part_flush(p);
}

typedef struct RunSrc RunSrc;
static RunSrc *open_runs(Bm25ParShared *shared, int *nsrc);
static void close_runs(RunSrc *srcs, int nsrc);
static void merge_part(Bm25ParShared *shared, RunSrc *srcs, int nsrc, uint32 k);

/*
 * A participant: take block ranges until none is left, wait until every
 * participant has done so, then merge term partitions until none is left.
 * Returns with the runs open (the leader reads them again) when srcs_out is
 * not NULL.
 */
static void
part_run(Bm25ParShared *shared, int id, Relation heap, Relation index, IndexInfo *indexInfo,
		 RunSrc **srcs_out, int *nsrc_out)
{
	Bm25Part	p;
	double		reltuples = 0;
	RunSrc	   *srcs;
	int			nsrc;

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
	MemoryContextDelete(p.tmpcx);
	MemoryContextDelete(p.acccx);

	SpinLockAcquire(&shared->mutex);
	shared->reltuples += reltuples;
	shared->indtuples += p.indtuples;
	shared->nruns[id] = p.nruns;
	shared->nscanned++;
	SpinLockRelease(&shared->mutex);
	ConditionVariableBroadcast(&shared->scanned_cv);

	/* every run must be written before the merge */
	ConditionVariablePrepareToSleep(&shared->scanned_cv);
	for (;;)
	{
		bool		done;

		SpinLockAcquire(&shared->mutex);
		done = shared->nlaunched >= 0 && shared->nscanned >= shared->nlaunched + 1;
		SpinLockRelease(&shared->mutex);
		if (done)
			break;
		ConditionVariableSleep(&shared->scanned_cv, WAIT_EVENT_PARALLEL_CREATE_INDEX_SCAN);
	}
	ConditionVariableCancelSleep();

	srcs = open_runs(shared, &nsrc);
	for (;;)
	{
		uint32		k = pg_atomic_fetch_add_u32(&shared->next_part, 1);

		CHECK_FOR_INTERRUPTS();
		if (k >= shared->nparts)
			break;
		merge_part(shared, srcs, nsrc, k);
	}
	SpinLockAcquire(&shared->mutex);
	shared->nfinished++;
	SpinLockRelease(&shared->mutex);
	if (srcs_out)
	{
		*srcs_out = srcs;
		*nsrc_out = nsrc;
	}
	else
		close_runs(srcs, nsrc);
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

	part_run(shared, ParallelWorkerNumber, heap, index, indexInfo, NULL, NULL);

	index_close(index, RowExclusiveLock);
	table_close(heap, ShareLock);
}

/* ------------------------------------------------------------ the merge */

struct RunSrc
{
	BufFile    *file;
	Bm25RunHeader h;
	uint32		base;			/* docid of the run's first document */
	uint32		left;			/* terms not read yet */
	bool		valid;
	tx_buf		term;
	tx_buf		raw;
};

static void
run_read(BufFile *f, void *dst, size_t n)
{
	if (n > 0 && BufFileRead(f, dst, n) != n)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read from a bm25 build run file: read too few bytes")));
}

static void
run_seek(BufFile *f, int fileno, off_t off)
{
	if (BufFileSeek(f, fileno, off, SEEK_SET) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not seek in a bm25 build run file")));
}

/* the next (term, bytes) record of a source; raw gets the bytes */
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

/* binaryheap keeps the largest first: invert (term, source order) */
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

/* every run, in docid order, with the docid of its first document */
static RunSrc *
open_runs(Bm25ParShared *shared, int *nsrc_out)
{
	RunSrc	   *srcs;
	int			nsrc = 0,
				maxsrc = 0,
				i;
	uint64		ndocs = 0;

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
			tx_buf_init(&s->term, 64);
			tx_buf_init(&s->raw, 1024);
		}
	}
	qsort(srcs, nsrc, sizeof(RunSrc), run_order_cmp);
	for (i = 0; i < nsrc; i++)
	{
		if (ndocs + srcs[i].h.ndocs >= BM25_DOCID_END)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("bm25 index would hold too many documents")));
		srcs[i].base = (uint32) ndocs;
		ndocs += srcs[i].h.ndocs;
	}
	*nsrc_out = nsrc;
	return srcs;
}

static void
close_runs(RunSrc *srcs, int nsrc)
{
	int			i;

	for (i = 0; i < nsrc; i++)
	{
		BufFileClose(srcs[i].file);
		tx_buf_free(&srcs[i].term);
		tx_buf_free(&srcs[i].raw);
	}
	pfree(srcs);
}

static void
part_out_name(char *name, size_t size, uint32 k)
{
	snprintf(name, size, "bm25.merged.%u", k);
}

/*
 * Merge partition k of every run: each term with its posting list encoded
 * (docids re-based), in term order, into the partition's output file.
 */
static void
merge_part(Bm25ParShared *shared, RunSrc *srcs, int nsrc, uint32 k)
{
	char		name[MAXPGPATH];
	BufFile    *out;
	binaryheap *heap;
	bm25_plist_writer pw;
	tx_buf		enc;
	tx_buf		term;
	uint32	   *pos = NULL;
	size_t		poscap = 0;
	uint32		nterms = 0;
	int			i;

	part_out_name(name, sizeof(name), k);
	out = BufFileCreateFileSet(&shared->fileset.fs, name);
	heap = binaryheap_allocate(Max(nsrc, 1), src_heap_cmp, srcs);
	for (i = 0; i < nsrc; i++)
	{
		run_seek(srcs[i].file, srcs[i].h.part_fileno[k], (off_t) srcs[i].h.part_off[k]);
		srcs[i].left = srcs[i].h.part_nterms[k];
		src_next(&srcs[i]);
		if (srcs[i].valid)
			binaryheap_add_unordered(heap, Int32GetDatum(i));
	}
	binaryheap_build(heap);
	bm25_pw_init(&pw);
	pw.dense = true;			/* a build: a current-version index */
	tx_buf_init(&enc, 1024);
	tx_buf_init(&term, 64);
	while (!binaryheap_empty(heap))
	{
		int			first = DatumGetInt32(binaryheap_first(heap));
		uint32		l32,
					e32;

		CHECK_FOR_INTERRUPTS();
		tx_buf_reset(&term);
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
		if (enc.len > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("bm25 index build: the posting list of one term exceeds 1 GB")));
		l32 = (uint32) term.len;
		e32 = (uint32) enc.len;
		BufFileWrite(out, &l32, sizeof(l32));
		BufFileWrite(out, term.data, term.len);
		BufFileWrite(out, &e32, sizeof(e32));
		BufFileWrite(out, enc.data, enc.len);
		nterms++;
	}
	BufFileClose(out);
	bm25_pw_free(&pw);
	tx_buf_free(&enc);
	tx_buf_free(&term);
	if (pos)
		tx_free(pos);
	binaryheap_free(heap);
	shared->part_nterms[k] = nterms;	/* one writer per partition */
}

/*
 * The leader, once every participant is done: the document store run after
 * run (docids follow the heap order), then the partitions' terms
 * interleaved in term order into one segment; meta is the leader's copy of
 * the metapage.
 */
static void
leader_write(Bm25ParShared *shared, Relation index, Bm25MetaPageData *meta, RunSrc *srcs, int nsrc)
{
	Bm25DocStore ds;
	Bm25DocEntry *buf;
	uint64		ndocs = 0;
	RunSrc	   *parts;
	binaryheap *heap;
	Bm25SegBuild *sb;
	uint32		k;
	int			i;

	bm25_docstore_init(&ds, index);
	buf = palloc(sizeof(Bm25DocEntry) * 1024);
	for (i = 0; i < nsrc; i++)
	{
		RunSrc	   *s = &srcs[i];
		uint32		done = 0;

		run_seek(s->file, 0, (off_t) sizeof(Bm25RunHeader));
		ndocs += s->h.ndocs;
		meta->total_len += s->h.total_len;
		while (done < s->h.ndocs)
		{
			uint32		n = Min(s->h.ndocs - done, 1024);
			uint32		j;

			CHECK_FOR_INTERRUPTS();
			run_read(s->file, buf, sizeof(Bm25DocEntry) * n);
			for (j = 0; j < n; j++)
				bm25_docstore_add(&ds, &buf[j]);
			done += n;
		}
	}
	pfree(buf);
	meta->ndocs = ndocs;
	meta->next_docid = (uint32) ndocs;

	if (ndocs > 0)
	{
		parts = palloc0(sizeof(RunSrc) * shared->nparts);
		heap = binaryheap_allocate(shared->nparts, src_heap_cmp, parts);
		for (k = 0; k < shared->nparts; k++)
		{
			char		name[MAXPGPATH];

			part_out_name(name, sizeof(name), k);
			parts[k].file = BufFileOpenFileSet(&shared->fileset.fs, name, O_RDONLY, false);
			parts[k].left = shared->part_nterms[k];
			tx_buf_init(&parts[k].term, 64);
			tx_buf_init(&parts[k].raw, 1024);
			src_next(&parts[k]);
			if (parts[k].valid)
				binaryheap_add_unordered(heap, Int32GetDatum((int) k));
		}
		binaryheap_build(heap);
		sb = bm25_segbuild_start(index);
		while (!binaryheap_empty(heap))
		{
			int			j = DatumGetInt32(binaryheap_first(heap));
			RunSrc	   *s = &parts[j];

			CHECK_FOR_INTERRUPTS();
			bm25_segbuild_add(sb, s->term.data, (int) s->term.len, (const uint8 *) s->raw.data, s->raw.len);
			src_next(s);
			if (s->valid)
				binaryheap_replace_first(heap, Int32GetDatum(j));
			else
				binaryheap_remove_first(heap);
		}
		bm25_segbuild_finish(sb, &meta->segments[0], (uint32) ndocs, meta->next_segid++);
		meta->nsegments = 1;
		binaryheap_free(heap);
		close_runs(parts, (int) shared->nparts);
	}

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
	RunSrc	   *srcs;
	int			nsrc;
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
	shared->nparts = Min(BM25_MAX_PARTS, BM25_PARTS_PER_PARTICIPANT * nparticipants);
	pg_atomic_init_u32(&shared->next_range, 0);
	pg_atomic_init_u32(&shared->next_part, 0);
	ConditionVariableInit(&shared->scanned_cv);
	SpinLockInit(&shared->mutex);
	shared->nlaunched = -1;
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

	/* the participants wait for each other: every launched worker must start */
	SpinLockAcquire(&shared->mutex);
	shared->nlaunched = launched;
	SpinLockRelease(&shared->mutex);
	ConditionVariableBroadcast(&shared->scanned_cv);
	WaitForParallelWorkersToAttach(pcxt);

	/* the leader takes part */
	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 1);
	t0 = GetCurrentTimestamp();
	part_run(shared, nworkers, heap, index, indexInfo, &srcs, &nsrc);
	t1 = GetCurrentTimestamp();
	WaitForParallelWorkersToFinish(pcxt);
	t2 = GetCurrentTimestamp();
	if (shared->nfinished != launched + 1)
		elog(ERROR, "bm25: %d of %d build participants finished", shared->nfinished, launched + 1);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 2);
	meta = *meta0;
	leader_write(shared, index, &meta, srcs, nsrc);
	close_runs(srcs, nsrc);
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
							 "%u term partitions; leader ranges and partitions %.3f s, waiting for workers %.3f s, "
							 "writing the index %.3f s",
							 RelationGetRelationName(index), shared->nranges,
							 range_start(shared, shared->nranges) - range_start(shared, shared->nranges - 1),
							 range_start(shared, 1) - range_start(shared, 0), nruns, shared->indtuples, per.data,
							 shared->nparts,
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
