/*
 * tquery_stats.c
 *	  Corpus statistics for BM25 until the bm25 index provides them:
 *	  bm25_stats() builds them from a table column as jsonb,
 *	  tquery_with_stats() attaches the numbers for a query's terms to the
 *	  query, bm25_score() scores a text or turn.
 */
#include "transcripts.h"

#include <math.h>

#include "analyze.h"
#include "bm25.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "tquery.h"
#include "turn.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#define TQ_STATS_MAGIC	0x31535154	/* "TQS1" */
#define STATS_MAX_LEXEME 255		/* longer lexemes are not counted */

typedef struct tq_stats_trailer
{
	uint32		magic;
	int32		nterms;
	double		ndocs;
	double		avgdl;
	/* double df[nterms] follows */
} tq_stats_trailer;

static size_t
trailer_offset(const TQuery *q)
{
	size_t		off = offsetof(TQuery, hdr) + tq_image_size(TQUERY_HDR(q));

	return MAXALIGN(off);
}

bool
tq_corpus_stats(const TQuery *q, double *ndocs, double *avgdl, const double **df)
{
	size_t		off = trailer_offset(q);
	const tq_stats_trailer *t;

	if (VARSIZE(q) < off + sizeof(tq_stats_trailer))
		return false;
	t = (const tq_stats_trailer *) ((const char *) q + off);
	if (t->magic != TQ_STATS_MAGIC || t->nterms != TQUERY_HDR(q)->nterms)
		return false;
	*ndocs = t->ndocs;
	*avgdl = t->avgdl;
	*df = (const double *) (t + 1);
	return true;
}

double *
tq_idf(const TQuery *q)
{
	int			n = TQUERY_HDR(q)->nterms;
	double	   *idf = palloc(sizeof(double) * (n + 1));
	double		ndocs,
				avgdl;
	const double *df;
	int			i;

	if (tq_corpus_stats(q, &ndocs, &avgdl, &df))
		for (i = 0; i < n; i++)
			idf[i] = tx_bm25_idf(ndocs, df[i]);
	else
		for (i = 0; i < n; i++)
			idf[i] = 1.0;
	return idf;
}

/* ------------------------------------------------------------------ jsonb helpers */

static void
bad_stats(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid corpus statistics"),
			 errdetail("%s.", what),
			 errhint("Build them with bm25_stats(table, column).")));
}

static double
jsonb_number(JsonbValue *v, const char *what)
{
	if (v->type != jbvNumeric)
		bad_stats(what);
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

PG_FUNCTION_INFO_V1(tquery_with_stats);
Datum
tquery_with_stats(PG_FUNCTION_ARGS)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(0);
	Jsonb	   *stats = PG_GETARG_JSONB_P(1);
	const tq_header *h = TQUERY_HDR(q);
	const tq_termrec *terms = TQ_TERMS(h);
	JsonbValue	v;
	JsonbValue *dfobj;
	double		ndocs,
				avgdl;
	double	   *df;
	size_t		off = trailer_offset(q);
	size_t		size;
	TQuery	   *out;
	tq_stats_trailer tr;
	int			i;

	if (!JB_ROOT_IS_OBJECT(stats))
		bad_stats("the statistics are not a JSON object");
	if (getKeyJsonValueFromContainer(&stats->root, "documents", 9, &v) == NULL)
		bad_stats("key \"documents\" is missing");
	ndocs = jsonb_number(&v, "\"documents\" is not a number");
	if (getKeyJsonValueFromContainer(&stats->root, "avgdl", 5, &v) == NULL)
		bad_stats("key \"avgdl\" is missing");
	avgdl = jsonb_number(&v, "\"avgdl\" is not a number");
	if (!(ndocs >= 0) || !(avgdl >= 0))
		bad_stats("\"documents\" and \"avgdl\" must not be negative");
	dfobj = getKeyJsonValueFromContainer(&stats->root, "df", 2, NULL);
	if (dfobj == NULL || dfobj->type != jbvBinary || !JsonContainerIsObject(dfobj->val.binary.data))
		bad_stats("key \"df\" is missing or not an object");

	df = palloc0(sizeof(double) * (h->nterms + 1));
	for (i = 0; i < h->nterms; i++)
	{
		const char *lex = TQ_STRINGS(h) + terms[i].off;

		CHECK_FOR_INTERRUPTS();
		if (!terms[i].prefix)
		{
			if (getKeyJsonValueFromContainer(dfobj->val.binary.data, lex, terms[i].len, &v) != NULL)
				df[i] = jsonb_number(&v, "a document frequency is not a number");
		}
		else
		{
			/* a prefix: the largest df among the matching lexemes */
			JsonbIterator *it = JsonbIteratorInit(dfobj->val.binary.data);
			JsonbIteratorToken tok;
			JsonbValue	k;
			bool		want = false;

			while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
			{
				CHECK_FOR_INTERRUPTS();
				if (tok == WJB_KEY)
					want = k.val.string.len >= terms[i].len &&
						memcmp(k.val.string.val, lex, terms[i].len) == 0;
				else if (tok == WJB_VALUE && want)
				{
					double		d = jsonb_number(&k, "a document frequency is not a number");

					if (d > df[i])
						df[i] = d;
				}
			}
		}
	}

	size = off + sizeof(tq_stats_trailer) + sizeof(double) * h->nterms;
	out = palloc0(size);
	memcpy(out, q, offsetof(TQuery, hdr) + tq_image_size(h));
	SET_VARSIZE(out, size);
	tr.magic = TQ_STATS_MAGIC;
	tr.nterms = h->nterms;
	tr.ndocs = ndocs;
	tr.avgdl = avgdl;
	memcpy((char *) out + off, &tr, sizeof(tr));
	memcpy((char *) out + off + sizeof(tr), df, sizeof(double) * h->nterms);
	PG_RETURN_TQUERY_P(out);
}

/* the statistics a query carries, as jsonb (for inspection) */
PG_FUNCTION_INFO_V1(tquery_stats);
Datum
tquery_stats(PG_FUNCTION_ARGS)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(0);
	double		ndocs,
				avgdl;
	const double *df;
	StringInfoData b;
	int			i;
	TqTerm	   *terms;
	int			n;

	if (!tq_corpus_stats(q, &ndocs, &avgdl, &df))
		PG_RETURN_NULL();
	n = tq_all_terms(q, &terms);
	initStringInfo(&b);
	appendStringInfo(&b, "{\"documents\": %.0f, \"avgdl\": %.15g, \"df\": {", ndocs, avgdl);
	for (i = 0; i < n; i++)
	{
		char	   *lex = pnstrdup(terms[i].lexeme, terms[i].len);

		if (i > 0)
			appendStringInfoString(&b, ", ");
		if (terms[i].prefix)
			lex = psprintf("%s*", lex);
		escape_json(&b, lex);
		appendStringInfo(&b, ": %.0f", df[i]);
	}
	appendStringInfoString(&b, "}}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(b.data)));
}

/* ------------------------------------------------------------------ bm25_stats */

typedef struct df_entry
{
	char		key[STATS_MAX_LEXEME + 1];
	int64		df;
	int64		lastdoc;
} df_entry;

PG_FUNCTION_INFO_V1(tquery_bm25_stats);
Datum
tquery_bm25_stats(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	Name		column = PG_GETARG_NAME(1);
	Oid			cfg = PG_ARGISNULL(2) ? tx_default_config() : PG_GETARG_OID(2);
	char	   *relname;
	AttrNumber	attno;
	Oid			atttype;
	Oid			turn_oid;
	HASHCTL		ctl;
	HTAB	   *hash;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext work;
	int64		ndocs = 0;
	double		totwords = 0;
	char	   *sql;
	Portal		portal;
	JsonbParseState *ps = NULL;
	JsonbValue *res;
	JsonbValue	k,
				v;
	HASH_SEQ_STATUS seq;
	df_entry   *e;

	relname = get_rel_name(relid);
	if (relname == NULL)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation with OID %u does not exist", relid)));
	attno = get_attnum(relid, NameStr(*column));
	if (attno == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist", NameStr(*column), relname)));
	atttype = get_atttype(relid, attno);
	{
		/* the turn type of this extension, whatever the search path */
		Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);

		turn_oid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
								   CStringGetDatum("turn"), ObjectIdGetDatum(nsp));
	}
	if (atttype != TEXTOID && atttype != VARCHAROID && atttype != turn_oid)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" must be of type text, varchar or turn", NameStr(*column))));

	work = AllocSetContextCreate(CurrentMemoryContext, "bm25_stats rows", ALLOCSET_DEFAULT_SIZES);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = STATS_MAX_LEXEME + 1;
	ctl.entrysize = sizeof(df_entry);
	ctl.hcxt = CurrentMemoryContext;
	hash = hash_create("bm25_stats", 4096, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	sql = psprintf("SELECT %s FROM %s", quote_identifier(NameStr(*column)),
				   quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), relname));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	portal = SPI_cursor_open_with_args(NULL, sql, 0, NULL, NULL, NULL, true, 0);
	for (;;)
	{
		uint64		r;

		SPI_cursor_fetch(portal, true, 1000);
		if (SPI_processed == 0)
			break;
		for (r = 0; r < SPI_processed; r++)
		{
			bool		isnull;
			Datum		d = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);
			MemoryContext old;
			const char *s;
			int			len;
			TxAnalysis	an;
			int			i,
						maxpos = 0;

			CHECK_FOR_INTERRUPTS();
			if (isnull)
				continue;
			old = MemoryContextSwitchTo(work);
			if (atttype == turn_oid)
			{
				Turn	   *t = DatumGetTurnP(d);

				s = TURN_BODY(t);
				len = TURN_BODY_LEN(t);
			}
			else
			{
				text	   *t = DatumGetTextPP(d);

				s = VARDATA_ANY(t);
				len = VARSIZE_ANY_EXHDR(t);
			}
			ndocs++;
			tx_analyze(cfg, s, len, &an);
			for (i = 0; i < an.ntokens; i++)
			{
				TxToken    *tk = &an.tokens[i];
				char		key[STATS_MAX_LEXEME + 1];
				bool		found;

				if (tk->pos > maxpos)
					maxpos = tk->pos;
				if (tk->lexeme == NULL || tk->lexlen <= 0 || tk->lexlen > STATS_MAX_LEXEME)
					continue;
				memcpy(key, tk->lexeme, tk->lexlen);
				key[tk->lexlen] = '\0';
				e = hash_search(hash, key, HASH_ENTER, &found);
				if (!found)
				{
					e->df = 0;
					e->lastdoc = 0;
				}
				if (e->lastdoc != ndocs)
				{
					e->df++;
					e->lastdoc = ndocs;
				}
			}
			totwords += maxpos;
			MemoryContextSwitchTo(old);
			MemoryContextReset(work);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();

	/* {"documents": N, "avgdl": x, "df": {"lexeme": df, ...}} */
	MemoryContextSwitchTo(caller);
	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	k.type = jbvString;
	k.val.string.val = "documents";
	k.val.string.len = 9;
	pushJsonbValue(&ps, WJB_KEY, &k);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(ndocs);
	pushJsonbValue(&ps, WJB_VALUE, &v);
	k.val.string.val = "avgdl";
	k.val.string.len = 5;
	pushJsonbValue(&ps, WJB_KEY, &k);
	v.val.numeric = DatumGetNumeric(DirectFunctionCall1(float8_numeric,
														Float8GetDatum(ndocs ? round(totwords / ndocs * 1000) / 1000 : 0)));
	pushJsonbValue(&ps, WJB_VALUE, &v);
	k.val.string.val = "df";
	k.val.string.len = 2;
	pushJsonbValue(&ps, WJB_KEY, &k);
	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	hash_seq_init(&seq, hash);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		k.val.string.val = e->key;
		k.val.string.len = strlen(e->key);
		pushJsonbValue(&ps, WJB_KEY, &k);
		v.val.numeric = int64_to_numeric(e->df);
		pushJsonbValue(&ps, WJB_VALUE, &v);
	}
	pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	hash_destroy(hash);
	MemoryContextDelete(work);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}

/* ------------------------------------------------------------------ bm25_score */

static double
score_body(TQuery *q, const char *s, int len, double k1, double b)
{
	tx_bm25_params p;
	tx_error	err;
	TqDoc		doc;
	double		ndocs,
				avgdl;
	const double *df;
	double	   *idf;
	double		score = 0;
	int			i;
	const tq_termrec *terms = TQ_TERMS(TQUERY_HDR(q));

	p.k1 = k1;
	p.b = b;
	if (!tx_bm25_params_valid(&p, &err))
		tx_raise(&err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid BM25 parameter");
	if (TQUERY_HDR(q)->npositive == 0)
		return 0;
	tq_doc_analyze(q, s, len, &doc);
	idf = tq_idf(q);
	if (!tq_corpus_stats(q, &ndocs, &avgdl, &df) || avgdl <= 0)
		avgdl = doc.nwords;
	for (i = 0; i < TQUERY_HDR(q)->npositive; i++)
		score += tx_bm25_term(idf[i], doc.tf[i], terms[i].qtf, doc.nwords, avgdl, &p);
	return score;
}

PG_FUNCTION_INFO_V1(tquery_bm25_score_text);
Datum
tquery_bm25_score_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	TQuery	   *q = PG_GETARG_TQUERY_P(1);

	PG_RETURN_FLOAT8(score_body(q, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
								PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)));
}

PG_FUNCTION_INFO_V1(tquery_bm25_score_turn);
Datum
tquery_bm25_score_turn(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);
	TQuery	   *q = PG_GETARG_TQUERY_P(1);

	PG_RETURN_FLOAT8(score_body(q, TURN_BODY(t), TURN_BODY_LEN(t),
								PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3)));
}
