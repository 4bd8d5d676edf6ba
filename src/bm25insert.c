/*
 * bm25insert.c
 *	  Inserting into a bm25 index: the analysed row is appended to the
 *	  pending list under the metapage lock (docid, statistics and pending tail
 *	  change in the same critical section), and the pending list is turned
 *	  into a segment once it is large.
 */
#include "transcripts.h"

#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"

#include "bm25am.h"

/* Flush the pending list into a segment unless somebody else is merging. */
static void
maybe_flush(Relation index, uint32 nsegments)
{
	if (!ConditionalLockPage(index, BM25_METAPAGE_BLKNO, ExclusiveLock))
		return;
	PG_TRY();
	{
		/*
		 * Flush the pending list; when segments pile up, merge all but the
		 * first (big) one, which only VACUUM rewrites: an INSERT never pays
		 * for rewriting the whole index.
		 */
		bm25_merge(index, nsegments >= BM25_FLUSH_MERGE_AT ? 1 : BM25_NO_SEGMENTS, true, NULL, 0);
	}
	PG_FINALLY();
	{
		UnlockPage(index, BM25_METAPAGE_BLKNO, ExclusiveLock);
	}
	PG_END_TRY();
}

bool
bm25insert(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
		   Relation heap, IndexUniqueCheck checkUnique, bool indexUnchanged,
		   IndexInfo *indexInfo)
{
	MemoryContext tmp,
				old;
	Bm25MetaPageData meta;
	Oid			typid = TupleDescAttr(RelationGetDescr(index), 0)->atttypid;
	bm25_doc	doc;
	Bm25DocEntry e;
	tx_buf		rec;
	Buffer		mbuf;
	GenericXLogState *state;
	Page		page;
	bool		flush;

	if (isnull[0])
		return false;
	tmp = AllocSetContextCreate(CurrentMemoryContext, "bm25 insert", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(tmp);

	bm25_read_meta(index, &meta);
	bm25_analyze_datum(meta.config, values[0], typid, &doc);

	mbuf = ReadBuffer(index, BM25_METAPAGE_BLKNO);
	LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
	memcpy(&meta, Bm25PageGetMeta(BufferGetPage(mbuf)), sizeof(meta));
	if (meta.next_docid == BM25_DOCID_END - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("bm25 index \"%s\" has used up its document ids", RelationGetRelationName(index)),
				 errhint("REINDEX the index.")));

	/* nothing written below is visible before the metapage says so */
	memset(&e, 0, sizeof(e));
	e.tid = *heap_tid;
	e.flags = BM25_DOC_USED;
	e.dl = doc.dl;
	e.hash = bm25_body_hash(values[0], typid);
	bm25_docs_put(index, &meta, meta.next_docid, &e);
	tx_buf_init(&rec, 256);
	bm25_doc_encode(&doc, meta.next_docid, &rec);
	bm25_pending_append(index, &meta, rec.data, (uint32) rec.len);

	meta.next_docid++;
	meta.ndocs++;
	meta.total_len += doc.dl;
	meta.pending_docs++;
	meta.pending_bytes += rec.len + 4;
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, mbuf, 0);
	memcpy(Bm25PageGetMeta(page), &meta, sizeof(meta));
	GenericXLogFinish(state);
	{
		Bm25Options *opts = (Bm25Options *) index->rd_options;
		uint64		limit = (uint64) (opts ? opts->pending_limit : BM25_PENDING_LIMIT_KB) * 1024;

		flush = meta.pending_bytes > limit;
	}
	UnlockReleaseBuffer(mbuf);

	if (flush)
		maybe_flush(index, meta.nsegments);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(tmp);
	return false;
}
