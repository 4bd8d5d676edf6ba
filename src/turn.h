/*
 * turn.h
 *	  The on-disk form of the turn type and the C API other glue files use.
 */
#ifndef TURN_H
#define TURN_H

#include "postgres.h"

#include "fmgr.h"

#include "turn_lit.h"

#define TURN_FORMAT_VERSION	1

#define TURN_HAS_SPEAKER	0x01
#define TURN_HAS_AFFIL		0x02
#define TURN_HAS_START		0x04
#define TURN_HAS_END		0x08

/*
 * Varlena layout.  Every byte is determined by the value (unused times are
 * zero, reserved is zero), so equality and hashing work on the raw bytes.
 */
typedef struct Turn
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* TURN_FORMAT_VERSION */
	uint8		flags;			/* TURN_HAS_* */
	uint16		reserved;		/* always 0 */
	int32		speaker_len;	/* bytes of speaker text */
	int32		affil_len;		/* bytes of affiliation text */
	int32		pad;			/* always 0 */
	int64		start_ms;		/* 0 unless TURN_HAS_START */
	int64		end_ms;			/* 0 unless TURN_HAS_END */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* speaker, affiliation, body */
} Turn;

#define TURN_HDRSZ			offsetof(Turn, data)

#define DatumGetTurnP(X)		((Turn *) PG_DETOAST_DATUM(X))
#define PG_GETARG_TURN_P(n)		DatumGetTurnP(PG_GETARG_DATUM(n))
#define PG_RETURN_TURN_P(x)		PG_RETURN_POINTER(x)

#define TURN_SPEAKER(t)			((t)->data)
#define TURN_AFFIL(t)			((t)->data + (t)->speaker_len)
#define TURN_BODY(t)			((t)->data + (t)->speaker_len + (t)->affil_len)
#define TURN_BODY_LEN(t)		((int) (VARSIZE(t) - TURN_HDRSZ - (t)->speaker_len - (t)->affil_len))

/* Build a turn from parts; validates (raises 22023 / 22P02 on bad parts). */
extern Turn *turn_from_parts(const turn_parts *parts);

/* View a stored turn as parts (pointers into t). */
extern void turn_to_parts(const Turn *t, turn_parts *parts);

/* Body of a turn as a palloc'd text. */
extern text *turn_body_text(const Turn *t);

#endif							/* TURN_H */
