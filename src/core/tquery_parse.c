/*
 * tquery_parse.c
 *	  The transcripts query language: parser, compiler to a flat image,
 *	  canonical output and evaluation.  See tquery_parse.h for the grammar.
 *
 * Parsing builds a small tree of raw nodes (in an arena freed at the end),
 * checks it (speaker filter placement, no query or OR alternative made of
 * exclusions only), then compiles it: every word or phrase is analysed into
 * lexemes with relative word positions, stop words drop out, and the result
 * is laid out flat so that the varlena can be evaluated in place.
 */
#include "tquery_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* ------------------------------------------------------------------ arena */

typedef struct arena_block
{
	struct arena_block *next;
	size_t		used;
	size_t		cap;
	char		data[];
} arena_block;

typedef struct arena
{
	arena_block *head;
} arena;

static void *
arena_alloc(arena *a, size_t size)
{
	arena_block *b = a->head;

	size = (size + 7) & ~(size_t) 7;
	if (b == NULL || b->cap - b->used < size)
	{
		size_t		cap = size > 8192 ? size : 8192;

		b = tx_alloc(sizeof(arena_block) + cap);
		b->next = a->head;
		b->used = 0;
		b->cap = cap;
		a->head = b;
	}
	b->used += size;
	return b->data + b->used - size;
}

static void
arena_free(arena *a)
{
	while (a->head)
	{
		arena_block *next = a->head->next;

		tx_free(a->head);
		a->head = next;
	}
}

/* ------------------------------------------------------------------ raw tree */

#define RN_SPEAKER	100

typedef struct rnode
{
	int			kind;			/* TQN_* or RN_SPEAKER */
	size_t		pos;			/* byte offset in the query text */
	const char *text;			/* TERM: word or phrase body; SPEAKER: name */
	int			len;
	bool		quoted;
	int			dist;
	struct rnode **kids;
	int			nkids;
	int			capkids;
} rnode;

typedef struct parser
{
	const char *s;
	size_t		len;
	size_t		i;
	bool		lenient;
	int			depth;
	int			nwords;
	tx_error   *err;
	arena		mem;
} parser;

static rnode *
new_node(parser *p, int kind, size_t pos)
{
	rnode	   *n = arena_alloc(&p->mem, sizeof(rnode));

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->pos = pos;
	return n;
}

static void
add_kid(parser *p, rnode *parent, rnode *kid)
{
	if (parent->nkids == parent->capkids)
	{
		int			cap = parent->capkids ? parent->capkids * 2 : 4;
		rnode	  **k = arena_alloc(&p->mem, sizeof(rnode *) * cap);

		if (parent->nkids)
			memcpy(k, parent->kids, sizeof(rnode *) * parent->nkids);
		parent->kids = k;
		parent->capkids = cap;
	}
	parent->kids[parent->nkids++] = kid;
}

/* add kid to parent, splicing in its children when it is of the parent's kind */
static void
add_flattened(parser *p, rnode *parent, rnode *kid)
{
	int			j;

	if (kid->kind != parent->kind)
	{
		add_kid(p, parent, kid);
		return;
	}
	for (j = 0; j < kid->nkids; j++)
		add_kid(p, parent, kid->kids[j]);
}

static long
charpos(parser *p, size_t off)
{
	return tx_char_position(p->s, off);
}

static bool
fail(parser *p, tx_errcode code, size_t off, const char *hint, const char *msg)
{
	tx_error_set(p->err, code, charpos(p, off), "%s", msg);
	if (hint)
		tx_error_hint(p->err, "%s", hint);
	return false;
}

/* ------------------------------------------------------------------ lexing */

static bool
is_space_at(parser *p, size_t i)
{
	unsigned char c = (unsigned char) p->s[i];

	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		return true;
	/* U+00A0 NO-BREAK SPACE */
	if (c == 0xC2 && i + 1 < p->len && (unsigned char) p->s[i + 1] == 0xA0)
		return true;
	if (p->lenient && (c == '(' || c == ')' || c == '*'))
		return true;
	return false;
}

static size_t
space_len(parser *p, size_t i)
{
	return ((unsigned char) p->s[i] == 0xC2) ? 2 : 1;
}

static void
skip_space(parser *p)
{
	while (p->i < p->len && is_space_at(p, p->i))
	{
		tx_check_interrupts();
		p->i += space_len(p, p->i);
	}
}

/* does a word end at byte i? */
static bool
word_end(parser *p, size_t i)
{
	char		c;

	if (i >= p->len)
		return true;
	c = p->s[i];
	return is_space_at(p, i) || c == '"' || c == '(' || c == ')' || c == '|';
}

/* length of the word at p->i */
static size_t
word_len(parser *p)
{
	size_t		j = p->i;

	while (!word_end(p, j))
		j++;
	return j - p->i;
}

static bool
word_is(parser *p, size_t wl, const char *kw, bool nocase)
{
	size_t		n = strlen(kw);

	if (wl != n)
		return false;
	if (nocase)
	{
		size_t		k;

		for (k = 0; k < n; k++)
		{
			char		c = p->s[p->i + k];

			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (c != kw[k])
				return false;
		}
		return true;
	}
	return memcmp(p->s + p->i, kw, n) == 0;
}

/* token classes looked at without consuming */
typedef enum
{
	T_EOF, T_WORD, T_PHRASE, T_LPAREN, T_RPAREN, T_OR, T_AND, T_NOT, T_MINUS,
	T_NEAR, T_SPEAKER
} toktype;

static toktype
peek(parser *p)
{
	char		c;
	size_t		wl;

	skip_space(p);
	if (p->i >= p->len)
		return T_EOF;
	c = p->s[p->i];
	if (c == '"')
		return T_PHRASE;
	if (c == '(')
		return T_LPAREN;
	if (c == ')')
		return T_RPAREN;
	if (c == '|')
		return T_OR;
	if (c == '-' && p->i + 1 < p->len && !is_space_at(p, p->i + 1))
		return T_MINUS;
	if (c == '-' && p->lenient)
	{
		/* websearch_to_tsquery reads "- word" as an exclusion too */
		size_t		j = p->i + 1;

		while (j < p->len && is_space_at(p, j))
			j += space_len(p, j);
		if (j < p->len && p->s[j] != '-')
			return T_MINUS;
	}
	wl = word_len(p);
	if (word_is(p, wl, "or", true))
		return T_OR;
	if (p->lenient)
		return T_WORD;
	if (word_is(p, wl, "AND", false))
		return T_AND;
	if (word_is(p, wl, "NOT", false))
		return T_NOT;
	if (p->len - p->i >= 5 && memcmp(p->s + p->i, "NEAR", 4) == 0 &&
		(p->s[p->i + 4] == '(' || p->s[p->i + 4] == '/'))
		return T_NEAR;
	if (wl >= 8 && strncasecmp(p->s + p->i, "speaker:", 8) == 0)
		return T_SPEAKER;
	return T_WORD;
}

static bool
count_word(parser *p, size_t pos)
{
	if (++p->nwords > TQ_MAX_ITEMS)
	{
		char		msg[128];

		snprintf(msg, sizeof(msg), "too many terms in query (more than %d)", TQ_MAX_ITEMS);
		return fail(p, TX_ERR_LIMIT, pos,
					"Split the search into several queries.", msg);
	}
	return true;
}

/* ------------------------------------------------------------------ parsing */

static rnode *parse_and(parser *p, bool in_paren, size_t open_pos);

/* a bare word at p->i (already known to be one); handles the trailing '*' */
static rnode *
parse_word(parser *p)
{
	size_t		wl = word_len(p);
	rnode	   *n = new_node(p, TQN_TERM, p->i);

	n->text = p->s + p->i;
	n->len = (int) wl;
	p->i += wl;
	if (!count_word(p, n->pos))
		return NULL;
	return n;
}

/* a "phrase" at p->i (the opening quote) */
static rnode *
parse_phrase(parser *p)
{
	size_t		open = p->i;
	const char *close = memchr(p->s + open + 1, '"', p->len - open - 1);
	rnode	   *n = new_node(p, TQN_TERM, open);
	size_t		end;
	size_t		k;

	if (close == NULL)
	{
		if (!p->lenient)
		{
			fail(p, TX_ERR_SYNTAX, open, "Close the phrase with a double quote.",
				 "unterminated phrase");
			return NULL;
		}
		end = p->len;
		p->i = p->len;
	}
	else
	{
		end = close - p->s;
		p->i = end + 1;
	}
	n->text = p->s + open + 1;
	n->len = (int) (end - open - 1);
	n->quoted = true;
	/* each white-space separated word counts toward the limit */
	for (k = open + 1; k < end; k++)
	{
		tx_check_interrupts();
		if (!is_space_at(p, k) && (k == open + 1 || is_space_at(p, k - 1)))
		{
			if (!count_word(p, k))
				return NULL;
		}
	}
	return n;
}

static rnode *
parse_near(parser *p)
{
	size_t		start = p->i;
	rnode	   *n = new_node(p, TQN_NEAR, start);

	p->i += 4;
	n->dist = TQ_DEFAULT_NEAR;
	if (p->s[p->i] == '/')
	{
		long		d = 0;
		size_t		digits = 0;

		p->i++;
		while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		{
			if (d <= TQ_MAX_NEAR)
				d = d * 10 + (p->s[p->i] - '0');
			p->i++;
			digits++;
		}
		if (digits == 0)
		{
			fail(p, TX_ERR_SYNTAX, p->i, "Write NEAR/5(word word) for words at most 5 words apart.",
				 "NEAR/ must be followed by a number");
			return NULL;
		}
		if (d > TQ_MAX_NEAR)
		{
			char		msg[96];

			snprintf(msg, sizeof(msg), "NEAR distance must be between 0 and %d", TQ_MAX_NEAR);
			fail(p, TX_ERR_SYNTAX, p->i - digits, NULL, msg);
			return NULL;
		}
		n->dist = (int) d;
	}
	if (p->i >= p->len || p->s[p->i] != '(')
	{
		fail(p, TX_ERR_SYNTAX, p->i, "Write NEAR/5(word word) for words at most 5 words apart.",
			 "NEAR must be followed by a parenthesis");
		return NULL;
	}
	p->i++;
	for (;;)
	{
		toktype		t;
		rnode	   *m;

		tx_check_interrupts();
		t = peek(p);
		if (t == T_RPAREN)
		{
			p->i++;
			break;
		}
		if (t == T_EOF)
		{
			fail(p, TX_ERR_SYNTAX, start, "Add a ')' after the last term of the NEAR group.",
				 "NEAR group is not closed");
			return NULL;
		}
		if (t == T_PHRASE)
			m = parse_phrase(p);
		else if (t == T_WORD || t == T_AND || t == T_NOT)
			m = parse_word(p);
		else
		{
			fail(p, TX_ERR_SYNTAX, p->i, "Write NEAR(word \"a phrase\" word): no OR, exclusions, groups or speaker filters inside.",
				 "NEAR takes only words and phrases");
			return NULL;
		}
		if (m == NULL)
			return NULL;
		add_kid(p, n, m);
	}
	if (n->nkids < 2)
	{
		fail(p, TX_ERR_SYNTAX, start, "Write NEAR/5(word word) for words at most 5 words apart.",
			 "NEAR needs at least two terms");
		return NULL;
	}
	return n;
}

static rnode *
parse_speaker(parser *p)
{
	size_t		start = p->i;
	rnode	   *n = new_node(p, RN_SPEAKER, start);

	p->i += 8;
	if (p->i < p->len && p->s[p->i] == '"')
	{
		const char *close = memchr(p->s + p->i + 1, '"', p->len - p->i - 1);

		if (close == NULL)
		{
			fail(p, TX_ERR_SYNTAX, p->i, "Close the speaker name with a double quote.",
				 "unterminated speaker name");
			return NULL;
		}
		n->text = p->s + p->i + 1;
		n->len = (int) (close - n->text);
		p->i = close - p->s + 1;
	}
	else
	{
		size_t		wl = word_len(p);

		n->text = p->s + p->i;
		n->len = (int) wl;
		p->i += wl;
	}
	/* blank names are empty */
	{
		int			k;
		bool		blank = true;

		for (k = 0; k < n->len; k++)
			if (n->text[k] != ' ' && n->text[k] != '\t' && n->text[k] != '\n' && n->text[k] != '\r')
				blank = false;
		if (blank)
		{
			fail(p, TX_ERR_SYNTAX, start, "Write speaker:Name or speaker:\"Full Name\".",
				 "empty speaker name");
			return NULL;
		}
	}
	if (n->len > TQ_MAX_SPEAKER)
	{
		char		msg[96];

		snprintf(msg, sizeof(msg), "speaker name is too long (more than %d bytes)", TQ_MAX_SPEAKER);
		fail(p, TX_ERR_LIMIT, start, NULL, msg);
		return NULL;
	}
	return n;
}

static rnode *parse_unary(parser *p);

static rnode *
parse_primary(parser *p)
{
	toktype		t = peek(p);

	switch (t)
	{
		case T_LPAREN:
			{
				size_t		open = p->i;
				rnode	   *n;

				p->i++;
				n = parse_and(p, true, open);
				if (n == NULL)
					return NULL;
				if (n->nkids == 0)
				{
					fail(p, TX_ERR_SYNTAX, open, "Put at least one term between the parentheses.",
						 "empty parentheses");
					return NULL;
				}
				return n->nkids == 1 ? n->kids[0] : n;
			}
		case T_PHRASE:
			return parse_phrase(p);
		case T_NEAR:
			return parse_near(p);
		case T_SPEAKER:
			return parse_speaker(p);
		case T_WORD:
			return parse_word(p);
		default:
			/* callers only get here with a term ahead */
			fail(p, TX_ERR_SYNTAX, p->i, NULL, "a term was expected");
			return NULL;
	}
}

static bool
term_follows(parser *p, toktype t)
{
	return t == T_WORD || t == T_PHRASE || t == T_LPAREN || t == T_MINUS ||
		t == T_NOT || t == T_NEAR || t == T_SPEAKER;
}

static rnode *
parse_unary(parser *p)
{
	toktype		t = peek(p);
	size_t		start = p->i;

	if (t == T_MINUS || t == T_NOT)
	{
		rnode	   *n = new_node(p, TQN_NOT, start);
		rnode	   *k;

		p->i += (t == T_MINUS) ? 1 : 3;
		if (++p->depth > TQ_MAX_DEPTH)
		{
			char		msg[96];

			snprintf(msg, sizeof(msg), "query is nested too deeply (more than %d levels)", TQ_MAX_DEPTH);
			fail(p, TX_ERR_LIMIT, start, NULL, msg);
			return NULL;
		}
		t = peek(p);
		if (!term_follows(p, t))
		{
			if (p->lenient)
			{
				p->depth--;
				return NULL;	/* caller skips */
			}
			fail(p, TX_ERR_SYNTAX, start, "Write -word to exclude a word, as in: tariffs -soybeans.",
				 "NOT needs a term after it");
			return NULL;
		}
		k = parse_unary(p);
		p->depth--;
		if (k == NULL)
			return NULL;
		add_kid(p, n, k);
		return n;
	}
	return parse_primary(p);
}

static rnode *
parse_or(parser *p)
{
	rnode	   *first = parse_unary(p);
	rnode	   *n = NULL;

	if (first == NULL)
		return NULL;
	for (;;)
	{
		size_t		at;
		toktype		t;

		tx_check_interrupts();
		t = peek(p);
		if (t != T_OR)
			break;
		at = p->i;
		p->i += (p->s[p->i] == '|') ? 1 : 2;
		t = peek(p);
		if (!term_follows(p, t))
		{
			if (p->lenient)
				continue;		/* a dangling "or" is ignored */
			fail(p, TX_ERR_SYNTAX, at, "Write OR between two terms, as in: tariffs OR sanctions.",
				 "OR needs a term on each side");
			return NULL;
		}
		if (n == NULL)
		{
			n = new_node(p, TQN_OR, first->pos);
			add_kid(p, n, first);
		}
		{
			rnode	   *k = parse_unary(p);

			if (k == NULL)
			{
				if (p->lenient && p->err->code == TX_OK)
					continue;
				return NULL;
			}
			add_flattened(p, n, k);
		}
	}
	return n ? n : first;
}

static rnode *
parse_and(parser *p, bool in_paren, size_t open_pos)
{
	rnode	   *n = new_node(p, TQN_AND, p->i);

	if (in_paren && ++p->depth > TQ_MAX_DEPTH)
	{
		char		msg[96];

		snprintf(msg, sizeof(msg), "query is nested too deeply (more than %d levels)", TQ_MAX_DEPTH);
		fail(p, TX_ERR_LIMIT, open_pos, NULL, msg);
		return NULL;
	}
	for (;;)
	{
		toktype		t;
		rnode	   *k;

		tx_check_interrupts();
		t = peek(p);
		if (t == T_EOF)
		{
			if (in_paren)
			{
				fail(p, TX_ERR_SYNTAX, open_pos, "Add a ')' or remove the '('.",
					 "parenthesis is not closed");
				return NULL;
			}
			break;
		}
		if (t == T_RPAREN)
		{
			if (in_paren)
			{
				p->i++;
				break;
			}
			fail(p, TX_ERR_SYNTAX, p->i, "Remove the ')' or add a matching '('.",
				 "unmatched closing parenthesis");
			return NULL;
		}
		if (t == T_OR)
		{
			if (p->lenient)
			{
				p->i += (p->s[p->i] == '|') ? 1 : 2;
				continue;
			}
			fail(p, TX_ERR_SYNTAX, p->i, "Write OR between two terms, as in: tariffs OR sanctions.",
				 "OR needs a term on each side");
			return NULL;
		}
		if (t == T_AND)
		{
			size_t		at = p->i;

			p->i += 3;
			t = peek(p);
			if (n->nkids == 0 || !term_follows(p, t))
			{
				fail(p, TX_ERR_SYNTAX, at, "Write AND between two terms, or just leave a space.",
					 "AND needs a term on each side");
				return NULL;
			}
			continue;
		}
		k = parse_or(p);
		if (k == NULL)
		{
			if (p->lenient && p->err->code == TX_OK)
				continue;
			return NULL;
		}
		add_flattened(p, n, k);
	}
	if (in_paren)
		p->depth--;
	return n;
}

/* ------------------------------------------------------------------ checks */

/* true when the node requires something to be present (not only exclusions) */
static bool
positive(const rnode *n)
{
	int			i;

	switch (n->kind)
	{
		case TQN_TERM:
		case TQN_NEAR:
			return true;
		case TQN_AND:
			for (i = 0; i < n->nkids; i++)
				if (positive(n->kids[i]))
					return true;
			return false;
		case TQN_OR:
			for (i = 0; i < n->nkids; i++)
				if (!positive(n->kids[i]))
					return false;
			return n->nkids > 0;
		default:
			return false;
	}
}

static const rnode *
first_not(const rnode *n)
{
	int			i;

	if (n->kind == TQN_NOT)
		return n;
	for (i = 0; i < n->nkids; i++)
	{
		const rnode *f = first_not(n->kids[i]);

		if (f)
			return f;
	}
	return NULL;
}

static bool
check_or_alternatives(parser *p, const rnode *n)
{
	int			i;

	if (n->kind == TQN_OR)
	{
		for (i = 0; i < n->nkids; i++)
		{
			if (!positive(n->kids[i]))
				return fail(p, TX_ERR_SYNTAX, n->kids[i]->pos,
							"Exclusions apply to the whole query: write tariffs -soybeans, not tariffs OR -soybeans.",
							"an OR alternative has only excluded terms");
		}
	}
	for (i = 0; i < n->nkids; i++)
		if (!check_or_alternatives(p, n->kids[i]))
			return false;
	return true;
}

static bool
check_speakers(parser *p, const rnode *n, bool top, const rnode **speaker)
{
	int			i;

	if (n->kind == RN_SPEAKER)
	{
		if (!top)
			return fail(p, TX_ERR_SYNTAX, n->pos,
						"Put speaker:Name outside parentheses, OR, NOT and exclusions; it applies to the whole query.",
						"a speaker filter must apply to the whole query");
		if (*speaker)
			return fail(p, TX_ERR_SYNTAX, n->pos, "Run one query per speaker.",
						"only one speaker filter is allowed");
		*speaker = n;
		return true;
	}
	for (i = 0; i < n->nkids; i++)
		if (!check_speakers(p, n->kids[i], false, speaker))
			return false;
	return true;
}

/* ------------------------------------------------------------------ compiling */

typedef struct lexeme
{
	char	   *s;
	int			len;
	int			pos;
} lexeme;

typedef struct compiler
{
	parser	   *p;
	tq_analyze_fn analyze;
	void	   *analyze_arg;
	tq_node    *nodes;
	int			nnodes, capnodes;
	int32_t    *kids;
	int			nkids, capkids;
	tq_item    *items;
	int			nitems, capitems;
	tq_termrec *terms;
	int			nterms, capterms;
	tx_buf		strings;
	bool		needs_positions;
	/* lexemes of the word being analysed */
	lexeme	   *lex;
	int			nlex, caplex;
	int			posbase;
} compiler;

#define GROW(arr, n, cap) \
	do { \
		if ((n) == (cap)) \
		{ \
			(cap) = (cap) ? (cap) * 2 : 16; \
			(arr) = tx_realloc((arr), sizeof(*(arr)) * (cap)); \
		} \
	} while (0)

static void
emit_lexeme(const char *lexeme, int lexlen, int pos, void *arg)
{
	compiler   *c = arg;

	if (lexlen <= 0)
		return;
	GROW(c->lex, c->nlex, c->caplex);
	c->lex[c->nlex].s = arena_alloc(&c->p->mem, lexlen);
	memcpy(c->lex[c->nlex].s, lexeme, lexlen);
	c->lex[c->nlex].len = lexlen;
	c->lex[c->nlex].pos = c->posbase + pos;
	c->nlex++;
}

static int32_t
add_string(compiler *c, const char *s, int len)
{
	int32_t		off = (int32_t) c->strings.len;

	tx_buf_append(&c->strings, s, len);
	return off;
}

static int
term_index(compiler *c, const char *s, int len, bool prefix, bool negated)
{
	int			i;

	for (i = 0; i < c->nterms; i++)
	{
		if (c->terms[i].len == len && c->terms[i].prefix == prefix &&
			memcmp(c->strings.data + c->terms[i].off, s, len) == 0)
			break;
	}
	if (i == c->nterms)
	{
		GROW(c->terms, c->nterms, c->capterms);
		memset(&c->terms[i], 0, sizeof(tq_termrec));
		c->terms[i].off = add_string(c, s, len);
		c->terms[i].len = len;
		c->terms[i].prefix = prefix;
		c->nterms++;
	}
	if (!negated)
		c->terms[i].qtf++;
	return i;
}

static int
add_node(compiler *c, int kind, int flags)
{
	GROW(c->nodes, c->nnodes, c->capnodes);
	memset(&c->nodes[c->nnodes], 0, sizeof(tq_node));
	c->nodes[c->nnodes].kind = kind;
	c->nodes[c->nnodes].flags = flags;
	return c->nnodes++;
}

/*
 * Analyse a word or phrase.  The text is split at white space first so that
 * a trailing '*' marks the last lexeme of its word as a prefix.
 */
static int
compile_term(compiler *c, const rnode *r, bool negated)
{
	parser	   *p = c->p;
	int			k = 0;
	int			node;
	int			firstpos;
	int			i;
	tx_buf		raw;

	c->nlex = 0;
	c->posbase = 0;
	tx_buf_init(&raw, r->len + 1);
	while (k < r->len)
	{
		int			start,
					end,
					used;
		bool		prefix = false;
		int			before;

		tx_check_interrupts();
		while (k < r->len && is_space_at(p, (r->text - p->s) + k))
			k++;
		if (k >= r->len)
			break;
		start = k;
		while (k < r->len && !is_space_at(p, (r->text - p->s) + k))
			k++;
		end = k;
		if (raw.len > 0)
			tx_buf_putc(&raw, ' ');
		tx_buf_append(&raw, r->text + start, end - start);
		if (!p->lenient)
		{
			while (end > start && r->text[end - 1] == '*')
			{
				end--;
				prefix = true;
			}
		}
		before = c->nlex;
		used = c->analyze(r->text + start, end - start, emit_lexeme, c, c->analyze_arg);
		if (prefix && c->nlex > before)
			c->lex[c->nlex - 1].len = -c->lex[c->nlex - 1].len;	/* mark */
		c->posbase += used;
	}
	if (c->nlex == 0)
	{
		tx_buf_free(&raw);
		return -1;
	}
	node = add_node(c, TQN_TERM, r->quoted ? TQNF_QUOTED : 0);
	c->nodes[node].raw_off = add_string(c, raw.data, (int) raw.len);
	c->nodes[node].raw_len = (int) raw.len;
	tx_buf_free(&raw);
	c->nodes[node].first = c->nitems;
	c->nodes[node].n = c->nlex;
	firstpos = c->lex[0].pos;
	for (i = 0; i < c->nlex; i++)
	{
		bool		prefix = c->lex[i].len < 0;
		int			len = prefix ? -c->lex[i].len : c->lex[i].len;

		GROW(c->items, c->nitems, c->capitems);
		c->items[c->nitems].term = term_index(c, c->lex[i].s, len, prefix, negated);
		c->items[c->nitems].relpos = c->lex[i].pos - firstpos;
		c->nitems++;
	}
	if (c->nlex > 1)
		c->needs_positions = true;
	return node;
}

static bool
node_positive(compiler *c, int n)
{
	const tq_node *nd = &c->nodes[n];
	int			i;

	switch (nd->kind)
	{
		case TQN_TERM:
		case TQN_NEAR:
			return true;
		case TQN_AND:
			for (i = 0; i < nd->n; i++)
				if (node_positive(c, c->kids[nd->first + i]))
					return true;
			return false;
		case TQN_OR:
			return true;		/* alternatives were checked */
		default:
			return false;
	}
}

static int	compile_node(compiler *c, const rnode *r, bool negated);

static int
compile_group(compiler *c, const rnode *r, bool negated)
{
	int32_t    *sub = tx_alloc(sizeof(int32_t) * (r->nkids * 2 + 1));
	int			nsub = 0;
	int			i;
	int			node;
	bool		anypos = false;

	for (i = 0; i < r->nkids; i++)
	{
		int			k;

		if (r->kids[i]->kind == RN_SPEAKER)
			continue;
		k = compile_node(c, r->kids[i], negated);
		if (k < 0)
			continue;
		if (c->nodes[k].kind == r->kind)
		{
			/* flatten a nested group of the same kind */
			int			j;

			sub = tx_realloc(sub, sizeof(int32_t) * (nsub + c->nodes[k].n + r->nkids + 1));
			for (j = 0; j < c->nodes[k].n; j++)
				sub[nsub++] = c->kids[c->nodes[k].first + j];
		}
		else
			sub[nsub++] = k;
		if (node_positive(c, k))
			anypos = true;
	}
	/* an AND whose words all were stop words keeps no exclusions alone */
	if (nsub == 0 || (r->kind == TQN_AND && !anypos))
	{
		tx_free(sub);
		return -1;
	}
	if (nsub == 1)
	{
		node = sub[0];
		tx_free(sub);
		return node;
	}
	node = add_node(c, r->kind, 0);
	c->nodes[node].first = c->nkids;
	c->nodes[node].n = nsub;
	for (i = 0; i < nsub; i++)
	{
		GROW(c->kids, c->nkids, c->capkids);
		c->kids[c->nkids++] = sub[i];
	}
	tx_free(sub);
	return node;
}

static int
compile_node(compiler *c, const rnode *r, bool negated)
{
	switch (r->kind)
	{
		case TQN_TERM:
			return compile_term(c, r, negated);
		case TQN_NOT:
			{
				int			k = compile_node(c, r->kids[0], !negated);
				int			node;

				if (k < 0)
					return -1;
				node = add_node(c, TQN_NOT, 0);
				c->nodes[node].first = c->nkids;
				c->nodes[node].n = 1;
				GROW(c->kids, c->nkids, c->capkids);
				c->kids[c->nkids++] = k;
				return node;
			}
		case TQN_AND:
		case TQN_OR:
			return compile_group(c, r, negated);
		case TQN_NEAR:
			{
				int32_t    *sub = tx_alloc(sizeof(int32_t) * r->nkids);
				int			nsub = 0;
				int			i;
				int			node;

				for (i = 0; i < r->nkids; i++)
				{
					int			k = compile_term(c, r->kids[i], negated);

					if (k >= 0)
						sub[nsub++] = k;
				}
				if (nsub <= 1)
				{
					node = nsub ? sub[0] : -1;
					tx_free(sub);
					return node;
				}
				node = add_node(c, TQN_NEAR, 0);
				c->nodes[node].dist = r->dist;
				c->nodes[node].first = c->nkids;
				c->nodes[node].n = nsub;
				for (i = 0; i < nsub; i++)
				{
					GROW(c->kids, c->nkids, c->capkids);
					c->kids[c->nkids++] = sub[i];
				}
				tx_free(sub);
				c->needs_positions = true;
				return node;
			}
		default:
			return -1;
	}
}

static void
compiler_free(compiler *c)
{
	tx_free(c->nodes);
	tx_free(c->kids);
	tx_free(c->items);
	tx_free(c->terms);
	tx_free(c->lex);
	tx_buf_free(&c->strings);
}

tq_header *
tq_compile(const char *s, size_t len, bool lenient, uint32_t config,
		   tq_analyze_fn analyze, void *analyze_arg, size_t *size, tx_error *err)
{
	parser		p;
	compiler	c;
	rnode	   *root;
	const rnode *speaker = NULL;
	int			rootnode = -1;
	tq_header  *h = NULL;
	int32_t    *remap = NULL;
	int			i,
				np;
	size_t		total;
	char	   *w;

	tx_error_clear(err);
	if (len > TQ_MAX_QUERY_BYTES)
	{
		tx_error_set(err, TX_ERR_LIMIT, tx_char_position(s, TQ_MAX_QUERY_BYTES),
					 "query text is too long (%zu bytes, the limit is %d)", len, TQ_MAX_QUERY_BYTES);
		tx_error_hint(err, "Search for fewer words at a time.");
		return NULL;
	}
	if (memchr(s, '\0', len) != NULL)
	{
		tx_error_set(err, TX_ERR_SYNTAX, tx_char_position(s, (const char *) memchr(s, '\0', len) - s),
					 "query text contains a NUL byte");
		return NULL;
	}

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.len = len;
	p.lenient = lenient;
	p.err = err;
	memset(&c, 0, sizeof(c));
	c.p = &p;
	c.analyze = analyze;
	c.analyze_arg = analyze_arg;
	tx_buf_init(&c.strings, 64);

	root = parse_and(&p, false, 0);
	if (root == NULL)
		goto done;

	/* the speaker filter: only at the top level */
	if (root->kind == TQN_AND)
	{
		for (i = 0; i < root->nkids; i++)
			if (!check_speakers(&p, root->kids[i], root->kids[i]->kind == RN_SPEAKER, &speaker))
				goto done;
	}
	else if (!check_speakers(&p, root, true, &speaker))
		goto done;

	/* exclusions need something to exclude from */
	if (root->nkids > 0 || root->kind != TQN_AND)
	{
		const rnode *neg = first_not(root);

		if (!check_or_alternatives(&p, root))
			goto done;
		if (!positive(root) && neg != NULL)
		{
			fail(&p, TX_ERR_SYNTAX, neg->pos,
				 "Add a term to search for, as in: tariffs -soybeans.",
				 "query has only excluded terms");
			goto done;
		}
	}

	rootnode = compile_node(&c, root, false);
	if (c.nitems > TQ_MAX_ITEMS)
	{
		tx_error_set(err, TX_ERR_LIMIT, 0, "too many terms in query after analysis (more than %d)",
					 TQ_MAX_ITEMS);
		tx_error_hint(err, "Split the search into several queries.");
		goto done;
	}

	/* positive terms first */
	remap = tx_alloc(sizeof(int32_t) * (c.nterms + 1));
	np = 0;
	for (i = 0; i < c.nterms; i++)
		if (c.terms[i].qtf > 0)
			remap[i] = np++;
	{
		int			nn = np;

		for (i = 0; i < c.nterms; i++)
			if (c.terms[i].qtf == 0)
				remap[i] = nn++;
	}

	total = sizeof(tq_header) + sizeof(tq_node) * c.nnodes + sizeof(int32_t) * c.nkids +
		sizeof(tq_item) * c.nitems + sizeof(tq_termrec) * c.nterms;
	{
		size_t		spk_off = c.strings.len;
		size_t		foldlen = 0;
		char	   *fold = NULL;

		if (speaker)
		{
			add_string(&c, speaker->text, speaker->len);
			fold = tq_fold_speaker(speaker->text, speaker->len, &foldlen);
			add_string(&c, fold, (int) foldlen);
			tx_free(fold);
		}
		/* pad strings to 4 bytes so the image size stays aligned */
		while (c.strings.len % 4)
			tx_buf_putc(&c.strings, '\0');
		total += c.strings.len;
		h = tx_alloc0(total);
		h->version = TQ_FORMAT_VERSION;
		h->flags = (c.needs_positions ? TQF_NEEDS_POSITIONS : 0) | (speaker ? TQF_HAS_SPEAKER : 0);
		h->config = config;
		h->root = rootnode;
		h->nnodes = c.nnodes;
		h->nkids = c.nkids;
		h->nitems = c.nitems;
		h->nterms = c.nterms;
		h->npositive = np;
		h->speaker_off = speaker ? (int32_t) spk_off : -1;
		h->speaker_len = speaker ? speaker->len : 0;
		h->spkfold_off = speaker ? (int32_t) (spk_off + speaker->len) : -1;
		h->spkfold_len = speaker ? (int32_t) foldlen : 0;
		h->strings_len = (int32_t) c.strings.len;
	}
	w = (char *) h + sizeof(tq_header);
	if (c.nnodes)
		memcpy(w, c.nodes, sizeof(tq_node) * c.nnodes);
	w += sizeof(tq_node) * c.nnodes;
	if (c.nkids)
		memcpy(w, c.kids, sizeof(int32_t) * c.nkids);
	w += sizeof(int32_t) * c.nkids;
	for (i = 0; i < c.nitems; i++)
	{
		tq_item		it = c.items[i];

		it.term = remap[it.term];
		memcpy(w, &it, sizeof(it));
		w += sizeof(it);
	}
	for (i = 0; i < c.nterms; i++)
		memcpy(w + sizeof(tq_termrec) * remap[i], &c.terms[i], sizeof(tq_termrec));
	w += sizeof(tq_termrec) * c.nterms;
	memcpy(w, c.strings.data, c.strings.len);
	*size = total;

done:
	tx_free(remap);
	compiler_free(&c);
	arena_free(&p.mem);
	return h;
}

/* ------------------------------------------------------------------ validation */

bool
tq_image_valid(const tq_header *h, size_t size, tx_error *err)
{
	size_t		need;
	const tq_node *nodes;
	const int32_t *kids;
	const tq_item *items;
	const tq_termrec *terms;
	int			i;

	if (size < sizeof(tq_header))
		return tx_error_set(err, TX_ERR_VALUE, 0, "tquery value is truncated");
	if (h->version != TQ_FORMAT_VERSION)
		return tx_error_set(err, TX_ERR_VALUE, 0, "unsupported tquery format version %d", h->version);
	if (h->nnodes < 0 || h->nkids < 0 || h->nitems < 0 || h->nterms < 0 ||
		h->strings_len < 0 || h->npositive < 0 || h->npositive > h->nterms ||
		h->nitems > TQ_MAX_ITEMS || h->nterms > h->nitems ||
		h->nnodes > 4 * TQ_MAX_ITEMS + 4 || h->nkids > 4 * TQ_MAX_ITEMS + 4)
		return tx_error_set(err, TX_ERR_VALUE, 0, "tquery value has invalid counts");
	need = sizeof(tq_header) + sizeof(tq_node) * (size_t) h->nnodes +
		sizeof(int32_t) * (size_t) h->nkids + sizeof(tq_item) * (size_t) h->nitems +
		sizeof(tq_termrec) * (size_t) h->nterms + (size_t) h->strings_len;
	if (need != size)
		return tx_error_set(err, TX_ERR_VALUE, 0, "tquery value has the wrong size");
	if (h->root < -1 || h->root >= h->nnodes)
		return tx_error_set(err, TX_ERR_VALUE, 0, "tquery value has an invalid root");
	nodes = TQ_NODES(h);
	kids = TQ_KIDS(h);
	items = TQ_ITEMS(h);
	terms = TQ_TERMS(h);
	for (i = 0; i < h->nnodes; i++)
	{
		const tq_node *n = &nodes[i];
		int			j;

		if (n->first < 0 || n->n < 1)
			return tx_error_set(err, TX_ERR_VALUE, 0, "tquery node %d is invalid", i);
		if (n->kind == TQN_TERM)
		{
			if (n->first + n->n > h->nitems || n->raw_off < 0 || n->raw_len < 0 ||
				n->raw_off + n->raw_len > h->strings_len)
				return tx_error_set(err, TX_ERR_VALUE, 0, "tquery node %d is invalid", i);
		}
		else if (n->kind == TQN_AND || n->kind == TQN_OR || n->kind == TQN_NOT || n->kind == TQN_NEAR)
		{
			if (n->first + n->n > h->nkids || (n->kind == TQN_NOT && n->n != 1) ||
				(n->kind == TQN_NEAR && (n->dist < 0 || n->dist > TQ_MAX_NEAR)))
				return tx_error_set(err, TX_ERR_VALUE, 0, "tquery node %d is invalid", i);
			for (j = 0; j < n->n; j++)
			{
				int32_t		k = kids[n->first + j];

				/* kids come before their parent: no cycles */
				if (k < 0 || k >= i || (n->kind == TQN_NEAR && nodes[k].kind != TQN_TERM))
					return tx_error_set(err, TX_ERR_VALUE, 0, "tquery node %d is invalid", i);
			}
		}
		else
			return tx_error_set(err, TX_ERR_VALUE, 0, "tquery node %d is invalid", i);
	}
	for (i = 0; i < h->nitems; i++)
		if (items[i].term < 0 || items[i].term >= h->nterms || items[i].relpos < 0)
			return tx_error_set(err, TX_ERR_VALUE, 0, "tquery item %d is invalid", i);
	for (i = 0; i < h->nterms; i++)
		if (terms[i].off < 0 || terms[i].len <= 0 || terms[i].off + terms[i].len > h->strings_len ||
			(i < h->npositive) != (terms[i].qtf > 0))
			return tx_error_set(err, TX_ERR_VALUE, 0, "tquery term %d is invalid", i);
	if (h->flags & TQF_HAS_SPEAKER)
	{
		if (h->speaker_off < 0 || h->speaker_len < 0 || h->speaker_off + h->speaker_len > h->strings_len ||
			h->spkfold_off < 0 || h->spkfold_len < 0 || h->spkfold_off + h->spkfold_len > h->strings_len)
			return tx_error_set(err, TX_ERR_VALUE, 0, "tquery speaker filter is invalid");
	}
	return true;
}

/* ------------------------------------------------------------------ output */

static bool
bare_word_ok(const char *s, int len)
{
	int			i;

	if (len == 0 || s[0] == '-')
		return false;
	if ((len == 2 && strncasecmp(s, "or", 2) == 0) || (len == 3 && strncmp(s, "AND", 3) == 0) ||
		(len == 3 && strncmp(s, "NOT", 3) == 0) || (len >= 8 && strncasecmp(s, "speaker:", 8) == 0) ||
		(len >= 5 && strncmp(s, "NEAR", 4) == 0 && (s[4] == '(' || s[4] == '/')))
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == ' ' || c == '"' || c == '(' || c == ')' || c == '|' || c == '\t' || c == '\n' ||
			c == '\r' || c == '\f' || c == '\v')
			return false;
		/* U+00A0 NO-BREAK SPACE separates words too */
		if ((unsigned char) c == 0xC2 && i + 1 < len && (unsigned char) s[i + 1] == 0xA0)
			return false;
	}
	return true;
}

static void
format_node(const tq_header *h, int n, tx_buf *out)
{
	const tq_node *nd = &TQ_NODES(h)[n];
	const int32_t *kids = TQ_KIDS(h);
	const char *str = TQ_STRINGS(h);
	int			i;

	switch (nd->kind)
	{
		case TQN_TERM:
			if ((nd->flags & TQNF_QUOTED) || !bare_word_ok(str + nd->raw_off, nd->raw_len))
			{
				tx_buf_putc(out, '"');
				tx_buf_append(out, str + nd->raw_off, nd->raw_len);
				tx_buf_putc(out, '"');
			}
			else
				tx_buf_append(out, str + nd->raw_off, nd->raw_len);
			break;
		case TQN_AND:
		case TQN_OR:
			for (i = 0; i < nd->n; i++)
			{
				int			k = kids[nd->first + i];
				int			kk = TQ_NODES(h)[k].kind;

				/* OR binds tighter than AND: only an AND inside an OR needs parentheses */
				bool		paren = (nd->kind == TQN_OR && kk == TQN_AND);

				if (i > 0)
					tx_buf_append(out, nd->kind == TQN_AND ? " " : " OR ", nd->kind == TQN_AND ? 1 : 4);
				if (paren)
					tx_buf_putc(out, '(');
				format_node(h, k, out);
				if (paren)
					tx_buf_putc(out, ')');
			}
			break;
		case TQN_NOT:
			{
				int			k = kids[nd->first];
				int			kk = TQ_NODES(h)[k].kind;
				bool		paren = (kk == TQN_AND || kk == TQN_OR);

				tx_buf_putc(out, '-');
				if (paren)
					tx_buf_putc(out, '(');
				format_node(h, k, out);
				if (paren)
					tx_buf_putc(out, ')');
			}
			break;
		case TQN_NEAR:
			tx_buf_printf(out, "NEAR/%d(", nd->dist);
			for (i = 0; i < nd->n; i++)
			{
				if (i > 0)
					tx_buf_putc(out, ' ');
				format_node(h, kids[nd->first + i], out);
			}
			tx_buf_putc(out, ')');
			break;
	}
}

void
tq_format(const tq_header *h, tx_buf *out)
{
	if (h->flags & TQF_HAS_SPEAKER)
	{
		const char *spk = TQ_STRINGS(h) + h->speaker_off;

		tx_buf_append(out, "speaker:", 8);
		if (bare_word_ok(spk, h->speaker_len) && spk[0] != '"')
			tx_buf_append(out, spk, h->speaker_len);
		else
		{
			tx_buf_putc(out, '"');
			tx_buf_append(out, spk, h->speaker_len);
			tx_buf_putc(out, '"');
		}
		if (h->root >= 0)
			tx_buf_putc(out, ' ');
	}
	if (h->root >= 0)
		format_node(h, h->root, out);
}

static void
format_lexeme(const tq_header *h, int term, tx_buf *out)
{
	const tq_termrec *t = &TQ_TERMS(h)[term];
	const char *s = TQ_STRINGS(h) + t->off;
	int			i;

	tx_buf_putc(out, '\'');
	for (i = 0; i < t->len; i++)
	{
		if (s[i] == '\'' || s[i] == '\\')
			tx_buf_putc(out, s[i]);
		tx_buf_putc(out, s[i]);
	}
	tx_buf_putc(out, '\'');
	if (t->prefix)
		tx_buf_append(out, ":*", 2);
}

static void
format_ts_node(const tq_header *h, int n, tx_buf *out)
{
	const tq_node *nd = &TQ_NODES(h)[n];
	const int32_t *kids = TQ_KIDS(h);
	const tq_item *items = TQ_ITEMS(h);
	int			i;

	switch (nd->kind)
	{
		case TQN_TERM:
			if (nd->n > 1)
				tx_buf_putc(out, '(');
			for (i = 0; i < nd->n; i++)
			{
				if (i > 0)
				{
					int			d = items[nd->first + i].relpos - items[nd->first + i - 1].relpos;

					if (d == 1)
						tx_buf_append(out, " <-> ", 5);
					else
						tx_buf_printf(out, " <%d> ", d);
				}
				format_lexeme(h, items[nd->first + i].term, out);
			}
			if (nd->n > 1)
				tx_buf_putc(out, ')');
			break;
		case TQN_AND:
		case TQN_OR:
		case TQN_NEAR:
			tx_buf_putc(out, '(');
			for (i = 0; i < nd->n; i++)
			{
				if (i > 0)
					tx_buf_append(out, nd->kind == TQN_OR ? " | " : " & ", 3);
				format_ts_node(h, kids[nd->first + i], out);
			}
			tx_buf_putc(out, ')');
			break;
		case TQN_NOT:
			tx_buf_putc(out, '!');
			format_ts_node(h, kids[nd->first], out);
			break;
	}
}

void
tq_format_tsquery(const tq_header *h, tx_buf *out)
{
	if (h->root >= 0)
		format_ts_node(h, h->root, out);
}

/* ------------------------------------------------------------------ evaluation */

typedef struct evalctx
{
	const tq_header *h;
	tq_positions_fn positions;
	void	   *arg;
} evalctx;

static bool
has_pos(const int32_t *pos, int n, int32_t want)
{
	int			lo = 0,
				hi = n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (pos[mid] == want)
			return true;
		if (pos[mid] < want)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* is there a phrase occurrence starting (first item) at p? */
static bool
phrase_at(evalctx *e, const tq_node *nd, int32_t p)
{
	const tq_item *items = TQ_ITEMS(e->h) + nd->first;
	int			i;

	for (i = 1; i < nd->n; i++)
	{
		int			np;
		const int32_t *pos = e->positions(items[i].term, &np, e->arg);

		if (pos == NULL || np == 0 || !has_pos(pos, np, p + items[i].relpos))
			return false;
	}
	return true;
}

/* start positions of the occurrences of a TERM node (tx_alloc'ed), count in *n */
static int32_t *
term_occurrences(evalctx *e, const tq_node *nd, int *n)
{
	int			np;
	const int32_t *pos = e->positions(TQ_ITEMS(e->h)[nd->first].term, &np, e->arg);
	int32_t    *out;
	int			i;

	*n = 0;
	if (pos == NULL || np <= 0)
		return NULL;
	out = tx_alloc(sizeof(int32_t) * np);
	for (i = 0; i < np; i++)
	{
		tx_check_interrupts();
		if (nd->n == 1 || phrase_at(e, nd, pos[i]))
			out[(*n)++] = pos[i];
	}
	return out;
}

typedef struct occ
{
	int32_t		start;
	int32_t		end;
	int32_t		member;
} occ;

static int
occ_cmp(const void *a, const void *b)
{
	const occ  *x = a,
			   *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->member - y->member;
}

/*
 * NEAR: find windows holding an occurrence of every member where the words
 * not belonging to the members number at most dist.  With mark != NULL,
 * every occurrence inside a satisfying window gets mark[i] = true.
 */
static bool
near_eval(evalctx *e, const tq_node *nd, occ **occs_out, int *nocc_out, bool **mark_out)
{
	const tq_node *nodes = TQ_NODES(e->h);
	const int32_t *kids = TQ_KIDS(e->h);
	occ		   *occs = NULL;
	int			nocc = 0;
	int			memwords = 0;
	int		   *count;
	int			covered = 0;
	int			left = 0,
				right;
	bool		found = false;
	bool	   *mark = NULL;
	int			i;

	for (i = 0; i < nd->n; i++)
	{
		const tq_node *m = &nodes[kids[nd->first + i]];
		int			n;
		int32_t    *st = term_occurrences(e, m, &n);
		int			len = TQ_ITEMS(e->h)[m->first + m->n - 1].relpos + 1;
		int			j;

		memwords += len;
		if (n == 0)
		{
			tx_free(st);
			tx_free(occs);
			return false;
		}
		occs = tx_realloc(occs, sizeof(occ) * (nocc + n));
		for (j = 0; j < n; j++)
		{
			occs[nocc].start = st[j];
			occs[nocc].end = st[j] + len - 1;
			occs[nocc].member = i;
			nocc++;
		}
		tx_free(st);
	}
	qsort(occs, nocc, sizeof(occ), occ_cmp);
	count = tx_alloc0(sizeof(int) * nd->n);
	if (mark_out)
		mark = tx_alloc0(sizeof(bool) * nocc);
	for (right = 0; right < nocc; right++)
	{
		tx_check_interrupts();
		if (count[occs[right].member]++ == 0)
			covered++;
		while (covered == nd->n)
		{
			/* shrink from the left while still covered */
			if (count[occs[left].member] > 1)
			{
				count[occs[left].member]--;
				left++;
				continue;
			}
			{
				int32_t		maxend = occs[left].end;
				int			j;

				for (j = left; j <= right; j++)
					if (occs[j].end > maxend)
						maxend = occs[j].end;
				if ((maxend - occs[left].start + 1) - memwords <= nd->dist)
				{
					found = true;
					if (mark)
						for (j = left; j <= right; j++)
							mark[j] = true;
				}
			}
			if (!mark && found)
				break;
			count[occs[left].member]--;
			covered--;
			left++;
		}
		if (!mark && found)
			break;
	}
	tx_free(count);
	if (occs_out)
	{
		*occs_out = occs;
		*nocc_out = nocc;
		*mark_out = mark;
	}
	else
	{
		tx_free(occs);
		tx_free(mark);
	}
	return found;
}

static bool
eval_node(evalctx *e, int n)
{
	const tq_node *nd = &TQ_NODES(e->h)[n];
	const int32_t *kids = TQ_KIDS(e->h);
	int			i;

	tx_check_interrupts();
	switch (nd->kind)
	{
		case TQN_TERM:
			{
				int			np;
				const int32_t *pos = e->positions(TQ_ITEMS(e->h)[nd->first].term, &np, e->arg);

				if (pos == NULL || np <= 0)
					return false;
				if (nd->n == 1)
					return true;
				for (i = 0; i < np; i++)
				{
					tx_check_interrupts();
					if (phrase_at(e, nd, pos[i]))
						return true;
				}
				return false;
			}
		case TQN_AND:
			for (i = 0; i < nd->n; i++)
				if (!eval_node(e, kids[nd->first + i]))
					return false;
			return true;
		case TQN_OR:
			for (i = 0; i < nd->n; i++)
				if (eval_node(e, kids[nd->first + i]))
					return true;
			return false;
		case TQN_NOT:
			return !eval_node(e, kids[nd->first]);
		case TQN_NEAR:
			return near_eval(e, nd, NULL, NULL, NULL);
	}
	return false;
}

bool
tq_evaluate(const tq_header *h, tq_positions_fn positions, void *arg)
{
	evalctx		e;

	if (h->root < 0)
		return (h->flags & TQF_HAS_SPEAKER) != 0;
	e.h = h;
	e.positions = positions;
	e.arg = arg;
	return eval_node(&e, h->root);
}

static bool
one_word(const tq_header *h, int n)
{
	const tq_node *nd;

	if (n < 0 || n >= h->nnodes)
		return false;
	nd = &TQ_NODES(h)[n];
	return nd->kind == TQN_TERM && nd->n == 1 && nd->first >= 0 && nd->first < h->nitems &&
		TQ_ITEMS(h)[nd->first].term >= 0 && TQ_ITEMS(h)[nd->first].term < h->nterms &&
		!TQ_TERMS(h)[TQ_ITEMS(h)[nd->first].term].prefix;
}

bool
tq_is_flat(const tq_header *h)
{
	const tq_node *nd;
	int			i;

	if (h->root < 0 || h->root >= h->nnodes)
		return false;
	if (one_word(h, h->root))
		return true;
	nd = &TQ_NODES(h)[h->root];
	if (nd->kind != TQN_AND && nd->kind != TQN_OR)
		return false;
	if (nd->first < 0 || nd->n <= 0 || nd->first + nd->n > h->nkids)
		return false;
	for (i = 0; i < nd->n; i++)
		if (!one_word(h, TQ_KIDS(h)[nd->first + i]))
			return false;
	return true;
}

typedef struct spanlist
{
	tq_span    *s;
	int			n;
	int			cap;
} spanlist;

static void
add_span(spanlist *l, int32_t start, int32_t end, int32_t node)
{
	GROW(l->s, l->n, l->cap);
	l->s[l->n].start = start;
	l->s[l->n].end = end;
	l->s[l->n].node = node;
	l->n++;
}

static void
collect_spans(evalctx *e, int n, spanlist *l)
{
	const tq_node *nd = &TQ_NODES(e->h)[n];
	const int32_t *kids = TQ_KIDS(e->h);
	int			i;

	tx_check_interrupts();
	switch (nd->kind)
	{
		case TQN_TERM:
			{
				int			cnt;
				int32_t    *st = term_occurrences(e, nd, &cnt);
				int			len = TQ_ITEMS(e->h)[nd->first + nd->n - 1].relpos;

				for (i = 0; i < cnt; i++)
					add_span(l, st[i], st[i] + len, n);
				tx_free(st);
				break;
			}
		case TQN_AND:
		case TQN_OR:
			for (i = 0; i < nd->n; i++)
				collect_spans(e, kids[nd->first + i], l);
			break;
		case TQN_NOT:
			break;
		case TQN_NEAR:
			{
				occ		   *occs = NULL;
				int			nocc = 0;
				bool	   *mark = NULL;

				near_eval(e, nd, &occs, &nocc, &mark);
				for (i = 0; i < nocc; i++)
					if (mark && mark[i])
						add_span(l, occs[i].start, occs[i].end, kids[nd->first + occs[i].member]);
				tx_free(occs);
				tx_free(mark);
				break;
			}
	}
}

static int
span_cmp(const void *a, const void *b)
{
	const tq_span *x = a,
			   *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->node - y->node;
}

int
tq_match_spans(const tq_header *h, tq_positions_fn positions, void *arg, tq_span **spans)
{
	evalctx		e;
	spanlist	l = {NULL, 0, 0};
	int			i,
				n;

	*spans = NULL;
	if (h->root < 0)
		return 0;
	e.h = h;
	e.positions = positions;
	e.arg = arg;
	collect_spans(&e, h->root, &l);
	if (l.n == 0)
	{
		tx_free(l.s);
		return 0;
	}
	qsort(l.s, l.n, sizeof(tq_span), span_cmp);
	/* drop exact duplicates (the same term reached twice) */
	n = 1;
	for (i = 1; i < l.n; i++)
	{
		if (l.s[i].start == l.s[n - 1].start && l.s[i].end == l.s[n - 1].end)
			continue;
		l.s[n++] = l.s[i];
	}
	*spans = l.s;
	return n;
}

/* ------------------------------------------------------------------ speakers */

char *
tq_fold_speaker(const char *s, size_t len, size_t *outlen)
{
	UErrorCode	st = U_ZERO_ERROR;
	int32_t		ulen = 0;
	UChar	   *u,
			   *f,
			   *d;
	int32_t		flen,
				dlen,
				i,
				o;
	const UNormalizer2 *nfd;
	char	   *out;
	int32_t		olen = 0;
	bool		space = true;

	u_strFromUTF8WithSub(NULL, 0, &ulen, s, (int32_t) len, 0xFFFD, NULL, &st);
	st = U_ZERO_ERROR;
	u = tx_alloc(sizeof(UChar) * (ulen + 1));
	u_strFromUTF8WithSub(u, ulen + 1, &ulen, s, (int32_t) len, 0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		ulen = 0;
	st = U_ZERO_ERROR;
	flen = u_strFoldCase(NULL, 0, u, ulen, U_FOLD_CASE_DEFAULT, &st);
	st = U_ZERO_ERROR;
	f = tx_alloc(sizeof(UChar) * (flen + 1));
	u_strFoldCase(f, flen + 1, u, ulen, U_FOLD_CASE_DEFAULT, &st);
	nfd = unorm2_getNFDInstance(&st);
	dlen = U_SUCCESS(st) ? unorm2_normalize(nfd, f, flen, NULL, 0, &st) : 0;
	st = U_ZERO_ERROR;
	d = tx_alloc(sizeof(UChar) * (dlen + flen + 1));
	if (nfd)
		dlen = unorm2_normalize(nfd, f, flen, d, dlen + flen + 1, &st);
	if (!nfd || U_FAILURE(st))
	{
		memcpy(d, f, sizeof(UChar) * flen);
		dlen = flen;
		st = U_ZERO_ERROR;
	}
	/* drop combining marks; white space and punctuation become single spaces */
	o = 0;
	for (i = 0; i < dlen; i++)
	{
		UChar		c = d[i];

		if (u_charType(c) == U_NON_SPACING_MARK)
			continue;
		if (u_isspace(c) || (u_ispunct(c) && c != '\'' && c != 0x2019 && c != '-'))
		{
			if (!space)
				d[o++] = ' ';
			space = true;
			continue;
		}
		d[o++] = c;
		space = false;
	}
	while (o > 0 && d[o - 1] == ' ')
		o--;
	u_strToUTF8(NULL, 0, &olen, d, o, &st);
	st = U_ZERO_ERROR;
	out = tx_alloc(olen + 1);
	u_strToUTF8(out, olen + 1, NULL, d, o, &st);
	out[olen] = '\0';
	*outlen = olen;
	tx_free(u);
	tx_free(f);
	tx_free(d);
	return out;
}

/* the filter matches when it occurs in the label at word boundaries */
bool
tq_speaker_match(const tq_header *h, const char *speaker, size_t len)
{
	const char *want;
	size_t		wlen;
	size_t		flen;
	char	   *f;
	bool		found = false;
	size_t		i;

	if (!(h->flags & TQF_HAS_SPEAKER))
		return true;
	if (speaker == NULL)
		return false;
	want = TQ_STRINGS(h) + h->spkfold_off;
	wlen = h->spkfold_len;
	f = tq_fold_speaker(speaker, len, &flen);
	if (wlen == 0)
		found = (flen == 0);
	for (i = 0; !found && wlen > 0 && i + wlen <= flen; i++)
	{
		tx_check_interrupts();
		if ((i == 0 || f[i - 1] == ' ') &&
			(i + wlen == flen || f[i + wlen] == ' ') &&
			memcmp(f + i, want, wlen) == 0)
			found = true;
	}
	tx_free(f);
	return found;
}

/* ------------------------------------------------------------------ test analyser */

int
tq_simple_analyze(const char *s, int len, tq_emit_fn emit, void *emit_arg, void *arg)
{
	int			pos = 0;
	int			i = 0;
	char		buf[256];

	while (i < len)
	{
		int			start;
		int			n = 0;

		tx_check_interrupts();
		while (i < len && !(((unsigned char) s[i] >= 0x80) ||
							(s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
							(s[i] >= '0' && s[i] <= '9')))
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && (((unsigned char) s[i] >= 0x80) ||
						   (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
						   (s[i] >= '0' && s[i] <= '9')))
		{
			if (n < (int) sizeof(buf))
			{
				char		c = s[i];

				buf[n++] = (c >= 'A' && c <= 'Z') ? c + 'a' - 'A' : c;
			}
			i++;
		}
		pos++;
		(void) start;
		if ((n == 3 && memcmp(buf, "the", 3) == 0) || (n == 1 && buf[0] == 'a') ||
			(n == 2 && memcmp(buf, "an", 2) == 0) || (n == 2 && memcmp(buf, "of", 2) == 0))
			continue;
		emit(buf, n, pos, emit_arg);
	}
	return pos;
}
