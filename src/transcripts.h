/*
 * transcripts.h
 *	  Declarations shared by the PostgreSQL glue of the transcripts extension.
 */
#ifndef TRANSCRIPTS_H
#define TRANSCRIPTS_H

#include "postgres.h"

#include "fmgr.h"

#include "tx_core.h"

/*
 * Raise the error a core function recorded in *err.
 *
 * primary is the errmsg, already formatted by the caller (for type input:
 * "invalid input syntax for type turn: \"...\"").  The SQLSTATE follows the
 * core error code: TX_ERR_SYNTAX -> syntax_sqlstate (22P02 for literals,
 * 42601 for queries), TX_ERR_VALUE -> 22023, TX_ERR_LIMIT -> 54000,
 * TX_ERR_NOMEM -> 53200, anything else -> XX000.  The detail names the
 * core's message and the character position; the hint is the core's hint.
 */
extern void tx_raise(const tx_error *err, int syntax_sqlstate, const char *primary) pg_attribute_noreturn();

/* The same, with the errmsg "invalid input syntax for type <typname>: "<input>"". */
extern void tx_raise_input(const tx_error *err, const char *typname, const char *input) pg_attribute_noreturn();

/* Install the palloc-based core hooks (idempotent; _PG_init calls it). */
extern void tx_install_core_hooks(void);

extern void _PG_init(void);

#endif							/* TRANSCRIPTS_H */
