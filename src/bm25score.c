/*
 * bm25score.c
 *	  SQL functions around the bm25 index: the ordering operator <@> outside
 *	  an index scan, bm25_score(index, doc, query) and bm25_index_stats(index).
 *
 * Outside an index scan the operator needs corpus statistics, so it takes
 * them from a bm25 index: the index a scan in this backend last used for the
 * same query (a row the scan returned and the executor rechecks), else the
 * only bm25 index on a column of the argument's type.  bm25_score names the
 * index explicitly.
 */
#include "transcripts.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "access/xact.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "bm25query.h"
#include "turn.h"

/* ------------------------------------------------------------ scan registry */

#define NREG 8

typedef struct RegEntry
{
	Oid			index;
	uint32		hash;
	Size		len;
} RegEntry;

static RegEntry reg[NREG];
static int	reg_next = 0;

static uint32
query_hash(const TQuery *q)
{
	return hash_bytes((const unsigned char *) q, VARSIZE(q));
}

void
bm25_register_scan(Oid indexoid, const TQuery *q)
{
	uint32		h = query_hash(q);
	int			i;

	for (i = 0; i < NREG; i++)
		if (reg[i].index == indexoid && reg[i].hash == h && reg[i].len == VARSIZE(q))
			return;
	reg[reg_next].index = indexoid;
	reg[reg_next].hash = h;
	reg[reg_next].len = VARSIZE(q);
	reg_next = (reg_next + 1) % NREG;
}

static bool
is_bm25_index(Relation rel, Oid argtype)
{
	return rel->rd_rel->relkind == RELKIND_INDEX &&
		rel->rd_rel->relam == get_index_am_oid("bm25", true) &&
		TupleDescAttr(RelationGetDescr(rel), 0)->atttypid == argtype;
}

/* the index whose statistics the operator uses for this query */
static Oid
resolve_index(const TQuery *q, Oid argtype)
{
	uint32		h = query_hash(q);
	Oid			amoid = get_index_am_oid("bm25", true);
	Oid			found = InvalidOid;
	int			nfound = 0;
	int			i;
	Relation	pgclass;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tup;

	for (i = 1; i <= NREG; i++)
	{
		RegEntry   *e = &reg[(reg_next - i + NREG) % NREG];

		if (OidIsValid(e->index) && e->hash == h && e->len == VARSIZE(q))
		{
			Relation	rel = try_relation_open(e->index, AccessShareLock);

			if (rel)
			{
				bool		ok = is_bm25_index(rel, argtype);

				relation_close(rel, AccessShareLock);
				if (ok)
					return e->index;
			}
		}
	}

	if (!OidIsValid(amoid))
		goto none;
	pgclass = table_open(RelationRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_class_relam, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(amoid));
	scan = systable_beginscan(pgclass, InvalidOid, false, NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_class form = (Form_pg_class) GETSTRUCT(tup);
		Relation	rel;

		if (form->relkind != RELKIND_INDEX)
			continue;
		rel = try_relation_open(form->oid, AccessShareLock);
		if (rel == NULL)
			continue;
		if (is_bm25_index(rel, argtype))
		{
			found = form->oid;
			nfound++;
		}
		relation_close(rel, AccessShareLock);
	}
	systable_endscan(scan);
	table_close(pgclass, AccessShareLock);
	if (nfound == 1)
		return found;
	if (nfound > 1)
		ereport(ERROR,
				(errcode(ERRCODE_AMBIGUOUS_PARAMETER),
				 errmsg("cannot tell which bm25 index to take statistics from"),
				 errdetail("There are %d bm25 indexes on %s columns and this row does not come from an index scan.",
						   nfound, format_type_be(argtype)),
				 errhint("Use bm25_score(index, column, query) to name the index.")));
none:
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("no bm25 index to take statistics from"),
			 errdetail("Ranking with <@> needs the corpus statistics of a bm25 index on a %s column.",
					   format_type_be(argtype)),
			 errhint("Create one with CREATE INDEX ... USING bm25, or use bm25_score(index, column, query).")));
	return InvalidOid;			/* keep the compiler quiet */
}

/* ------------------------------------------------------------ scores handed over by scans */

#define NNOTE 4

typedef struct NoteEntry
{
	uint32		qhash;
	Size		qlen;
	uint32		dochash;
	Bm25RawKey	raw;			/* the row's stored value, when the scan read it */
	double		score;
	TimestampTz stmt;			/* valid in this statement only */
	LocalTransactionId lxid;
	CommandId	cid;			/* and before any later change in it */
	bool		valid;
} NoteEntry;

static NoteEntry notes[NNOTE];
static int	note_next = 0;

uint32
bm25_query_hash(const TQuery *q)
{
	return query_hash(q);
}

void
bm25_raw_key(Datum value, Bm25RawKey *key)
{
	const uint8 *p = (const uint8 *) DatumGetPointer(value);
	Size		len = VARSIZE_ANY(p);

	memset(key, 0, sizeof(*key));
	key->valid = true;
	key->len = (uint32) len;
	key->hash = bm25_hash_bytes(p, len);
	if (len <= BM25_RAW_KEY_BYTES)
		memcpy(key->bytes, p, len);
}

static bool
raw_key_eq(const Bm25RawKey *a, const Bm25RawKey *b)
{
	return a->valid && b->valid && a->len == b->len && a->hash == b->hash &&
		(a->len > BM25_RAW_KEY_BYTES || memcmp(a->bytes, b->bytes, a->len) == 0);
}

void
bm25_note_result(uint32 qhash, Size qlen, uint32 dochash, const Bm25RawKey *raw, double score)
{
	NoteEntry  *n = &notes[note_next];

	n->qhash = qhash;
	n->qlen = qlen;
	n->dochash = dochash;
	if (raw)
		n->raw = *raw;
	else
		n->raw.valid = false;
	n->score = score;
	n->stmt = GetCurrentStatementStartTimestamp();
	n->lxid = MyProc->lxid;
	n->cid = GetCurrentCommandId(false);
	n->valid = true;
	note_next = (note_next + 1) % NNOTE;
}

/*
 * A score a scan noted in this statement for this query and this row: the
 * row's stored value (raw key) when the scan read it, else the hash of its
 * text, computed only when a note needs it.  Equal texts have equal scores,
 * so a match answers for any row with that text.
 */
static bool
noted_score(uint32 qhash, Size qlen, Datum value, Oid typid, double *score)
{
	int			i;
	TimestampTz stmt = 0;
	CommandId	cid = GetCurrentCommandId(false);
	bool		any = false,
				need_text = false;
	Bm25RawKey	raw;
	uint32		dochash;

	for (i = 0; i < NNOTE; i++)
	{
		NoteEntry  *n = &notes[i];

		if (!n->valid || n->qhash != qhash || n->qlen != qlen || n->lxid != MyProc->lxid ||
			n->cid != cid)
			continue;
		if (stmt == 0)
			stmt = GetCurrentStatementStartTimestamp();
		if (n->stmt != stmt)
			continue;
		if (!any)
		{
			bm25_raw_key(value, &raw);
			any = true;
		}
		if (raw_key_eq(&n->raw, &raw))
		{
			*score = n->score;
			return true;
		}
		if (!n->raw.valid)
			need_text = true;
	}
	if (!need_text)
		return false;
	/* a scan that could not read the stored value (an expression index) */
	dochash = bm25_body_hash(value, typid);
	for (i = 0; i < NNOTE; i++)
	{
		NoteEntry  *n = &notes[i];

		if (n->valid && !n->raw.valid && n->qhash == qhash && n->qlen == qlen &&
			n->dochash == dochash && n->stmt == stmt && n->lxid == MyProc->lxid && n->cid == cid)
		{
			*score = n->score;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------ scoring one row */

typedef struct ScoreCache
{
	Oid			index;
	TQuery	   *q;
	uint32		qhash;
	Bm25Query  *bq;
	MemoryContext cx;
} ScoreCache;

/* The call site's cache, made on first use, emptied. */
static ScoreCache *
score_cache_reset(FunctionCallInfo fcinfo)
{
	ScoreCache *c = fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ScoreCache));
		c->cx = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "bm25 score", ALLOCSET_SMALL_SIZES);
		fcinfo->flinfo->fn_extra = c;
	}
	MemoryContextReset(c->cx);
	c->bq = NULL;
	c->q = NULL;
	c->index = InvalidOid;
	return c;
}

static Bm25Query *
cached_query(FunctionCallInfo fcinfo, Oid indexoid, TQuery *q, Oid argtype)
{
	ScoreCache *c = fcinfo->flinfo->fn_extra;
	MemoryContext old;
	Relation	index;

	if (c && c->bq && (!OidIsValid(indexoid) || c->index == indexoid) &&
		VARSIZE(c->q) == VARSIZE(q) && memcmp(c->q, q, VARSIZE(q)) == 0)
		return c->bq;
	c = score_cache_reset(fcinfo);
	if (!OidIsValid(indexoid))
		indexoid = resolve_index(q, argtype);
	index = index_open(indexoid, AccessShareLock);
	if (!is_bm25_index(index, argtype))
	{
		index_close(index, AccessShareLock);
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a bm25 index on a %s column",
						RelationGetRelationName(index), format_type_be(argtype))));
	}
	old = MemoryContextSwitchTo(c->cx);
	c->q = (TQuery *) palloc(VARSIZE(q));
	memcpy(c->q, q, VARSIZE(q));
	c->bq = bm25_query_load(index, c->q, false);
	c->bq->index = NULL;
	MemoryContextSwitchTo(old);
	index_close(index, AccessShareLock);
	c->index = indexoid;
	c->qhash = query_hash(c->q);
	return c->bq;
}

typedef struct DocEval
{
	Bm25Query  *bq;
	bm25_doc   *doc;
	int32	   *buf;
	size_t		cap;
} DocEval;

static int
cmp_i32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

static const int32 *
doc_positions(int term, int *npos, void *arg)
{
	DocEval    *de = arg;
	const TqTerm *t = &de->bq->terms[term];
	const bm25_doc *doc = de->doc;
	size_t		total = 0;
	int			i,
				runs = 0;

	*npos = 0;
	for (i = 0; i < doc->nterms; i++)
	{
		const bm25_dterm *d = &doc->terms[i];

		if (t->prefix ? !(d->len >= t->len && memcmp(d->lexeme, t->lexeme, t->len) == 0)
			: bm25_term_cmp(d->lexeme, d->len, t->lexeme, t->len) != 0)
			continue;
		if (total + d->tf > de->cap)
		{
			de->cap = (total + d->tf) * 2;
			de->buf = de->buf ? repalloc(de->buf, sizeof(int32) * de->cap) : palloc(sizeof(int32) * de->cap);
		}
		memcpy(de->buf + total, d->pos, sizeof(int32) * d->tf);
		total += d->tf;
		runs++;
	}
	if (runs > 1)
		qsort(de->buf, total, sizeof(int32), cmp_i32);
	*npos = (int) total;
	return total ? de->buf : NULL;
}

/* BM25 score of a document, and whether it matches the query */
static double
score_value(Bm25Query *bq, Datum value, Oid typid, bool *match)
{
	bm25_doc	doc;
	DocEval		de;
	double		score = 0;
	int			i;

	bm25_analyze_datum(bq->meta.config, value, typid, &doc);
	memset(&de, 0, sizeof(de));
	de.bq = bq;
	de.doc = &doc;
	*match = bq->npositive > 0 && tq_eval(bq->q, doc_positions, &de);
	if (*match && bq->has_speaker)
	{
		if (typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID)
			*match = false;
		else
		{
			Turn	   *t = DatumGetTurnP(value);

			*match = tq_speaker_matches(bq->q, TURN_SPEAKER(t), t->speaker_len);
		}
	}
	for (i = 0; i < bq->nlex; i++)
	{
		const Bm25Lex *l = &bq->lex[i];
		int			di;

		if (l->w <= 0)
			continue;
		di = bm25_doc_find(&doc, l->s, l->len);
		if (di >= 0)
			score += bm25_tf_score(&bq->params, l->w, doc.terms[di].tf, doc.dl);
	}
	return score;
}

static Datum
distance(FunctionCallInfo fcinfo, Oid typid)
{
	TQuery	   *q = PG_GETARG_TQUERY_P(1);
	ScoreCache *c = fcinfo->flinfo->fn_extra;
	bool		match;
	double		s;

	/*
	 * A row an index scan just returned: take its score (no speaker filter
	 * there).  The query and its hash are kept for the next row; the scoring
	 * part is loaded only for a row without a score.
	 */
	if (c == NULL || c->q == NULL || VARSIZE(c->q) != VARSIZE(q) || memcmp(c->q, q, VARSIZE(q)) != 0)
	{
		c = score_cache_reset(fcinfo);
		c->q = MemoryContextAlloc(c->cx, VARSIZE(q));
		memcpy(c->q, q, VARSIZE(q));
		c->qhash = query_hash(q);
	}
	if (noted_score(c->qhash, VARSIZE(q), PG_GETARG_DATUM(0), typid, &s))
		PG_RETURN_FLOAT8(-s);
	s = score_value(cached_query(fcinfo, InvalidOid, q, typid), PG_GETARG_DATUM(0), typid, &match);
	PG_RETURN_FLOAT8(match ? -s : 0.0);
}

PG_FUNCTION_INFO_V1(bm25_text_distance);
Datum
bm25_text_distance(PG_FUNCTION_ARGS)
{
	return distance(fcinfo, TEXTOID);
}

PG_FUNCTION_INFO_V1(bm25_turn_distance);
Datum
bm25_turn_distance(PG_FUNCTION_ARGS)
{
	return distance(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 0));
}

static Datum
score(FunctionCallInfo fcinfo, Oid typid)
{
	Oid			indexoid = PG_GETARG_OID(0);
	TQuery	   *q = PG_GETARG_TQUERY_P(2);
	Bm25Query  *bq = cached_query(fcinfo, indexoid, q, typid);
	bool		match;
	double		s = score_value(bq, PG_GETARG_DATUM(1), typid, &match);

	PG_RETURN_FLOAT8(match ? s : 0.0);
}

PG_FUNCTION_INFO_V1(bm25_text_score);
Datum
bm25_text_score(PG_FUNCTION_ARGS)
{
	return score(fcinfo, TEXTOID);
}

PG_FUNCTION_INFO_V1(bm25_turn_score);
Datum
bm25_turn_score(PG_FUNCTION_ARGS)
{
	return score(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 1));
}

/* ------------------------------------------------------------ statistics */

PG_FUNCTION_INFO_V1(bm25_index_stats);
Datum
bm25_index_stats(PG_FUNCTION_ARGS)
{
	Oid			indexoid = PG_GETARG_OID(0);
	Relation	index = index_open(indexoid, AccessShareLock);
	Bm25MetaPageData meta;
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {0};
	uint64		nterms = 0;
	uint32		i;

	if (index->rd_rel->relam != get_index_am_oid("bm25", true))
	{
		index_close(index, AccessShareLock);
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a bm25 index", RelationGetRelationName(index))));
	}
	bm25_read_meta(index, &meta);
	index_close(index, AccessShareLock);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	for (i = 0; i < meta.nsegments; i++)
		nterms += meta.segments[i].nterms;
	values[0] = Int64GetDatum((int64) meta.ndocs);
	values[1] = Int64GetDatum((int64) meta.total_len);
	values[2] = Float8GetDatum(meta.ndocs ? (double) meta.total_len / (double) meta.ndocs : 0.0);
	values[3] = Int64GetDatum((int64) nterms);
	values[4] = Int32GetDatum((int32) meta.nsegments);
	values[5] = Int32GetDatum((int32) meta.pending_docs);
	values[6] = Float8GetDatum(meta.k1);
	values[7] = Float8GetDatum(meta.b);
	values[8] = Int64GetDatum((int64) meta.next_docid);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
