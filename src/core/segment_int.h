/*
 * segment_int.h
 *	  Internals shared by the segmenter's stages (not for the glue).
 */
#ifndef SEGMENT_INT_H
#define SEGMENT_INT_H

#include "segment.h"

#include <string.h>

/* ------------------------------------------------------------------ lines */

/* line kinds after the layout pass */
#define SEG_L_TEXT		0
#define SEG_L_BLANK		1
#define SEG_L_PAGENUM	2		/* page number or other page artefact */
#define SEG_L_HEADER	3		/* running header or footer */
#define SEG_L_SKIP		4		/* consumed otherwise (label, markup) */

/* line flags */
#define SEG_LF_PAGESTART	0x01	/* a page begins at (or just before) this line */
#define SEG_LF_FORMFEED		0x02
#define SEG_LF_NOLABEL		0x04	/* seg_read_label found no label here */

typedef struct seg_line
{
	size_t		off;			/* first byte (after indentation) */
	uint32_t	len;			/* bytes after indentation, trailing blanks trimmed */
	uint8_t		indent;			/* leading blanks (tabs count 1), capped at 255 */
	uint8_t		kind;
	uint8_t		flags;
	uint8_t		first;			/* first byte (0 for a blank line): tests that
								 * reject most lines need not touch the text */
} seg_line;

typedef struct seg_lines
{
	seg_line   *v;
	size_t		n;
} seg_lines;

/* Split text into lines (LF, CRLF or CR; form feeds mark pages). */
extern void seg_split_lines(const char *s, size_t len, seg_lines *out);

/* ---------------------------------------------------------------- builder */

typedef struct seg_builder
{
	seg_result *r;
	const char *src;			/* the raw input */
	long		cur;			/* index of the open turn, -1 = none */
	int			pending;		/* separator owed before the next text: 0, ' ', '\n' */
	int32_t		page;			/* current page (0 = unknown) */
	int32_t		section;		/* current section (-1 = none) */
	tx_buf		key;			/* scratch for name keys */
	tx_buf		clean;			/* scratch for cleaned labels */
	seg_emit_fn emit;			/* NULL = keep every turn in r */
	void	   *emit_arg;
} seg_builder;

extern void seg_builder_init(seg_builder *b, seg_result *r, const char *src);
extern void seg_builder_done(seg_builder *b);

/* Intern a speaker (identity by seg_name_key, display = first form seen). */
extern int32_t seg_speaker(seg_builder *b, const char *s, size_t len);

/* The same, with seg_name_key(s) already in key (-1 when keylen is 0). */
extern int32_t seg_speaker_key(seg_builder *b, const char *key, size_t keylen,
							   const char *s, size_t len);

/* Intern a section title (exact text). */
extern int32_t seg_section(seg_builder *b, const char *s, size_t len);

/* Close the open turn (trim its body; drop it if it has no text). */
extern void seg_end_turn(seg_builder *b);

/* Open a new turn (closing the previous one). */
extern seg_turn *seg_begin_turn(seg_builder *b, int32_t speaker,
								const char *affil, size_t affil_len,
								int32_t line, float confidence);

static inline seg_turn *
seg_current(seg_builder *b)
{
	return b->cur >= 0 ? &b->r->turns[b->cur] : NULL;
}

/* Append text to the open turn, after the pending separator. */
extern void seg_put(seg_builder *b, const char *s, size_t len);

/* Owe a separator: ' ' (word gap) or '\n' (paragraph); '\n' wins. */
static inline void
seg_sep(seg_builder *b, int c)
{
	if (c == '\n' || b->pending == 0)
		b->pending = c;
}

/* Append text with runs of blanks collapsed and control characters as spaces. */
extern void seg_put_clean(seg_builder *b, const char *s, size_t len);

/* ------------------------------------------------------------- utilities */

/*
 * Loops over lines whose step is bounded (or linear in the line) check for
 * interrupts on every 64th line: a check per line cost 3% of the run.
 */
#define SEG_CHECK_EVERY		63

static inline bool
seg_is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\0';
}

/* Decode one UTF-8 code point at s[*i] (bounded by len); advances *i. */
static inline int32_t
seg_next_cp(const char *s, size_t len, size_t *i)
{
	unsigned char c = (unsigned char) s[*i];
	int			n = tx_utf8_len(c);
	int32_t		cp;
	int			k;

	if (n == 1 || *i + n > len)
	{
		(*i)++;
		return c < 0x80 ? c : 0xFFFD;
	}
	cp = c & (0x7F >> n);
	for (k = 1; k < n; k++)
		cp = (cp << 6) | ((unsigned char) s[*i + k] & 0x3F);
	*i += n;
	return cp;
}

extern bool seg_cp_upper(int32_t cp);
extern bool seg_cp_lower(int32_t cp);
extern bool seg_cp_alpha(int32_t cp);

/*
 * Parse a time: [[H:]MM:]SS[.mmm|,mmm] or M:SS.  Returns the number of
 * bytes consumed (0 if none) and sets *ms.
 */
extern size_t seg_parse_time(const char *s, size_t len, int64_t *ms);

/* ------------------------------------------------------------- labels */

#define SEG_LABEL_MAX	200

typedef struct seg_label
{
	size_t		name_off;		/* absolute offsets into the input */
	size_t		name_len;
	char		affil[SEG_LABEL_MAX + 8];	/* affiliation text */
	size_t		affil_len;		/* 0 = none */
	size_t		body_off;		/* where the turn's text starts */
	int64_t		time_ms;		/* SEG_NO_TIME = none */
	int			ntokens;		/* name words, particles not counted */
	bool		role;			/* a generic role: Q, A, Audience, ... */
	bool		stopword;		/* first word is a function word (The, In, ...) */
	bool		own_line;		/* nothing follows the label on its line */
	bool		lower_after;	/* text after the label starts in lower case */
	bool		time_only;		/* "(02:10):" alone: same speaker continues */
	bool		otter;			/* "Name  0:00" header line */
	int			end_line;		/* index of the line holding body_off */
} seg_label;

/*
 * Can a label start with this byte (a line's first)?  Every label starts
 * with a capital letter, a time ("(", "[" or a digit) or Markdown bold ("*",
 * "_"); a line that starts with another ASCII byte holds none.
 */
static inline bool
seg_label_first_ok(unsigned char c0)
{
	return c0 >= 0x80 || (c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9') ||
		c0 == '(' || c0 == '[' || c0 == '*' || c0 == '_';
}

/*
 * Try to read a speaker label at the start of line li.  Looks at most
 * SEG_LABEL_MAX bytes ahead and at most two further lines.
 */
extern bool seg_read_label(const char *s, const seg_lines *lines, size_t li,
						   seg_label *out);

/*
 * A label inside a line of a cue or paragraph: "Name: text" or "[Name] text".
 * Sets the name span and where the text starts; false if none.
 */
extern bool seg_inline_label(const char *p, size_t n, size_t *name_len, size_t *text_start,
							 bool brackets);

/* Is this name (already trimmed) a generic role? */
extern bool seg_is_role(const char *s, size_t len);

/* The formats. */
extern void seg_run_text(seg_builder *b, const char *s, size_t len);
extern void seg_run_cues(seg_builder *b, const char *s, size_t len, bool srt);
extern void seg_run_hearing(seg_builder *b, const char *s, size_t len);
extern void seg_run_court(seg_builder *b, const char *s, size_t len);

/* Strip HTML markup to text in buf (for hearings published as HTML). */
extern void seg_html_to_text(const char *s, size_t len, tx_buf *buf);

#endif							/* SEGMENT_INT_H */
