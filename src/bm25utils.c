/*
 * bm25utils.c
 *	  Pages, streams, the document store, the pending list, segment lookup
 *	  and segment merging of the bm25 index (layout in bm25am.h).
 */
#include "transcripts.h"

#include "access/transam.h"
#include "common/hashfn.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/indexfsm.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "bm25am.h"
#include "analyze.h"
#include "turn.h"

/* ------------------------------------------------------------ pages */

void
bm25_init_page(Page page, uint16 flags)
{
	Bm25PageOpaque op;

	PageInit(page, BLCKSZ, sizeof(Bm25PageOpaqueData));
	op = Bm25PageGetOpaque(page);
	op->next = InvalidBlockNumber;
	op->flags = flags;
	op->page_id = BM25_PAGE_ID;
	op->xid_epoch = 0;
	op->xid = 0;
}

static bool
page_recyclable(Page page)
{
	Bm25PageOpaque op;

	if (PageIsNew(page))
		return true;
	op = Bm25PageGetOpaque(page);
	if (!(op->flags & BM25_F_DELETED))
		return false;
	return GlobalVisCheckRemovableFullXid(NULL,
										  FullTransactionIdFromU64(((uint64) op->xid_epoch << 32) | op->xid));
}

/* A new or recycled page, exclusively locked; the caller initialises it. */
Buffer
bm25_new_buffer(Relation index)
{
	Buffer		buf;
	bool		needLock;

	for (;;)
	{
		BlockNumber blk = GetFreeIndexPage(index);

		if (blk == InvalidBlockNumber)
			break;
		buf = ReadBuffer(index, blk);
		if (ConditionalLockBuffer(buf))
		{
			if (page_recyclable(BufferGetPage(buf)))
				return buf;
			LockBuffer(buf, BUFFER_LOCK_UNLOCK);
		}
		ReleaseBuffer(buf);
	}
	needLock = !RELATION_IS_LOCAL(index);
	if (needLock)
		LockRelationForExtension(index, ExclusiveLock);
	buf = ReadBuffer(index, P_NEW);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	if (needLock)
		UnlockRelationForExtension(index, ExclusiveLock);
	return buf;
}

void
bm25_read_meta(Relation index, Bm25MetaPageData *meta)
{
	Buffer		buf = ReadBuffer(index, BM25_METAPAGE_BLKNO);
	Page		page;

	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	memcpy(meta, Bm25PageGetMeta(page), sizeof(Bm25MetaPageData));
	UnlockReleaseBuffer(buf);
	if (meta->magic != BM25_MAGIC || meta->version < 1 || meta->version > BM25_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("index \"%s\" is not a valid bm25 index", RelationGetRelationName(index)),
				 errhint("REINDEX the index.")));
}

void
bm25_mark_deleted(Relation index, BlockNumber blk)
{
	Buffer		buf = ReadBuffer(index, blk);
	GenericXLogState *state;
	Page		page;
	Bm25PageOpaque op;
	FullTransactionId fxid = ReadNextFullTransactionId();

	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	op = Bm25PageGetOpaque(page);
	op->flags |= BM25_F_DELETED;
	op->xid_epoch = (uint32) (U64FromFullTransactionId(fxid) >> 32);
	op->xid = (uint32) U64FromFullTransactionId(fxid);
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}

/* Mark the pages of a stream deleted, from first up to (not including) stop. */
void
bm25_free_stream(Relation index, BlockNumber first, BlockNumber stop)
{
	BlockNumber blk = first;

	while (blk != InvalidBlockNumber && blk != stop)
	{
		Buffer		buf = ReadBuffer(index, blk);
		BlockNumber next;

		CHECK_FOR_INTERRUPTS();
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		next = Bm25PageGetOpaque(BufferGetPage(buf))->next;
		UnlockReleaseBuffer(buf);
		bm25_mark_deleted(index, blk);
		blk = next;
	}
}

/* ------------------------------------------------------------ stream writer */

static void
writer_flush(Bm25Writer *w)
{
	GenericXLogState *state;
	Page		page;

	((PageHeader) w->img)->pd_lower = BM25_CONTENTS_OFF + w->used;
	state = GenericXLogStart(w->index);
	page = GenericXLogRegisterBuffer(state, w->buf, GENERIC_XLOG_FULL_IMAGE);
	memcpy(page, w->img, BLCKSZ);
	GenericXLogFinish(state);
}

void
bm25_writer_start(Bm25Writer *w, Relation index)
{
	w->index = index;
	w->buf = bm25_new_buffer(index);
	w->first = BufferGetBlockNumber(w->buf);
	w->img = palloc(BLCKSZ);
	bm25_init_page(w->img, BM25_F_STREAM);
	w->used = 0;
}

Bm25Addr
bm25_writer_pos(Bm25Writer *w)
{
	Bm25Addr	a;

	a.blk = BufferGetBlockNumber(w->buf);
	a.off = w->used;
	return a;
}

void
bm25_write(Bm25Writer *w, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0)
	{
		size_t		n;

		if (w->used == BM25_PAGE_CAP)
		{
			Buffer		nb = bm25_new_buffer(w->index);

			Bm25PageGetOpaque(w->img)->next = BufferGetBlockNumber(nb);
			writer_flush(w);
			UnlockReleaseBuffer(w->buf);
			w->buf = nb;
			bm25_init_page(w->img, BM25_F_STREAM);
			w->used = 0;
			CHECK_FOR_INTERRUPTS();
		}
		n = Min(len, BM25_PAGE_CAP - w->used);
		memcpy(w->img + BM25_CONTENTS_OFF + w->used, p, n);
		w->used += n;
		p += n;
		len -= n;
	}
}

void
bm25_writer_finish(Bm25Writer *w)
{
	writer_flush(w);
	UnlockReleaseBuffer(w->buf);
	w->buf = InvalidBuffer;
	pfree(w->img);
	w->img = NULL;
}

static void
write_vb(Bm25Writer *w, uint32 v)
{
	uint8		b[5];

	bm25_write(w, b, bm25_vb_put(b, v));
}

/* ------------------------------------------------------------ stream reader */

typedef struct ReaderPage
{
	BlockNumber blk;
	BlockNumber next;
	uint32		len;
	char		data[BM25_PAGE_CAP];
} ReaderPage;

/* bytes of content on a bm25 page (pd_lower past the header), at most BM25_PAGE_CAP */
static uint32
page_contents_len(Page page)
{
	uint32		len = ((PageHeader) page)->pd_lower;

	len = len >= BM25_CONTENTS_OFF ? len - BM25_CONTENTS_OFF : 0;
	return len > BM25_PAGE_CAP ? BM25_PAGE_CAP : len;
}

static void
reader_load(Bm25Reader *r, BlockNumber blk)
{
	ReaderPage *rp;
	Buffer		buf;
	Page		page;
	uint32		len;

	if (r->page == NULL)
		r->page = MemoryContextAlloc(r->cxt, sizeof(ReaderPage));
	rp = (ReaderPage *) r->page;
	buf = ReadBuffer(r->index, blk);
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	len = page_contents_len(page);
	rp->blk = blk;
	rp->next = Bm25PageGetOpaque(page)->next;
	rp->len = len;
	memcpy(rp->data, PageGetContents(page), len);
	UnlockReleaseBuffer(buf);
}

void
bm25_reader_init(Bm25Reader *r, Relation index, Bm25Addr at)
{
	r->index = index;
	r->blk = at.blk;
	r->off = at.off;
	/* the page copy is allocated in the caller's context, not in whatever is current later */
	r->page = NULL;
	r->cxt = CurrentMemoryContext;
	r->direct = false;
}

void
bm25_reader_init_direct(Bm25Reader *r, Relation index, Bm25Addr at)
{
	bm25_reader_init(r, index, at);
	r->direct = true;
}

/* is the page the reader is on the one copied? */
static inline bool
reader_on_copy(const Bm25Reader *r)
{
	return r->page != NULL && ((ReaderPage *) r->page)->blk == r->blk && r->blk != InvalidBlockNumber;
}

static bool
reader_ensure(Bm25Reader *r)
{
	ReaderPage *rp;

	if (!reader_on_copy(r))
	{
		if (r->blk == InvalidBlockNumber)
			return false;
		reader_load(r, r->blk);
	}
	rp = (ReaderPage *) r->page;
	while (r->off >= rp->len)
	{
		if (rp->next == InvalidBlockNumber)
			return false;
		r->blk = rp->next;
		r->off = 0;
		reader_load(r, r->blk);
		CHECK_FOR_INTERRUPTS();
	}
	return true;
}

/*
 * bm25_read of a direct reader off its page copy: up to len bytes from the
 * page's buffer into p (NULL: passed over); 0 when the reader is at the
 * page's end, having moved to the next page (false: there is none).
 */
static bool
read_direct(Bm25Reader *r, char *p, size_t len, size_t *got)
{
	Buffer		buf;
	Page		page;
	uint32		plen;
	BlockNumber next;
	size_t		n;

	if (r->blk == InvalidBlockNumber)
		return false;
	buf = ReadBuffer(r->index, r->blk);
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	plen = page_contents_len(page);
	next = Bm25PageGetOpaque(page)->next;
	n = r->off < plen ? Min(len, plen - r->off) : 0;
	if (p != NULL && n > 0)
		memcpy(p, PageGetContents(page) + r->off, n);
	UnlockReleaseBuffer(buf);
	*got = n;
	if (n == 0)
	{
		if (next == InvalidBlockNumber)
			return false;
		r->blk = next;
		r->off = 0;
		CHECK_FOR_INTERRUPTS();
	}
	return true;
}

bool
bm25_read(Bm25Reader *r, void *dst, size_t len)
{
	char	   *p = dst;

	while (len > 0)
	{
		ReaderPage *rp;
		size_t		n;

		if (r->direct && !reader_on_copy(r))
		{
			if (!read_direct(r, p, len, &n))
				return false;
			if (p != NULL)
				p += n;
			r->off += n;
			len -= n;
			continue;
		}
		if (!reader_ensure(r))
			return false;
		rp = (ReaderPage *) r->page;
		n = Min(len, rp->len - r->off);
		if (p)
		{
			memcpy(p, rp->data + r->off, n);
			p += n;
		}
		r->off += n;
		len -= n;
	}
	return true;
}

bool
bm25_read_vb(Bm25Reader *r, uint32 *v)
{
	uint32		x = 0;
	int			shift = 0;

	/* fast path: the whole integer is in the loaded page */
	if (reader_on_copy(r))
	{
		ReaderPage *rp = (ReaderPage *) r->page;

		if (r->off + 5 <= rp->len)
		{
			const uint8 *p = (const uint8 *) rp->data + r->off;

			*v = bm25_vb_get(&p, (const uint8 *) rp->data + rp->len);
			r->off = (uint32) (p - (const uint8 *) rp->data);
			return true;
		}
	}

	for (;;)
	{
		ReaderPage *rp;
		uint8		c;

		if (!reader_ensure(r))
			return false;
		rp = (ReaderPage *) r->page;
		c = (uint8) rp->data[r->off++];
		x |= (uint32) (c & 0x7F) << shift;
		if (!(c & 0x80) || shift >= 28)
			break;
		shift += 7;
	}
	*v = x;
	return true;
}

/*
 * Pass over len bytes: pages passed over whole are not copied, only their
 * length and next link are read.  False at the end of the stream.
 */
bool
bm25_reader_skip(Bm25Reader *r, size_t len)
{

	while (len > 0)
	{
		uint32		plen;
		BlockNumber next;

		CHECK_FOR_INTERRUPTS();
		if (r->blk == InvalidBlockNumber)
			return false;
		if (reader_on_copy(r))
		{
			plen = ((ReaderPage *) r->page)->len;
			next = ((ReaderPage *) r->page)->next;
		}
		else
		{
			Buffer		buf = ReadBuffer(r->index, r->blk);
			Page		page;

			LockBuffer(buf, BUFFER_LOCK_SHARE);
			page = BufferGetPage(buf);
			plen = page_contents_len(page);
			next = Bm25PageGetOpaque(page)->next;
			UnlockReleaseBuffer(buf);
		}
		if (r->off < plen)
		{
			size_t		n = Min(len, plen - r->off);

			r->off += n;
			len -= n;
		}
		if (len == 0)
			break;
		if (next == InvalidBlockNumber)
			return false;
		r->blk = next;
		r->off = 0;
	}
	return true;
}

Bm25Addr
bm25_reader_pos(Bm25Reader *r)
{
	Bm25Addr	a;

	a.blk = r->blk;
	a.off = r->off;
	return a;
}

void
bm25_reader_end(Bm25Reader *r)
{
	if (r->page)
		pfree(r->page);
	r->page = NULL;
}

static bool
addr_eq(Bm25Addr a, Bm25Addr b)
{
	return a.blk == b.blk && a.off == b.off;
}

/* ------------------------------------------------------------ document store */

void
bm25_docs_get(Relation index, const Bm25MetaPageData *meta, uint32 docid, Bm25DocEntry *e)
{
	uint32		pageno = docid / BM25_DOCS_PER_PAGE;
	uint32		dir = pageno / BM25_DIR_PER_PAGE;
	Buffer		buf;
	BlockNumber blk;

	memset(e, 0, sizeof(*e));
	if (docid >= meta->next_docid || dir >= meta->ndocdir)
		return;
	buf = ReadBuffer(index, meta->docdir[dir]);
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	blk = ((BlockNumber *) PageGetContents(BufferGetPage(buf)))[pageno % BM25_DIR_PER_PAGE];
	UnlockReleaseBuffer(buf);
	if (blk == InvalidBlockNumber)
		return;
	buf = ReadBuffer(index, blk);
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	memcpy(e, (Bm25DocEntry *) PageGetContents(BufferGetPage(buf)) + docid % BM25_DOCS_PER_PAGE,
		   sizeof(Bm25DocEntry));
	UnlockReleaseBuffer(buf);
}

/*
 * Store the entry of docid.  The caller holds the metapage exclusively and
 * writes *meta back afterwards (ndocdir/docdir may change here).
 */
void
bm25_docs_put(Relation index, Bm25MetaPageData *meta, uint32 docid, const Bm25DocEntry *e)
{
	uint32		pageno = docid / BM25_DOCS_PER_PAGE;
	uint32		dir = pageno / BM25_DIR_PER_PAGE;
	uint32		slot = pageno % BM25_DIR_PER_PAGE;
	Buffer		dbuf,
				buf;
	BlockNumber blk;
	GenericXLogState *state;
	Page		page;

	if (dir >= meta->ndocdir)
	{
		BlockNumber *slots;
		int			i;

		if (dir >= BM25_MAX_DOCDIR)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("bm25 index \"%s\" holds too many documents", RelationGetRelationName(index)),
					 errhint("VACUUM and REINDEX the index.")));
		dbuf = bm25_new_buffer(index);
		state = GenericXLogStart(index);
		page = GenericXLogRegisterBuffer(state, dbuf, GENERIC_XLOG_FULL_IMAGE);
		bm25_init_page(page, BM25_F_DIR);
		slots = (BlockNumber *) PageGetContents(page);
		for (i = 0; i < BM25_DIR_PER_PAGE; i++)
			slots[i] = InvalidBlockNumber;
		((PageHeader) page)->pd_lower = BM25_CONTENTS_OFF + BM25_DIR_PER_PAGE * sizeof(BlockNumber);
		GenericXLogFinish(state);
		meta->docdir[meta->ndocdir++] = BufferGetBlockNumber(dbuf);
		UnlockReleaseBuffer(dbuf);
	}
	dbuf = ReadBuffer(index, meta->docdir[dir]);
	LockBuffer(dbuf, BUFFER_LOCK_EXCLUSIVE);
	blk = ((BlockNumber *) PageGetContents(BufferGetPage(dbuf)))[slot];
	if (blk == InvalidBlockNumber)
	{
		buf = bm25_new_buffer(index);
		state = GenericXLogStart(index);
		page = GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE);
		bm25_init_page(page, BM25_F_DOCS);
		((PageHeader) page)->pd_lower = BM25_CONTENTS_OFF + BM25_DOCS_PER_PAGE * sizeof(Bm25DocEntry);
		memset(PageGetContents(page), 0, BM25_DOCS_PER_PAGE * sizeof(Bm25DocEntry));
		memcpy((Bm25DocEntry *) PageGetContents(page) + docid % BM25_DOCS_PER_PAGE, e, sizeof(*e));
		page = GenericXLogRegisterBuffer(state, dbuf, 0);
		((BlockNumber *) PageGetContents(page))[slot] = BufferGetBlockNumber(buf);
		GenericXLogFinish(state);
		UnlockReleaseBuffer(buf);
		UnlockReleaseBuffer(dbuf);
		return;
	}
	UnlockReleaseBuffer(dbuf);
	buf = ReadBuffer(index, blk);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	memcpy((Bm25DocEntry *) PageGetContents(page) + docid % BM25_DOCS_PER_PAGE, e, sizeof(*e));
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}

/* ------------------------------------------------------------ pending list */

/*
 * Append one record (length word + bytes) at the pending tail.  The caller
 * holds the metapage exclusively and writes *meta back afterwards; nothing
 * written here is visible before that.
 */
void
bm25_pending_append(Relation index, Bm25MetaPageData *meta, const void *rec, uint32 len)
{
	char	   *data = palloc(len + 4);
	const char *p = data;
	size_t		left = len + 4;

	memcpy(data, &len, 4);
	memcpy(data + 4, rec, len);
	if (meta->pending_tail.blk == InvalidBlockNumber)
	{
		Buffer		buf = bm25_new_buffer(index);
		GenericXLogState *state = GenericXLogStart(index);
		Page		page = GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE);

		bm25_init_page(page, BM25_F_STREAM);
		GenericXLogFinish(state);
		meta->pending_head.blk = meta->pending_tail.blk = BufferGetBlockNumber(buf);
		meta->pending_head.off = meta->pending_tail.off = 0;
		UnlockReleaseBuffer(buf);
	}
	while (left > 0)
	{
		Buffer		buf = ReadBuffer(index, meta->pending_tail.blk);
		GenericXLogState *state;
		Page		page;
		size_t		n = Min(left, BM25_PAGE_CAP - meta->pending_tail.off);

		CHECK_FOR_INTERRUPTS();
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(index);
		page = GenericXLogRegisterBuffer(state, buf, 0);
		memcpy(PageGetContents(page) + meta->pending_tail.off, p, n);
		((PageHeader) page)->pd_lower = BM25_CONTENTS_OFF + meta->pending_tail.off + n;
		meta->pending_tail.off += n;
		p += n;
		left -= n;
		if (left > 0)
		{
			Buffer		nb = bm25_new_buffer(index);
			Page		np = GenericXLogRegisterBuffer(state, nb, GENERIC_XLOG_FULL_IMAGE);

			bm25_init_page(np, BM25_F_STREAM);
			Bm25PageGetOpaque(page)->next = BufferGetBlockNumber(nb);
			GenericXLogFinish(state);
			UnlockReleaseBuffer(buf);
			meta->pending_tail.blk = BufferGetBlockNumber(nb);
			meta->pending_tail.off = 0;
			UnlockReleaseBuffer(nb);
		}
		else
		{
			GenericXLogFinish(state);
			UnlockReleaseBuffer(buf);
		}
	}
	pfree(data);
}

/* Call fn for every pending record between head and tail (raw bytes). */
void
bm25_pending_foreach_raw(Relation index, Bm25Addr head, Bm25Addr tail,
						 void (*fn) (const uint8 *rec, size_t len, void *arg), void *arg)
{
	Bm25Reader r;
	uint8	   *rec = NULL;
	uint32		cap = 0;

	if (head.blk == InvalidBlockNumber || addr_eq(head, tail))
		return;
	bm25_reader_init(&r, index, head);
	while (!addr_eq(bm25_reader_pos(&r), tail))
	{
		uint32		len;

		CHECK_FOR_INTERRUPTS();
		if (!bm25_read(&r, &len, 4))
			goto corrupt;
		if (len + 1 > cap)
		{
			cap = Max(len + 1, cap * 2);
			if (rec)
				pfree(rec);
			rec = palloc_extended(cap, MCXT_ALLOC_HUGE);
		}
		if (!bm25_read(&r, rec, len))
			goto corrupt;
		fn(rec, len, arg);
		/* the reader reached the tail when pos equals it (maybe at a page end) */
		if (r.blk == tail.blk && r.off > tail.off)
			goto corrupt;
	}
	bm25_reader_end(&r);
	if (rec)
		pfree(rec);
	return;
corrupt:
	bm25_pending_corrupt(index);
}

void
bm25_pending_corrupt(Relation index)
{
	ereport(ERROR,
			(errcode(ERRCODE_INDEX_CORRUPTED),
			 errmsg("bm25 index \"%s\" has a corrupt pending list", RelationGetRelationName(index)),
			 errhint("REINDEX the index.")));
}

typedef struct DecodeArg
{
	Relation	index;
	void		(*fn) (uint32 docid, const bm25_doc *doc, void *arg);
	void	   *arg;
	MemoryContext tmp;
} DecodeArg;

static void
decode_one(const uint8 *rec, size_t len, void *arg)
{
	DecodeArg  *da = arg;
	MemoryContext old = MemoryContextSwitchTo(da->tmp);
	uint32		docid;
	bm25_doc	doc;

	if (!bm25_doc_decode(rec, len, &docid, &doc))
		bm25_pending_corrupt(da->index);
	MemoryContextSwitchTo(old);
	da->fn(docid, &doc, da->arg);
	MemoryContextReset(da->tmp);
}

/* Call fn for every pending document between head and tail. */
void
bm25_pending_foreach(Relation index, Bm25Addr head, Bm25Addr tail,
					 void (*fn) (uint32 docid, const bm25_doc *doc, void *arg), void *arg)
{
	DecodeArg	da;

	da.index = index;
	da.fn = fn;
	da.arg = arg;
	da.tmp = AllocSetContextCreate(CurrentMemoryContext, "bm25 pending", ALLOCSET_DEFAULT_SIZES);
	bm25_pending_foreach_raw(index, head, tail, decode_one, &da);
	MemoryContextDelete(da.tmp);
}

/* ------------------------------------------------------------ analysis */

void
bm25_datum_body(Datum value, Oid typid, const char **s, int *len)
{
	if (typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID)
	{
		text	   *t = DatumGetTextPP(value);

		*s = VARDATA_ANY(t);
		*len = VARSIZE_ANY_EXHDR(t);
	}
	else
	{
		Turn	   *t = DatumGetTurnP(value);

		*s = TURN_BODY(t);
		*len = TURN_BODY_LEN(t);
	}
}

static inline uint32
body_text_hash(const char *s, int len)
{
	return hash_bytes((const unsigned char *) s, len) ^ (uint32) len;
}

/* hash of the indexed text: lets the operator recognise a row a scan just returned */
uint32
bm25_body_hash(Datum value, Oid typid)
{
	const char *s;
	int			len;

	bm25_datum_body(value, typid, &s, &len);
	return body_text_hash(s, len);
}

#define BM25_ANALYZE_CHUNK (1024 * 1024)

/*
 * The next piece of a long text to analyse (of n bytes left at s): all of it
 * up to BM25_ANALYZE_CHUNK bytes, else cut at white space (or, with none in
 * the second half, at a character boundary).  Word positions continue from
 * piece to piece, so the cut changes nothing the index holds.
 */
static int
analyze_chunk_len(const char *s, int n)
{
	int			cut;

	if (n <= BM25_ANALYZE_CHUNK)
		return n;
	cut = BM25_ANALYZE_CHUNK;
	while (cut > BM25_ANALYZE_CHUNK / 2 && !isspace((unsigned char) s[cut]))
		cut--;
	if (cut <= BM25_ANALYZE_CHUNK / 2)
	{
		/* no space: cut at a character boundary */
		cut = BM25_ANALYZE_CHUNK;
		while (cut > 0 && ((unsigned char) s[cut] & 0xC0) == 0x80)
			cut--;
	}
	return cut;
}

/*
 * Analyse text into a document.  Long texts are analysed in chunks cut at
 * white space so that the analyser's per-token memory stays bounded, and the
 * document is built incrementally (one position per token plus the distinct
 * lexemes); word positions continue across chunks.  Everything is allocated
 * in the current memory context.
 */
void
bm25_analyze_text(Oid config, const char *s, int len, bm25_doc *doc)
{
	int			off = 0;
	int32		posbase = 0;
	MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "bm25 analyze", ALLOCSET_DEFAULT_SIZES);
	bm25_docb  *b = bm25_docb_create();
	int			i;

	while (off < len)
	{
		int			n = len - off;
		TxAnalysis	an;
		MemoryContext old;
		int32		lastpos = posbase;

		CHECK_FOR_INTERRUPTS();
		n = analyze_chunk_len(s + off, n);
		old = MemoryContextSwitchTo(tmp);
		tx_analyze(config, s + off, n, &an);
		MemoryContextSwitchTo(old);
		for (i = 0; i < an.ntokens; i++)
		{
			TxToken    *t = &an.tokens[i];

			if (t->pos + posbase > lastpos)
				lastpos = t->pos + posbase;
			if (t->lexeme != NULL && t->lexlen > 0)
				bm25_docb_add(b, t->lexeme, t->lexlen, (uint32) (t->pos + posbase));
		}
		posbase = lastpos;
		MemoryContextReset(tmp);
		off += n;
	}
	MemoryContextDelete(tmp);
	/* the document points into the builder, which lives as long as the context */
	bm25_docb_finish(b, doc);
}

/* tx_analyze_scan_all's callbacks for bm25_acc_add_datum */
typedef struct AccFeed
{
	bm25_acc   *acc;
	MemoryContext acccx;
	uint32		posbase;		/* positions of the pieces before this one */
	uint32		lastpos;
} AccFeed;

static uint32
feed_classify(const char *lexemes, int nlex, void *arg)
{
	AccFeed    *f = arg;
	MemoryContext old = MemoryContextSwitchTo(f->acccx);
	uint32		code = bm25_acc_code(f->acc, lexemes, nlex);

	MemoryContextSwitchTo(old);
	return code;
}

static void
feed_emit(int32 start, int32 end, int32 pos, uint32 mask, void *arg)
{
	AccFeed    *f = arg;
	uint32		p = (uint32) pos + f->posbase;

	if (p > f->lastpos)
		f->lastpos = p;
	if (mask != 0)
		bm25_acc_doc_add(f->acc, mask, p);
}

/*
 * Analyse an indexed value straight into an accumulator (in memory context
 * acccx) as document docid, the build's way: the same postings as
 * bm25_analyze_datum and bm25_acc_add, without the document in between.
 * Each token text's term codes are kept in the lexeme cache under *stamp,
 * which the caller sets to 0 whenever it starts a new accumulator.  Returns
 * the document's length; *hash gets bm25_body_hash of the value.
 */
uint32
bm25_acc_add_datum(bm25_acc *acc, MemoryContext acccx, uint32 *stamp, Oid config,
				   Datum value, Oid typid, uint32 docid, uint32 *hash)
{
	const char *s;
	int			len;
	int			off = 0;
	AccFeed		f;
	MemoryContext old;
	uint32		dl;

	bm25_datum_body(value, typid, &s, &len);
	*hash = body_text_hash(s, len);
	if (*stamp == 0)
		*stamp = tx_lexcache_new_stamp();
	f.acc = acc;
	f.acccx = acccx;
	f.posbase = 0;
	f.lastpos = 0;
	bm25_acc_doc_begin(acc, docid);
	while (off < len)
	{
		int			n = analyze_chunk_len(s + off, len - off);

		CHECK_FOR_INTERRUPTS();
		tx_analyze_scan_all(config, s + off, n, *stamp, feed_classify, &f, feed_emit, &f);
		f.posbase = f.lastpos;
		off += n;
	}
	old = MemoryContextSwitchTo(acccx);
	dl = bm25_acc_doc_end(acc);
	MemoryContextSwitchTo(old);
	return dl;
}

void
bm25_analyze_datum(Oid config, Datum value, Oid typid, bm25_doc *doc)
{
	const char *s;
	int			len;

	bm25_datum_body(value, typid, &s, &len);
	bm25_analyze_text(config, s, len, doc);
}

/* ------------------------------------------------------------ segment writing */

typedef struct SegWriter
{
	Bm25Writer	post;
	Bm25Writer	dict;
	Bm25Writer	skip;
	uint32		nterms;
	uint32		nskip;
	uint32		skip_bytes;
	uint32		min_docid;
	uint32		max_docid;
	tx_buf		tmp;
} SegWriter;

static void
segw_start(SegWriter *sw, Relation index)
{
	memset(sw, 0, sizeof(*sw));
	bm25_writer_start(&sw->post, index);
	bm25_writer_start(&sw->dict, index);
	bm25_writer_start(&sw->skip, index);
	sw->min_docid = BM25_DOCID_END;
	tx_buf_init(&sw->tmp, 1024);
}

/* add one term with its encoded posting list (sw->tmp if plist is NULL) */
static void
segw_add(SegWriter *sw, const char *term, int len, const uint8 *plist, size_t plen)
{
	Bm25Addr	pa = bm25_writer_pos(&sw->post);
	bm25_plist_hdr h;

	if (!bm25_plist_read_hdr(plist, plen, &h))
		elog(ERROR, "bm25: malformed posting list while writing a segment");
	if (h.ndocs == 0)
		return;
	if (sw->nterms % BM25_SKIP_EVERY == 0)
	{
		Bm25Addr	da = bm25_writer_pos(&sw->dict);
		uint8		b[15];
		size_t		n = 0;

		n += bm25_vb_put(b + n, (uint32) len);
		bm25_write(&sw->skip, b, n);
		bm25_write(&sw->skip, term, len);
		sw->skip_bytes += n + len;
		n = bm25_vb_put(b, da.blk);
		n += bm25_vb_put(b + n, da.off);
		bm25_write(&sw->skip, b, n);
		sw->skip_bytes += n;
		sw->nskip++;
	}
	bm25_write(&sw->post, plist, plen);
	write_vb(&sw->dict, (uint32) len);
	bm25_write(&sw->dict, term, len);
	write_vb(&sw->dict, h.ndocs);
	write_vb(&sw->dict, pa.blk);
	write_vb(&sw->dict, pa.off);
	sw->nterms++;
	/* first and last docid: the first block starts after 0, the last block header has the last */
	{
		const uint8 *hdrs = plist + BM25_PLIST_HDR_SIZE + h.dense_len;
		const uint8 *p = hdrs + (size_t) h.nblocks * BM25_BLOCK_HDR_SIZE;
		uint32		first = bm25_vb_get(&p, plist + plen);
		uint32		last;

		memcpy(&last, hdrs + (size_t) (h.nblocks - 1) * BM25_BLOCK_HDR_SIZE, 4);
		if (first < sw->min_docid)
			sw->min_docid = first;
		if (last > sw->max_docid)
			sw->max_docid = last;
	}
}

static void
segw_finish(SegWriter *sw, Bm25Segment *seg)
{
	seg->post = sw->post.first;
	seg->dict = sw->dict.first;
	seg->skip = sw->skip.first;
	bm25_writer_finish(&sw->post);
	bm25_writer_finish(&sw->dict);
	bm25_writer_finish(&sw->skip);
	seg->nterms = sw->nterms;
	seg->nskip = sw->nskip;
	seg->skip_bytes = sw->skip_bytes;
	seg->min_docid = sw->nterms ? sw->min_docid : 0;
	seg->max_docid = sw->max_docid;
	tx_buf_free(&sw->tmp);
}

static void
free_segment(Relation index, const Bm25Segment *seg)
{
	bm25_free_stream(index, seg->post, InvalidBlockNumber);
	bm25_free_stream(index, seg->dict, InvalidBlockNumber);
	bm25_free_stream(index, seg->skip, InvalidBlockNumber);
}

void
bm25_write_acc_segment(Relation index, bm25_acc *acc, Bm25Segment *seg, uint32 segid)
{
	SegWriter	sw;
	int			i;

	bm25_acc_sort(acc);
	segw_start(&sw, index);
	for (i = 0; i < bm25_acc_nterms(acc); i++)
	{
		int			len;
		uint32		df;
		const char *term = bm25_acc_term(acc, i, &len, &df);

		CHECK_FOR_INTERRUPTS();
		tx_buf_reset(&sw.tmp);
		/* only builds write batches this way: always a current-version index */
		bm25_acc_encode(acc, i, true, &sw.tmp);
		segw_add(&sw, term, len, (uint8 *) sw.tmp.data, sw.tmp.len);
	}
	seg->ndocs = bm25_acc_ndocs(acc);
	segw_finish(&sw, seg);
	seg->segid = segid;
}

/* a segment written term by term (the parallel build's merge) */
struct Bm25SegBuild
{
	SegWriter	sw;
	uint32		ndocs;
};

Bm25SegBuild *
bm25_segbuild_start(Relation index)
{
	Bm25SegBuild *sb = palloc0(sizeof(Bm25SegBuild));

	segw_start(&sb->sw, index);
	return sb;
}

void
bm25_segbuild_add(Bm25SegBuild *sb, const char *term, int len, const uint8 *plist, size_t plen)
{
	segw_add(&sb->sw, term, len, plist, plen);
}

void
bm25_segbuild_finish(Bm25SegBuild *sb, Bm25Segment *seg, uint32 ndocs, uint32 segid)
{
	segw_finish(&sb->sw, seg);
	seg->ndocs = ndocs;
	seg->segid = segid;
	pfree(sb);
}

/* ------------------------------------------------------------ segment lookup */

/*
 * Skip indexes are immutable, so a backend keeps the last few it parsed,
 * keyed by the index's relfilenode and the segment id.
 */
#define SKIP_CACHE_SIZE 16

typedef struct SkipCacheEntry
{
	Oid			relnode;			/* InvalidOid: not found again */
	Oid			dbnode;
	Oid			relid;
	uint32		segid;
	uint64		used;
	MemoryContext cx;
	Bm25SkipCache sc;
} SkipCacheEntry;

static SkipCacheEntry skip_cache[SKIP_CACHE_SIZE];
static uint64 skip_clock = 0;

static void
skip_parse(Relation index, const Bm25Segment *seg, Bm25SkipCache *sc)
{
	Bm25Reader r;
	Bm25Addr	at = {seg->skip, 0};
	uint8	   *buf = palloc(seg->skip_bytes + 1);
	const uint8 *p = buf,
			   *end = buf + seg->skip_bytes;
	uint32		i;

	bm25_reader_init_direct(&r, index, at);
	if (!bm25_read(&r, buf, seg->skip_bytes))
		BM25_CORRUPT("skip index");
	bm25_reader_end(&r);
	sc->n = (int) seg->nskip;
	sc->terms = palloc(sizeof(char *) * (seg->nskip + 1));
	sc->lens = palloc(sizeof(int) * (seg->nskip + 1));
	sc->addrs = palloc(sizeof(Bm25Addr) * (seg->nskip + 1));
	for (i = 0; i < seg->nskip; i++)
	{
		uint32		len = bm25_vb_get(&p, end);

		if (len > BM25_MAX_TERM_LEN || (size_t) (end - p) < len)
			BM25_CORRUPT("skip index");
		sc->terms[i] = (char *) p;
		sc->lens[i] = (int) len;
		p += len;
		sc->addrs[i].blk = bm25_vb_get(&p, end);
		sc->addrs[i].off = bm25_vb_get(&p, end);
	}
}

Bm25SkipCache *
bm25_skip_get(Relation index, const Bm25Segment *seg)
{
	SkipCacheEntry *e = NULL;
	MemoryContext old;
	int			i;

	for (i = 0; i < SKIP_CACHE_SIZE; i++)
	{
		SkipCacheEntry *x = &skip_cache[i];

		if (x->cx && x->relnode == index->rd_node.relNode && x->dbnode == index->rd_node.dbNode &&
			x->relid == RelationGetRelid(index) && x->segid == seg->segid)
		{
			x->used = ++skip_clock;
			return &x->sc;
		}
		if (e == NULL || x->used < e->used)
			e = x;
	}
	if (e->cx == NULL)
		e->cx = AllocSetContextCreate(TopMemoryContext, "bm25 skip cache", ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(e->cx);
	e->relnode = InvalidOid;
	e->sc.cx = e->cx;
	e->sc.memo = NULL;			/* it was in the memory just reset */
	old = MemoryContextSwitchTo(e->cx);
	skip_parse(index, seg, &e->sc);
	MemoryContextSwitchTo(old);
	e->relnode = index->rd_node.relNode;
	e->dbnode = index->rd_node.dbNode;
	e->relid = RelationGetRelid(index);
	e->segid = seg->segid;
	e->used = ++skip_clock;
	return &e->sc;
}

/*
 * Entries of index relid (InvalidOid: all) are not found again; their memory
 * is reset when the entry is taken for another segment (a lookup still
 * using one has it until then).
 */
void
bm25_skip_cache_inval(Oid relid)
{
	int			i;

	for (i = 0; i < SKIP_CACHE_SIZE; i++)
		if (!OidIsValid(relid) || skip_cache[i].relid == relid)
		{
			skip_cache[i].relnode = InvalidOid;
			skip_cache[i].used = 0;	/* the first taken again */
		}
}

static bool
has_prefix(const char *s, int len, const char *prefix, int plen)
{
	return len >= plen && memcmp(s, prefix, plen) == 0;
}

/*
 * What exact lookups in a segment found, kept with its skip index (a
 * segment never changes): a query's words are looked up again by the next
 * query, and a lookup reads and compares up to a skip interval of
 * dictionary entries.  One slot per hash of the word, overwritten; words
 * longer than TERM_MEMO_LEN are not kept.
 */
#define TERM_MEMO_SLOTS 1024
#define TERM_MEMO_LEN 32

typedef struct Bm25TermMemo
{
	uint8		len;			/* 0: empty slot */
	bool		found;
	char		term[TERM_MEMO_LEN];
	Bm25TermInfo info;
} Bm25TermMemo;

static Bm25TermMemo *
term_memo_slot(Bm25SkipCache *sc, const char *term, int len)
{
	if (len <= 0 || len > TERM_MEMO_LEN || sc->cx == NULL)
		return NULL;
	if (sc->memo == NULL)
		sc->memo = MemoryContextAllocZero(sc->cx, sizeof(Bm25TermMemo) * TERM_MEMO_SLOTS);
	return &sc->memo[hash_bytes((const unsigned char *) term, len) % TERM_MEMO_SLOTS];
}

int
bm25_segment_lookup(Relation index, const Bm25Segment *seg, Bm25SkipCache *sc,
					const char *term, int len, bool prefix,
					Bm25TermInfo *out, char **out_terms, int max)
{
	int			lo = 0,
				hi = sc->n - 1,
				start = 0,
				found = 0;
	Bm25Reader r;
	char		buf[BM25_MAX_TERM_LEN + 1];
	Bm25TermMemo *memo = NULL;

	if (sc->n == 0)
		return 0;
	if (!prefix)
	{
		memo = term_memo_slot(sc, term, len);
		if (memo != NULL && memo->len == len && memcmp(memo->term, term, len) == 0)
		{
			if (!memo->found)
				return 0;
			out[0] = memo->info;
			return 1;
		}
	}
	/* last skip entry < term (<= for exact) */
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = bm25_term_cmp(sc->terms[mid], sc->lens[mid], term, len);

		if (c < 0 || (c == 0 && !prefix))
		{
			start = mid;
			lo = mid + 1;
		}
		else
			hi = mid - 1;
	}
	bm25_reader_init(&r, index, sc->addrs[start]);
	for (;;)
	{
		uint32		tlen,
					df;
		Bm25Addr	a;
		int			c;

		if (!bm25_read_vb(&r, &tlen))
			break;
		if (tlen > BM25_MAX_TERM_LEN || !bm25_read(&r, buf, tlen) || !bm25_read_vb(&r, &df) ||
			!bm25_read_vb(&r, &a.blk) || !bm25_read_vb(&r, &a.off))
			BM25_CORRUPT("dictionary");
		c = bm25_term_cmp(buf, (int) tlen, term, len);
		if (prefix)
		{
			if (has_prefix(buf, (int) tlen, term, len))
			{
				if (found < max)
				{
					out[found].df = df;
					out[found].post = a;
					if (out_terms)
					{
						out_terms[found] = palloc(tlen + 1);
						memcpy(out_terms[found], buf, tlen);
						out_terms[found][tlen] = '\0';
					}
					found++;
				}
				else
					break;
			}
			else if (c > 0)
				break;
		}
		else
		{
			if (c == 0)
			{
				out[0].df = df;
				out[0].post = a;
				found = 1;
				break;
			}
			if (c > 0)
				break;
		}
	}
	bm25_reader_end(&r);
	if (memo != NULL)
	{
		memo->len = (uint8) len;
		memcpy(memo->term, term, len);
		memo->found = found > 0;
		if (found > 0)
			memo->info = out[0];
	}
	return found;
}

/* ------------------------------------------------------------ merging */

typedef struct MergeSource
{
	/* a segment's dictionary, or a sorted in-memory batch */
	Bm25Reader dict;
	uint32		left;
	bm25_acc   *acc;
	int			acc_i;
	/* current term */
	bool		valid;
	char		term[BM25_MAX_TERM_LEN + 1];
	int			len;
	Bm25Addr	post;
} MergeSource;

static void
source_next(MergeSource *s)
{
	if (s->acc)
	{
		uint32		df;
		const char *t;

		if (s->acc_i >= bm25_acc_nterms(s->acc))
		{
			s->valid = false;
			return;
		}
		t = bm25_acc_term(s->acc, s->acc_i, &s->len, &df);
		memcpy(s->term, t, s->len);
		s->valid = true;
		return;
	}
	if (s->left == 0)
	{
		s->valid = false;
		return;
	}
	{
		uint32		tlen,
					df;

		if (!bm25_read_vb(&s->dict, &tlen) || tlen > BM25_MAX_TERM_LEN ||
			!bm25_read(&s->dict, s->term, tlen) || !bm25_read_vb(&s->dict, &df) ||
			!bm25_read_vb(&s->dict, &s->post.blk) || !bm25_read_vb(&s->dict, &s->post.off))
			BM25_CORRUPT("dictionary");
		s->len = (int) tlen;
		s->left--;
		s->valid = true;
	}
}

/* read a whole posting list (scoring part and positions) at addr into buf */
static void
read_plist(Relation index, Bm25Addr at, tx_buf *buf)
{
	Bm25Reader r;
	uint8		hdr[BM25_PLIST_HDR_SIZE];
	bm25_plist_hdr h;
	size_t		total;

	bm25_reader_init_direct(&r, index, at);
	if (!bm25_read(&r, hdr, sizeof(hdr)) || !bm25_plist_read_hdr(hdr, sizeof(hdr), &h))
		BM25_CORRUPT("posting list");
	if (h.dense)
	{
		/* the dense section's length follows the header */
		if (!bm25_read(&r, &h.dense_len, 4) || h.dense_len < BM25_DENSE_HDR_SIZE || h.dense_len > 0x40000000)
			BM25_CORRUPT("posting list");
	}
	total = bm25_plist_total_len(&h);
	tx_buf_reset(buf);
	tx_buf_reserve(buf, total);
	memcpy(buf->data, hdr, sizeof(hdr));
	if (h.dense)
		memcpy(buf->data + sizeof(hdr), &h.dense_len, 4);
	if (!bm25_read(&r, buf->data + sizeof(hdr) + (h.dense ? 4 : 0), total - sizeof(hdr) - (h.dense ? 4 : 0)))
		BM25_CORRUPT("posting list");
	buf->len = total;
	bm25_reader_end(&r);
}

static bool
is_dead(const uint32 *dead, int ndead, uint32 docid)
{
	int			lo = 0,
				hi = ndead - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (dead[mid] == docid)
			return true;
		if (dead[mid] < docid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* append the live docs of one encoded posting list to the writer */
static void
copy_plist(bm25_plist_writer *pw, const uint8 *data, size_t len, const uint32 *dead, int ndead)
{
	bm25_cursor c;

	if (!bm25_cursor_init(&c, data, len, 1.0, 0))
		BM25_CORRUPT("posting list");
	c.pos = data + bm25_plist_scoring_len(&c.h);
	while (c.docid != BM25_DOCID_END)
	{
		uint32		d = c.docid;

		CHECK_FOR_INTERRUPTS();
		if (ndead == 0 || !is_dead(dead, ndead, d))
		{
			int			np;
			const uint32 *pos = bm25_cursor_positions(&c, &np);

			if (pos == NULL || np != (int) bm25_cursor_tf(&c))
				BM25_CORRUPT("positions");
			bm25_pw_add(pw, d, bm25_cursor_tf(&c), bm25_cursor_dl(&c), pos);
		}
		bm25_cursor_seek(&c, d + 1);
	}
	bm25_cursor_free(&c);
}

typedef struct PendingAccArg
{
	bm25_acc   *acc;
	const uint32 *dead;
	int			ndead;
	uint32		ndocs;
} PendingAccArg;

static void
pending_to_acc(uint32 docid, const bm25_doc *doc, void *arg)
{
	PendingAccArg *a = arg;

	if (a->ndead > 0 && is_dead(a->dead, a->ndead, docid))
		return;
	bm25_acc_add(a->acc, docid, doc);
}

/*
 * Merge into one new segment: the segments from from_seg on (the newest
 * ones; BM25_NO_SEGMENTS for none) and/or the pending list
 * (include_pending), dropping the sorted docids in dead.  The
 * caller holds the merge lock (LockPage of the metapage block), so nobody
 * else changes the segment list; inserts go on appending to the pending list.
 * Returns false when there was nothing to do.
 */
bool
bm25_merge(Relation index, int from_seg, bool include_pending, const uint32 *dead, int ndead)
{
	Bm25MetaPageData snap;
	MergeSource *src;
	int			nsrc = 0,
				i;
	SegWriter	sw;
	Bm25Segment newseg;
	bm25_plist_writer pw;
	tx_buf		pl,
				enc;
	bm25_acc   *acc = NULL;
	MemoryContext mcx,
				old;
	Buffer		mbuf;
	GenericXLogState *state;
	Bm25MetaPage meta;
	bool		pending_nonempty;
	bool		all_segments;

	bm25_read_meta(index, &snap);
	if (from_seg < 0)
		from_seg = 0;
	all_segments = from_seg < (int) snap.nsegments;
	pending_nonempty = include_pending && snap.pending_head.blk != InvalidBlockNumber &&
		!addr_eq(snap.pending_head, snap.pending_tail);
	if (!pending_nonempty && (!all_segments || (snap.nsegments - from_seg == 1 && ndead == 0)))
		return false;

	mcx = AllocSetContextCreate(CurrentMemoryContext, "bm25 merge", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(mcx);
	src = palloc0(sizeof(MergeSource) * (BM25_MAX_SEGMENTS + 1));
	if (all_segments)
		for (i = from_seg; i < (int) snap.nsegments; i++)
		{
			Bm25Addr	at = {snap.segments[i].dict, 0};

			bm25_reader_init(&src[nsrc].dict, index, at);
			src[nsrc].left = snap.segments[i].nterms;
			source_next(&src[nsrc]);
			nsrc++;
		}
	if (pending_nonempty)
	{
		PendingAccArg a;

		acc = bm25_acc_create();
		a.acc = acc;
		a.dead = dead;
		a.ndead = ndead;
		bm25_pending_foreach(index, snap.pending_head, snap.pending_tail, pending_to_acc, &a);
		bm25_acc_sort(acc);
		src[nsrc].acc = acc;
		source_next(&src[nsrc]);
		nsrc++;
	}

	segw_start(&sw, index);
	bm25_pw_init(&pw);
	/* an index of an earlier version gets no dense sections (it may go back to that version) */
	pw.dense = snap.version >= BM25_VERSION_DENSE;
	tx_buf_init(&pl, 1024);
	tx_buf_init(&enc, 1024);
	newseg.ndocs = 0;
	for (;;)
	{
		int			best = -1;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < nsrc; i++)
			if (src[i].valid &&
				(best < 0 || bm25_term_cmp(src[i].term, src[i].len, src[best].term, src[best].len) < 0))
				best = i;
		if (best < 0)
			break;
		/* sources are in docid order: segments oldest first, pending last */
		{
			char		term[BM25_MAX_TERM_LEN + 1];
			int			len = src[best].len;

			memcpy(term, src[best].term, len);
			for (i = 0; i < nsrc; i++)
			{
				if (!src[i].valid || bm25_term_cmp(src[i].term, src[i].len, term, len) != 0)
					continue;
				if (src[i].acc)
				{
					tx_buf_reset(&pl);
					bm25_acc_encode(src[i].acc, src[i].acc_i, false, &pl);
					src[i].acc_i++;
				}
				else
					read_plist(index, src[i].post, &pl);
				copy_plist(&pw, (uint8 *) pl.data, pl.len, dead, ndead);
				source_next(&src[i]);
			}
			tx_buf_reset(&enc);
			bm25_pw_finish(&pw, &enc);
			segw_add(&sw, term, len, (uint8 *) enc.data, enc.len);
		}
	}
	for (i = 0; i < nsrc; i++)
		if (!src[i].acc)
			bm25_reader_end(&src[i].dict);
	segw_finish(&sw, &newseg);
	if (all_segments)
		for (i = from_seg; i < (int) snap.nsegments; i++)
			newseg.ndocs += snap.segments[i].ndocs;
	if (acc)
		newseg.ndocs += bm25_acc_ndocs(acc);

	/* publish */
	mbuf = ReadBuffer(index, BM25_METAPAGE_BLKNO);
	LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	meta = Bm25PageGetMeta(GenericXLogRegisterBuffer(state, mbuf, 0));
	newseg.segid = meta->next_segid++;
	if (all_segments)
		meta->nsegments = from_seg;
	if (newseg.nterms > 0)
		meta->segments[meta->nsegments++] = newseg;
	if (pending_nonempty)
	{
		meta->pending_head = snap.pending_tail;
		meta->pending_docs -= snap.pending_docs;
		meta->pending_bytes -= snap.pending_bytes;
	}
	GenericXLogFinish(state);
	UnlockReleaseBuffer(mbuf);

	/* free what was merged */
	if (all_segments)
		for (i = from_seg; i < (int) snap.nsegments; i++)
			free_segment(index, &snap.segments[i]);
	if (newseg.nterms == 0)
		free_segment(index, &newseg);
	if (pending_nonempty)
		bm25_free_stream(index, snap.pending_head.blk, snap.pending_tail.blk);

	bm25_pw_free(&pw);
	if (acc)
		bm25_acc_free(acc);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(mcx);
	return true;
}
