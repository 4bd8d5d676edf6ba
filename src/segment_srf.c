/*
 * segment_srf.c
 *	  segment_transcript(raw text, format text DEFAULT 'auto'): the
 *	  set-returning SQL face of the core segmenter (src/core/segment.h).
 *
 * Value-per-call: the first call segments the whole input into an array of
 * turns held in multi_call_memory_ctx, each later call forms one row.  The
 * core keeps no resources other than palloc'd memory, so an error or a LIMIT
 * that stops the scan early leaks nothing.
 */
#include "transcripts.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "segment.h"
#include "turn.h"

#define SEG_NCOLS	11

static Datum
interval_from_ms(int64_t ms)
{
	Interval   *iv = (Interval *) palloc(sizeof(Interval));

	iv->time = (TimeOffset) ms * 1000;
	iv->day = 0;
	iv->month = 0;
	return IntervalPGetDatum(iv);
}

static Datum
text_datum(const char *s, size_t len)
{
	return PointerGetDatum(cstring_to_text_with_len(s, (int) len));
}

PG_FUNCTION_INFO_V1(segment_transcript_srf);
Datum
segment_transcript_srf(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	seg_result *r;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcxt;
		text	   *raw;
		text	   *fmt;
		seg_format	format;
		tx_error	err;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcxt = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);

		if (GetDatabaseEncoding() != PG_UTF8)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("segment_transcript requires a UTF8 database"),
					 errdetail("The database encoding is %s.", GetDatabaseEncodingName()),
					 errhint("Create the database with ENCODING 'UTF8'.")));

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("function returning record called in context that cannot accept type record")));
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);

		fmt = PG_GETARG_TEXT_PP(1);
		tx_error_clear(&err);
		if (!seg_format_from_name(VARDATA_ANY(fmt), VARSIZE_ANY_EXHDR(fmt), &format, &err))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s", err.message),
					 errhint("%s", err.hint)));

		raw = PG_GETARG_TEXT_PP(0);
		r = (seg_result *) palloc0(sizeof(seg_result));
		if (!segment_transcript(VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw), format, r, &err))
			tx_raise(&err, ERRCODE_INVALID_TEXT_REPRESENTATION, "could not segment transcript");
		/* the turns hold copies: the detoasted input is no longer needed */
		if ((Pointer) raw != PG_GETARG_POINTER(0))
			pfree(raw);
		funcctx->user_fctx = r;
		funcctx->max_calls = r->nturns;
		MemoryContextSwitchTo(oldcxt);
	}

	funcctx = SRF_PERCALL_SETUP();
	r = (seg_result *) funcctx->user_fctx;

	if (funcctx->call_cntr < funcctx->max_calls)
	{
		const seg_turn *t = &r->turns[funcctx->call_cntr];
		Datum		values[SEG_NCOLS];
		bool		nulls[SEG_NCOLS];
		turn_parts	parts;
		HeapTuple	tuple;

		memset(nulls, 0, sizeof(nulls));
		memset(&parts, 0, sizeof(parts));

		values[0] = Int32GetDatum((int32) funcctx->call_cntr + 1);
		if (t->speaker >= 0)
		{
			parts.speaker = SEG_NAME(r, t->speaker);
			parts.speaker_len = SEG_NAME_LEN(r, t->speaker);
			values[1] = text_datum(parts.speaker, parts.speaker_len);
		}
		else
			nulls[1] = true;
		if (t->affil_off >= 0)
		{
			parts.affiliation = SEG_STR(r, t->affil_off);
			parts.affiliation_len = (size_t) t->affil_len;
			values[2] = text_datum(parts.affiliation, parts.affiliation_len);
		}
		else
			nulls[2] = true;
		parts.body = SEG_STR(r, t->body_off);
		parts.body_len = t->body_len;
		values[3] = text_datum(parts.body, parts.body_len);
		parts.start_ms = t->start_ms == SEG_NO_TIME ? TURN_NO_TIME : t->start_ms;
		parts.end_ms = t->end_ms == SEG_NO_TIME ? TURN_NO_TIME : t->end_ms;
		if (t->start_ms != SEG_NO_TIME)
			values[4] = interval_from_ms(t->start_ms);
		else
			nulls[4] = true;
		if (t->end_ms != SEG_NO_TIME)
			values[5] = interval_from_ms(t->end_ms);
		else
			nulls[5] = true;
		if (t->section >= 0)
			values[6] = text_datum(SEG_NAME(r, t->section), SEG_NAME_LEN(r, t->section));
		else
			nulls[6] = true;
		values[7] = Int32GetDatum(t->line);
		if (t->page > 0)
			values[8] = Int32GetDatum(t->page);
		else
			nulls[8] = true;
		values[9] = Float4GetDatum(t->confidence);
		values[10] = PointerGetDatum(turn_from_parts(&parts));

		tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
	}
	SRF_RETURN_DONE(funcctx);
}
