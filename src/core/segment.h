/*
 * segment.h
 *	  The transcript segmenter (core, no PostgreSQL headers): raw transcript
 *	  text in one of several common layouts becomes an array of speaker turns.
 *
 *	  seg_result	r;
 *	  tx_error		err;
 *	  seg_format	f;
 *
 *	  if (!seg_format_from_name("auto", &f, &err) ||
 *		  !segment_transcript(raw, len, f, &r, &err))
 *		  ... report err ...
 *	  for (i = 0; i < r.nturns; i++) ... SEG_SPEAKER(&r, &r.turns[i]) ...
 *	  seg_result_free(&r);
 *
 * Every stage is one linear pass over the input (or over its lines); label
 * recognition looks ahead a bounded number of bytes, so the whole run is
 * O(n) in time and memory.  All memory comes from tx_alloc.
 */
#ifndef SEGMENT_H
#define SEGMENT_H

#include "tx_core.h"

typedef enum seg_format
{
	SEG_AUTO = 0,
	SEG_TEXT,					/* prose with labels: PDF text, scripts, Rev, Otter */
	SEG_VTT,					/* WebVTT (also Zoom's transcript.vtt) */
	SEG_SRT,					/* SubRip */
	SEG_HEARING,				/* congressional hearings and floor records */
	SEG_COURT					/* court transcripts with Q/A examination */
} seg_format;

#define SEG_NO_TIME		INT64_MIN
#define SEG_MAX_MS		INT64_C(359999999999)	/* 99999:59:59.999, as a turn allows */

/* One speaker turn; body and affiliation are offsets into seg_result.text. */
typedef struct seg_turn
{
	int32_t		speaker;		/* index into names[], -1 = unknown */
	int32_t		affil_off;		/* -1 = none */
	int32_t		affil_len;
	int32_t		section;		/* index into names[], -1 = none */
	size_t		body_off;
	size_t		body_len;
	int64_t		start_ms;		/* SEG_NO_TIME = none */
	int64_t		end_ms;			/* SEG_NO_TIME = none */
	int32_t		line;			/* 1-based source line where the turn starts */
	int32_t		page;			/* 1-based page, 0 = pages not detectable */
	float		confidence;		/* 0..1: how sure the label decision is */
} seg_turn;

typedef struct seg_name
{
	size_t		off;			/* into text */
	size_t		len;
} seg_name;

typedef struct seg_result
{
	seg_format	format;			/* the format used (never SEG_AUTO) */
	seg_turn   *turns;
	size_t		nturns;
	size_t		cap;
	seg_name   *names;			/* speakers and sections, interned */
	size_t		nnames;
	size_t		names_cap;
	tx_buf		text;			/* bodies and affiliations */
	tx_buf		name_text;		/* names */
	void	   *priv;			/* builder state (hash of names) */
} seg_result;

#define SEG_STR(r, off)			((r)->text.data + (off))
#define SEG_NAME(r, i)			((r)->name_text.data + (r)->names[i].off)
#define SEG_NAME_LEN(r, i)		((r)->names[i].len)

/* Parse a format name ("auto", "text", "vtt", ...; aliases allowed). */
extern bool seg_format_from_name(const char *name, size_t len, seg_format *out, tx_error *err);

/* Canonical name of a format. */
extern const char *seg_format_name(seg_format f);

/* The accepted names, for error messages: "auto, text, ...". */
extern const char *seg_format_list(void);

/* Guess the format of raw text (looks at a bounded prefix). */
extern seg_format seg_detect(const char *raw, size_t len);

/*
 * Segment raw[0..len).  raw must be valid UTF-8 (it may contain NULs only
 * if len says so: they are treated as spaces).  On success fills *out
 * (caller frees with seg_result_free) and returns true.
 */
extern bool segment_transcript(const char *raw, size_t len, seg_format format,
							   seg_result *out, tx_error *err);

/*
 * A consumer of finished turns: called once per turn, in order, as soon as
 * the turn is complete.  SEG_STR(r, t->...) and the names are valid during
 * the call; the turn and its text are not valid after it returns (the
 * builder reuses their memory for the next turn).  The callback may leave
 * by longjmp (a PostgreSQL error) like the check_interrupts hook: the core
 * holds nothing a memory context reset would not free.
 *
 * While streaming, the SEG_BODY_HEADROOM bytes right before a turn's body
 * belong to the callback, and start at a multiple of 4 from r->text.data
 * (tx_alloc memory, aligned): a host can write a length word there and use
 * header and body as one value without copying the body.
 */
#define SEG_BODY_HEADROOM	4

typedef void (*seg_emit_fn) (void *arg, const seg_result *r, const seg_turn *t);

/*
 * segment_transcript, streaming: every turn goes to emit instead of into
 * out->turns, so the result never holds more than one turn's text (memory
 * O(input) for the lines only, not a second copy of every body).  On
 * return out->nturns is 0 and out->names holds every name; free out with
 * seg_result_free.  Turns and names are exactly those segment_transcript
 * returns.
 */
extern bool segment_transcript_stream(const char *raw, size_t len, seg_format format,
									  seg_result *out, seg_emit_fn emit, void *arg,
									  tx_error *err);

extern void seg_result_free(seg_result *r);

/*
 * Speaker identity key: lower case, dots dropped, runs of spaces, hyphens
 * and apostrophes collapsed, Latin diacritics folded (umlauts to ae/oe/ue,
 * so "Zühlke" and "Zuehlke" agree).  Appends to buf.
 */
extern void seg_name_key(const char *s, size_t len, tx_buf *buf);

#endif							/* SEGMENT_H */
