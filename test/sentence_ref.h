/*
 * sentence_ref.h
 *	  Reference for tx_sentence_starts_near (core/passage.c), shared by the
 *	  unit test and the fuzz harness: from the whole list of sentence starts
 *	  (full, nfull), the starts that the contract selects for the byte ranges
 *	  (ranges[2k], ranges[2k+1]): 0, then for each range the last start at
 *	  or before it, every start inside it and the first one at or after its
 *	  end.  out needs room for nfull + 1 entries; returns how many it holds.
 */
#ifndef TX_TEST_SENTENCE_REF_H
#define TX_TEST_SENTENCE_REF_H

#include <stdint.h>

static inline int
sentence_ref_near(const int32_t *full, int nfull, int len, const int32_t *ranges, int nr,
				  int32_t *out)
{
	int			n = 0,
				i = 0,
				r;

	out[n++] = 0;
	for (r = 0; r < nr; r++)
	{
		int32_t		from = ranges[2 * r] < 0 ? 0 : ranges[2 * r];
		int32_t		to = ranges[2 * r + 1] > len ? len : ranges[2 * r + 1];
		int32_t		last;
		int			j;

		if (i >= nfull)
			break;
		if (full[i] >= to)
			continue;
		last = full[i];
		for (j = i + 1; j < nfull && full[j] <= from; j++)
			last = full[j];
		if (last > out[n - 1])
			out[n++] = last;
		for (; j < nfull; j++)
		{
			if (full[j] > out[n - 1])
				out[n++] = full[j];
			if (full[j] >= to)
				break;
		}
		i = j;
	}
	return n;
}

#endif
