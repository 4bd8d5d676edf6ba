/*
 * acc_same.h
 *	  Shared by the unit test and the fuzz harness of the bm25 core: do two
 *	  inverted batches hold the same terms, document frequencies and raw
 *	  postings, byte for byte?  Sorts both (bm25_acc_sort), so nothing may be
 *	  added to them afterwards.
 */
#ifndef TX_TEST_ACC_SAME_H
#define TX_TEST_ACC_SAME_H

#include <stdbool.h>
#include <string.h>

#include "bm25idx.h"

static inline bool
acc_same(bm25_acc *a, bm25_acc *b)
{
	int			j;

	bm25_acc_sort(a);
	bm25_acc_sort(b);
	if (bm25_acc_nterms(a) != bm25_acc_nterms(b) || bm25_acc_ndocs(a) != bm25_acc_ndocs(b))
		return false;
	for (j = 0; j < bm25_acc_nterms(a); j++)
	{
		int			l1,
					l2;
		uint32_t	df1,
					df2;
		size_t		r1,
					r2;
		const char *t1 = bm25_acc_term(a, j, &l1, &df1);
		const char *t2 = bm25_acc_term(b, j, &l2, &df2);
		const uint8_t *p1 = bm25_acc_raw(a, j, &r1);
		const uint8_t *p2 = bm25_acc_raw(b, j, &r2);

		if (bm25_term_cmp(t1, l1, t2, l2) != 0 || df1 != df2 || df1 == 0 ||
			r1 != r2 || r1 == 0 || memcmp(p1, p2, r1) != 0)
			return false;
	}
	return true;
}

#endif							/* TX_TEST_ACC_SAME_H */
