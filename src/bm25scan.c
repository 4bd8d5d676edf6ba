/*
 * bm25scan.c
 *	  Scanning a bm25 index: ORDER BY col <@> query returns rows best-first
 *	  (top-k over the posting lists with block-max MaxScore, refilled with a
 *	  larger k when the executor asks for more), WHERE col @@ query returns
 *	  the matching rows.  Phrase and NEAR queries are checked on the
 *	  positions stored in the index.
 */
#include "transcripts.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "catalog/pg_am_d.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "nodes/tidbitmap.h"
#include "pgstat.h"
#include "utils/inval.h"
#include "utils/memutils.h"

#include "bm25am.h"
#include "bm25query.h"
#include "tquery.h"

#define BM25_FIRST_K	10
#define BM25_K_GROWTH	8
#define BM25_MAX_EXPANSIONS 64	/* index terms per prefix term and segment */

/* ------------------------------------------------------------ query loading */

static bool *required_terms(const Bm25Query *bq);

static int
find_lex(Bm25Query *bq, int term, const char *s, int len)
{
	int			i;

	for (i = 0; i < bq->nlex; i++)
		if (bq->lex[i].term == term && bm25_term_cmp(bq->lex[i].s, bq->lex[i].len, s, len) == 0)
			return i;
	if (bq->nlex == bq->maxlex)
	{
		bq->maxlex *= 2;
		bq->lex = repalloc(bq->lex, sizeof(Bm25Lex) * bq->maxlex);
	}
	bq->lex[bq->nlex].term = term;
	bq->lex[bq->nlex].s = pnstrdup(s, len);
	bq->lex[bq->nlex].len = len;
	bq->lex[bq->nlex].df = 0;
	bq->lex[bq->nlex].w = 0;
	return bq->nlex++;
}

static Bm25Plist *
add_plist(Bm25Source *src, int lex, uint8 *data, size_t len, Bm25Addr pos, const uint8 *inmem_pos)
{
	Bm25Plist  *p;

	if (src->n == src->max)
	{
		src->max = src->max ? src->max * 2 : 8;
		src->pl = src->pl ? repalloc(src->pl, sizeof(Bm25Plist) * src->max)
			: palloc(sizeof(Bm25Plist) * src->max);
	}
	p = &src->pl[src->n++];
	p->lex = lex;
	p->data = data;
	p->len = len;
	p->posaddr = pos;
	p->pos = inmem_pos;
	p->dense_ok = false;
	p->lazy = false;
	p->dense = NULL;
	p->grid = NULL;
	p->denseaddr.blk = InvalidBlockNumber;
	p->denseaddr.off = 0;
	return p;
}

/*
 * Where the block headers of a list with a dense section start: passing over
 * the section walks its pages (tens of kB for a common word), so the address
 * is remembered per backend, keyed like the dense cache below (segments never
 * change).  Replaced round-robin.
 */
#define SKIP_ADDR_CACHE_SIZE 256

/*
 * Where a posting list is, for the per-backend caches: the index's file,
 * the segment (segment ids are never reused in an index) and the list's
 * address.  relnode InvalidOid marks a free cache entry.
 */
typedef struct ListKey
{
	Oid			dbnode;
	Oid			relnode;
	Oid			relid;			/* the index, for bm25_cache_inval */
	uint32		segid;
	Bm25Addr	post;
} ListKey;

static inline ListKey
list_key(Relation index, uint32 segid, Bm25Addr post)
{
	ListKey		k;

	k.dbnode = index->rd_node.dbNode;
	k.relnode = index->rd_node.relNode;
	k.relid = RelationGetRelid(index);
	k.segid = segid;
	k.post = post;
	return k;
}

static inline bool
list_key_eq(const ListKey *a, const ListKey *b)
{
	return a->relnode == b->relnode && a->dbnode == b->dbnode && a->relid == b->relid && a->segid == b->segid &&
		a->post.blk == b->post.blk && a->post.off == b->post.off;
}

typedef struct SkipAddrEntry
{
	ListKey		key;
	Bm25Addr	after;			/* the first byte after the dense section */
} SkipAddrEntry;

static SkipAddrEntry skip_addr_cache[SKIP_ADDR_CACHE_SIZE];
static int	skip_addr_next;

static SkipAddrEntry *
skip_addr_find(Relation index, uint32 segid, Bm25Addr post)
{
	ListKey		k = list_key(index, segid, post);
	int			i;

	for (i = 0; i < SKIP_ADDR_CACHE_SIZE; i++)
	{
		SkipAddrEntry *e = &skip_addr_cache[i];

		if (list_key_eq(&e->key, &k))
			return e;
	}
	return NULL;
}

static void
skip_addr_put(Relation index, uint32 segid, Bm25Addr post, Bm25Addr after)
{
	SkipAddrEntry *e = &skip_addr_cache[skip_addr_next];

	skip_addr_next = (skip_addr_next + 1) % SKIP_ADDR_CACHE_SIZE;
	e->key = list_key(index, segid, post);
	e->after = after;
}

/*
 * Lists with a dense section are read through a per-backend cache: they are
 * the lists of the most common words, segments never change (an entry is
 * keyed by the index's file, the segment and the list's address), and a
 * conjunction of common words would otherwise copy tens of kB per word per
 * query.  An entry holds the list's scoring part whole (header, dense
 * section, block headers, doc section) and the dense section's grid form:
 * a query that finds its list here reads nothing of it from the index.
 * Entries in use by a query (referenced by a Bm25Plist) are not evicted;
 * the references are dropped when the query's memory context goes away.
 */
#define DENSE_CACHE_SIZE 64
#define DENSE_CACHE_BYTES ((Size) 16 * 1024 * 1024)

typedef struct DenseCacheEntry
{
	ListKey		key;			/* relnode InvalidOid: free */
	uint8	   *data;			/* the list's scoring part: header, dense section,
								 * block headers, docs */
	Size		len;
	Bm25Addr	posaddr;		/* where its positions are */
	uint64	   *grid;			/* bm25_dense_grid of its dense section (NULL:
								 * malformed) */
	Size		gridlen;		/* bytes */
	int			refs;
	uint64		used;
	bool		stale;			/* its index changed while a query held it: not
								 * found again, freed when let go */
} DenseCacheEntry;

static DenseCacheEntry dense_cache[DENSE_CACHE_SIZE];
static Size dense_cache_bytes;
static uint64 dense_clock;

/*
 * Buffers for the posting lists a query reads (read_scoring) are kept per
 * backend from query to query.  Allocated and freed with each query's
 * memory, they went back to the system at its end and the next query faulted
 * them in again, page by page: with them kept, an all-words query of three
 * common words took 0.15 ms against 0.21, an any-word query of five 2.8
 * against 3.5 (p50 on the Oyez sample, alternating in one backend).  A
 * query's buffers return to the pool with its QueryHold; the pool keeps at
 * most LISTBUF_KEEP_BYTES in LISTBUF_MAX buffers, and a list larger than a
 * quarter of that is allocated in the query's memory as before.
 */
#define LISTBUF_KEEP_BYTES ((Size) 8 * 1024 * 1024)
#define LISTBUF_MAX 64
#define LISTBUF_MIN ((Size) 8192)

static MemoryContext listbuf_cxt = NULL;
static uint8 *listbuf_free[LISTBUF_MAX];
static Size listbuf_free_size[LISTBUF_MAX];
static int	listbuf_nfree = 0;
static Size listbuf_free_bytes = 0;

/*
 * What a query holds of the per-backend list buffers and dense-section
 * cache, given back when its memory context is reset or deleted (errors
 * included): made once per query, in its memory context.
 */
typedef struct QueryHold
{
	MemoryContextCallback cb;
	int			nbuf;
	int			capbuf;
	uint8	  **buf;			/* list buffers taken from the pool */
	Size	   *bufsize;
	int			dense[DENSE_CACHE_SIZE];	/* dense cache entries referenced */
	int			ndense;
} QueryHold;

static void dense_evict(int i);

static void
query_hold_release(void *arg)
{
	QueryHold  *h = arg;
	int			i;

	for (i = 0; i < h->nbuf; i++)
	{
		if (listbuf_nfree < LISTBUF_MAX && listbuf_free_bytes + h->bufsize[i] <= LISTBUF_KEEP_BYTES)
		{
			listbuf_free[listbuf_nfree] = h->buf[i];
			listbuf_free_size[listbuf_nfree] = h->bufsize[i];
			listbuf_nfree++;
			listbuf_free_bytes += h->bufsize[i];
		}
		else
			pfree(h->buf[i]);
	}
	h->nbuf = 0;
	for (i = 0; i < h->ndense; i++)
	{
		DenseCacheEntry *e = &dense_cache[h->dense[i]];

		if (e->refs > 0)
			e->refs--;
		if (e->refs == 0 && e->stale)
			dense_evict(h->dense[i]);
	}
	h->ndense = 0;
}

static QueryHold *
query_hold_new(void)
{
	QueryHold  *h = palloc0(sizeof(QueryHold));

	h->capbuf = 16;
	h->buf = palloc(sizeof(uint8 *) * h->capbuf);
	h->bufsize = palloc(sizeof(Size) * h->capbuf);
	h->cb.func = query_hold_release;
	h->cb.arg = h;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &h->cb);
	return h;
}

/* len bytes for a list: a pooled buffer (the smallest that fits) or a new one */
static uint8 *
listbuf_get(QueryHold *qh, Size len)
{
	int			best = -1,
				i;
	uint8	   *b;
	Size		size;

	if (len > LISTBUF_KEEP_BYTES / 4)
		return palloc_extended(len, MCXT_ALLOC_HUGE);
	for (i = 0; i < listbuf_nfree; i++)
		if (listbuf_free_size[i] >= len && (best < 0 || listbuf_free_size[i] < listbuf_free_size[best]))
			best = i;
	if (best >= 0)
	{
		b = listbuf_free[best];
		size = listbuf_free_size[best];
		listbuf_free_bytes -= size;
		listbuf_nfree--;
		listbuf_free[best] = listbuf_free[listbuf_nfree];
		listbuf_free_size[best] = listbuf_free_size[listbuf_nfree];
	}
	else
	{
		if (listbuf_cxt == NULL)
			listbuf_cxt = AllocSetContextCreate(TopMemoryContext, "bm25 list buffers",
												ALLOCSET_DEFAULT_SIZES);
		/* powers of two from 8 kB, so that buffers fit later lists */
		size = LISTBUF_MIN;
		while (size < len)
			size *= 2;
		b = MemoryContextAlloc(listbuf_cxt, size);
	}
	if (qh->nbuf == qh->capbuf)
	{
		qh->capbuf *= 2;
		qh->buf = repalloc(qh->buf, sizeof(uint8 *) * qh->capbuf);
		qh->bufsize = repalloc(qh->bufsize, sizeof(Size) * qh->capbuf);
	}
	qh->buf[qh->nbuf] = b;
	qh->bufsize[qh->nbuf] = size;
	qh->nbuf++;
	return b;
}

/*
 * read the scoring part of a posting list (at at, of segment segid); *pos
 * gets the address of its positions.  A dense section is passed over (its address in *denseaddr,
 * read_dense reads it).  With want_dense and a dense section, the doc
 * section is left unread too (*lazy, its address in *docaddr, *pos invalid):
 * a conjunction probes the dense section and reads the docs only if it must.
 */
static uint8 *
read_scoring(Relation index, uint32 segid, Bm25Addr at, size_t *len, Bm25Addr *pos,
			 bool want_dense, bool *lazy, Bm25Addr *docaddr, Bm25Addr *denseaddr, QueryHold *qh)
{
	Bm25Reader r;
	uint8		hdr[BM25_PLIST_HDR_SIZE + 4];
	bm25_plist_hdr h;
	uint8	   *data;
	size_t		got = BM25_PLIST_HDR_SIZE;

	*lazy = false;
	denseaddr->blk = InvalidBlockNumber;
	denseaddr->off = 0;
	bm25_reader_init_direct(&r, index, at);
	if (!bm25_read(&r, hdr, BM25_PLIST_HDR_SIZE) || !bm25_plist_read_hdr(hdr, BM25_PLIST_HDR_SIZE, &h))
		BM25_CORRUPT("posting list");
	if (h.dense)
	{
		SkipAddrEntry *e;

		/* the dense section starts with its length */
		*denseaddr = bm25_reader_pos(&r);
		if (!bm25_read(&r, hdr + BM25_PLIST_HDR_SIZE, 4) ||
			!bm25_plist_read_hdr(hdr, BM25_PLIST_HDR_SIZE + 4, &h))
			BM25_CORRUPT("posting list");
		e = skip_addr_find(index, segid, at);
		if (e)
		{
			/* a new reader there: the pages in between are not visited */
			bm25_reader_end(&r);
			bm25_reader_init_direct(&r, index, e->after);
		}
		else
		{
			if (!bm25_reader_skip(&r, h.dense_len - 4))
				BM25_CORRUPT("posting list");
			skip_addr_put(index, segid, at, bm25_reader_pos(&r));
		}
	}
	*len = bm25_plist_scoring_len(&h);
	data = listbuf_get(qh, *len);
	/* the header and the dense section's length; the rest of it only by read_dense */
	memcpy(data, hdr, BM25_PLIST_HDR_SIZE + (h.dense ? 4 : 0));
	got = BM25_PLIST_HDR_SIZE + h.dense_len;
	if (want_dense && h.dense && h.doc_len > 0)
	{
		size_t		head = *len - h.doc_len;

		if (!bm25_read(&r, data + got, head - got))
			BM25_CORRUPT("posting list");
		*docaddr = bm25_reader_pos(&r);
		pos->blk = InvalidBlockNumber;
		pos->off = 0;
		*lazy = true;
	}
	else
	{
		if (!bm25_read(&r, data + got, *len - got))
			BM25_CORRUPT("posting list");
		*pos = bm25_reader_pos(&r);
	}
	bm25_reader_end(&r);
	return data;
}

static void
dense_evict(int i)
{
	DenseCacheEntry *e = &dense_cache[i];

	if (e->data)
		pfree(e->data);
	if (e->grid)
		pfree(e->grid);
	dense_cache_bytes -= e->len + e->gridlen;
	e->data = NULL;
	e->len = 0;
	e->grid = NULL;
	e->gridlen = 0;
	e->key.relnode = InvalidOid;
	e->stale = false;
}

/*
 * The per-backend caches of an index's segments (the lists here, the skip
 * indexes and word lookups in bm25utils.c) are keyed by its file and a
 * segment id, which never change while the file lives.  Whatever changes
 * the index's relcache entry (REINDEX, DROP, TRUNCATE, ANALYZE's statistics
 * too) drops its entries, so that a file number PostgreSQL gives out again
 * long after can never find what an old index left.  relid InvalidOid: all.
 */
static void
bm25_cache_inval(Datum arg, Oid relid)
{
	int			i;

	for (i = 0; i < DENSE_CACHE_SIZE; i++)
	{
		DenseCacheEntry *e = &dense_cache[i];

		if (e->key.relnode == InvalidOid || (OidIsValid(relid) && e->key.relid != relid))
			continue;
		if (e->refs == 0)
			dense_evict(i);
		else
			e->stale = true;
	}
	for (i = 0; i < SKIP_ADDR_CACHE_SIZE; i++)
		if (!OidIsValid(relid) || skip_addr_cache[i].key.relid == relid)
			skip_addr_cache[i].key.relnode = InvalidOid;
	bm25_skip_cache_inval(relid);
}

static void
cache_inval_register(void)
{
	static bool done = false;

	if (!done)
	{
		CacheRegisterRelcacheCallback(bm25_cache_inval, (Datum) 0);
		done = true;
	}
}

/* read a dense section from the index (len bytes at p->denseaddr) into dst */
static void
read_dense_at(Bm25Plist *p, uint8 *dst, uint32 len)
{
	Bm25Reader r;
	uint32		v;

	bm25_reader_init_direct(&r, p->index, p->denseaddr);
	if (!bm25_read(&r, dst, len))
		BM25_CORRUPT("posting list");
	bm25_reader_end(&r);
	memcpy(&v, dst, 4);
	if (v != len)
		BM25_CORRUPT("posting list");
}

/* the cache entry of a list, or -1 */
static int
dense_cache_find(const ListKey *key)
{
	int			i;

	for (i = 0; i < DENSE_CACHE_SIZE; i++)
		if (!dense_cache[i].stale && list_key_eq(&dense_cache[i].key, key))
			return i;
	return -1;
}

/* p reads the list from cache entry slot, which the query holds till its end */
static void
dense_cache_hold(Bm25Plist *p, int slot, QueryHold *qh)
{
	DenseCacheEntry *e = &dense_cache[slot];

	e->refs++;
	e->used = ++dense_clock;
	qh->dense[qh->ndense++] = slot;
	p->data = e->data;
	p->len = e->len;
	p->posaddr = e->posaddr;
	p->dense = e->data + BM25_PLIST_HDR_SIZE;
	p->grid = e->grid;
	p->lazy = false;
}

/*
 * Make p->dense point to the list's dense section: from the cache, or read.
 * A list that goes into the cache is read whole (its scoring part: the doc
 * section too), so that the next query takes it from there without reading
 * the index at all (bm25_query_load).
 */
static void
read_dense(Bm25Plist *p, QueryHold *qh)
{
	bm25_plist_hdr h;
	Relation	index = p->index;
	ListKey		key;
	int			i,
				slot;
	Size		len;

	if (p->dense != NULL)
		return;
	if (!bm25_plist_read_hdr(p->data, BM25_PLIST_HDR_SIZE + 4, &h) || !h.dense)
		BM25_CORRUPT("posting list");
	len = bm25_plist_scoring_len(&h);
	key = list_key(index, p->segid, p->post);
	slot = dense_cache_find(&key);
	if (slot >= 0 && dense_cache[slot].len != len)
		BM25_CORRUPT("posting list");
	if (slot < 0 && qh->ndense < DENSE_CACHE_SIZE && len <= DENSE_CACHE_BYTES / 4)
	{
		/*
		 * a free entry within the budget; else evict the least recently
		 * used entry no query holds, and look again (the grid form is about
		 * as large as the dense section)
		 */
		Size		need = len + h.dense_len;

		for (;;)
		{
			int			free_slot = -1,
						lru = -1;

			for (i = 0; i < DENSE_CACHE_SIZE; i++)
			{
				DenseCacheEntry *e = &dense_cache[i];

				if (e->key.relnode == InvalidOid)
				{
					if (free_slot < 0)
						free_slot = i;
				}
				else if (e->refs == 0 && (lru < 0 || e->used < dense_cache[lru].used))
					lru = i;
			}
			if (free_slot >= 0 && dense_cache_bytes + need <= DENSE_CACHE_BYTES)
			{
				slot = free_slot;
				break;
			}
			if (lru < 0)
				break;			/* everything is in use: not cached */
			dense_evict(lru);
		}
		if (slot >= 0)
		{
			DenseCacheEntry *e = &dense_cache[slot];
			uint8	   *tmp = palloc_extended(len, MCXT_ALLOC_HUGE);
			Bm25Reader r;
			bm25_dense	dn;
			uint32		v;

			/* read first: an error leaves the entry free */
			bm25_reader_init_direct(&r, index, p->post);
			if (!bm25_read(&r, tmp, len))
				BM25_CORRUPT("posting list");
			e->posaddr = bm25_reader_pos(&r);
			bm25_reader_end(&r);
			memcpy(&v, tmp + BM25_PLIST_HDR_SIZE, 4);
			if (memcmp(tmp, p->data, BM25_PLIST_HDR_SIZE) != 0 || v != h.dense_len)
				BM25_CORRUPT("posting list");
			e->grid = NULL;
			e->gridlen = 0;
			if (bm25_dense_parse(tmp + BM25_PLIST_HDR_SIZE, h.dense_len, h.ndocs, &dn))
			{
				e->gridlen = sizeof(uint64) * bm25_dense_grid_words(&dn);
				e->grid = MemoryContextAllocHuge(TopMemoryContext, e->gridlen);
				bm25_dense_grid(&dn, e->grid);
			}
			e->data = MemoryContextAllocHuge(TopMemoryContext, len);
			memcpy(e->data, tmp, len);
			pfree(tmp);
			e->len = len;
			dense_cache_bytes += e->len + e->gridlen;
			e->key = key;
			e->refs = 0;
		}
	}
	if (slot >= 0 && qh->ndense < DENSE_CACHE_SIZE)
	{
		dense_cache_hold(p, slot, qh);
		return;
	}
	/* not cached: into the list's own data */
	read_dense_at(p, p->data + BM25_PLIST_HDR_SIZE, h.dense_len);
	p->dense = p->data + BM25_PLIST_HDR_SIZE;
}

/*
 * The lists of a segment a conjunction can probe are the lazy ones (a
 * required term's list with a dense section); with two or more of the
 * conjunction's lists (dense_ok) in the segment their dense sections are
 * read.  The rarest list drives the search (bm25_topk takes the required
 * list with the fewest docs): when it has a dense section too the sections
 * are ANDed and its docs are read only for the docs in all lists; else (a
 * rare word without one) its docs are decoded and every other list is
 * probed.
 */
static void
choose_dense(Bm25Source *src, QueryHold *qh)
{
	int			i,
				nconj = 0;

	for (i = 0; i < src->n; i++)
		if (src->pl[i].dense_ok)
			nconj++;
	if (nconj < 2)
		return;
	for (i = 0; i < src->n; i++)
		if (src->pl[i].lazy)
			read_dense(&src->pl[i], qh);
}

/* bm25_docs_loader: read the doc section of a list read_scoring left lazy */
static bool
load_docs(bm25_cursor *c, void *arg)
{
	Bm25Plist  *p = arg;

	if (p->lazy)
	{
		Bm25Reader r;

		bm25_reader_init_direct(&r, p->index, p->docaddr);
		if (!bm25_read(&r, p->data + p->len - c->h.doc_len, c->h.doc_len))
			BM25_CORRUPT("posting list");
		/* the positions follow the docs */
		p->posaddr = bm25_reader_pos(&r);
		bm25_reader_end(&r);
		p->lazy = false;
	}
	return true;
}

/* pending documents: per (term, lexeme) posting writers */
typedef struct PendingCollect
{
	Bm25Query  *bq;
	Relation	index;
	int			nw;
	int			maxw;
	int		   *wlex;
	bm25_plist_writer *w;
	bool		postings;
	int		   *exact;			/* exact terms sorted by lexeme */
	int			nexact;
	int		   *prefix;			/* prefix terms */
	int			nprefix;
	uint32	   *pos;
	uint32		poscap;
} PendingCollect;

static bm25_plist_writer *
pending_writer(PendingCollect *pc, int lex)
{
	int			i;

	for (i = 0; i < pc->nw; i++)
		if (pc->wlex[i] == lex)
			return &pc->w[i];
	if (pc->nw == pc->maxw)
	{
		pc->maxw = pc->maxw ? pc->maxw * 2 : 8;
		pc->wlex = pc->wlex ? repalloc(pc->wlex, sizeof(int) * pc->maxw) : palloc(sizeof(int) * pc->maxw);
		pc->w = pc->w ? repalloc(pc->w, sizeof(bm25_plist_writer) * pc->maxw)
			: palloc(sizeof(bm25_plist_writer) * pc->maxw);
	}
	pc->wlex[pc->nw] = lex;
	bm25_pw_init(&pc->w[pc->nw]);
	return &pc->w[pc->nw++];
}

static void
pending_one(PendingCollect *pc, const bm25_rec_iter *it, const bm25_rec_term *t, int term)
{
	int			lex = find_lex(pc->bq, term, t->lexeme, t->len);

	pc->bq->lex[lex].df += 1;
	if (!pc->postings)
		return;
	if (t->tf > pc->poscap)
	{
		pc->poscap = t->tf * 2;
		pc->pos = pc->pos ? repalloc_huge(pc->pos, sizeof(uint32) * pc->poscap)
			: palloc_extended(sizeof(uint32) * pc->poscap, MCXT_ALLOC_HUGE);
	}
	if (!bm25_rec_positions(t, pc->pos))
		bm25_pending_corrupt(pc->index);
	bm25_pw_add(pending_writer(pc, lex), it->docid, t->tf, it->dl, pc->pos);
}

/* a pending record: its terms (sorted) merge-joined with the query's */
static void
pending_collect(const uint8 *rec, size_t len, void *arg)
{
	PendingCollect *pc = arg;
	const TqTerm *terms = pc->bq->terms;
	bm25_rec_iter it;
	bm25_rec_term rt;
	int			r,
				qi = 0,
				i;

	if (!bm25_rec_begin(&it, rec, len))
		bm25_pending_corrupt(pc->index);
	while ((r = bm25_rec_next(&it, &rt)) == 1)
	{
		while (qi < pc->nexact &&
			   bm25_term_cmp(terms[pc->exact[qi]].lexeme, terms[pc->exact[qi]].len, rt.lexeme, rt.len) < 0)
			qi++;
		if (qi < pc->nexact &&
			bm25_term_cmp(terms[pc->exact[qi]].lexeme, terms[pc->exact[qi]].len, rt.lexeme, rt.len) == 0)
			pending_one(pc, &it, &rt, pc->exact[qi]);
		for (i = 0; i < pc->nprefix; i++)
		{
			const TqTerm *t = &terms[pc->prefix[i]];

			if (rt.len >= t->len && memcmp(rt.lexeme, t->lexeme, t->len) == 0)
				pending_one(pc, &it, &rt, pc->prefix[i]);
		}
	}
	if (r < 0)
		bm25_pending_corrupt(pc->index);
}

static const TqTerm *sort_terms;

static int
exact_cmp(const void *a, const void *b)
{
	const TqTerm *x = &sort_terms[*(const int *) a];
	const TqTerm *y = &sort_terms[*(const int *) b];

	return bm25_term_cmp(x->lexeme, x->len, y->lexeme, y->len);
}

/*
 * Statistics (N, avgdl, df of every query lexeme) and, with postings, the
 * posting lists of the query terms of every segment and of the pending list.
 * Allocates in the current memory context.
 */
Bm25Query *
bm25_query_load(Relation index, const TQuery *q, bool postings)
{
	Bm25Query  *bq = palloc0(sizeof(Bm25Query));
	int			s,
				i;
	Bm25TermInfo *hits = palloc(sizeof(Bm25TermInfo) * BM25_MAX_EXPANSIONS);
	char	  **hterms = palloc(sizeof(char *) * BM25_MAX_EXPANSIONS);
	PendingCollect pc;
	QueryHold  *qh = NULL;
	int			nrequired = 0;

	cache_inval_register();
	bq->q = q;
	bq->npositive = tq_terms(q, &bq->terms);
	bq->nterms = tq_all_terms(q, &bq->terms);
	bq->needs_positions = tq_needs_positions(q);
	bq->has_speaker = tq_speaker(q) != NULL;
	bq->maxlex = 16;
	bq->lex = palloc(sizeof(Bm25Lex) * bq->maxlex);
	bm25_read_meta(index, &bq->meta);
	bq->index = index;
	if (postings)
	{
		bq->required = required_terms(bq);
		/* a conjunction of two or more words may probe dense sections */
		for (i = 0; i < bq->nterms; i++)
			if (bq->required[i])
				nrequired++;
	}

	bq->nsrc = bq->meta.nsegments + 1;
	bq->src = palloc0(sizeof(Bm25Source) * bq->nsrc);
	for (s = 0; s < (int) bq->meta.nsegments; s++)
	{
		const Bm25Segment *seg = &bq->meta.segments[s];
		Bm25SkipCache *sc;

		if (bq->nterms == 0)
			break;
		sc = bm25_skip_get(index, seg);
		for (i = 0; i < bq->nterms; i++)
		{
			const TqTerm *t = &bq->terms[i];
			int			n,
						j;

			CHECK_FOR_INTERRUPTS();
			if (t->len <= 0 || t->len > BM25_MAX_TERM_LEN)
				continue;
			n = bm25_segment_lookup(index, seg, sc, t->lexeme, t->len, t->prefix,
									hits, t->prefix ? hterms : NULL, BM25_MAX_EXPANSIONS);
			for (j = 0; j < n; j++)
			{
				int			lex = t->prefix ? find_lex(bq, i, hterms[j], (int) strlen(hterms[j]))
					: find_lex(bq, i, t->lexeme, t->len);

				bq->lex[lex].df += hits[j].df;
				if (postings)
				{
					size_t		len;
					Bm25Addr	pos,
								docaddr,
								denseaddr;
					bool		lazy;

					/*
					 * A required term of a conjunction without positions: it
					 * may be answered from its dense section.
					 */
					bool		dense_ok = !bq->needs_positions && !t->prefix && bq->required[i] &&
						nrequired >= 2;
					uint8	   *data;
					Bm25Plist  *p;

					if (qh == NULL)
						qh = query_hold_new();
					if (dense_ok && qh->ndense < DENSE_CACHE_SIZE)
					{
						/* a list a query before read into the cache: nothing to read */
						ListKey		key = list_key(index, seg->segid, hits[j].post);
						int			slot = dense_cache_find(&key);

						if (slot >= 0)
						{
							Bm25Addr	none = {InvalidBlockNumber, 0};

							p = add_plist(&bq->src[s], lex, NULL, 0, none, NULL);
							dense_cache_hold(p, slot, qh);
							p->index = index;
							p->dense_ok = true;
							p->segid = seg->segid;
							p->post = hits[j].post;
							continue;
						}
					}
					data = read_scoring(index, seg->segid, hits[j].post, &len, &pos, dense_ok,
										&lazy, &docaddr, &denseaddr, qh);
					p = add_plist(&bq->src[s], lex, data, len, pos, NULL);

					p->index = index;
					p->dense_ok = dense_ok;
					p->lazy = lazy;
					p->docaddr = docaddr;
					p->denseaddr = denseaddr;
					p->segid = seg->segid;
					p->post = hits[j].post;
				}
			}
		}
		if (postings)
		{
			if (qh == NULL)
				qh = query_hold_new();
			choose_dense(&bq->src[s], qh);
		}
	}

	/* the pending list: collected in memory */
	memset(&pc, 0, sizeof(pc));
	pc.bq = bq;
	pc.index = index;
	pc.postings = postings;
	pc.exact = palloc(sizeof(int) * (bq->nterms + 1));
	pc.prefix = palloc(sizeof(int) * (bq->nterms + 1));
	for (i = 0; i < bq->nterms; i++)
	{
		if (bq->terms[i].len <= 0 || bq->terms[i].len > BM25_MAX_TERM_LEN)
			continue;
		if (bq->terms[i].prefix)
			pc.prefix[pc.nprefix++] = i;
		else
			pc.exact[pc.nexact++] = i;
	}
	sort_terms = bq->terms;
	qsort(pc.exact, pc.nexact, sizeof(int), exact_cmp);
	sort_terms = NULL;
	if (bq->nterms > 0)
		bm25_pending_foreach_raw(index, bq->meta.pending_head, bq->meta.pending_tail, pending_collect, &pc);
	for (i = 0; i < pc.nw; i++)
	{
		tx_buf		b;
		bm25_plist_hdr h;
		Bm25Addr	none = {InvalidBlockNumber, 0};

		tx_buf_init(&b, 256);
		bm25_pw_finish(&pc.w[i], &b);
		bm25_pw_free(&pc.w[i]);
		bm25_plist_read_hdr((uint8 *) b.data, b.len, &h);
		add_plist(&bq->src[bq->nsrc - 1], pc.wlex[i], (uint8 *) b.data, b.len, none,
				  (uint8 *) b.data + bm25_plist_scoring_len(&h));
	}

	/* weights */
	bq->N = (double) bq->meta.ndocs;
	bq->params.k1 = bq->meta.k1;
	bq->params.b = bq->meta.b;
	bq->params.avgdl = bq->meta.ndocs > 0 ? (double) bq->meta.total_len / (double) bq->meta.ndocs : 1.0;
	if (bq->params.avgdl <= 0)
		bq->params.avgdl = 1.0;
	for (i = 0; i < bq->nlex; i++)
	{
		int			qtf = bq->terms[bq->lex[i].term].qtf;

		bq->lex[i].w = qtf > 0 ? qtf * bm25_idf(bq->N, bq->lex[i].df) : 0.0;
	}
	pfree(hits);
	pfree(hterms);
	return bq;
}

/* ------------------------------------------------------------ top-k */

static const uint8_t *
load_positions(bm25_cursor *c, void *arg)
{
	Bm25Plist  *p = arg;

	if (p->pos == NULL && p->posaddr.blk != InvalidBlockNumber && c->h.pos_len > 0)
	{
		Bm25Reader r;
		uint8	   *buf = MemoryContextAllocHuge(p->cx, c->h.pos_len);

		bm25_reader_init_direct(&r, p->index, p->posaddr);
		if (!bm25_read(&r, buf, c->h.pos_len))
			BM25_CORRUPT("positions");
		bm25_reader_end(&r);
		p->pos = buf;
	}
	return p->pos;
}

typedef struct EvalArg
{
	Bm25Query  *bq;
	uint32		docid;
	bm25_cursor **c;
	int			n;
	int32	   *buf;
	size_t		cap;
} EvalArg;

static int
cmp_i32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

static const int32 *
eval_positions(int term, int *npos, void *arg)
{
	EvalArg    *ea = arg;
	static const int32 one = 1;
	size_t		total = 0;
	int			i,
				found = 0;

	*npos = 0;
	for (i = 0; i < ea->n; i++)
	{
		bm25_cursor *c = ea->c[i];

		if (c->term != term || c->docid != ea->docid)
			continue;
		if (!ea->bq->needs_positions)
		{
			*npos = 1;
			return &one;
		}
		{
			int			np;
			const uint32 *pos = bm25_cursor_positions(c, &np);

			if (pos == NULL)
				continue;
			if (total + np > ea->cap)
			{
				ea->cap = (total + np) * 2;
				ea->buf = ea->buf ? repalloc(ea->buf, sizeof(int32) * ea->cap)
					: palloc(sizeof(int32) * ea->cap);
			}
			memcpy(ea->buf + total, pos, sizeof(int32) * np);
			total += np;
			found++;
		}
	}
	if (found > 1)
		qsort(ea->buf, total, sizeof(int32), cmp_i32);
	*npos = (int) total;
	return total ? ea->buf : NULL;
}

static bool
accept_doc(uint32_t docid, bm25_cursor **c, int n, void *arg)
{
	EvalArg    *ea = arg;

	ea->docid = docid;
	ea->c = c;
	ea->n = n;
	return tq_eval(ea->bq->q, eval_positions, ea);
}

/*
 * Terms every matching document contains: a TERM node requires its words,
 * AND and NEAR the union of their children's, OR the intersection, NOT
 * nothing.  Read from the compiled query image.
 */
static void
required_node(const tq_header *h, int node, bool *req, int depth)
{
	const tq_node *nd;
	int			i,
				j;

	if (node < 0 || node >= h->nnodes || depth > TQ_MAX_DEPTH + 2)
		return;
	nd = &TQ_NODES(h)[node];
	switch (nd->kind)
	{
		case TQN_TERM:
			for (i = 0; i < nd->n; i++)
			{
				int			t = TQ_ITEMS(h)[nd->first + i].term;

				if (t >= 0 && t < h->nterms)
					req[t] = true;
			}
			break;
		case TQN_AND:
		case TQN_NEAR:
			for (i = 0; i < nd->n; i++)
				required_node(h, TQ_KIDS(h)[nd->first + i], req, depth + 1);
			break;
		case TQN_OR:
			{
				bool	   *acc = palloc(sizeof(bool) * h->nterms);
				bool	   *kid = palloc(sizeof(bool) * h->nterms);

				for (i = 0; i < nd->n; i++)
				{
					memset(kid, 0, sizeof(bool) * h->nterms);
					required_node(h, TQ_KIDS(h)[nd->first + i], kid, depth + 1);
					for (j = 0; j < h->nterms; j++)
						acc[j] = i == 0 ? kid[j] : (acc[j] && kid[j]);
				}
				for (j = 0; j < h->nterms && nd->n > 0; j++)
					if (acc[j])
						req[j] = true;
				pfree(acc);
				pfree(kid);
			}
			break;
		default:
			break;
	}
}

static bool *
required_terms(const Bm25Query *bq)
{
	const tq_header *h = TQUERY_HDR(bq->q);
	bool	   *req = palloc0(sizeof(bool) * (bq->nterms + 1));
	int			i;

	if (h->nterms != bq->nterms)
		return req;
	required_node(h, h->root, req, 0);
	for (i = 0; i < bq->nterms; i++)
		if (i >= bq->npositive || bq->terms[i].prefix)
			req[i] = false;
	return req;
}

static int
plist_lex_cmp(const void *a, const void *b, void *arg)
{
	int			x = ((const Bm25Plist *) a)->lex;
	int			y = ((const Bm25Plist *) b)->lex;

	return (x > y) - (x < y);
}

/* Fill heap with the best k matching documents. */
void
bm25_query_topk(Bm25Query *bq, int k, bm25_heap *heap)
{
	EvalArg		ea;
	int			s;
	bool		flat;

	memset(&ea, 0, sizeof(ea));
	ea.bq = bq;
	bm25_heap_init(heap, k);
	if (bq->npositive == 0)
		return;
	flat = tq_is_flat(TQUERY_HDR(bq->q));
	if (bq->required == NULL)
		bq->required = required_terms(bq);
	for (s = 0; s < bq->nsrc; s++)
	{
		Bm25Source *src = &bq->src[s];
		bm25_cursor *cur;
		bm25_cursor **cp;
		int			i,
					t,
					n = 0;
		bool		any_positive = false;
		bool		skip = false;
		bool		plain = flat;

		if (src->n == 0)
			continue;
		/* a segment without one of the required terms has no match */
		for (t = 0; t < bq->nterms && !skip; t++)
		{
			if (!bq->required[t])
				continue;
			skip = true;
			for (i = 0; i < src->n; i++)
				if (bq->lex[src->pl[i].lex].term == t)
					skip = false;
		}
		if (skip)
			continue;
		/* cursors in lexeme order: scores are summed in that order (see bm25score.c) */
		qsort_arg(src->pl, src->n, sizeof(Bm25Plist), plist_lex_cmp, NULL);
		cur = palloc(sizeof(bm25_cursor) * src->n);
		cp = palloc(sizeof(bm25_cursor *) * src->n);
		for (i = 0; i < src->n; i++)
		{
			Bm25Plist  *p = &src->pl[i];

			p->index = bq->index;
			p->cx = CurrentMemoryContext;
			/* the parts of data read so far: the dense section only if read_dense read it */
			if (!bm25_cursor_init_parts(&cur[n], p->data, p->len, bq->lex[p->lex].w, bq->lex[p->lex].term,
										p->dense, !p->lazy, load_docs, p))
				BM25_CORRUPT("posting list");
			if (p->grid != NULL && cur[n].dn.words != NULL)
				bm25_dense_use_grid(&cur[n].dn, p->grid);
			cur[n].dense_ok = p->dense_ok;
			cur[n].pos = p->pos;
			cur[n].loader = load_positions;
			cur[n].loader_arg = p;
			cur[n].required = bq->required[cur[n].term];
			if (cur[n].w > 0)
				any_positive = true;
			else
				plain = false;
			/* one list per word: then a doc in the lists matches as they say */
			for (t = 0; t < n && plain; t++)
				if (cur[t].term == cur[n].term)
					plain = false;
			cp[n] = &cur[n];
			n++;
		}
		/*
		 * A plain AND or OR of words matches exactly the docs that the
		 * lists' top-k search accepts (all required lists, or any list), so
		 * the condition is evaluated only for other queries.
		 */
		if (any_positive)
			bm25_topk(cp, n, &bq->params, heap, plain ? NULL : accept_doc, &ea);
		for (i = 0; i < n; i++)
			bm25_cursor_free(&cur[i]);
		pfree(cur);
		pfree(cp);
	}
	bm25_heap_sort(heap);
}

/* ------------------------------------------------------------ the scan */

typedef struct Bm25ScanOpaqueData
{
	MemoryContext cx;
	TQuery	   *q;				/* primary query (ordering, else first match key) */
	uint32		qhash;
	bool		ordered;
	bool		recheck;		/* another match key, or a speaker filter */
	bool		empty;			/* a NULL key: nothing matches */
	Bm25Query  *bq;
	bm25_heap	heap;
	int			k;
	int			next;
	bool		done;
} Bm25ScanOpaqueData;

typedef Bm25ScanOpaqueData *Bm25ScanOpaque;

IndexScanDesc
bm25beginscan(Relation index, int nkeys, int norderbys)
{
	IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
	Bm25ScanOpaque so = palloc0(sizeof(Bm25ScanOpaqueData));

	so->cx = AllocSetContextCreate(CurrentMemoryContext, "bm25 scan", ALLOCSET_DEFAULT_SIZES);
	scan->opaque = so;
	if (norderbys > 0)
	{
		scan->xs_orderbyvals = palloc0(sizeof(Datum) * norderbys);
		scan->xs_orderbynulls = palloc(sizeof(bool) * norderbys);
		memset(scan->xs_orderbynulls, true, sizeof(bool) * norderbys);
	}
	return scan;
}

static bool
same_query(TQuery *a, TQuery *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

void
bm25rescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;
	MemoryContext old;
	int			i;

	if (keys && scan->numberOfKeys > 0)
		memmove(scan->keyData, keys, scan->numberOfKeys * sizeof(ScanKeyData));
	if (orderbys && scan->numberOfOrderBys > 0)
		memmove(scan->orderByData, orderbys, scan->numberOfOrderBys * sizeof(ScanKeyData));

	MemoryContextReset(so->cx);
	so->q = NULL;
	so->bq = NULL;
	so->empty = false;
	so->recheck = false;
	so->next = 0;
	so->done = false;
	so->heap.h = NULL;
	so->heap.n = 0;
	so->ordered = scan->numberOfOrderBys > 0;

	old = MemoryContextSwitchTo(so->cx);
	for (i = 0; i < scan->numberOfOrderBys; i++)
	{
		ScanKey		k = &scan->orderByData[i];

		if (k->sk_flags & SK_ISNULL)
			so->empty = true;
		else if (so->q == NULL)
			so->q = (TQuery *) PG_DETOAST_DATUM_COPY(k->sk_argument);
	}
	for (i = 0; i < scan->numberOfKeys; i++)
	{
		ScanKey		k = &scan->keyData[i];
		TQuery	   *kq;

		if (k->sk_flags & SK_ISNULL)
		{
			so->empty = true;
			continue;
		}
		kq = (TQuery *) PG_DETOAST_DATUM_COPY(k->sk_argument);
		if (so->q == NULL)
			so->q = kq;
		else if (!same_query(so->q, kq))
			so->recheck = true;
	}
	if (so->q && tq_speaker(so->q) != NULL)
		so->recheck = true;
	MemoryContextSwitchTo(old);
	if (so->q)
	{
		bm25_register_scan(RelationGetRelid(scan->indexRelation), so->q);
		so->qhash = bm25_query_hash(so->q);
	}
}

static void
run_batch(IndexScanDesc scan)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;
	MemoryContext old = MemoryContextSwitchTo(so->cx);

	if (so->bq == NULL)
	{
		so->bq = bm25_query_load(scan->indexRelation, so->q, true);
		so->k = so->ordered ? BM25_FIRST_K : INT_MAX;
	}
	else if (so->k < INT_MAX / BM25_K_GROWTH)
		so->k *= BM25_K_GROWTH;
	else
		so->k = INT_MAX;
	bm25_heap_free(&so->heap);
	bm25_query_topk(so->bq, so->k, &so->heap);
	MemoryContextSwitchTo(old);
}

/*
 * The raw key (bm25_raw_key) of the indexed column of the heap row at tid,
 * as the executor will hand it to the operator: read from the heap page
 * without detoasting.  The row the TID names heads a HOT chain whose
 * members share the indexed value (an update that changes it is not HOT),
 * so any member serves.  False when the key cannot be had this way: an
 * expression column, a table that is not heap, or an item gone.
 */
static bool
row_raw_key(IndexScanDesc scan, ItemPointer tid, Bm25RawKey *key)
{
	Relation	heap = scan->heapRelation;
	AttrNumber	attno = scan->indexRelation->rd_index->indkey.values[0];
	Buffer		buf;
	Page		page;
	OffsetNumber off = ItemPointerGetOffsetNumber(tid);
	bool		found = false;
	int			hops;

	if (heap == NULL || attno <= 0 || heap->rd_rel->relam != HEAP_TABLE_AM_OID)
		return false;
	buf = ReadBuffer(heap, ItemPointerGetBlockNumber(tid));
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	for (hops = 0; hops < 2; hops++)
	{
		ItemId		lp;

		if (off < FirstOffsetNumber || off > PageGetMaxOffsetNumber(page))
			break;
		lp = PageGetItemId(page, off);
		if (ItemIdIsRedirected(lp))
		{
			off = ItemIdGetRedirect(lp);
			continue;
		}
		if (ItemIdIsNormal(lp))
		{
			HeapTupleData tup;
			bool		isnull;
			Datum		v;

			tup.t_data = (HeapTupleHeader) PageGetItem(page, lp);
			tup.t_len = ItemIdGetLength(lp);
			tup.t_tableOid = RelationGetRelid(heap);
			tup.t_self = *tid;
			v = heap_getattr(&tup, attno, RelationGetDescr(heap), &isnull);
			if (!isnull)
			{
				bm25_raw_key(v, key);
				found = true;
			}
		}
		break;
	}
	UnlockReleaseBuffer(buf);
	return found;
}

bool
bm25gettuple(IndexScanDesc scan, ScanDirection dir)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;

	if (so->empty || so->q == NULL)
		return false;
	if (so->bq == NULL)
	{
		pgstat_count_index_scan(scan->indexRelation);
		run_batch(scan);
	}
	for (;;)
	{
		bm25_hit   *hit;
		Bm25DocEntry e;

		CHECK_FOR_INTERRUPTS();
		if (so->next >= so->heap.n)
		{
			/* the heap held everything there was */
			if (so->heap.n < so->k || so->k == INT_MAX)
				return false;
			run_batch(scan);
			if (so->next >= so->heap.n)
				return false;
		}
		hit = &so->heap.h[so->next++];
		bm25_docs_get(scan->indexRelation, &so->bq->meta, hit->docid, &e);
		if (!(e.flags & BM25_DOC_USED) || (e.flags & BM25_DOC_DEAD))
			continue;
		scan->xs_heaptid = e.tid;
		scan->xs_recheck = so->recheck;
		if (so->ordered)
		{
			int			i;

			for (i = 0; i < scan->numberOfOrderBys; i++)
			{
				scan->xs_orderbyvals[i] = Float8GetDatum(-hit->score);
				scan->xs_orderbynulls[i] = false;
			}
			/* a speaker filter is not in the index: recompute on the row */
			scan->xs_recheckorderby = so->recheck;
			if (!so->recheck)
			{
				Bm25RawKey	raw;

				bm25_note_result(so->qhash, VARSIZE(so->q), e.hash,
								 row_raw_key(scan, &e.tid, &raw) ? &raw : NULL, hit->score);
			}
		}
		return true;
	}
}

int64
bm25getbitmap(IndexScanDesc scan, TIDBitmap *tbm)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;
	int64		n = 0;
	int			i;

	if (so->empty || so->q == NULL)
		return 0;
	pgstat_count_index_scan(scan->indexRelation);
	so->ordered = false;
	run_batch(scan);
	for (i = 0; i < so->heap.n; i++)
	{
		Bm25DocEntry e;

		CHECK_FOR_INTERRUPTS();
		bm25_docs_get(scan->indexRelation, &so->bq->meta, so->heap.h[i].docid, &e);
		if (!(e.flags & BM25_DOC_USED) || (e.flags & BM25_DOC_DEAD))
			continue;
		tbm_add_tuples(tbm, &e.tid, 1, so->recheck);
		n++;
	}
	return n;
}

void
bm25endscan(IndexScanDesc scan)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;

	MemoryContextDelete(so->cx);
	pfree(so);
	scan->opaque = NULL;
}
