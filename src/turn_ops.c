/*
 * turn_ops.c
 *	  Constructor, accessors, comparison, hashing and JSON casts of the turn
 *	  type.
 */
#include "transcripts.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "turn.h"

/* ---------------------------------------------------------------- times */

static Interval *
ms_to_interval(int64 ms)
{
	Interval   *iv = (Interval *) palloc0(sizeof(Interval));

	iv->time = ms * INT64CONST(1000);
	return iv;
}

static int64
interval_to_ms(const Interval *iv, const char *what)
{
	int64		usec;

	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain months or years", what),
				 errhint("Give turn times as hours, minutes and seconds from the start of the recording.")));
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &usec) ||
		pg_add_s64_overflow(usec, iv->time, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is out of range", what)));
	if (usec < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what)));
	if (usec % 1000 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has more than millisecond precision", what),
				 errhint("Round it first, e.g. with date_trunc('milliseconds', ...).")));
	return usec / 1000;
}

/* ---------------------------------------------------------------- constructor */

PG_FUNCTION_INFO_V1(turn_make);
Datum
turn_make(PG_FUNCTION_ARGS)
{
	turn_parts	p;
	text	   *speaker = PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0);
	text	   *body;
	text	   *affil = PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2);

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	body = PG_GETARG_TEXT_PP(1);

	memset(&p, 0, sizeof(p));
	if (speaker)
	{
		p.speaker = VARDATA_ANY(speaker);
		p.speaker_len = VARSIZE_ANY_EXHDR(speaker);
	}
	if (affil)
	{
		p.affiliation = VARDATA_ANY(affil);
		p.affiliation_len = VARSIZE_ANY_EXHDR(affil);
	}
	p.body = VARDATA_ANY(body);
	p.body_len = VARSIZE_ANY_EXHDR(body);
	p.start_ms = PG_ARGISNULL(3) ? TURN_NO_TIME : interval_to_ms(PG_GETARG_INTERVAL_P(3), "start_time");
	p.end_ms = PG_ARGISNULL(4) ? TURN_NO_TIME : interval_to_ms(PG_GETARG_INTERVAL_P(4), "end_time");
	PG_RETURN_TURN_P(turn_from_parts(&p));
}

/* ---------------------------------------------------------------- accessors */

PG_FUNCTION_INFO_V1(turn_speaker);
Datum
turn_speaker(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	if (!(t->flags & TURN_HAS_SPEAKER))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(TURN_SPEAKER(t), t->speaker_len));
}

PG_FUNCTION_INFO_V1(turn_affiliation);
Datum
turn_affiliation(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	if (!(t->flags & TURN_HAS_AFFIL))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(TURN_AFFIL(t), t->affil_len));
}

PG_FUNCTION_INFO_V1(turn_body);
Datum
turn_body(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	PG_RETURN_TEXT_P(turn_body_text(t));
}

PG_FUNCTION_INFO_V1(turn_start_time);
Datum
turn_start_time(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	if (!(t->flags & TURN_HAS_START))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(ms_to_interval(t->start_ms));
}

PG_FUNCTION_INFO_V1(turn_end_time);
Datum
turn_end_time(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	if (!(t->flags & TURN_HAS_END))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(ms_to_interval(t->end_ms));
}

PG_FUNCTION_INFO_V1(turn_word_count_fn);
Datum
turn_word_count_fn(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	PG_RETURN_INT32((int32) turn_word_count(TURN_BODY(t), TURN_BODY_LEN(t)));
}

/* ---------------------------------------------------------------- comparison */

static int
cmp_opt_int64(bool ha, int64 a, bool hb, int64 b)
{
	if (ha != hb)
		return ha ? 1 : -1;		/* a missing time sorts first */
	if (a != b)
		return a < b ? -1 : 1;
	return 0;
}

static int
cmp_opt_bytes(bool ha, const char *a, int la, bool hb, const char *b, int lb)
{
	int			c;

	if (ha != hb)
		return ha ? 1 : -1;		/* a missing label sorts first */
	c = memcmp(a, b, Min(la, lb));
	if (c != 0)
		return c < 0 ? -1 : 1;
	if (la != lb)
		return la < lb ? -1 : 1;
	return 0;
}

/*
 * Total order: start time, end time, speaker, affiliation, body; missing
 * values first; text compared byte-wise (C order), so the order does not
 * depend on the collation.
 */
static int
turn_cmp_internal(const Turn *a, const Turn *b)
{
	int			c;

	if ((c = cmp_opt_int64(a->flags & TURN_HAS_START, a->start_ms, b->flags & TURN_HAS_START, b->start_ms)) != 0)
		return c;
	if ((c = cmp_opt_int64(a->flags & TURN_HAS_END, a->end_ms, b->flags & TURN_HAS_END, b->end_ms)) != 0)
		return c;
	if ((c = cmp_opt_bytes(a->flags & TURN_HAS_SPEAKER, TURN_SPEAKER(a), a->speaker_len,
						   b->flags & TURN_HAS_SPEAKER, TURN_SPEAKER(b), b->speaker_len)) != 0)
		return c;
	if ((c = cmp_opt_bytes(a->flags & TURN_HAS_AFFIL, TURN_AFFIL(a), a->affil_len,
						   b->flags & TURN_HAS_AFFIL, TURN_AFFIL(b), b->affil_len)) != 0)
		return c;
	return cmp_opt_bytes(true, TURN_BODY(a), TURN_BODY_LEN(a), true, TURN_BODY(b), TURN_BODY_LEN(b));
}

/* equality is byte equality: every byte of a turn is determined by its value */
static bool
turn_eq_internal(const Turn *a, const Turn *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

#define TURN_CMP_FN(name, expr) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	Turn	   *a = PG_GETARG_TURN_P(0); \
	Turn	   *b = PG_GETARG_TURN_P(1); \
	PG_RETURN_BOOL(expr); \
}

TURN_CMP_FN(turn_eq, turn_eq_internal(a, b))
TURN_CMP_FN(turn_ne, !turn_eq_internal(a, b))
TURN_CMP_FN(turn_lt, turn_cmp_internal(a, b) < 0)
TURN_CMP_FN(turn_le, turn_cmp_internal(a, b) <= 0)
TURN_CMP_FN(turn_gt, turn_cmp_internal(a, b) > 0)
TURN_CMP_FN(turn_ge, turn_cmp_internal(a, b) >= 0)

PG_FUNCTION_INFO_V1(turn_cmp);
Datum
turn_cmp(PG_FUNCTION_ARGS)
{
	Turn	   *a = PG_GETARG_TURN_P(0);
	Turn	   *b = PG_GETARG_TURN_P(1);

	PG_RETURN_INT32(turn_cmp_internal(a, b));
}

PG_FUNCTION_INFO_V1(turn_hash);
Datum
turn_hash(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);

	return hash_any((unsigned char *) t + VARHDRSZ, VARSIZE(t) - VARHDRSZ);
}

PG_FUNCTION_INFO_V1(turn_hash_extended);
Datum
turn_hash_extended(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);
	uint64		seed = PG_GETARG_INT64(1);

	return hash_any_extended((unsigned char *) t + VARHDRSZ, VARSIZE(t) - VARHDRSZ, seed);
}

/* ---------------------------------------------------------------- JSON */

static void
push_key(JsonbParseState **st, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
}

static void
push_string(JsonbParseState **st, const char *key, bool has, const char *s, int len)
{
	JsonbValue	v;

	push_key(st, key);
	if (has)
	{
		v.type = jbvString;
		v.val.string.val = (char *) s;
		v.val.string.len = len;
	}
	else
		v.type = jbvNull;
	pushJsonbValue(st, WJB_VALUE, &v);
}

static void
push_seconds(JsonbParseState **st, const char *key, bool has, int64 ms)
{
	JsonbValue	v;

	push_key(st, key);
	if (has)
	{
		v.type = jbvNumeric;
		v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															CStringGetDatum(psprintf(INT64_FORMAT ".%03d",
																					 ms / 1000, (int) (ms % 1000))),
															ObjectIdGetDatum(InvalidOid),
															Int32GetDatum(-1)));
	}
	else
		v.type = jbvNull;
	pushJsonbValue(st, WJB_VALUE, &v);
}

PG_FUNCTION_INFO_V1(turn_to_jsonb);
Datum
turn_to_jsonb(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);
	JsonbParseState *st = NULL;
	JsonbValue *res;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_string(&st, "speaker", t->flags & TURN_HAS_SPEAKER, TURN_SPEAKER(t), t->speaker_len);
	push_string(&st, "affiliation", t->flags & TURN_HAS_AFFIL, TURN_AFFIL(t), t->affil_len);
	push_seconds(&st, "start_time", t->flags & TURN_HAS_START, t->start_ms);
	push_seconds(&st, "end_time", t->flags & TURN_HAS_END, t->end_ms);
	push_string(&st, "body", true, TURN_BODY(t), TURN_BODY_LEN(t));
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	PG_RETURN_POINTER(JsonbValueToJsonb(res));
}

static void
json_error(const char *msg, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot convert jsonb to turn: %s", msg),
			 errhint("%s", hint)));
}

#define JSON_KEYS_HINT "A turn is a JSON object with the keys \"speaker\", \"affiliation\", \"body\" (required), \"start_time\" and \"end_time\" (seconds, or \"HH:MM:SS.mmm\")."

static bool
json_label(JsonbValue *v, const char *key, const char **s, size_t *len)
{
	if (v->type == jbvNull)
		return false;
	if (v->type != jbvString)
		json_error(psprintf("\"%s\" must be a string or null", key), JSON_KEYS_HINT);
	*s = v->val.string.val;
	*len = v->val.string.len;
	return true;
}

static int64
json_time(JsonbValue *v, const char *key)
{
	if (v->type == jbvNull)
		return TURN_NO_TIME;
	if (v->type == jbvNumeric)
	{
		Numeric		ms;
		Datum		d;
		bool		have_error = false;
		int64		result;

		ms = numeric_mul_opt_error(v->val.numeric,
								   int64_to_numeric(1000), &have_error);
		if (have_error)
			json_error(psprintf("\"%s\" is out of range", key), JSON_KEYS_HINT);
		/* reject sub-millisecond precision instead of rounding silently */
		d = DirectFunctionCall2(numeric_trunc, NumericGetDatum(ms), Int32GetDatum(0));
		if (!DatumGetBool(DirectFunctionCall2(numeric_eq, d, NumericGetDatum(ms))))
			json_error(psprintf("\"%s\" has more than millisecond precision", key),
					   "Round times to milliseconds (at most three decimals).");
		if (numeric_is_nan(ms) || numeric_is_inf(ms))
			json_error(psprintf("\"%s\" is not a finite number", key), JSON_KEYS_HINT);
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(ms),
											  NumericGetDatum(int64_to_numeric(0)))) < 0 ||
			DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(ms),
											  NumericGetDatum(int64_to_numeric(TURN_MAX_MS)))) > 0)
			json_error(psprintf("\"%s\" is out of range", key), "Times run from 0 to 99999:59:59.999.");
		result = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(ms)));
		return result;
	}
	if (v->type == jbvString)
	{
		tx_error	err;
		size_t		pos = 0;
		int64_t		ms;
		char	   *s = pnstrdup(v->val.string.val, v->val.string.len);

		tx_error_clear(&err);
		if (!turn_parse_time(s, strlen(s), &pos, &ms, &err))
			tx_raise(&err, ERRCODE_INVALID_TEXT_REPRESENTATION,
					 psprintf("cannot convert jsonb to turn: invalid time \"%s\" in \"%s\"", s, key));
		if (pos != strlen(s))
			json_error(psprintf("invalid time \"%s\" in \"%s\"", s, key), JSON_KEYS_HINT);
		return ms;
	}
	json_error(psprintf("\"%s\" must be a number of seconds, a time string or null", key), JSON_KEYS_HINT);
	return TURN_NO_TIME;		/* not reached */
}

PG_FUNCTION_INFO_V1(turn_from_jsonb);
Datum
turn_from_jsonb(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	v;
	turn_parts	p;
	bool		have_body = false;
	char	   *key = NULL;

	memset(&p, 0, sizeof(p));
	p.start_ms = p.end_ms = TURN_NO_TIME;
	if (!JB_ROOT_IS_OBJECT(jb))
		json_error("value is not an object", JSON_KEYS_HINT);

	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (strcmp(key, "speaker") == 0)
		{
			if (!json_label(&v, key, &p.speaker, &p.speaker_len))
				p.speaker = NULL;
		}
		else if (strcmp(key, "affiliation") == 0)
		{
			if (!json_label(&v, key, &p.affiliation, &p.affiliation_len))
				p.affiliation = NULL;
		}
		else if (strcmp(key, "body") == 0)
		{
			if (v.type != jbvString)
				json_error("\"body\" must be a string", JSON_KEYS_HINT);
			p.body = v.val.string.val;
			p.body_len = v.val.string.len;
			have_body = true;
		}
		else if (strcmp(key, "start_time") == 0)
			p.start_ms = json_time(&v, key);
		else if (strcmp(key, "end_time") == 0)
			p.end_ms = json_time(&v, key);
		else
			json_error(psprintf("unknown key \"%s\"", key), JSON_KEYS_HINT);
	}
	if (!have_body)
		json_error("key \"body\" is missing", JSON_KEYS_HINT);
	PG_RETURN_TURN_P(turn_from_parts(&p));
}
