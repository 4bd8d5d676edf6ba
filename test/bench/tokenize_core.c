/*
 * tokenize_core.c
 *	  Throughput of the core tokenizer alone (no PostgreSQL): reads one text
 *	  per line, tokenizes each line the given number of times, prints MB/s of
 *	  CPU time.  Built and run by test/bench/tokenize.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tokenize.h"

int
main(int argc, char **argv)
{
	FILE	   *f;
	char	   *buf;
	long		n;
	int			rounds = argc > 2 ? atoi(argv[2]) : 3;
	int			r;
	long		tokens = 0;
	double		best = 0;
	tx_tokenizer *tk;

	if (argc < 2 || (f = fopen(argv[1], "rb")) == NULL)
	{
		fprintf(stderr, "usage: tokenize_core FILE [ROUNDS]\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	if (buf == NULL || fread(buf, 1, n, f) != (size_t) n)
		return 2;
	fclose(f);

	tk = tx_tokenizer_new();
	for (r = 0; r < rounds; r++)
	{
		struct timespec t0,
					t1;
		char	   *p = buf,
				   *end = buf + n;
		tx_token	t;
		tx_error	err;
		double		secs;

		tokens = 0;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		while (p < end)
		{
			char	   *nl = memchr(p, '\n', end - p);

			if (nl == NULL)
				nl = end;
			tx_tokenizer_reset(tk, p, nl - p);
			while (tx_tokenizer_next(tk, &t, &err) == 1)
				tokens++;
			p = nl + 1;
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (best == 0 || secs < best)
			best = secs;
	}
	printf("%-52s %8.1f MB/s  (%ld tokens, %.1f MB)\n", "core tokenizer (C, no PostgreSQL)",
		   n / 1e6 / best, tokens, n / 1e6);
	tx_tokenizer_free(tk);
	tx_tokenize_shutdown();
	free(buf);
	return 0;
}
