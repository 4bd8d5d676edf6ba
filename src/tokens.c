/*
 * tokens.c
 *	  tokens(): what the analyzer makes of a text or of a turn's body, one
 *	  row per token, with character offsets into the original text.
 */
#include "transcripts.h"

#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "analyze.h"
#include "turn.h"

static void
emit_tokens(FunctionCallInfo fcinfo, const char *s, int len, Oid cfg)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TxAnalysis	a;
	TxCharCursor cur;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	tx_analyze(cfg, s, len, &a);
	tx_char_cursor_init(&cur, s);
	for (i = 0; i < a.ntokens; i++)
	{
		const TxToken *t = &a.tokens[i];
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};
		int32		cstart;

		CHECK_FOR_INTERRUPTS();
		cstart = tx_char_cursor_offset(&cur, t->start);
		values[0] = Int32GetDatum(t->pos);
		values[1] = PointerGetDatum(cstring_to_text_with_len(s + t->start, t->end - t->start));
		values[2] = CStringGetTextDatum(tx_token_type_alias(t->type));
		if (t->lexeme)
			values[3] = PointerGetDatum(cstring_to_text_with_len(t->lexeme, t->lexlen));
		else
			nulls[3] = true;
		values[4] = Int32GetDatum(cstart);
		values[5] = Int32GetDatum(cstart + pg_mbstrlen_with_len(s + t->start, t->end - t->start));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

PG_FUNCTION_INFO_V1(tx_tokens);
Datum
tx_tokens(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	emit_tokens(fcinfo, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), PG_GETARG_OID(1));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(tx_tokens_turn);
Datum
tx_tokens_turn(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	emit_tokens(fcinfo, TURN_BODY(t), TURN_BODY_LEN(t), PG_GETARG_OID(1));
	return (Datum) 0;
}
