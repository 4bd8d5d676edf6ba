/*
 * turnstats.c
 *	  Report helpers over the turns of a transcript passed as turn[] (in
 *	  order): answers() pairs each question with the answer that follows,
 *	  speaker_stats() counts per speaker.  Taking an array keeps them usable
 *	  from any reporting tool:
 *
 *	    SELECT s.* FROM (SELECT array_agg(t ORDER BY ord) ts FROM turns
 *	                     WHERE transcript_id = 7) x, speaker_stats(x.ts) s;
 */
#include "transcripts.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "tquery_parse.h"
#include "turn.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

static void
turns_from_array(ArrayType *arr, Datum **elems, bool **nulls, int *n)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("turns must be a one-dimensional array")));
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign, elems, nulls, n);
}

/* does the body end with a question mark (before closing quotes and brackets)? */
static bool
is_question(const char *s, int len)
{
	while (len > 0)
	{
		unsigned char c = (unsigned char) s[len - 1];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == ')' || c == ']')
		{
			len--;
			continue;
		}
		/* U+201D, U+2019 closing quotes */
		if (len >= 3 && (unsigned char) s[len - 3] == 0xE2 && (unsigned char) s[len - 2] == 0x80 &&
			(c == 0x9D || c == 0x99))
		{
			len -= 3;
			continue;
		}
		break;
	}
	if (len >= 1 && s[len - 1] == '?')
		return true;
	/* U+FF1F FULLWIDTH QUESTION MARK */
	if (len >= 3 && (unsigned char) s[len - 3] == 0xEF && (unsigned char) s[len - 2] == 0xBC &&
		(unsigned char) s[len - 1] == 0x9F)
		return true;
	return false;
}

static Datum
ms_interval(int64 ms)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->time = ms * INT64CONST(1000);
	return IntervalPGetDatum(iv);
}

/* same speaker: both known and equal ignoring case and accents */
static bool
same_speaker(Turn *a, Turn *b)
{
	size_t		la,
				lb;
	char	   *fa,
			   *fb;

	if (!(a->flags & TURN_HAS_SPEAKER) || !(b->flags & TURN_HAS_SPEAKER))
		return false;
	fa = tq_fold_speaker(TURN_SPEAKER(a), a->speaker_len, &la);
	fb = tq_fold_speaker(TURN_SPEAKER(b), b->speaker_len, &lb);
	return la == lb && memcmp(fa, fb, la) == 0;
}

PG_FUNCTION_INFO_V1(tquery_answers);
Datum
tquery_answers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				j;

	InitMaterializedSRF(fcinfo, 0);
	turns_from_array(arr, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		Turn	   *q;
		Datum		v[4];
		bool		vn[4] = {false, false, true, true};

		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			continue;
		q = DatumGetTurnP(elems[i]);
		if (!is_question(TURN_BODY(q), TURN_BODY_LEN(q)))
			continue;
		v[0] = Int32GetDatum(i + 1);
		v[1] = PointerGetDatum(q);
		/* the next turn by someone else (follow-ups by the asker are skipped) */
		for (j = i + 1; j < n; j++)
		{
			Turn	   *a;

			CHECK_FOR_INTERRUPTS();
			if (nulls[j])
				continue;
			a = DatumGetTurnP(elems[j]);
			if (same_speaker(q, a))
				continue;
			v[2] = Int32GetDatum(j + 1);
			v[3] = PointerGetDatum(a);
			vn[2] = vn[3] = false;
			break;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, vn);
	}
	return (Datum) 0;
}

typedef struct spk_entry
{
	char		key[TURN_MAX_LABEL + 1];
	int			order;			/* first appearance rank */
	int32		turns;
	int64		words;
	int32		questions;
	int32		first;
	int32		last;
	int64		first_ms;
	int64		last_ms;
	bool		has_first_ms;
	bool		has_last_ms;
} spk_entry;

static int
spk_cmp(const void *a, const void *b)
{
	const spk_entry *x = *(const spk_entry *const *) a;
	const spk_entry *y = *(const spk_entry *const *) b;

	return x->first - y->first;
}

PG_FUNCTION_INFO_V1(tquery_speaker_stats);
Datum
tquery_speaker_stats(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	HASHCTL		ctl;
	HTAB	   *hash;
	spk_entry	unknown;
	spk_entry **all;
	int			nall = 0;
	int64		total = 0;
	HASH_SEQ_STATUS seq;
	spk_entry  *e;

	InitMaterializedSRF(fcinfo, 0);
	turns_from_array(arr, &elems, &nulls, &n);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = TURN_MAX_LABEL + 1;
	ctl.entrysize = sizeof(spk_entry);
	ctl.hcxt = CurrentMemoryContext;
	hash = hash_create("speaker_stats", 64, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	memset(&unknown, 0, sizeof(unknown));
	unknown.first = -1;

	for (i = 0; i < n; i++)
	{
		Turn	   *t;
		int64		words;

		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			continue;
		t = DatumGetTurnP(elems[i]);
		if (t->flags & TURN_HAS_SPEAKER)
		{
			char		key[TURN_MAX_LABEL + 1];
			bool		found;
			int			l = Min(t->speaker_len, TURN_MAX_LABEL);

			memcpy(key, TURN_SPEAKER(t), l);
			key[l] = '\0';
			e = hash_search(hash, key, HASH_ENTER, &found);
			if (!found)
			{
				memset((char *) e + sizeof(e->key), 0, sizeof(spk_entry) - sizeof(e->key));
				e->first = -1;
			}
		}
		else
			e = &unknown;
		words = turn_word_count(TURN_BODY(t), TURN_BODY_LEN(t));
		total += words;
		e->turns++;
		e->words += words;
		if (is_question(TURN_BODY(t), TURN_BODY_LEN(t)))
			e->questions++;
		if (e->first < 0)
			e->first = i + 1;
		e->last = i + 1;
		if (t->flags & TURN_HAS_START)
		{
			if (!e->has_first_ms)
			{
				e->first_ms = t->start_ms;
				e->has_first_ms = true;
			}
			e->last_ms = t->start_ms;
			e->has_last_ms = true;
		}
		if ((Pointer) t != DatumGetPointer(elems[i]))
			pfree(t);
	}

	all = palloc(sizeof(spk_entry *) * (hash_get_num_entries(hash) + 2));
	hash_seq_init(&seq, hash);
	while ((e = hash_seq_search(&seq)) != NULL)
		all[nall++] = e;
	if (unknown.turns > 0)
		all[nall++] = &unknown;
	qsort(all, nall, sizeof(spk_entry *), spk_cmp);

	for (i = 0; i < nall; i++)
	{
		Datum		v[9];
		bool		vn[9] = {false, false, false, false, false, false, false, false, false};

		e = all[i];
		if (e == &unknown)
			vn[0] = true;
		else
			v[0] = PointerGetDatum(cstring_to_text(e->key));
		v[1] = Int32GetDatum(e->turns);
		v[2] = Int64GetDatum(e->words);
		v[3] = Float8GetDatum(total > 0 ? (double) e->words / (double) total : 0.0);
		v[4] = Int32GetDatum(e->questions);
		v[5] = Int32GetDatum(e->first);
		v[6] = Int32GetDatum(e->last);
		if (e->has_first_ms)
			v[7] = ms_interval(e->first_ms);
		else
			vn[7] = true;
		if (e->has_last_ms)
			v[8] = ms_interval(e->last_ms);
		else
			vn[8] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, vn);
	}
	hash_destroy(hash);
	return (Datum) 0;
}
