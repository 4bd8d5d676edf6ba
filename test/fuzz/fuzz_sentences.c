/*
 * fuzz_sentences.c
 *	  libFuzzer harness for sentence starts near byte ranges
 *	  (core/passage.c).
 *
 * tx_sentence_starts_near must give exactly the starts of the whole-text
 * iteration (tx_sentence_starts) that its contract selects: the last one at
 * or before each range, every one inside and the first at or after its end.
 * The first four bytes choose up to four ranges, the rest is the text
 * (invalid UTF-8 included).  Every point where it may restart the iteration
 * (tx_sentence_restart) must be a start of the whole-text iteration.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passage.h"
#include "../sentence_ref.h"

static UBreakIterator *bi = NULL;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	UText		ut = UTEXT_INITIALIZER;
	const char *s;
	int			len;
	int32_t		ranges[8];
	int			nr = 0,
				k,
				i,
				n,
				nfull,
				nnear;
	int32_t    *full,
			   *near,
			   *ref;

	if (bi == NULL)
	{
		UErrorCode	st = U_ZERO_ERROR;

		bi = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &st);
		if (U_FAILURE(st))
			abort();
	}
	if (size < 4)
		return 0;
	s = (const char *) data + 4;
	len = (int) (size - 4);
	{
		int32_t		at = 0;

		for (k = 0; k < 4 && at <= len; k++)
		{
			int32_t		from = at + (data[k] & 0x0F) * (len + 1) / 16;
			int32_t		to = from + (data[k] >> 4) * (len + 1) / 32;

			ranges[2 * nr] = from;
			ranges[2 * nr + 1] = to;
			nr++;
			at = to + 1;
		}
	}
	nfull = tx_sentence_starts(bi, &ut, s, len, &full);
	nnear = tx_sentence_starts_near(bi, &ut, s, len, ranges, nr, &near);

	/* the selection made from the whole list */
	ref = tx_alloc(sizeof(int32_t) * (nfull + 1));
	n = sentence_ref_near(full, nfull, len, ranges, nr, ref);
	if (n != nnear)
	{
		fprintf(stderr, "%d starts near the ranges, %d expected\n", nnear, n);
		abort();
	}
	for (k = 0; k < n; k++)
		if (near[k] != ref[k])
		{
			fprintf(stderr, "start %d is %d, %d expected\n", k, near[k], ref[k]);
			abort();
		}
	/* every restart point is a start of the whole-text iteration */
	for (k = 0; k < 4; k++)
	{
		int32_t		lim = k < nr ? ranges[2 * k] - 1 : (int32_t) ((int64_t) len * k / 4);
		int32_t		p = tx_sentence_restart(bi, s, len, lim);

		if (p == 0)
			continue;
		if (p < 0 || p > lim || p >= len)
		{
			fprintf(stderr, "restart point %d outside 1..%d\n", p, lim);
			abort();
		}
		for (i = 0; i < nfull && full[i] != p; i++)
			;
		if (i == nfull)
		{
			fprintf(stderr, "restart point %d is not a sentence start\n", p);
			abort();
		}
	}
	tx_free(full);
	tx_free(near);
	tx_free(ref);
	utext_close(&ut);
	return 0;
}
