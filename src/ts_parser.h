/*
 * ts_parser.h
 *	  The transcripts text search parser (ICU tokenizer) for PostgreSQL's
 *	  text search machinery.
 */
#ifndef TX_TS_PARSER_H
#define TX_TS_PARSER_H

#include "postgres.h"

/* Does the text search parser prsId run on our parser functions? */
extern bool tx_is_transcripts_parser(Oid prsId);

/* Raise 0A000 unless the database encoding is UTF8. */
extern void tx_require_utf8(void);

#endif							/* TX_TS_PARSER_H */
