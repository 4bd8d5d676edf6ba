/*
 * segment_srf.c
 *	  segment_transcript(raw text, format text DEFAULT 'auto'): the
 *	  set-returning SQL face of the core segmenter (src/core/segment.h).
 *
 * Since 0.5 segment_transcript is a SQL function, one SELECT over
 * segment_transcript_turns (ordinal, section, line, page, confidence, turn)
 * that takes speaker, affiliation, body and times from the turn.  The
 * planner inlines it into the calling query, so those columns are computed
 * only where the query uses them, and the function scan's tuplestore holds
 * each body once (up to 0.4 every row held it twice: in body and in turn).
 * Where the planner cannot inline it (an argument with a sub-select or a
 * volatile function), its support function turns the call into one of
 * segment_transcript_all, the 11-column C function of 0.2-0.4, so that such
 * calls cost what they did.  segment_transcript_srf stays for databases
 * still at 0.2-0.4.
 *
 * Materialize mode: the input is detoasted once and segmented in one call;
 * the core hands over every turn as soon as it is complete
 * (segment_transcript_stream) and the turn goes straight into the
 * tuplestore the executor reads (tuplestore_putvalues forms each minimal
 * tuple once; the value-per-call protocol formed a heap tuple and the
 * executor copied it again).  So the function never holds a second copy of
 * all the bodies next to the tuplestore: its own memory is the input, the
 * core's line index and one turn.  Speaker and section values are built
 * once per distinct name, the body value is the core's own text (it leaves
 * room for the varlena header), and the core's memory lives in a context of
 * its own that is deleted before returning.  On an error or a cancel, the
 * executor's reset of the calling context frees it all.  The tuplestore is
 * InitMaterializedSRF's, bounded by work_mem.
 */
#include "transcripts.h"

#include <sys/mman.h>

#include "access/detoast.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "segment.h"
#include "turn.h"

#define SEG_NCOLS	11			/* segment_transcript_srf */
#define SEG_TURN_NCOLS	6		/* segment_transcript_turns_srf */

/* what the emit callback needs to turn each finished turn into a row */
typedef struct seg_rows
{
	ReturnSetInfo *rsinfo;
	MemoryContext work;			/* names */
	MemoryContext rowcxt;		/* reset after every row */
	Datum	   *names;			/* text value per interned name, 0 = not built */
	size_t		names_cap;
	int32		id;				/* rows so far */
	bool		turns_only;		/* the 6 columns of segment_transcript_turns */
} seg_rows;

/* the text value of interned name i, built in the work context on first use */
static Datum
name_datum(seg_rows *st, const seg_result *r, int32 i)
{
	if ((size_t) i >= st->names_cap)
	{
		size_t		ncap = Max(st->names_cap * 2, (size_t) i + 1);

		st->names = (Datum *) repalloc(st->names, ncap * sizeof(Datum));
		memset(st->names + st->names_cap, 0, (ncap - st->names_cap) * sizeof(Datum));
		st->names_cap = ncap;
	}
	if (st->names[i] == (Datum) 0)
	{
		MemoryContext old = MemoryContextSwitchTo(st->work);

		st->names[i] = PointerGetDatum(cstring_to_text_with_len(SEG_NAME(r, i),
																(int) SEG_NAME_LEN(r, i)));
		MemoryContextSwitchTo(old);
	}
	return st->names[i];
}

/* seg_emit_fn: one finished turn becomes one row of the tuplestore */
/* a time in milliseconds as an interval datum in *iv, or NULL for SEG_NO_TIME */
static Datum
ms_interval(Interval *iv, int64 ms, bool *isnull)
{
	if (ms == SEG_NO_TIME)
	{
		*isnull = true;
		return (Datum) 0;
	}
	iv->time = (TimeOffset) ms * 1000;
	iv->day = 0;
	iv->month = 0;
	return IntervalPGetDatum(iv);
}

/* section, line, page and confidence of t into values[0..3] */
static void
place_columns(seg_rows *st, const seg_result *r, const seg_turn *t, Datum *values, bool *nulls)
{
	if (t->section >= 0)
		values[0] = name_datum(st, r, t->section);
	else
		nulls[0] = true;
	values[1] = Int32GetDatum(t->line);
	if (t->page > 0)
		values[2] = Int32GetDatum(t->page);
	else
		nulls[2] = true;
	values[3] = Float4GetDatum(t->confidence);
}

/* put a row built in st->rowcxt into the result, then free what built it */
static void
put_row(seg_rows *st, Datum *values, bool *nulls, MemoryContext old)
{
	/* the tuplestore copies the values into its own memory */
	tuplestore_putvalues(st->rsinfo->setResult, st->rsinfo->setDesc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->rowcxt);
}

/* the turn of t, built in the current memory context */
static Datum
turn_datum(const seg_result *r, const seg_turn *t)
{
	turn_parts	parts;

	memset(&parts, 0, sizeof(parts));
	if (t->speaker >= 0)
	{
		parts.speaker = SEG_NAME(r, t->speaker);
		parts.speaker_len = SEG_NAME_LEN(r, t->speaker);
	}
	if (t->affil_off >= 0)
	{
		parts.affiliation = SEG_STR(r, t->affil_off);
		parts.affiliation_len = (size_t) t->affil_len;
	}
	parts.body = SEG_STR(r, t->body_off);
	parts.body_len = t->body_len;
	parts.start_ms = t->start_ms == SEG_NO_TIME ? TURN_NO_TIME : t->start_ms;
	parts.end_ms = t->end_ms == SEG_NO_TIME ? TURN_NO_TIME : t->end_ms;
	return PointerGetDatum(turn_from_parts(&parts));
}

/*
 * One row of segment_transcript_turns: (ordinal, section, line, page,
 * confidence, turn).  The SQL function segment_transcript takes speaker,
 * affiliation, body and the times from the turn, and only for the columns
 * a query uses, so the tuplestore holds each body once.
 */
static void
emit_turn_row(seg_rows *st, const seg_result *r, const seg_turn *t)
{
	Datum		values[SEG_TURN_NCOLS];
	bool		nulls[SEG_TURN_NCOLS];
	MemoryContext old;

	old = MemoryContextSwitchTo(st->rowcxt);
	memset(nulls, 0, sizeof(nulls));
	values[0] = Int32GetDatum(++st->id);
	place_columns(st, r, t, values + 1, nulls + 1);
	values[5] = turn_datum(r, t);
	put_row(st, values, nulls, old);
}

static void
emit_row(void *arg, const seg_result *r, const seg_turn *t)
{
	seg_rows   *st = (seg_rows *) arg;
	Datum		values[SEG_NCOLS];
	bool		nulls[SEG_NCOLS];
	turn_parts	parts;
	Interval	start_iv,
				end_iv;
	MemoryContext old;

	CHECK_FOR_INTERRUPTS();
	if (st->id == PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("transcript has too many turns")));
	if (st->turns_only)
	{
		emit_turn_row(st, r, t);
		return;
	}
	old = MemoryContextSwitchTo(st->rowcxt);
	memset(nulls, 0, sizeof(nulls));
	memset(&parts, 0, sizeof(parts));

	values[0] = Int32GetDatum(++st->id);
	if (t->speaker >= 0)
	{
		parts.speaker = SEG_NAME(r, t->speaker);
		parts.speaker_len = SEG_NAME_LEN(r, t->speaker);
		values[1] = name_datum(st, r, t->speaker);
	}
	else
		nulls[1] = true;
	if (t->affil_off >= 0)
	{
		parts.affiliation = SEG_STR(r, t->affil_off);
		parts.affiliation_len = (size_t) t->affil_len;
		values[2] = PointerGetDatum(cstring_to_text_with_len(parts.affiliation,
															 (int) parts.affiliation_len));
	}
	else
		nulls[2] = true;
	parts.body = SEG_STR(r, t->body_off);
	parts.body_len = t->body_len;
	/* the body value in place: the core leaves aligned room for the header */
	{
		text	   *body = (text *) (SEG_STR(r, t->body_off) - SEG_BODY_HEADROOM);

		StaticAssertStmt(SEG_BODY_HEADROOM == VARHDRSZ, "room for a 4-byte varlena header");
		if (parts.body_len > MaxAllocSize - VARHDRSZ)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("turn body is too large")));
		SET_VARSIZE(body, parts.body_len + VARHDRSZ);
		values[3] = PointerGetDatum(body);
	}
	parts.start_ms = t->start_ms == SEG_NO_TIME ? TURN_NO_TIME : t->start_ms;
	parts.end_ms = t->end_ms == SEG_NO_TIME ? TURN_NO_TIME : t->end_ms;
	values[4] = ms_interval(&start_iv, t->start_ms, &nulls[4]);
	values[5] = ms_interval(&end_iv, t->end_ms, &nulls[5]);
	place_columns(st, r, t, values + 6, nulls + 6);
	values[10] = PointerGetDatum(turn_from_parts(&parts));
	put_row(st, values, nulls, old);
}

/*
 * The input as a text value, read like PG_GETARG_TEXT_PP does, except that
 * an uncompressed value stored out of line is read into memory allocated
 * here, with the kernel asked to back it with huge pages: detoasting a
 * 100 MB input otherwise faults in 25,000 fresh 4 kB pages, some 10% of the
 * whole function's time.  Same chunks, same checks (the table AM's
 * relation_fetch_toast_slice, as toast_fetch_datum reads them).
 */
#define SEG_HUGE_PAGE	((Size) 2 * 1024 * 1024)

static text *
fetch_raw(Datum d)
{
	struct varlena *attr = (struct varlena *) DatumGetPointer(d);
	struct varatt_external toast_pointer;
	int32		attrsize;
	char	   *mem;
	struct varlena *result;
	Relation	toastrel;

	if (!VARATT_IS_EXTERNAL_ONDISK(attr))
		return DatumGetTextPP(d);
	VARATT_EXTERNAL_GET_POINTER(toast_pointer, attr);
	attrsize = VARATT_EXTERNAL_GET_EXTSIZE(toast_pointer);
	if (VARATT_EXTERNAL_IS_COMPRESSED(toast_pointer) || attrsize < (int32) (4 * SEG_HUGE_PAGE))
		return DatumGetTextPP(d);

	/* room to start the value on a huge-page boundary */
	mem = (char *) palloc_extended(attrsize + VARHDRSZ + SEG_HUGE_PAGE, MCXT_ALLOC_HUGE);
	result = (struct varlena *) TYPEALIGN(SEG_HUGE_PAGE, mem);
#ifdef MADV_HUGEPAGE
	/* advice only: where the kernel has no huge pages, nothing changes */
	(void) madvise((void *) result,
				   TYPEALIGN_DOWN(SEG_HUGE_PAGE, attrsize + VARHDRSZ), MADV_HUGEPAGE);
#endif
	SET_VARSIZE(result, attrsize + VARHDRSZ);
	toastrel = table_open(toast_pointer.va_toastrelid, AccessShareLock);
	table_relation_fetch_toast_slice(toastrel, toast_pointer.va_valueid, attrsize, 0,
									 attrsize, result);
	table_close(toastrel, AccessShareLock);
	return (text *) result;
}

/* segment the first argument in the format named by the second, one row per turn */
static void
segment_rows(FunctionCallInfo fcinfo, bool turns_only)
{
	MemoryContext oldcxt;
	text	   *raw;
	text	   *fmt;
	seg_format	format;
	tx_error	err;
	seg_result *r;
	seg_rows	st;

	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("segment_transcript requires a UTF8 database"),
				 errdetail("The database encoding is %s.", GetDatabaseEncodingName()),
				 errhint("Create the database with ENCODING 'UTF8'.")));

	fmt = PG_GETARG_TEXT_PP(1);
	tx_error_clear(&err);
	if (!seg_format_from_name(VARDATA_ANY(fmt), VARSIZE_ANY_EXHDR(fmt), &format, &err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", err.message),
				 errhint("%s", err.hint)));

	/* checks the caller accepts a tuplestore; creates it with work_mem */
	InitMaterializedSRF(fcinfo, 0);

	memset(&st, 0, sizeof(st));
	st.turns_only = turns_only;
	st.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	st.work = AllocSetContextCreate(CurrentMemoryContext, "segment_transcript",
									ALLOCSET_DEFAULT_SIZES);
	st.rowcxt = AllocSetContextCreate(st.work, "segment_transcript row",
									  ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(st.work);
	st.names_cap = 64;
	st.names = (Datum *) palloc0(st.names_cap * sizeof(Datum));

	/*
	 * The core hands over each turn as soon as it is complete, and emit_row
	 * puts it into the tuplestore at once: no second copy of every body is
	 * ever held, only the detoasted input and the core's line index.
	 */
	raw = fetch_raw(PG_GETARG_DATUM(0));
	r = (seg_result *) palloc0(sizeof(seg_result));
	if (!segment_transcript_stream(VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw), format, r,
								   emit_row, &st, &err))
		tx_raise(&err, ERRCODE_INVALID_TEXT_REPRESENTATION, "could not segment transcript");

	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(st.work);
}

/*
 * segment_transcript(raw, format) of versions 0.2 to 0.4: all 11 columns,
 * each row holding the body twice (body and turn)
 */
PG_FUNCTION_INFO_V1(segment_transcript_srf);
Datum
segment_transcript_srf(PG_FUNCTION_ARGS)
{
	segment_rows(fcinfo, false);
	return (Datum) 0;
}

/*
 * segment_transcript_turns(raw, format) (0.5): ordinal, section, line, page,
 * confidence and turn; segment_transcript is a SQL function over it
 */
PG_FUNCTION_INFO_V1(segment_transcript_turns_srf);
Datum
segment_transcript_turns_srf(PG_FUNCTION_ARGS)
{
	segment_rows(fcinfo, true);
	return (Datum) 0;
}

/*
 * segment_transcript_all(raw, format) (0.5): all 11 columns in one C
 * function, as segment_transcript computed them up to 0.4
 */
PG_FUNCTION_INFO_V1(segment_transcript_all_srf);
Datum
segment_transcript_all_srf(PG_FUNCTION_ARGS)
{
	segment_rows(fcinfo, false);
	return (Datum) 0;
}

/*
 * Planner support of the SQL function segment_transcript (0.5).
 *
 * The planner inlines segment_transcript(raw, format) in FROM into the
 * calling query, so that only the columns the query uses are computed from
 * the turn.  It refuses when an argument holds a volatile function or a
 * sub-select (inline_set_returning_function), and the SQL function would then
 * run as a query of its own: two tuplestores, the inner one with the turns
 * and the outer one with every column.  The planner simplifies the call
 * (and asks this function) just before it tries to inline it, so for exactly
 * those arguments the call becomes a call of segment_transcript_all, the C
 * function with the same arguments and columns, which fills one tuplestore
 * like segment_transcript up to 0.4.  So does a call with a constant argument
 * of more than 1 MB, which inlining would copy several times (see
 * large_constant), and a call the planner does not try to inline: in a
 * SELECT list, WITH ORDINALITY, in ROWS FROM (see plain_from_call).  Any
 * other call is left as it is.
 */
/*
 * Whether an argument is a constant of more than SEG_INLINE_MAX_CONST bytes
 * (a long literal, a psql variable holding a file, a bound parameter, or an
 * expression the planner evaluated, like repeat(...)).  Inlining copies a
 * constant argument several times while planning (into the function body,
 * then again when the inlined query is simplified), without checking for
 * interrupts: for a 100 MB constant that costs more than inlining saves,
 * and a 1 GB one held a 2 s statement_timeout off for 7-9 s.
 */
#define SEG_INLINE_MAX_CONST	(1024 * 1024)

static bool
large_constant(List *args)
{
	ListCell   *lc;

	foreach(lc, args)
	{
		Const	   *c = (Const *) lfirst(lc);

		if (IsA(c, Const) && !c->constisnull && c->constlen == -1 &&
			toast_raw_datum_size(c->constvalue) > SEG_INLINE_MAX_CONST)
			return true;
	}
	return false;
}

/*
 * Whether the query being planned holds this call alone in FROM, without
 * WITH ORDINALITY: the only place the planner inlines a set-returning
 * function.  A call in a SELECT list, WITH ORDINALITY or in ROWS FROM with
 * other functions would otherwise run the SQL function as a query of its
 * own.  The planner simplifies a call in FROM (and asks this function) while
 * the range table still holds it with the arguments as written: the
 * planner adds the default, puts named arguments in place and replaces
 * constant expressions and the parameters of a custom plan by constants, so
 * an argument matches when it is equal or has become a constant.  A wrong
 * match costs speed only: a call elsewhere in the query that matches a plain
 * one runs as the SQL function of its own, with the same rows.
 */
static bool
same_arguments(List *written, List *simplified)
{
	ListCell   *lc;
	int			i = 0;

	/* the planner adds defaults and puts named arguments in place */
	if (list_length(written) > list_length(simplified))
		return false;
	foreach(lc, written)
	{
		Node	   *a = (Node *) lfirst(lc);
		int			pos = i++;

		if (IsA(a, NamedArgExpr))
		{
			pos = ((NamedArgExpr *) a)->argnumber;
			a = (Node *) ((NamedArgExpr *) a)->arg;
		}
		if (pos < 0 || pos >= list_length(simplified))
			return false;
		/* an expression or a parameter the planner replaced by its value */
		if (!equal(a, list_nth(simplified, pos)) &&
			!(IsA(list_nth(simplified, pos), Const) && !IsA(a, Const)))
			return false;
	}
	return true;
}

static bool
plain_from_call(PlannerInfo *root, FuncExpr *call)
{
	ListCell   *lc;

	foreach(lc, root->parse->rtable)
	{
		RangeTblEntry *rte = (RangeTblEntry *) lfirst(lc);
		RangeTblFunction *rtfunc;
		FuncExpr   *f;

		if (rte->rtekind != RTE_FUNCTION || rte->funcordinality ||
			list_length(rte->functions) != 1)
			continue;
		rtfunc = (RangeTblFunction *) linitial(rte->functions);
		f = (FuncExpr *) rtfunc->funcexpr;
		if (f != NULL && IsA(f, FuncExpr) && f->funcid == call->funcid &&
			same_arguments(f->args, call->args))
			return true;
	}
	return false;
}

PG_FUNCTION_INFO_V1(segment_transcript_support);
Datum
segment_transcript_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestSimplify *req;
	FuncExpr   *call;
	FuncExpr   *direct;
	List	   *name;
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Oid			target;
	char	   *schema;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestSimplify *) rawreq;
	call = req->fcall;
	if (list_length(call->args) != 2 || req->root == NULL ||
		!(contain_volatile_functions((Node *) call->args) ||
		  contain_subplans((Node *) call->args) ||
		  large_constant(call->args) ||
		  !plain_from_call(req->root, call)))
		PG_RETURN_POINTER(NULL);

	/* segment_transcript_all lives in the schema of segment_transcript */
	schema = get_namespace_name(get_func_namespace(call->funcid));
	if (schema == NULL)
		PG_RETURN_POINTER(NULL);
	name = list_make2(makeString(schema), makeString(pstrdup("segment_transcript_all")));
	target = LookupFuncName(name, 2, argtypes, true);
	if (!OidIsValid(target))
		PG_RETURN_POINTER(NULL);

	direct = makeFuncExpr(target, call->funcresulttype, call->args, call->funccollid,
						  call->inputcollid, call->funcformat);
	direct->funcretset = call->funcretset;
	direct->funcvariadic = call->funcvariadic;
	direct->location = call->location;
	PG_RETURN_POINTER(direct);
}
