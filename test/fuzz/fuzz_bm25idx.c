/*
 * fuzz_bm25idx.c
 *	  libFuzzer harness for the bm25 index decoders: the first byte picks a
 *	  pending-list record (bm25_doc_decode) or a posting list (cursor over
 *	  every doc, with positions, and a top-k over two copies); neither may
 *	  read out of bounds, loop forever or crash on any input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bm25idx.h"

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
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
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
