/*
 * tokenize.h
 *	  The ICU-based tokenizer behind the transcripts text search parser.
 *
 * Input is UTF-8 (invalid bytes are read as U+FFFD and never produce a
 * token).  The text is cut into spans at ASCII white space; a span made of
 * ASCII, U+0080..U+02FF (Latin-1, Latin Extended-A/B, IPA, modifier
 * letters) and the curly quotes, dashes and ellipsis that transcripts use
 * everywhere goes through a table-driven scanner that applies the UAX #29
 * word rules for those characters (classes and normalized forms come from
 * ICU at start-up), any other span through ICU's word break iterator
 * (UAX #29 plus dictionary segmentation of Chinese, Japanese, Thai, Lao,
 * Khmer and Burmese) and ICU's normalizers.  Both paths yield the same
 * tokens (the fuzzer and the unit tests compare them with
 * tx_tokenizer_force_icu).
 *
 * On top of the word segments:
 *	- numbers joined by single slashes make one mixed token: 24/7, 9/11;
 *	- segments joined by single hyphens (U+002D, U+2010, U+2011) make a
 *	  compound: the whole (self-reliance) comes first and shares the position
 *	  of its first part, then the parts (self, reliance) at consecutive
 *	  positions; more than TX_COMPOUND_MAX_PARTS parts give parts only.
 *
 * Every token carries byte offsets into the ORIGINAL input and a normalized
 * form: NFKC, full case folding (ß -> ss), accents removed (combining marks
 * of the Latin/Greek/Cyrillic diacritic blocks after NFD, so doñate ->
 * donate), curly apostrophes made ASCII, and a final 's or ' removed
 * (Ren's -> ren); inner apostrophes stay (don't).
 *
 * ICU objects: the break iterator is opened once per process and shared by
 * every tokenizer (a span is segmented completely inside one call, so
 * tokenizers may interleave); normalizers are ICU singletons.  A tokenizer
 * therefore owns memory only (tx_alloc), and tx_tokenizer_free releases it.
 */
#ifndef TX_TOKENIZE_H
#define TX_TOKENIZE_H

#include "tx_core.h"

/*
 * Token types.  The numbers are the text search parser's token type ids;
 * they follow PostgreSQL's default parser where the meaning matches, because
 * pg_catalog.prsd_headline treats 12 as space and skips 15 and 17 (the
 * compound wholes, whose parts it shows instead).
 */
typedef enum tx_token_type
{
	TX_TOKEN_WORD = 1,			/* letters: hello, doñate, straße */
	TX_TOKEN_NUMBER = 2,		/* digits: 42, 3.14, 1,000 */
	TX_TOKEN_MIXED = 3,			/* letters and digits (5g, mp3), or numbers
								 * joined by slashes (24/7) */
	TX_TOKEN_DICT = 4,			/* word of a script written without spaces,
								 * from ICU's dictionaries: 日本語, ภาษา */
	TX_TOKEN_NUMPART = 9,		/* part with digits of a compound: 19 */
	TX_TOKEN_PART = 10,			/* part of a compound: self, reliance */
	TX_TOKEN_BLANK = 12,		/* space, punctuation, symbols (the parser
								 * glue emits these; the core does not) */
	TX_TOKEN_NUMCOMPOUND = 15,	/* compound with digits, whole: covid-19 */
	TX_TOKEN_COMPOUND = 17		/* compound, whole: self-reliance */
} tx_token_type;

#define TX_TOKEN_MAXTYPE 17
#define TX_COMPOUND_MAX_PARTS 16

/* Name ("word") and description of a token type; NULL for unknown ids. */
extern const char *tx_token_type_name(int type);
extern const char *tx_token_type_description(int type);

typedef struct tx_token
{
	size_t		start;			/* byte offset of the token in the input */
	size_t		end;			/* byte offset just past it */
	const char *norm;			/* normalized form, NUL-terminated; valid
								 * until the next reset or free */
	size_t		normlen;		/* its length in bytes (> 0) */
	int			type;			/* tx_token_type */
	int			pos;			/* 1-based word position */
} tx_token;

typedef struct tx_tokenizer tx_tokenizer;

/* A tokenizer with no input yet. */
extern tx_tokenizer *tx_tokenizer_new(void);

/*
 * Start on new input s[0..len).  The input must stay unchanged until the
 * tokenizer is done with it; normalized forms of the previous input become
 * invalid.
 */
extern void tx_tokenizer_reset(tx_tokenizer *tk, const char *s, size_t len);

/*
 * The next token: 1 and *tok filled, 0 at the end of the input, -1 when ICU
 * failed (err filled; cannot happen short of running out of memory).
 * Tokens come in text order; a compound whole precedes its parts.
 */
extern int	tx_tokenizer_next(tx_tokenizer *tk, tx_token *tok, tx_error *err);

/*
 * The next tokens, up to max of them, into out[]: their number (fewer than
 * max only at the end of the input, 0 there), or -1 when ICU failed (err
 * filled).  The same tokens as calls of tx_tokenizer_next, in one call.
 */
extern int	tx_tokenizer_next_batch(tx_tokenizer *tk, tx_token *out, int max, tx_error *err);

/* Release everything the tokenizer owns; NULL is accepted. */
extern void tx_tokenizer_free(tx_tokenizer *tk);

/* Testing aid: send every span through ICU's break iterator and the full
 * normalization pipeline, bypassing the scanner and every shortcut. */
extern void tx_tokenizer_force_icu(tx_tokenizer *tk, bool force);

/* Close the process-wide ICU break iterator (tests and fuzzers, at exit). */
extern void tx_tokenize_shutdown(void);

#endif							/* TX_TOKENIZE_H */
