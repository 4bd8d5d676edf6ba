/*
 * bm25vacuum.c
 *	  VACUUM of a bm25 index: mark the documents of dead rows in the document
 *	  store and take them out of the statistics, then merge every segment and
 *	  the pending list into one segment without them (so they leave df too);
 *	  the cleanup pass recycles pages no snapshot can read any more.
 */
#include "transcripts.h"

#include "access/genam.h"
#include "commands/vacuum.h"
#include "miscadmin.h"
#include "storage/indexfsm.h"
#include "storage/lmgr.h"
#include "utils/snapmgr.h"

#include "bm25am.h"

static int
cmp_u32(const void *a, const void *b)
{
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;

	return (x > y) - (x < y);
}

static void
merge_locked(Relation index, bool all, const uint32 *dead, int ndead)
{
	LockPage(index, BM25_METAPAGE_BLKNO, ExclusiveLock);
	PG_TRY();
	{
		bm25_merge(index, all ? BM25_ALL_SEGMENTS : BM25_NO_SEGMENTS, true, dead, ndead);
	}
	PG_FINALLY();
	{
		UnlockPage(index, BM25_METAPAGE_BLKNO, ExclusiveLock);
	}
	PG_END_TRY();
}

IndexBulkDeleteResult *
bm25bulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
			   IndexBulkDeleteCallback callback, void *callback_state)
{
	Relation	index = info->index;
	Bm25MetaPageData meta;
	uint32	   *dead;
	int			ndead = 0,
				maxdead = 1024;
	uint64		killed = 0,
				killed_len = 0;
	uint32		d;

	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));
	bm25_read_meta(index, &meta);
	dead = palloc(sizeof(uint32) * maxdead);

	/* one document page at a time */
	for (d = 0; d < meta.next_docid; d += BM25_DOCS_PER_PAGE)
	{
		uint32		pageno = d / BM25_DOCS_PER_PAGE;
		uint32		dir = pageno / BM25_DIR_PER_PAGE;
		Buffer		buf;
		BlockNumber blk;
		Bm25DocEntry *ents;
		GenericXLogState *state = NULL;
		Page		page;
		int			i;

		vacuum_delay_point();
		if (dir >= meta.ndocdir)
			break;
		buf = ReadBuffer(index, meta.docdir[dir]);
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		blk = ((BlockNumber *) PageGetContents(BufferGetPage(buf)))[pageno % BM25_DIR_PER_PAGE];
		UnlockReleaseBuffer(buf);
		if (blk == InvalidBlockNumber)
			continue;
		buf = ReadBufferExtended(index, MAIN_FORKNUM, blk, RBM_NORMAL, info->strategy);
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		ents = (Bm25DocEntry *) PageGetContents(BufferGetPage(buf));
		for (i = 0; i < BM25_DOCS_PER_PAGE && d + i < meta.next_docid; i++)
		{
			bool		kill;

			if (!(ents[i].flags & BM25_DOC_USED))
				continue;
			kill = !(ents[i].flags & BM25_DOC_DEAD) && callback(&ents[i].tid, callback_state);
			if (kill)
			{
				if (state == NULL)
				{
					state = GenericXLogStart(index);
					page = GenericXLogRegisterBuffer(state, buf, 0);
					ents = (Bm25DocEntry *) PageGetContents(page);
				}
				ents[i].flags |= BM25_DOC_DEAD;
				killed++;
				killed_len += ents[i].dl;
			}
			if (ents[i].flags & BM25_DOC_DEAD)
			{
				if (ndead == maxdead)
				{
					maxdead *= 2;
					dead = repalloc_huge(dead, sizeof(uint32) * maxdead);
				}
				dead[ndead++] = d + i;
			}
		}
		if (state)
			GenericXLogFinish(state);
		UnlockReleaseBuffer(buf);
	}

	if (killed > 0)
	{
		Buffer		mbuf = ReadBuffer(index, BM25_METAPAGE_BLKNO);
		GenericXLogState *state;
		Bm25MetaPage m;

		LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(index);
		m = Bm25PageGetMeta(GenericXLogRegisterBuffer(state, mbuf, 0));
		m->ndocs = m->ndocs >= killed ? m->ndocs - killed : 0;
		m->total_len = m->total_len >= killed_len ? m->total_len - killed_len : 0;
		GenericXLogFinish(state);
		UnlockReleaseBuffer(mbuf);

		/* rewrite the postings without the dead documents */
		qsort(dead, ndead, sizeof(uint32), cmp_u32);
		merge_locked(index, true, dead, ndead);
	}
	pfree(dead);

	bm25_read_meta(index, &meta);
	stats->tuples_removed += killed;
	stats->num_index_tuples = meta.ndocs;
	stats->num_pages = RelationGetNumberOfBlocks(index);
	return stats;
}

IndexBulkDeleteResult *
bm25vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	Relation	index = info->index;
	Bm25MetaPageData meta;
	BlockNumber nblocks,
				blk;
	BlockNumber nfree = 0;

	if (info->analyze_only)
		return stats;
	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));

	/* fold the pending list (and the segments) into one segment */
	bm25_read_meta(index, &meta);
	if (meta.nsegments > 1 || meta.pending_docs > 0)
		merge_locked(index, meta.nsegments > 1, NULL, 0);

	/* recycle deleted pages */
	nblocks = RelationGetNumberOfBlocks(index);
	for (blk = BM25_METAPAGE_BLKNO + 1; blk < nblocks; blk++)
	{
		Buffer		buf;
		Page		page;
		bool		free_it = false;

		vacuum_delay_point();
		buf = ReadBufferExtended(index, MAIN_FORKNUM, blk, RBM_NORMAL, info->strategy);
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		if (PageIsNew(page))
			free_it = true;
		else
		{
			Bm25PageOpaque op = Bm25PageGetOpaque(page);

			if (op->flags & BM25_F_DELETED)
				free_it = GlobalVisCheckRemovableFullXid(NULL,
														 FullTransactionIdFromU64(((uint64) op->xid_epoch << 32) | op->xid));
		}
		UnlockReleaseBuffer(buf);
		if (free_it)
		{
			RecordFreeIndexPage(index, blk);
			nfree++;
		}
	}
	IndexFreeSpaceMapVacuum(index);

	bm25_read_meta(index, &meta);
	stats->num_pages = nblocks;
	stats->pages_free = nfree;
	stats->num_index_tuples = meta.ndocs;
	return stats;
}
