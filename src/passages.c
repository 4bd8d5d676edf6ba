/*
 * passages.c
 *	  best_passage, passages, snippet and kwic on text and turn.
 *
 * All of them analyse the text with the query's text search configuration,
 * find where the query's words, phrases and NEAR groups occur
 * (tq_match_spans: phrases only where they occur as phrases, excluded terms
 * never), and work from there.  They show where a query matches; they do
 * not filter rows (a speaker filter is ignored): use @@ in WHERE for that.
 *
 * Sentence boundaries come from one ICU sentence break iterator per backend
 * (with the "standard" abbreviation suppressions of locale en), opened on
 * first use and kept: an error or an early exit cannot leak it.
 */
#include "transcripts.h"

#include "analyze.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "passage.h"
#include "tquery.h"
#include "turn.h"
#include "utils/builtins.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#define KWIC_MAX_WIDTH	10000

static UBreakIterator *sent_bi = NULL;
static UText *sent_ut = NULL;

static void
open_sentence_iterator(void)
{
	if (sent_bi == NULL)
	{
		UErrorCode	st = U_ZERO_ERROR;
		UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &st);
		UText	   *ut;

		if (U_FAILURE(st))
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not open an ICU sentence break iterator: %s", u_errorName(st))));
		ut = utext_openUTF8(NULL, "", 0, &st);
		if (U_FAILURE(st))
		{
			ubrk_close(bi);
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not open an ICU text: %s", u_errorName(st))));
		}
		sent_bi = bi;
		sent_ut = ut;
	}
}

/* a text or turn body with its analysis for one query */
typedef struct pdoc
{
	TQuery	   *q;
	const char *s;
	int			len;
	TqDoc		doc;
	tq_span    *spans;
	int			nspans;
	int32	   *sent;			/* sentence starts, lazily */
	int			nsent;
} pdoc;

static void
get_body(FunctionCallInfo fcinfo, bool is_turn, const char **s, int *len)
{
	if (is_turn)
	{
		Turn	   *t = PG_GETARG_TURN_P(0);

		*s = TURN_BODY(t);
		*len = TURN_BODY_LEN(t);
	}
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(0);

		*s = VARDATA_ANY(t);
		*len = VARSIZE_ANY_EXHDR(t);
	}
}

static void
pdoc_init(pdoc *pd, TQuery *q, const char *s, int len)
{
	memset(pd, 0, sizeof(*pd));
	pd->q = q;
	pd->s = s;
	pd->len = len;
	tq_doc_analyze(q, s, len, &pd->doc);
	pd->nspans = tq_doc_spans(q, &pd->doc, &pd->spans);
}

/*
 * Sentence starts where they matter: within max_words words of a hit (a
 * window holding the hit cannot reach further).
 */
static void
pdoc_sentences(pdoc *pd, int max_words)
{
	TqDoc	   *d = &pd->doc;
	int32	   *ranges;
	int			nr = 0;
	int			i;

	if (pd->sent != NULL)
		return;
	open_sentence_iterator();
	ranges = palloc(sizeof(int32) * 2 * (pd->nspans + 1));
	for (i = 0; i < pd->nspans; i++)
	{
		int			a = Max(pd->spans[i].start - 1 - max_words, 0);
		int			b = Min(pd->spans[i].end - 1 + max_words, d->ntokens - 1);
		int32		from,
					to;

		if (a > b || d->ntokens == 0)
			continue;
		from = d->tok_start[a];
		to = d->tok_end[b];
		if (nr > 0 && from <= ranges[2 * nr - 1])
		{
			if (to > ranges[2 * nr - 1])
				ranges[2 * nr - 1] = to;
			continue;
		}
		ranges[2 * nr] = from;
		ranges[2 * nr + 1] = to;
		nr++;
	}
	pd->nsent = tx_sentence_starts_near(sent_bi, sent_ut, pd->s, pd->len,
										(const int32_t *) ranges, nr, (int32_t **) &pd->sent);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* sentence index of byte offset b */
static int
sentence_of(pdoc *pd, int32 b)
{
	int			lo = 0,
				hi = pd->nsent - 1;

	while (lo < hi)
	{
		int			mid = (lo + hi + 1) / 2;

		if (pd->sent[mid] <= b)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* byte range of a passage of words first..last: whole sentences when it starts/ends at one */
static void
passage_bytes(pdoc *pd, int first, int last, int32 *bs, int32 *be)
{
	TqDoc	   *d = &pd->doc;
	int			si = sentence_of(pd, d->tok_start[first]);
	int			sj = sentence_of(pd, d->tok_start[last]);
	int32		send = (sj + 1 < pd->nsent) ? pd->sent[sj + 1] : pd->len;
	int			k;

	if (first == 0 || d->tok_start[first - 1] < pd->sent[si])
		*bs = pd->sent[si];
	else
		*bs = d->tok_start[first];
	if (last == d->ntokens - 1 || d->tok_start[last + 1] >= send)
		*be = send;
	else
	{
		*be = d->tok_end[last];
		for (k = first; k <= last; k++)
			if (d->tok_end[k] > *be)
				*be = d->tok_end[k];
	}
	while (*bs < *be && is_space(pd->s[*bs]))
		(*bs)++;
	while (*be > *bs && is_space(pd->s[*be - 1]))
		(*be)--;
}

static void
check_max_words(int max_words)
{
	if (max_words < 1 || max_words > TX_PASSAGE_MAX_WORDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_words must be between 1 and %d", TX_PASSAGE_MAX_WORDS)));
}

static tx_bm25_params
bm25_params(double k1, double b)
{
	tx_bm25_params p;
	tx_error	err;

	p.k1 = k1;
	p.b = b;
	if (!tx_bm25_params_valid(&p, &err))
		tx_raise(&err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid BM25 parameter");
	return p;
}

/* the best n passages; returns the count */
static int
pdoc_passages(pdoc *pd, int n, int max_words, tx_bm25_params p, tx_passage *out)
{
	const tq_header *h = TQUERY_HDR(pd->q);
	const tq_node *nodes = TQ_NODES(h);
	const tq_item *items = TQ_ITEMS(h);
	tx_passage_args a;
	tx_hit	   *hits;
	double	   *gw;
	double	   *idf;
	int			i;

	if (pd->nspans == 0 || pd->doc.ntokens == 0)
		return 0;
	pdoc_sentences(pd, max_words);
	idf = tq_idf(pd->q);
	gw = palloc0(sizeof(double) * (h->nnodes + 1));
	for (i = 0; i < h->nnodes; i++)
	{
		int			j;

		if (nodes[i].kind != TQN_TERM)
			continue;
		for (j = 0; j < nodes[i].n; j++)
			gw[i] += idf[items[nodes[i].first + j].term];
	}
	hits = palloc(sizeof(tx_hit) * pd->nspans);
	for (i = 0; i < pd->nspans; i++)
	{
		hits[i].first_tok = pd->spans[i].start - 1;
		hits[i].last_tok = Min(pd->spans[i].end, pd->doc.ntokens) - 1;
		hits[i].group = pd->spans[i].node;
	}
	a.ntokens = pd->doc.ntokens;
	a.tok_start = pd->doc.tok_start;
	a.nsent = pd->nsent;
	a.sent_start = pd->sent;
	a.nhits = pd->nspans;
	a.hits = hits;
	a.ngroups = h->nnodes;
	a.group_weight = gw;
	a.max_words = max_words;
	a.bm25 = p;
	return tx_passages(&a, n, out);
}

/* ------------------------------------------------------------------ best_passage, passages */

static HeapTuple
passage_tuple(TupleDesc td, pdoc *pd, int32 bs, int32 be, double score)
{
	Datum		v[4];
	bool		nulls[4] = {false, false, false, false};

	v[0] = PointerGetDatum(cstring_to_text_with_len(pd->s + bs, be - bs));
	v[1] = Int32GetDatum(tx_char_offset(pd->s, bs));
	v[2] = Int32GetDatum(tx_char_offset(pd->s, be));
	v[3] = Float8GetDatum(score);
	return heap_form_tuple(td, v, nulls);
}

static Datum
best_passage_common(FunctionCallInfo fcinfo, bool is_turn)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(1);
	int			max_words = PG_GETARG_INT32(2);
	tx_bm25_params p = bm25_params(PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4));
	TupleDesc	td;
	const char *s;
	int			len;
	pdoc		pd;
	tx_passage	best;
	int32		bs,
				be;

	check_max_words(max_words);
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	get_body(fcinfo, is_turn, &s, &len);
	pdoc_init(&pd, q, s, len);
	if (pdoc_passages(&pd, 1, max_words, p, &best) == 0)
		PG_RETURN_NULL();
	passage_bytes(&pd, best.first_tok, best.last_tok, &bs, &be);
	PG_RETURN_DATUM(HeapTupleGetDatum(passage_tuple(td, &pd, bs, be, best.score)));
}

PG_FUNCTION_INFO_V1(tquery_best_passage_text);
Datum
tquery_best_passage_text(PG_FUNCTION_ARGS)
{
	return best_passage_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(tquery_best_passage_turn);
Datum
tquery_best_passage_turn(PG_FUNCTION_ARGS)
{
	return best_passage_common(fcinfo, true);
}

static Datum
passages_common(FunctionCallInfo fcinfo, bool is_turn)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TQuery	   *q = PG_GETARG_TQUERY_P(1);
	int			n = PG_GETARG_INT32(2);
	int			max_words = PG_GETARG_INT32(3);
	tx_bm25_params p = bm25_params(PG_GETARG_FLOAT8(4), PG_GETARG_FLOAT8(5));
	const char *s;
	int			len;
	pdoc		pd;
	tx_passage *out;
	int			got,
				i;

	check_max_words(max_words);
	if (n < 0 || n > TX_PASSAGE_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must be between 0 and %d", TX_PASSAGE_MAX_N)));
	InitMaterializedSRF(fcinfo, 0);
	get_body(fcinfo, is_turn, &s, &len);
	pdoc_init(&pd, q, s, len);
	out = palloc(sizeof(tx_passage) * (n + 1));
	got = pdoc_passages(&pd, n, max_words, p, out);
	for (i = 0; i < got; i++)
	{
		int32		bs,
					be;

		passage_bytes(&pd, out[i].first_tok, out[i].last_tok, &bs, &be);
		tuplestore_puttuple(rsinfo->setResult,
							passage_tuple(rsinfo->setDesc, &pd, bs, be, out[i].score));
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(tquery_passages_text);
Datum
tquery_passages_text(PG_FUNCTION_ARGS)
{
	return passages_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(tquery_passages_turn);
Datum
tquery_passages_turn(PG_FUNCTION_ARGS)
{
	return passages_common(fcinfo, true);
}

/* ------------------------------------------------------------------ highlighting */

typedef struct brange
{
	int32		start;
	int32		end;
} brange;

/* byte ranges of the matches, overlapping ones merged, in text order */
static int
match_ranges(pdoc *pd, brange **out)
{
	TqDoc	   *d = &pd->doc;
	brange	   *r = palloc(sizeof(brange) * (pd->nspans + 1));
	int			n = 0;
	int			i;

	for (i = 0; i < pd->nspans; i++)
	{
		int			f = pd->spans[i].start - 1;
		int			l = Min(pd->spans[i].end, d->ntokens) - 1;
		int32		bs,
					be;
		int			k;

		if (f < 0 || f >= d->ntokens || l < f)
			continue;
		bs = d->tok_start[f];
		be = d->tok_end[f];
		for (k = f; k <= l; k++)
			if (d->tok_end[k] > be)
				be = d->tok_end[k];
		if (n > 0 && bs < r[n - 1].end)
		{
			if (be > r[n - 1].end)
				r[n - 1].end = be;
			continue;
		}
		r[n].start = bs;
		r[n].end = be;
		n++;
	}
	*out = r;
	return n;
}

static void
append_text(StringInfo b, const char *s, int len, bool html)
{
	int			i;

	if (!html)
	{
		appendBinaryStringInfo(b, s, len);
		return;
	}
	for (i = 0; i < len; i++)
	{
		switch (s[i])
		{
			case '&':
				appendStringInfoString(b, "&amp;");
				break;
			case '<':
				appendStringInfoString(b, "&lt;");
				break;
			case '>':
				appendStringInfoString(b, "&gt;");
				break;
			case '"':
				appendStringInfoString(b, "&quot;");
				break;
			case '\'':
				appendStringInfoString(b, "&#39;");
				break;
			default:
				appendStringInfoChar(b, s[i]);
		}
	}
}

static Datum
snippet_common(FunctionCallInfo fcinfo, bool is_turn)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(1);
	text	   *start_sel = PG_GETARG_TEXT_PP(2);
	text	   *stop_sel = PG_GETARG_TEXT_PP(3);
	int			max_words = PG_GETARG_INT32(4);
	bool		html = PG_GETARG_BOOL(5);
	tx_bm25_params p = bm25_params(PG_GETARG_FLOAT8(6), PG_GETARG_FLOAT8(7));
	const char *s;
	int			len;
	pdoc		pd;
	tx_passage	best;
	int32		bs,
				be;
	brange	   *r;
	int			nr,
				i;
	StringInfoData b;

	check_max_words(max_words);
	get_body(fcinfo, is_turn, &s, &len);
	pdoc_init(&pd, q, s, len);
	if (pd.nspans > 0 && pd.doc.ntokens <= max_words)
	{
		/* the whole text fits: show all of it (no sentences needed) */
		bs = 0;
		be = len;
		while (bs < be && is_space(s[bs]))
			bs++;
		while (be > bs && is_space(s[be - 1]))
			be--;
	}
	else if (pdoc_passages(&pd, 1, max_words, p, &best) == 0)
	{
		/* no match: the first max_words words, like ts_headline */
		TqDoc	   *d = &pd.doc;

		bs = 0;
		if (d->ntokens > max_words)
			be = d->tok_end[max_words - 1];
		else
			be = len;
		while (bs < be && is_space(s[bs]))
			bs++;
		while (be > bs && is_space(s[be - 1]))
			be--;
		initStringInfo(&b);
		append_text(&b, s + bs, be - bs, html);
		PG_RETURN_TEXT_P(cstring_to_text_with_len(b.data, b.len));
	}
	else
		passage_bytes(&pd, best.first_tok, best.last_tok, &bs, &be);
	nr = match_ranges(&pd, &r);
	initStringInfo(&b);
	{
		int32		at = bs;

		for (i = 0; i < nr; i++)
		{
			CHECK_FOR_INTERRUPTS();
			if (r[i].end <= bs || r[i].start >= be)
				continue;
			if (r[i].start > at)
				append_text(&b, s + at, r[i].start - at, html);
			appendBinaryStringInfo(&b, VARDATA_ANY(start_sel), VARSIZE_ANY_EXHDR(start_sel));
			append_text(&b, s + Max(r[i].start, at), Min(r[i].end, be) - Max(r[i].start, at), html);
			appendBinaryStringInfo(&b, VARDATA_ANY(stop_sel), VARSIZE_ANY_EXHDR(stop_sel));
			at = Min(r[i].end, be);
		}
		if (at < be)
			append_text(&b, s + at, be - at, html);
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(b.data, b.len));
}

PG_FUNCTION_INFO_V1(tquery_snippet_text);
Datum
tquery_snippet_text(PG_FUNCTION_ARGS)
{
	return snippet_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(tquery_snippet_turn);
Datum
tquery_snippet_turn(PG_FUNCTION_ARGS)
{
	return snippet_common(fcinfo, true);
}

/* ------------------------------------------------------------------ kwic */

/* context text with line breaks and tabs as spaces */
static text *
context_text(const char *s, int len)
{
	char	   *c = palloc(len + 1);
	int			i;

	for (i = 0; i < len; i++)
		c[i] = (s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == '\f' || s[i] == '\v') ? ' ' : s[i];
	return cstring_to_text_with_len(c, len);
}

static Datum
kwic_common(FunctionCallInfo fcinfo, bool is_turn)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TQuery	   *q = PG_GETARG_TQUERY_P(1);
	int			width = PG_GETARG_INT32(2);
	const char *s;
	int			len;
	pdoc		pd;
	brange	   *r;
	int			nr,
				i;
	TxCharCursor cur;

	if (width < 0 || width > KWIC_MAX_WIDTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("width must be between 0 and %d", KWIC_MAX_WIDTH)));
	InitMaterializedSRF(fcinfo, 0);
	get_body(fcinfo, is_turn, &s, &len);
	pdoc_init(&pd, q, s, len);
	nr = match_ranges(&pd, &r);
	tx_char_cursor_init(&cur, s);
	for (i = 0; i < nr; i++)
	{
		Datum		v[5];
		bool		nulls[5] = {false, false, false, false, false};
		int32		ls = r[i].start,
					re = r[i].end;
		int			k;

		CHECK_FOR_INTERRUPTS();
		/* width characters either side */
		for (k = 0; k < width && ls > 0; k++)
		{
			ls--;
			while (ls > 0 && ((unsigned char) s[ls] & 0xC0) == 0x80)
				ls--;
		}
		for (k = 0; k < width && re < len; k++)
			re += Min(tx_utf8_len((unsigned char) s[re]), len - re);
		v[0] = PointerGetDatum(context_text(s + ls, r[i].start - ls));
		v[1] = PointerGetDatum(context_text(s + r[i].start, r[i].end - r[i].start));
		v[2] = PointerGetDatum(context_text(s + r[i].end, re - r[i].end));
		v[3] = Int32GetDatum(tx_char_cursor_offset(&cur, r[i].start));
		v[4] = Int32GetDatum(tx_char_cursor_offset(&cur, r[i].end));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(tquery_kwic_text);
Datum
tquery_kwic_text(PG_FUNCTION_ARGS)
{
	return kwic_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(tquery_kwic_turn);
Datum
tquery_kwic_turn(PG_FUNCTION_ARGS)
{
	return kwic_common(fcinfo, true);
}
