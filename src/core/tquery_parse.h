/*
 * tquery_parse.h
 *	  The transcripts query language (core, no PostgreSQL headers): parser,
 *	  compiler to a flat image, canonical output and boolean evaluation.
 *
 *	  president "trade war" OR tariffs -soybeans econom* NEAR/5(huawei ban)
 *	  speaker:"Anna Fifield"
 *
 * Grammar (OR binds tighter than the implicit AND, as in websearch_to_tsquery):
 *
 *	  query    := and_expr EOF
 *	  and_expr := or_expr ( [AND] or_expr )*
 *	  or_expr  := unary ( (OR | or | '|') unary )*
 *	  unary    := '-' primary | NOT unary | primary
 *	  primary  := '(' and_expr ')' | '"' words '"' | NEAR[/n] '(' member+ ')'
 *	            | speaker:Name | speaker:"Full Name" | word['*']
 *
 * A word is a run of characters other than white space, '"', '(', ')' and
 * '|'; a trailing '*' makes it a prefix.  A word the analyser splits into
 * several tokens ("e-mail") is a phrase.  Words are analysed by a callback
 * (the extension's text search configuration); stop words drop out.
 *
 * Lenient mode (websearch_to_tquery) accepts what websearch_to_tsquery
 * accepts and never reports a syntax error: only quotes, OR and '-' are
 * special; an unterminated quote ends at the end of the text.
 */
#ifndef TQUERY_PARSE_H
#define TQUERY_PARSE_H

#include "tx_core.h"

/* Documented limits (TX_ERR_LIMIT past them). */
#define TQ_MAX_QUERY_BYTES	65536	/* bytes of query text */
#define TQ_MAX_ITEMS		256		/* words in the query (phrase words count) */
#define TQ_MAX_DEPTH		32		/* nesting of parentheses and NOT */
#define TQ_MAX_NEAR			100		/* largest n in NEAR/n */
#define TQ_DEFAULT_NEAR		10		/* NEAR without /n */
#define TQ_MAX_SPEAKER		1000	/* bytes of a speaker filter */

#define TQ_FORMAT_VERSION	1

/* node kinds */
#define TQN_TERM	1			/* a word or phrase: items[first .. first+n) */
#define TQN_AND		2			/* kids[first .. first+n) */
#define TQN_OR		3
#define TQN_NOT		4			/* one kid */
#define TQN_NEAR	5			/* kids are TERM nodes; dist = n */

/* node flags */
#define TQNF_QUOTED		0x01	/* TERM typed as a "phrase" */

/* image flags */
#define TQF_NEEDS_POSITIONS	0x01	/* a phrase or NEAR is present */
#define TQF_HAS_SPEAKER		0x02

/*
 * The flat image: a tq_header followed by nodes, kids, items, terms and
 * strings, all int32-aligned.  This is what the tquery varlena stores after
 * its length word, so it must not contain pointers.
 */
typedef struct tq_node
{
	uint8_t		kind;
	uint8_t		flags;
	uint16_t	reserved;
	int32_t		dist;			/* NEAR distance */
	int32_t		first;			/* first kid (AND/OR/NOT/NEAR) or item (TERM) */
	int32_t		n;				/* number of kids or items */
	int32_t		raw_off;		/* TERM: text as typed (for output) */
	int32_t		raw_len;
} tq_node;

typedef struct tq_item
{
	int32_t		term;			/* index into the term table */
	int32_t		relpos;			/* word position relative to the TERM's first word */
} tq_item;

typedef struct tq_termrec
{
	int32_t		off;			/* analysed lexeme in strings */
	int32_t		len;
	int32_t		qtf;			/* occurrences in the query (0 when only excluded) */
	uint8_t		prefix;
	uint8_t		pad[3];
} tq_termrec;

typedef struct tq_header
{
	uint8_t		version;		/* TQ_FORMAT_VERSION */
	uint8_t		flags;			/* TQF_* */
	uint16_t	reserved;
	uint32_t	config;			/* text search configuration used (an Oid) */
	int32_t		root;			/* root node, -1 = no text condition */
	int32_t		nnodes;
	int32_t		nkids;
	int32_t		nitems;
	int32_t		nterms;			/* all distinct lexemes */
	int32_t		npositive;		/* the first npositive of them are not only excluded */
	int32_t		speaker_off;	/* speaker filter as typed, -1 = none */
	int32_t		speaker_len;
	int32_t		spkfold_off;	/* the same, case- and accent-folded */
	int32_t		spkfold_len;
	int32_t		strings_len;
} tq_header;

/* accessors on an image */
#define TQ_NODES(h)		((const tq_node *) ((const char *) (h) + sizeof(tq_header)))
#define TQ_KIDS(h)		((const int32_t *) (TQ_NODES(h) + (h)->nnodes))
#define TQ_ITEMS(h)		((const tq_item *) (TQ_KIDS(h) + (h)->nkids))
#define TQ_TERMS(h)		((const tq_termrec *) (TQ_ITEMS(h) + (h)->nitems))
#define TQ_STRINGS(h)	((const char *) (TQ_TERMS(h) + (h)->nterms))

/*
 * Analyser callback: analyse s[0..len) and append its tokens with
 * emit(lexeme, lexlen, pos, emit_arg) in order, pos being the 1-based word
 * position; stop words are not emitted but still advance pos.  Returns the
 * number of word positions used (the last pos), 0 for none.
 */
typedef void (*tq_emit_fn) (const char *lexeme, int lexlen, int pos, void *emit_arg);
typedef int (*tq_analyze_fn) (const char *s, int len, tq_emit_fn emit, void *emit_arg, void *arg);

/* A simple analyser for tests and fuzzing: ASCII letters and digits, lower-cased; "the a an of" are stop words. */
extern int	tq_simple_analyze(const char *s, int len, tq_emit_fn emit, void *emit_arg, void *arg);

/*
 * Parse and compile query text s[0..len) into a freshly tx_alloc'ed image of
 * *size bytes (a tq_header and what follows).  Returns NULL and fills *err on
 * bad input (TX_ERR_SYNTAX with the 1-based character position and a hint,
 * TX_ERR_LIMIT past a limit).  An empty query (or one whose words are all
 * stop words) compiles to root -1.
 */
extern tq_header *tq_compile(const char *s, size_t len, bool lenient, uint32_t config,
							 tq_analyze_fn analyze, void *analyze_arg,
							 size_t *size, tx_error *err);

/* Check an image received from outside (sizes, indexes, acyclic tree). */
extern bool tq_image_valid(const tq_header *h, size_t size, tx_error *err);

/* Append the canonical text form of an image (parses back to the same query). */
extern void tq_format(const tq_header *h, tx_buf *out);

/* Append a debugging form with the analysed lexemes: 'presid' & ('trade' <-> 'war'). */
extern void tq_format_tsquery(const tq_header *h, tx_buf *out);

/*
 * Evaluate the text condition for one document.  positions(term, &npos, arg)
 * returns the sorted 1-based positions of term (an index into TQ_TERMS,
 * which may be an excluded-only term >= npositive) in the document.  A query
 * without a text condition evaluates to true when it has a speaker filter and
 * false otherwise.
 */
typedef const int32_t *(*tq_positions_fn) (int term, int *npos, void *arg);
extern bool tq_evaluate(const tq_header *h, tq_positions_fn positions, void *arg);

/*
 * Is the text condition a plain AND or OR of single words (or one word),
 * with no phrase, NEAR, NOT or prefix?  Then a document matches exactly when
 * it contains all (AND) or any (OR) of the terms, and a caller that found it
 * by those terms' lists need not evaluate the condition again.
 */
extern bool tq_is_flat(const tq_header *h);

/*
 * The occurrences that make the document match, for highlighting and
 * scoring: spans of word positions [start, end] (a phrase occurrence is one
 * span), sorted by start.  Only positive terms contribute; a NEAR
 * contributes only occurrences that lie in a window satisfying it.  Returns
 * the number of spans in a tx_alloc'ed array (caller frees), or 0.
 */
typedef struct tq_span
{
	int32_t		start;
	int32_t		end;
	int32_t		node;			/* the TERM node */
} tq_span;
extern int	tq_match_spans(const tq_header *h, tq_positions_fn positions, void *arg,
						   tq_span **spans);

/* The folded form of a speaker label and the filter test (case- and accent-insensitive, whole words). */
extern char *tq_fold_speaker(const char *s, size_t len, size_t *outlen);
extern bool tq_speaker_match(const tq_header *h, const char *speaker, size_t len);

#endif							/* TQUERY_PARSE_H */
