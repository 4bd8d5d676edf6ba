/*
 * tquery.c
 *	  The tquery type: text and binary I/O, constructors, the match
 *	  operators on text and turn, the tsquery conversion (the GIN path) and
 *	  the C API of tquery.h.
 */
#include "transcripts.h"

#include "analyze.h"
#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "port/pg_bitutils.h"
#include "miscadmin.h"
#include "tquery.h"
#include "tsearch/ts_type.h"
#include "turn.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

/* ------------------------------------------------------------------ building */

typedef struct analyze_arg
{
	Oid			cfg;
} analyze_arg;

/* the core's analyser callback: the extension's tokenizer and dictionaries */
static int
pg_analyze(const char *s, int len, tq_emit_fn emit, void *emit_arg, void *arg)
{
	analyze_arg *a = arg;
	TxAnalysis	an;
	int			maxpos = 0;
	int			i;

	tx_analyze(a->cfg, s, len, &an);
	for (i = 0; i < an.ntokens; i++)
	{
		TxToken    *t = &an.tokens[i];

		if (t->pos > maxpos)
			maxpos = t->pos;
		if (t->lexeme != NULL && t->lexlen > 0)
			emit(t->lexeme, t->lexlen, t->pos, emit_arg);
	}
	return maxpos;
}

size_t
tq_image_size(const tq_header *h)
{
	return sizeof(tq_header) + sizeof(tq_node) * (size_t) h->nnodes +
		sizeof(int32_t) * (size_t) h->nkids + sizeof(tq_item) * (size_t) h->nitems +
		sizeof(tq_termrec) * (size_t) h->nterms + (size_t) h->strings_len;
}

static void
raise_query_error(const tx_error *err, const char *s, int len)
{
	char	   *primary;

	if (len > 200)
		primary = psprintf("invalid search query: \"%.*s...\"",
						   pg_mbcliplen(s, len, 200), s);
	else
		primary = psprintf("invalid search query: \"%.*s\"", len, s);
	tx_raise(err, ERRCODE_SYNTAX_ERROR, primary);
}

TQuery *
tq_from_text(Oid cfg, const char *s, int len, bool lenient)
{
	tx_error	err;
	size_t		size;
	analyze_arg aa;
	tq_header  *img;
	TQuery	   *q;

	aa.cfg = cfg;
	img = tq_compile(s, len, lenient, cfg, pg_analyze, &aa, &size, &err);
	if (img == NULL)
		raise_query_error(&err, s, len);
	q = palloc0(offsetof(TQuery, hdr) + size);
	SET_VARSIZE(q, offsetof(TQuery, hdr) + size);
	memcpy(&q->hdr, img, size);
	tx_free(img);
	return q;
}

/* ------------------------------------------------------------------ I/O */

PG_FUNCTION_INFO_V1(tquery_in);
Datum
tquery_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);

	PG_RETURN_TQUERY_P(tq_from_text(tx_default_config(), s, strlen(s), false));
}

static char *
tq_to_cstring(const TQuery *q)
{
	tx_buf		b;

	tx_buf_init(&b, 64);
	tq_format(TQUERY_HDR(q), &b);
	return b.data;
}

PG_FUNCTION_INFO_V1(tquery_out);
Datum
tquery_out(PG_FUNCTION_ARGS)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(0);

	PG_RETURN_CSTRING(tq_to_cstring(q));
}

/* binary form: a version byte, then the canonical text (parsed again on receipt) */
PG_FUNCTION_INFO_V1(tquery_recv);
Datum
tquery_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	const char *s;
	int			len;

	if (version != TQ_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary tquery format version %d", version),
				 errhint("This server reads version %d.", TQ_FORMAT_VERSION)));
	len = buf->len - buf->cursor;
	s = pq_getmsgbytes(buf, len);
	{
		char	   *copy = pnstrdup(s, len);

		/* the same checks as text input: encoding, syntax, limits */
		pg_verify_mbstr(GetDatabaseEncoding(), copy, len, false);
		PG_RETURN_TQUERY_P(tq_from_text(tx_default_config(), copy, len, false));
	}
}

PG_FUNCTION_INFO_V1(tquery_send);
Datum
tquery_send(PG_FUNCTION_ARGS)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(0);
	StringInfoData buf;
	char	   *s = tq_to_cstring(q);

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TQ_FORMAT_VERSION);
	pq_sendbytes(&buf, s, strlen(s));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * The last text a call site turned into a tquery, and what it gave.  With a
 * prepared statement's parameter, to_tquery($1) is not folded into a
 * constant: the ORDER BY and the projection evaluate it again for every row
 * returned (a 3-word query's parsing and analysis cost a quarter of its
 * time with the plan cached).  Kept in the call's FmgrInfo, so for as long
 * as the expression lives (a PL/pgSQL expression: the whole transaction),
 * and keyed by the configuration and by the text search objects'
 * generation: a dictionary changed in between is seen, as by a call that
 * parses again.
 */
typedef struct TqMemo
{
	Oid			cfg;
	bool		lenient;
	uint64		generation;
	Size		len;
	char	   *text;
	TQuery	   *q;
} TqMemo;

static TQuery *
tq_from_text_memo(FunctionCallInfo fcinfo, Oid cfg, text *t, bool lenient)
{
	TqMemo	   *m = (TqMemo *) fcinfo->flinfo->fn_extra;
	const char *s = VARDATA_ANY(t);
	Size		len = VARSIZE_ANY_EXHDR(t);
	uint64		gen = tx_ts_generation();
	TQuery	   *q;

	if (m != NULL && m->q != NULL && m->cfg == cfg && m->lenient == lenient && m->generation == gen &&
		m->len == len && memcmp(m->text, s, len) == 0)
	{
		q = palloc(VARSIZE(m->q));
		memcpy(q, m->q, VARSIZE(m->q));
		return q;
	}
	q = tq_from_text(cfg, s, (int) len, lenient);
	if (m == NULL)
		m = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TqMemo));
	if (m->q != NULL)
	{
		pfree(m->q);
		pfree(m->text);
		m->q = NULL;
	}
	m->text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len + 1);
	memcpy(m->text, s, len);
	m->q = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(q));
	memcpy(m->q, q, VARSIZE(q));
	m->len = len;
	m->cfg = cfg;
	m->lenient = lenient;
	/* the generation from before the analysis: a change during it is not missed */
	m->generation = gen;
	return q;
}

PG_FUNCTION_INFO_V1(tquery_to_tquery);
Datum
tquery_to_tquery(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TQUERY_P(tq_from_text_memo(fcinfo, tx_default_config(), t, false));
}

PG_FUNCTION_INFO_V1(tquery_to_tquery_cfg);
Datum
tquery_to_tquery_cfg(PG_FUNCTION_ARGS)
{
	Oid			cfg = PG_GETARG_OID(0);
	text	   *t = PG_GETARG_TEXT_PP(1);

	PG_RETURN_TQUERY_P(tq_from_text_memo(fcinfo, cfg, t, false));
}

PG_FUNCTION_INFO_V1(tquery_websearch);
Datum
tquery_websearch(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TQUERY_P(tq_from_text_memo(fcinfo, tx_default_config(), t, true));
}

PG_FUNCTION_INFO_V1(tquery_websearch_cfg);
Datum
tquery_websearch_cfg(PG_FUNCTION_ARGS)
{
	Oid			cfg = PG_GETARG_OID(0);
	text	   *t = PG_GETARG_TEXT_PP(1);

	PG_RETURN_TQUERY_P(tq_from_text_memo(fcinfo, cfg, t, true));
}

/* the analysed form, tsquery-like, for inspection */
PG_FUNCTION_INFO_V1(tquery_lexemes);
Datum
tquery_lexemes(PG_FUNCTION_ARGS)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(0);
	tx_buf		b;

	tx_buf_init(&b, 64);
	tq_format_tsquery(TQUERY_HDR(q), &b);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(b.data, b.len));
}

PG_FUNCTION_INFO_V1(tquery_speaker);
Datum
tquery_speaker(PG_FUNCTION_ARGS)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(0);
	const char *s = tq_speaker(q);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(s));
}

/*
 * tsquery for the GIN path: the same words, phrases as <-> / <N>, prefixes
 * as :*.  NEAR becomes AND of its members and the speaker filter is left
 * out, so the tsquery matches a superset: always recheck with @@ tquery.
 */
PG_FUNCTION_INFO_V1(tquery_to_tsquery);
Datum
tquery_to_tsquery(PG_FUNCTION_ARGS)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(0);
	tx_buf		b;

	if (TQUERY_HDR(q)->root < 0)
	{
		/* an empty tsquery matches nothing, like the tquery */
		TSQuery		empty = (TSQuery) palloc0(HDRSIZETQ);

		SET_VARSIZE(empty, HDRSIZETQ);
		empty->size = 0;
		PG_RETURN_TSQUERY(empty);
	}
	tx_buf_init(&b, 64);
	tq_format_tsquery(TQUERY_HDR(q), &b);
	PG_RETURN_DATUM(DirectFunctionCall1(tsqueryin, CStringGetDatum(b.data)));
}

/* ------------------------------------------------------------------ C API */

static int
terms_common(const TQuery *q, TqTerm **terms, int n)
{
	const tq_header *h = TQUERY_HDR(q);
	const tq_termrec *t = TQ_TERMS(h);
	TqTerm	   *out;
	int			i;

	out = palloc(sizeof(TqTerm) * (n + 1));
	for (i = 0; i < n; i++)
	{
		out[i].lexeme = TQ_STRINGS(h) + t[i].off;
		out[i].len = t[i].len;
		out[i].qtf = t[i].qtf;
		out[i].prefix = t[i].prefix != 0;
	}
	*terms = out;
	return n;
}

int
tq_terms(const TQuery *q, TqTerm **terms)
{
	return terms_common(q, terms, TQUERY_HDR(q)->npositive);
}

int
tq_all_terms(const TQuery *q, TqTerm **terms)
{
	return terms_common(q, terms, TQUERY_HDR(q)->nterms);
}

bool
tq_needs_positions(const TQuery *q)
{
	return (TQUERY_HDR(q)->flags & TQF_NEEDS_POSITIONS) != 0;
}

typedef struct eval_shim
{
	TqPositionsFn fn;
	void	   *arg;
} eval_shim;

static const int32_t *
shim_positions(int term, int *npos, void *arg)
{
	eval_shim  *s = arg;

	return (const int32_t *) s->fn(term, npos, s->arg);
}

bool
tq_eval(const TQuery *q, TqPositionsFn positions, void *arg)
{
	eval_shim	s;

	s.fn = positions;
	s.arg = arg;
	return tq_evaluate(TQUERY_HDR(q), shim_positions, &s);
}

const char *
tq_speaker(const TQuery *q)
{
	const tq_header *h = TQUERY_HDR(q);

	if (!(h->flags & TQF_HAS_SPEAKER))
		return NULL;
	return pnstrdup(TQ_STRINGS(h) + h->speaker_off, h->speaker_len);
}

bool
tq_speaker_matches(const TQuery *q, const char *speaker, int len)
{
	return tq_speaker_match(TQUERY_HDR(q), speaker, len);
}

Oid
tq_config(const TQuery *q)
{
	return (Oid) TQUERY_HDR(q)->config;
}

/* ------------------------------------------------------------------ documents */

static inline bool
term_matches(const tq_termrec *t, const char *strings, const char *lex, int len)
{
	const char *w = strings + t->off;
	int			i;

	if (t->prefix ? len < t->len : len != t->len)
		return false;
	/* lexemes are short: a plain loop beats a call to memcmp */
	for (i = 0; i < t->len; i++)
		if (lex[i] != w[i])
			return false;
	return true;
}

/*
 * The fast path (queries of at most 32 lexemes): tx_analyze_scan with a
 * classifier that answers, per token text, the set of query terms its
 * lexemes match as a bit mask.  The answers are memoized in the lexeme
 * cache under a stamp that stays the same while the same query comes back
 * (row after row of one statement), so a word is compared with the query
 * terms once, not at every occurrence.
 */
#define TQ_FAST_MAX_TERMS 32

typedef struct doc_matcher
{
	const tq_termrec *terms;
	const char *strings;
	int			nterms;
	uint8		first[32];		/* bit set of the terms' first bytes (all
								 * bits when a term is empty) */
} doc_matcher;

static uint32
doc_classify(const char *lexemes, int nlex, void *arg)
{
	doc_matcher *m = arg;
	uint32		mask = 0;
	int			i,
				k;

	for (i = 0; i < nlex; i++)
	{
		unsigned char c0 = (unsigned char) lexemes[0];
		int			len;

		/* most lexemes start with a byte no term starts with */
		if (!(m->first[c0 >> 3] & (1 << (c0 & 7))))
		{
			if (i + 1 == nlex)
				break;
			lexemes += strlen(lexemes) + 1;
			continue;
		}
		len = (int) strlen(lexemes);

		if (len > 0)
			for (k = 0; k < m->nterms; k++)
				if (term_matches(&m->terms[k], m->strings, lexemes, Min(len, PG_INT16_MAX)))
					mask |= (uint32) 1 << k;
		lexemes += len + 1;
	}
	return mask;
}

typedef struct doc_builder
{
	TqDoc	   *doc;
	int			wcap;			/* tok_start/tok_end capacity */
	int		   *cap;			/* per term: pos capacity */
} doc_builder;

static void
doc_emit(int32 start, int32 end, int32 pos, uint32 mask, void *arg)
{
	doc_builder *b = arg;
	TqDoc	   *doc = b->doc;
	int			w = pos - 1;

	if (pos == doc->nwords + 1 && pos <= b->wcap)
	{
		/* the common case: the next word */
		doc->tok_start[w] = start;
		doc->tok_end[w] = end;
		doc->nwords = pos;
		if (mask == 0)
			return;
	}
	else if (w < 0)
		return;
	else if (pos > doc->nwords)
	{
		int			i;

		if (pos > b->wcap)
		{
			int			cap = Max(b->wcap * 2, pos + 16);

			doc->tok_start = repalloc_huge(doc->tok_start, sizeof(int32) * (cap + 1));
			doc->tok_end = repalloc_huge(doc->tok_end, sizeof(int32) * (cap + 1));
			b->wcap = cap;
		}
		for (i = doc->nwords; i < pos; i++)
		{
			doc->tok_start[i] = -1;
			doc->tok_end[i] = -1;
		}
		doc->nwords = pos;
	}
	if (doc->tok_start[w] < 0 || start < doc->tok_start[w])
		doc->tok_start[w] = start;
	if (end > doc->tok_end[w])
		doc->tok_end[w] = end;
	while (mask != 0)
	{
		int			k = pg_rightmost_one_pos32(mask);

		mask &= mask - 1;
		if (doc->npos[k] > 0 && doc->pos[k][doc->npos[k] - 1] == pos)
			continue;
		if (doc->npos[k] == b->cap[k])
		{
			b->cap[k] = b->cap[k] ? b->cap[k] * 2 : 8;
			doc->pos[k] = doc->pos[k] ? repalloc(doc->pos[k], sizeof(int32) * b->cap[k])
				: palloc(sizeof(int32) * b->cap[k]);
		}
		doc->pos[k][doc->npos[k]++] = pos;
	}
}

/* the stamp of the last query seen (a copy of its image tells it again) */
static MemoryContext last_query_cxt = NULL;
static char *last_query = NULL;
static size_t last_query_size = 0;
static uint32 last_query_stamp = 0;

static uint32
query_stamp(const tq_header *h)
{
	size_t		size = tq_image_size(h);

	if (last_query != NULL && size == last_query_size &&
		memcmp(last_query, h, size) == 0)
		return last_query_stamp;
	if (last_query_cxt == NULL)
		last_query_cxt = AllocSetContextCreate(TopMemoryContext, "transcripts last tquery",
											   ALLOCSET_SMALL_SIZES);
	MemoryContextReset(last_query_cxt);
	last_query = MemoryContextAlloc(last_query_cxt, size);
	memcpy(last_query, h, size);
	last_query_size = size;
	last_query_stamp = tx_lexcache_new_stamp();
	return last_query_stamp;
}

static void
doc_analyze_fast(const TQuery *q, const char *s, int len, TqDoc *doc)
{
	const tq_header *h = TQUERY_HDR(q);
	doc_matcher m;
	doc_builder b;
	int			i,
				k;

	m.terms = TQ_TERMS(h);
	m.strings = TQ_STRINGS(h);
	m.nterms = h->nterms;
	memset(m.first, 0, sizeof(m.first));
	for (k = 0; k < h->nterms; k++)
	{
		unsigned char c0 = (unsigned char) m.strings[m.terms[k].off];

		if (m.terms[k].len == 0)
			memset(m.first, 0xFF, sizeof(m.first));
		else
			m.first[c0 >> 3] |= 1 << (c0 & 7);
	}
	b.doc = doc;
	b.wcap = Max(16, len / 5);
	b.cap = palloc0(sizeof(int) * (h->nterms + 1));
	doc->tok_start = palloc_extended(sizeof(int32) * (b.wcap + 1), MCXT_ALLOC_HUGE);
	doc->tok_end = palloc_extended(sizeof(int32) * (b.wcap + 1), MCXT_ALLOC_HUGE);
	tx_analyze_scan(tq_config(q), s, len, query_stamp(h), doc_classify, &m, m.first, doc_emit, &b);
	doc->ntokens = doc->nwords;
	doc->tok_pos = NULL;
	/* positions without a token (should not happen) borrow their neighbour's offsets */
	for (i = 0; i < doc->nwords; i++)
	{
		if (doc->tok_start[i] < 0)
		{
			doc->tok_start[i] = i > 0 ? doc->tok_end[i - 1] : 0;
			doc->tok_end[i] = doc->tok_start[i];
		}
	}
	for (k = 0; k < h->nterms; k++)
		doc->tf[k] = doc->npos[k];
	pfree(b.cap);
}

void
tq_doc_analyze(const TQuery *q, const char *s, int len, TqDoc *doc)
{
	const tq_header *h = TQUERY_HDR(q);
	const tq_termrec *terms = TQ_TERMS(h);
	const char *strings = TQ_STRINGS(h);
	TxAnalysis	an;
	int			i,
				k;
	int		   *cap;
	int			head[256];
	int		   *next = NULL;

	memset(doc, 0, sizeof(*doc));
	doc->text = s;
	doc->len = len;
	doc->nterms = h->nterms;
	doc->pos = palloc0(sizeof(int32 *) * (h->nterms + 1));
	doc->npos = palloc0(sizeof(int) * (h->nterms + 1));
	doc->tf = palloc0(sizeof(int32) * (h->nterms + 1));
	if (len == 0)
		return;
	if (h->nterms <= TQ_FAST_MAX_TERMS)
	{
		doc_analyze_fast(q, s, len, doc);
		return;
	}
	cap = palloc0(sizeof(int) * (h->nterms + 1));
	/* terms by first byte, so that a token is compared with few of them */
	{
		int			b;

		for (b = 0; b < 256; b++)
			head[b] = -1;
		next = palloc(sizeof(int) * (h->nterms + 1));
		for (k = h->nterms - 1; k >= 0; k--)
		{
			b = (unsigned char) strings[terms[k].off];
			next[k] = head[b];
			head[b] = k;
		}
	}
	tx_analyze(tq_config(q), s, len, &an);
	for (i = 0; i < an.ntokens; i++)
		if (an.tokens[i].pos > doc->nwords)
			doc->nwords = an.tokens[i].pos;

	/* words (positions): byte range of the tokens at each position */
	doc->ntokens = doc->nwords;
	doc->tok_start = palloc(sizeof(int32) * (doc->nwords + 1));
	doc->tok_end = palloc(sizeof(int32) * (doc->nwords + 1));
	doc->tok_pos = NULL;
	for (i = 0; i < doc->nwords; i++)
	{
		doc->tok_start[i] = -1;
		doc->tok_end[i] = -1;
	}
	for (i = 0; i < an.ntokens; i++)
	{
		TxToken    *t = &an.tokens[i];
		int			w = t->pos - 1;

		CHECK_FOR_INTERRUPTS();
		if (w < 0)
			continue;
		if (doc->tok_start[w] < 0 || t->start < doc->tok_start[w])
			doc->tok_start[w] = t->start;
		if (t->end > doc->tok_end[w])
			doc->tok_end[w] = t->end;
		if (t->lexeme == NULL || t->lexlen <= 0)
			continue;
		for (k = head[(unsigned char) t->lexeme[0]]; k >= 0; k = next[k])
		{
			if (!term_matches(&terms[k], strings, t->lexeme, t->lexlen))
				continue;
			if (doc->npos[k] > 0 && doc->pos[k][doc->npos[k] - 1] == t->pos)
				continue;
			if (doc->npos[k] == cap[k])
			{
				cap[k] = cap[k] ? cap[k] * 2 : 8;
				doc->pos[k] = doc->pos[k] ? repalloc(doc->pos[k], sizeof(int32) * cap[k])
					: palloc(sizeof(int32) * cap[k]);
			}
			doc->pos[k][doc->npos[k]++] = t->pos;
		}
	}
	/* positions without a token (should not happen) borrow their neighbour's offsets */
	for (i = 0; i < doc->nwords; i++)
	{
		if (doc->tok_start[i] < 0)
		{
			doc->tok_start[i] = i > 0 ? doc->tok_end[i - 1] : 0;
			doc->tok_end[i] = doc->tok_start[i];
		}
	}
	for (k = 0; k < h->nterms; k++)
		doc->tf[k] = doc->npos[k];
	pfree(cap);
	pfree(next);
}

const int32 *
tq_doc_positions(int term, int *npos, void *arg)
{
	TqDoc	   *doc = arg;

	if (term < 0 || term >= doc->nterms)
	{
		*npos = 0;
		return NULL;
	}
	*npos = doc->npos[term];
	return doc->npos[term] ? doc->pos[term] : NULL;
}

static const int32_t *
doc_positions_core(int term, int *npos, void *arg)
{
	return (const int32_t *) tq_doc_positions(term, npos, arg);
}

bool
tq_doc_matches(const TQuery *q, TqDoc *doc)
{
	return tq_evaluate(TQUERY_HDR(q), doc_positions_core, doc);
}

int
tq_doc_spans(const TQuery *q, TqDoc *doc, tq_span **spans)
{
	return tq_match_spans(TQUERY_HDR(q), doc_positions_core, doc, spans);
}

/* ------------------------------------------------------------------ match operators */

static bool
match_body(TQuery *q, const char *s, int len)
{
	TqDoc		doc;
	bool		r;

	if (TQUERY_HDR(q)->root < 0)
		return (TQUERY_HDR(q)->flags & TQF_HAS_SPEAKER) != 0;
	tq_doc_analyze(q, s, len, &doc);
	r = tq_doc_matches(q, &doc);
	return r;
}

/* text @@ tquery: a text has no speaker, so a speaker filter never matches it */
PG_FUNCTION_INFO_V1(tquery_match_text);
Datum
tquery_match_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	TQuery	   *q = PG_GETARG_TQUERY_P(1);

	if (TQUERY_HDR(q)->flags & TQF_HAS_SPEAKER)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(match_body(q, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

PG_FUNCTION_INFO_V1(tquery_match_turn);
Datum
tquery_match_turn(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);
	TQuery	   *q = PG_GETARG_TQUERY_P(1);

	if (TQUERY_HDR(q)->flags & TQF_HAS_SPEAKER)
	{
		if (!(t->flags & TURN_HAS_SPEAKER) ||
			!tq_speaker_matches(q, TURN_SPEAKER(t), t->speaker_len))
			PG_RETURN_BOOL(false);
	}
	PG_RETURN_BOOL(match_body(q, TURN_BODY(t), TURN_BODY_LEN(t)));
}

/* tquery @@ text / turn: the commutators */
PG_FUNCTION_INFO_V1(tquery_match_text_rev);
Datum
tquery_match_text_rev(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall2(tquery_match_text, PG_GETARG_DATUM(1), PG_GETARG_DATUM(0));
}

PG_FUNCTION_INFO_V1(tquery_match_turn_rev);
Datum
tquery_match_turn_rev(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall2(tquery_match_turn, PG_GETARG_DATUM(1), PG_GETARG_DATUM(0));
}
