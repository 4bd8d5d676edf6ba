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
 *
 * The same input is also spelt as text made of pieces that matter to the
 * sentence rules and the abbreviation filter (one piece per byte; a few are
 * not ASCII), and there the ASCII sentence scanner (tx_sentence_starts_fast,
 * and tx_sentence_starts_near with it), handing over to ICU where the text
 * stops being ASCII, must give ICU's boundaries exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passage.h"
#include "../sentence_ref.h"

static UBreakIterator *bi = NULL;

static const char *const pieces[] = {
	"a", "b", "x", "the", "A", "B", "The", "S", "U", "M", "r", "D", "e",
	" ", " ", " ", "  ", "\n", "\r", "\r\n", "\t", "\f", "\v", "\x01",
	".", ".", ".", "?", "!", "?!", "...", "\"", "'", "(", ")", "[", "]", "{", "}",
	",", ";", ":", "-", "/", "1", "3.5", "42", "&", "*", "#",
	"Mr.", "Mrs.", "Dr.", "U.S.", "U.S.A.", "Ph.D.", "Ph.", "Lt.Cdr.", "Hon.B.A.",
	"e.g.", "i.e.", "No.", "Jr.", "St.", "etc.", "p.m.", "Inc.", "vs.", "Mr", "U.", "A.",
	/* a few that are not ASCII: the scanner hands over to ICU there */
	"\xc3\xa9", "\xe2\x80\x99", "\xe2\x80\x94", "\xe2\x80\x9c", "\xcc\x81", "\xe2\x80\xa8",
	"\xc2\xa0", "\xc2\x85", "\xc3\x89",
};

#define NPIECES ((int) (sizeof(pieces) / sizeof(pieces[0])))

static void
check_same(const char *what, const int32_t *a, int na, const int32_t *b, int nb)
{
	int			k;

	if (na != nb)
	{
		fprintf(stderr, "%s: %d starts, ICU %d\n", what, na, nb);
		abort();
	}
	for (k = 0; k < na; k++)
		if (a[k] != b[k])
		{
			fprintf(stderr, "%s: start %d is %d, ICU %d\n", what, k, a[k], b[k]);
			abort();
		}
}

/* the ASCII spelling of the input: its starts with the scanner against ICU */
static void
check_ascii(UText *ut, const uint8_t *data, size_t size, const int32_t *ranges, int nr)
{
	char	   *t = malloc(size * 9 + 1);
	int			len = 0,
				nfull,
				nfast,
				nnear,
				n,
				nfb;
	size_t		i;
	int32_t    *full,
			   *fast,
			   *near,
			   *ref,
				r2[8];

	for (i = 4; i < size; i++)
	{
		const char *p = pieces[data[i] % NPIECES];
		size_t		l = strlen(p);

		memcpy(t + len, p, l);
		len += (int) l;
	}
	t[len] = '\0';
	nfull = tx_sentence_starts(bi, ut, t, len, &full);
	nfast = tx_sentence_starts_fast(bi, ut, t, len, &fast, &nfb);
	if (len > 0 && (unsigned char) t[0] < 0x80 && nfb < 0 && strlen(t) == (size_t) len)
	{
		int			j;

		for (j = 0; j < len && (unsigned char) t[j] < 0x80; j++)
			;
		if (j == len)
		{
			fprintf(stderr, "ASCII text not scanned\n");
			abort();
		}
	}
	check_same("scanner", fast, nfast, full, nfull);
	/* the ranges scaled to the new length */
	for (i = 0; i < (size_t) nr * 2; i++)
		r2[i] = (int32_t) ((int64_t) ranges[i] * len / (size > 4 ? (int64_t) (size - 4) : 1));
	nnear = tx_sentence_starts_near(bi, ut, t, len, r2, nr, &near);
	ref = tx_alloc(sizeof(int32_t) * (nfull + 1));
	n = sentence_ref_near(full, nfull, len, r2, nr, ref);
	check_same("near, scanner", near, nnear, ref, n);
	tx_free(full);
	tx_free(fast);
	tx_free(near);
	tx_free(ref);
	free(t);
}

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
	/* the whole text the scanner's way (ICU alone when it is not ASCII) */
	{
		int32_t    *fast;
		int			nfast = tx_sentence_starts_fast(bi, &ut, s, len, &fast, NULL);

		check_same("whole text", fast, nfast, full, nfull);
		tx_free(fast);
	}
	tx_free(full);
	tx_free(near);
	tx_free(ref);
	check_ascii(&ut, data, size, ranges, nr);
	utext_close(&ut);
	return 0;
}
