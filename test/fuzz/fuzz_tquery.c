/*
 * fuzz_tquery.c
 *	  libFuzzer harness for the query parser: any input either fails with an
 *	  error code and message or compiles to a valid image whose canonical
 *	  text parses back to the same canonical text; evaluation and match spans
 *	  run on a fixed document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tquery_parse.h"

static const int32_t doc_pos[] = {1, 2, 3, 5, 8, 13, 21};

static const int32_t *
positions(int term, int *npos, void *arg)
{
	/* term i occurs at the positions shifted by i */
	static int32_t buf[7];
	int			i;

	if (term % 3 == 2)
	{
		*npos = 0;
		return NULL;
	}
	for (i = 0; i < 7; i++)
		buf[i] = doc_pos[i] + term;
	*npos = 7;
	return buf;
}

static void
check(const uint8_t *data, size_t size, bool lenient)
{
	tx_error	err;
	size_t		isize;
	tq_header  *h = tq_compile((const char *) data, size, lenient, 0, tq_simple_analyze, NULL, &isize, &err);
	tx_buf		a,
				b;
	tq_header  *h2;
	size_t		isize2;
	tq_span    *spans;
	int			n;

	if (h == NULL)
	{
		if (err.code == TX_OK || err.message[0] == '\0')
			abort();
		return;
	}
	if (!tq_image_valid(h, isize, &err))
		abort();
	tx_buf_init(&a, 64);
	tq_format(h, &a);
	h2 = tq_compile(a.data, a.len, false, 0, tq_simple_analyze, NULL, &isize2, &err);
	if (h2 == NULL)
	{
		fprintf(stderr, "canonical form does not parse: [%s]: %s\n", a.data, err.message);
		abort();
	}
	tx_buf_init(&b, 64);
	tq_format(h2, &b);
	if (strcmp(a.data, b.data) != 0)
	{
		fprintf(stderr, "canonical form is not stable: [%s] -> [%s]\n", a.data, b.data);
		abort();
	}
	if (tq_is_flat(h) != tq_is_flat(h2))
	{
		fprintf(stderr, "a plain AND/OR and its canonical form disagree: [%s]\n", a.data);
		abort();
	}
	tx_buf_reset(&b);
	tq_format_tsquery(h, &b);
	(void) tq_evaluate(h, positions, NULL);
	n = tq_match_spans(h, positions, NULL, &spans);
	if (n > 0)
		tx_free(spans);
	(void) tq_speaker_match(h, "Anna Fifield", 12);
	tx_buf_free(&a);
	tx_buf_free(&b);
	tx_free(h);
	tx_free(h2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, false);
	check(data, size, true);
	return 0;
}
