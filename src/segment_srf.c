/*
 * segment_srf.c
 *	  segment_transcript(raw text, format text DEFAULT 'auto'): the
 *	  set-returning SQL face of the core segmenter (src/core/segment.h).
 *
 * Materialize mode: the input is detoasted once, segmented in one call into
 * an array of turns, and every turn goes straight into the tuplestore the
 * executor reads (tuplestore_putvalues forms each minimal tuple once; the
 * value-per-call protocol formed a heap tuple and the executor copied it
 * again).  Speaker and section values are built once per distinct name,
 * bodies are copied into one reused buffer, and the core's memory lives in
 * a context of its own that is deleted before returning.  On an error or a
 * cancel, the executor's reset of the calling context frees it all.
 */
#include "transcripts.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "segment.h"
#include "turn.h"

#define SEG_NCOLS	11

/* a text value for s[0..len) in *buf, grown in cxt as needed and reused across rows */
static Datum
text_in_buf(MemoryContext cxt, text **buf, Size *cap, const char *s, size_t len)
{
	Size		need = (Size) len + VARHDRSZ;

	if (need > *cap)
	{
		Size		ncap = Max(need, *cap * 2);

		if (*buf)
			pfree(*buf);
		*buf = (text *) MemoryContextAlloc(cxt, ncap);
		*cap = ncap;
	}
	SET_VARSIZE(*buf, need);
	memcpy(VARDATA(*buf), s, len);
	return PointerGetDatum(*buf);
}

/* the text value of interned name i, built in cxt on first use */
static Datum
name_datum(MemoryContext cxt, const seg_result *r, Datum *cache, int32 i)
{
	if (cache[i] == (Datum) 0)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		cache[i] = PointerGetDatum(cstring_to_text_with_len(SEG_NAME(r, i),
															(int) SEG_NAME_LEN(r, i)));
		MemoryContextSwitchTo(old);
	}
	return cache[i];
}

PG_FUNCTION_INFO_V1(segment_transcript_srf);
Datum
segment_transcript_srf(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext work;
	MemoryContext rowcxt;
	MemoryContext oldcxt;
	text	   *raw;
	text	   *fmt;
	seg_format	format;
	tx_error	err;
	seg_result *r;
	Datum	   *names;
	text	   *body = NULL;
	Size		body_cap = 0;
	size_t		i;

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

	work = AllocSetContextCreate(CurrentMemoryContext, "segment_transcript",
								 ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(work, "segment_transcript row",
								   ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(work);

	raw = PG_GETARG_TEXT_PP(0);
	r = (seg_result *) palloc0(sizeof(seg_result));
	if (!segment_transcript(VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw), format, r, &err))
		tx_raise(&err, ERRCODE_INVALID_TEXT_REPRESENTATION, "could not segment transcript");
	/* the turns hold copies: the detoasted input is no longer needed */
	if ((Pointer) raw != PG_GETARG_POINTER(0))
		pfree(raw);

	names = (Datum *) palloc0(Max(r->nnames, 1) * sizeof(Datum));

	for (i = 0; i < r->nturns; i++)
	{
		const seg_turn *t = &r->turns[i];
		Datum		values[SEG_NCOLS];
		bool		nulls[SEG_NCOLS];
		turn_parts	parts;
		Interval	start_iv,
					end_iv;

		CHECK_FOR_INTERRUPTS();
		MemoryContextSwitchTo(rowcxt);
		memset(nulls, 0, sizeof(nulls));
		memset(&parts, 0, sizeof(parts));

		values[0] = Int32GetDatum((int32) i + 1);
		if (t->speaker >= 0)
		{
			parts.speaker = SEG_NAME(r, t->speaker);
			parts.speaker_len = SEG_NAME_LEN(r, t->speaker);
			values[1] = name_datum(work, r, names, t->speaker);
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
		values[3] = text_in_buf(work, &body, &body_cap, parts.body, parts.body_len);
		parts.start_ms = t->start_ms == SEG_NO_TIME ? TURN_NO_TIME : t->start_ms;
		parts.end_ms = t->end_ms == SEG_NO_TIME ? TURN_NO_TIME : t->end_ms;
		if (t->start_ms != SEG_NO_TIME)
		{
			start_iv.time = (TimeOffset) t->start_ms * 1000;
			start_iv.day = 0;
			start_iv.month = 0;
			values[4] = IntervalPGetDatum(&start_iv);
		}
		else
			nulls[4] = true;
		if (t->end_ms != SEG_NO_TIME)
		{
			end_iv.time = (TimeOffset) t->end_ms * 1000;
			end_iv.day = 0;
			end_iv.month = 0;
			values[5] = IntervalPGetDatum(&end_iv);
		}
		else
			nulls[5] = true;
		if (t->section >= 0)
			values[6] = name_datum(work, r, names, t->section);
		else
			nulls[6] = true;
		values[7] = Int32GetDatum(t->line);
		if (t->page > 0)
			values[8] = Int32GetDatum(t->page);
		else
			nulls[8] = true;
		values[9] = Float4GetDatum(t->confidence);
		values[10] = PointerGetDatum(turn_from_parts(&parts));

		/* the tuplestore copies the values into its own memory */
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextReset(rowcxt);
	}

	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(work);
	return (Datum) 0;
}
