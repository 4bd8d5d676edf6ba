/*
 * analyze.h
 *	  Text analysis for the search parts: the ICU tokenizer followed by a
 *	  text search configuration's dictionaries.
 *
 * tx_analyze gives the same lexemes as to_tsvector(cfg, s) does with the
 * transcripts parser (the parser emits the tokenizer's normalized forms and
 * both run them through the same dictionaries).  Positions differ only for
 * hyphenated compounds: here the whole shares the position of its first
 * part and the parts take consecutive positions (self-reliance -> whole at
 * p, self at p, reliance at p+1), while PostgreSQL's parsetext gives every
 * token its own position (p, p+1, p+2).  Stop words keep their position
 * (lexeme NULL); tokens no dictionary recognizes, and tokens of 2047 bytes
 * or more (as to_tsvector), are left out and take no position.  A
 * dictionary that returns several lexemes for a token gives several
 * TxTokens with the same position and offsets.  Thesaurus phrases are not
 * matched (each token is looked up on its own).
 */
#ifndef TX_ANALYZE_H
#define TX_ANALYZE_H

#include "postgres.h"

typedef struct TxToken
{
	int32		start;			/* byte offset of the token in the input */
	int32		end;			/* byte offset just past it */
	int32		pos;			/* 1-based word position (phrase/proximity) */
	int16		type;			/* parser token type id */
	int16		lexlen;			/* bytes of lexeme, 0 when a stop word was
								 * dropped */
	char	   *lexeme;			/* analysed lexeme (folded + stemmed),
								 * NUL-terminated, NULL for stop words;
								 * tokens may share the bytes: read only */
} TxToken;

typedef struct TxAnalysis
{
	TxToken    *tokens;
	int			ntokens;
} TxAnalysis;

/* OID of @extschema@.transcripts (cached per backend; reset when any text
 * search configuration changes). */
extern Oid	tx_default_config(void);

/*
 * Tokenize s[0..len) with the ICU parser and run each token through cfg's
 * dictionaries, in CurrentMemoryContext (one array of tokens and one block
 * of lexeme bytes).  cfg must use @extschema@.transcripts_parser (22023
 * otherwise).  Interruptible; nothing outlives an error but memory of
 * CurrentMemoryContext and a small per-backend tokenizer.
 */
extern void tx_analyze(Oid cfg, const char *s, int len, TxAnalysis *out);

/*
 * The same walk for matching only: no lexemes are copied out.  For each
 * token that tx_analyze would return (once per token even when a dictionary
 * gives several lexemes), emit(start, end, pos, mask, emit_arg) is called
 * in order, mask being classify(lexemes, nlex, classify_arg) for its
 * lexemes (nlex NUL-terminated strings one after another), 0 for a stop
 * word.  classify must be a function of the lexemes alone for a given
 * stamp: its answers are kept in the per-backend lexeme cache under stamp
 * (from tx_lexcache_new_stamp; 0 = do not keep) and reused for the same
 * token text.  first_bytes, when not NULL, is a set of 256 bits: classify
 * answers 0 for a single lexeme whose first byte is not in it (so that it
 * need not be called for such words).  When a token's dictionaries start
 * with a simple dictionary that accepts every word (Accept = true) and its
 * text is ASCII without capitals, the text is its lexeme unless it is a
 * stop word: classify is then asked about the text as one lexeme, and the
 * lexeme cache only when the answer is not 0.
 */
typedef uint32 (*TxClassifyFn) (const char *lexemes, int nlex, void *arg);
typedef void (*TxEmitFn) (int32 start, int32 end, int32 pos, uint32 mask, void *arg);

extern void tx_analyze_scan(Oid cfg, const char *s, int len, uint32 stamp,
							TxClassifyFn classify, void *classify_arg,
							const uint8 *first_bytes,
							TxEmitFn emit, void *emit_arg);

/*
 * tx_analyze_scan for a classify that answers something for (almost) every
 * lexeme, such as an index build giving term numbers: every token with
 * dictionaries is looked up in the lexeme cache, which keeps the answers;
 * no text is taken for its own lexeme.
 */
extern void tx_analyze_scan_all(Oid cfg, const char *s, int len, uint32 stamp,
								TxClassifyFn classify, void *classify_arg,
								TxEmitFn emit, void *emit_arg);

/* a stamp no earlier tx_analyze_scan caller used (wraps after 2^32) */
extern uint32 tx_lexcache_new_stamp(void);

/*
 * A number that changes whenever a text search configuration, dictionary or
 * template changes (once anything was analysed in the backend): what was
 * analysed before may not hold after.
 */
extern uint64 tx_ts_generation(void);

/* Character (not byte) offset for a byte offset, for user-facing offsets:
 * the number of characters in s[0..byte_offset). */
extern int32 tx_char_offset(const char *s, int32 byte_offset);

/*
 * The same, moving forward through one text: a cursor remembers the last
 * byte/character offset pair so that increasing offsets cost only the bytes
 * in between.  Start it with memset 0 (or tx_char_cursor_init).
 */
typedef struct TxCharCursor
{
	const char *s;
	int32		byte;
	int32		chr;
} TxCharCursor;

extern void tx_char_cursor_init(TxCharCursor *c, const char *s);
extern int32 tx_char_cursor_offset(TxCharCursor *c, int32 byte_offset);

/* Name of a token type of the transcripts parser ("word"), NULL if none. */
extern const char *tx_token_type_alias(int type);

#endif							/* TX_ANALYZE_H */
