/*
 * segment_cli.c
 *	  Runs the core segmenter on a file and prints one JSON object per turn
 *	  (for test/bench/segment_quality.py and for looking at results).
 *
 *	  cc -O2 -Isrc/core -o segment_cli test/bench/segment_cli.c src/core/[a-z_]*.c -licuuc
 *	  segment_cli FILE [FORMAT] [--time N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "segment.h"

static void
json_str(const char *s, size_t n)
{
	size_t		i;

	putchar('"');
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	char	   *buf;
	long		len;
	seg_format	fmt = SEG_AUTO;
	seg_result	r;
	tx_error	err;
	size_t		i;
	int			reps = 0;

	if (argc < 2)
	{
		fprintf(stderr, "usage: %s FILE [FORMAT] [--time N]\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f)
	{
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len + 1);
	if (fread(buf, 1, len, f) != (size_t) len)
		return 1;
	buf[len] = '\0';
	fclose(f);
	if (argc > 2 && !seg_format_from_name(argv[2], strlen(argv[2]), &fmt, &err))
	{
		fprintf(stderr, "%s (%s)\n", err.message, err.hint);
		return 1;
	}
	if (argc > 4 && strcmp(argv[3], "--time") == 0)
		reps = atoi(argv[4]);
	if (reps > 0)
	{
		struct timespec a,
					b;
		int			k;

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		for (k = 0; k < reps; k++)
		{
			segment_transcript(buf, len, fmt, &r, &err);
			seg_result_free(&r);
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		printf("%.1f MB/s (CPU time)\n", (double) len * reps / 1e6 /
			   ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9));
		return 0;
	}
	if (!segment_transcript(buf, len, fmt, &r, &err))
	{
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	for (i = 0; i < r.nturns; i++)
	{
		seg_turn   *t = &r.turns[i];

		printf("{\"ordinal\": %zu, \"line\": %d, \"page\": %d, \"confidence\": %.2f, \"speaker\": ",
			   i + 1, t->line, t->page, t->confidence);
		if (t->speaker >= 0)
			json_str(SEG_NAME(&r, t->speaker), SEG_NAME_LEN(&r, t->speaker));
		else
			fputs("null", stdout);
		fputs(", \"affiliation\": ", stdout);
		if (t->affil_off >= 0)
			json_str(SEG_STR(&r, t->affil_off), t->affil_len);
		else
			fputs("null", stdout);
		fputs(", \"section\": ", stdout);
		if (t->section >= 0)
			json_str(SEG_NAME(&r, t->section), SEG_NAME_LEN(&r, t->section));
		else
			fputs("null", stdout);
		printf(", \"start_ms\": %lld, \"end_ms\": %lld, \"body\": ",
			   t->start_ms == SEG_NO_TIME ? -1LL : (long long) t->start_ms,
			   t->end_ms == SEG_NO_TIME ? -1LL : (long long) t->end_ms);
		json_str(SEG_STR(&r, t->body_off), t->body_len);
		puts("}");
	}
	fprintf(stderr, "format %s, %zu turns\n", seg_format_name(r.format), r.nturns);
	seg_result_free(&r);
	free(buf);
	return 0;
}
