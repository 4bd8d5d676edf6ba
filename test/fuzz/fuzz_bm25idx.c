/*
 * fuzz_bm25idx.c
 *	  libFuzzer harness for the bm25 index decoders: the first byte picks a
 *	  pending-list record (bm25_doc_decode) or a posting list (cursor over
 *	  every doc, with positions, its dense section if it has one, and top-k
 *	  searches over two copies, conjunctive ones probing the dense section,
 *	  with the doc section read up front or on demand); neither may read out
 *	  of bounds, loop forever or crash on any input.  A first byte of 2
 *	  instead reads the input as documents of tokens and checks that the
 *	  build's token-by-token path (bm25_acc_code, bm25_acc_doc_*) gives the
 *	  postings bm25_docb and bm25_acc_add give.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm25idx.h"
#include "../acc_same.h"

/* the doc section of a lazy copy, from the input */
typedef struct lazy_arg
{
	const uint8_t *full;
	uint8_t    *copy;
	size_t		len;
} lazy_arg;

static bool
lazy_load(bm25_cursor *c, void *arg)
{
	lazy_arg   *l = arg;
	size_t		off = (size_t) (c->docs - l->copy);

	if (off + c->h.doc_len > l->len)
		abort();				/* the cursor checked the length at init */
	memcpy(l->copy + off, l->full + off, c->h.doc_len);
	return true;
}

static void
fuzz_dense(const bm25_dense *dn)
{
	uint32_t	x = dn->base > 3 ? dn->base - 3 : 0;
	int			steps = 0;

	/* next, rank and tf agree with each other */
	while (steps++ < 2000)
	{
		uint32_t	n = bm25_dense_next(dn, x);
		int64_t		r;

		if (n == BM25_DOCID_END)
			break;
		if (n < x)
			abort();
		r = bm25_dense_rank(dn, n);
		if (r >= 0)
		{
			if ((uint64_t) r >= dn->ndocs)
				abort();
			(void) bm25_dense_tf(dn, (uint32_t) r);
		}
		if (n > x && bm25_dense_rank(dn, x) >= 0)
			abort();			/* x is not in the section: next skipped it */
		if (n == UINT32_MAX - 1)
			break;
		x = n + 1;
	}
}

static void
fuzz_plist(const uint8_t *data, size_t size)
{
	bm25_cursor c;
	uint32_t	d = 0;
	int			steps = 0;

	if (!bm25_cursor_init(&c, data, size, 1.0, 0))
		return;
	if (bm25_plist_total_len(&c.h) <= size)
		c.pos = data + bm25_plist_scoring_len(&c.h);
	if (c.dn.words)
		fuzz_dense(&c.dn);
	while (c.docid != BM25_DOCID_END && steps++ < 100000)
	{
		int			np;

		d = c.docid;
		(void) bm25_cursor_tf(&c);
		(void) bm25_cursor_dl(&c);
		(void) bm25_cursor_positions(&c, &np);
		if (d == UINT32_MAX - 1)
			break;
		bm25_cursor_seek(&c, d + 1);
	}
	bm25_cursor_free(&c);

	/* a search over two cursors of the same list */
	{
		bm25_cursor a,
					b;
		bm25_cursor *cp[2] = {&a, &b};
		bm25_params p = {1.2, 0.75, 10.0};
		bm25_heap	h;

		if (bm25_cursor_init(&a, data, size, 1.0, 0) && bm25_cursor_init(&b, data, size, 2.0, 1))
		{
			b.required = (size & 1) != 0;
			bm25_heap_init(&h, 5);
			bm25_topk(cp, 2, &p, &h, NULL, NULL);
			bm25_heap_free(&h);
		}
		bm25_cursor_free(&a);
		bm25_cursor_free(&b);

		/*
		 * a conjunction: one copy drives, the other is probed (read up front
		 * or lazily); from mode 2 on both with grid forms, ANDed
		 */
		for (int mode = 0; mode < 4; mode++)
		{
			uint8_t    *copy = malloc(size ? size : 1);
			lazy_arg	la = {data, copy, size};
			bool		ok,
						lazy = (mode & 1) != 0;
			uint64_t   *ga = NULL,
					   *gb = NULL;

			memcpy(copy, data, size);
			if (lazy && bm25_plist_read_hdr(data, size, &a.h) && bm25_plist_scoring_len(&a.h) <= size &&
				a.h.doc_len > 0)
				memset(copy + bm25_plist_scoring_len(&a.h) - a.h.doc_len, 0xEE, a.h.doc_len);
			ok = bm25_cursor_init(&a, data, size, lazy ? 3.0 : 1.0, 0) &&
				bm25_cursor_init_parts(&b, copy, size, 2.0, 1, copy + BM25_PLIST_HDR_SIZE, !lazy,
									   lazy_load, &la);
			if (ok && mode >= 2 && a.dn.words != NULL && b.dn.words != NULL)
			{
				ga = malloc(sizeof(uint64_t) * bm25_dense_grid_words(&a.dn));
				gb = malloc(sizeof(uint64_t) * bm25_dense_grid_words(&b.dn));
				bm25_dense_grid(&a.dn, ga);
				bm25_dense_grid(&b.dn, gb);
				bm25_dense_use_grid(&a.dn, ga);
				bm25_dense_use_grid(&b.dn, gb);
			}
			if (ok)
			{
				a.required = b.required = true;
				a.dense_ok = b.dense_ok = true;
				bm25_heap_init(&h, 3);
				bm25_topk(cp, 2, &p, &h, NULL, NULL);
				bm25_heap_free(&h);
			}
			bm25_cursor_free(&a);
			bm25_cursor_free(&b);
			free(copy);
			free(ga);
			free(gb);
		}
	}
}

/*
 * Each byte a token: the low bits pick lexemes (some several, one empty, one
 * too long), the next two the step to its position (0: the same position),
 * 0xFF ends a document; a document whose first byte has the top bit set
 * gives positions out of order.
 */
static void
fuzz_token_path(const uint8_t *in, size_t n)
{
	static const char *lex[] = {"a", "b", "c", "dd", "e", "", "a\0b", "c\0c", "b\0\0e\0f", NULL};
	static const int nlexof[] = {1, 1, 1, 1, 1, 1, 2, 2, 4, 1};
	char		longlex[BM25_MAX_TERM_LEN + 2];
	bm25_acc   *old = bm25_acc_create();
	bm25_acc   *tok = bm25_acc_create();
	uint32_t	codes[10];
	size_t		i = 0;
	uint32_t	docid = 0;
	int			j,
				k;

	memset(longlex, 'x', sizeof(longlex) - 1);
	longlex[sizeof(longlex) - 1] = '\0';
	lex[9] = longlex;
	for (j = 0; j < 10; j++)
		codes[j] = bm25_acc_code(tok, lex[j], nlexof[j]);
	while (i < n)
	{
		bm25_docb  *b = bm25_docb_create();
		bm25_doc	d;
		uint32_t	pos = 0;
		bool		back = (in[i] & 0x80) != 0;

		docid += 1 + in[i] % 3;
		bm25_acc_doc_begin(tok, docid);
		for (; i < n && in[i] != 0xFF; i++)
		{
			int			w = in[i] % 10;
			const char *p = lex[w];
			uint32_t	step = (in[i] >> 4) & 3;

			pos = back && step == 3 && pos > 5 ? pos - 5 : pos + step;
			for (k = 0; k < nlexof[w]; k++)
			{
				bm25_docb_add(b, p, (int) strlen(p), pos);
				p += strlen(p) + 1;
			}
			bm25_acc_doc_add(tok, codes[w], pos);
		}
		i++;
		bm25_docb_finish(b, &d);
		if (bm25_acc_doc_end(tok) != d.dl)
			abort();
		bm25_acc_add(old, docid, &d);
		bm25_doc_free(&d);
		bm25_docb_free(b);
	}
	if (!acc_same(old, tok))
		abort();
	bm25_acc_free(old);
	bm25_acc_free(tok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] == 2)
		fuzz_token_path(data + 1, size - 1);
	else if (data[0] & 1)
	{
		bm25_doc	doc;
		uint32_t	docid;

		if (bm25_doc_decode(data + 1, size - 1, &docid, &doc))
		{
			tx_buf		b;
			bm25_doc	again;

			/* a decoded record encodes back to something that decodes the same */
			tx_buf_init(&b, 64);
			bm25_doc_encode(&doc, docid, &b);
			if (!bm25_doc_decode((const uint8_t *) b.data, b.len, &docid, &again) ||
				again.nterms != doc.nterms || again.dl != doc.dl)
				abort();
			bm25_doc_free(&again);
			tx_buf_free(&b);
			bm25_doc_free(&doc);
		}
	}
	else
		fuzz_plist(data + 1, size - 1);
	return 0;
}
