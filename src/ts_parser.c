/*
 * ts_parser.c
 *	  The transcripts text search parser: PostgreSQL's parser interface
 *	  (start, gettoken, end, lextype) over the ICU tokenizer of
 *	  core/tokenize.c.  The headline function is pg_catalog.prsd_headline.
 *
 * Token text is the tokenizer's NORMALIZED form (NFKC, case folded, accents
 * and possessives removed), so that the dictionaries of a configuration
 * only stem: to_tsvector('transcripts', ...) and tx_analyze() give the same
 * lexemes.  The price is that ts_headline shows normalized words; the
 * gaps between words (white space, punctuation) are emitted as "blank"
 * tokens with their original text.  A compound whole (type 15 or 17) comes
 * before its parts and prsd_headline skips it, showing the parts and the
 * hyphen between them.
 *
 * The tokenizer owns palloc'd memory only (its ICU break iterator is shared
 * per process), so an error between start and end leaks nothing.
 */
#include "transcripts.h"

#include "mb/pg_wchar.h"
#include "tsearch/ts_cache.h"
#include "tsearch/ts_public.h"
#include "utils/builtins.h"

#include "tokenize.h"
#include "ts_parser.h"

typedef struct ParserState
{
	tx_tokenizer *tk;
	const char *s;
	size_t		len;
	size_t		cursor;			/* end of the text emitted so far */
	bool		pending;		/* tok holds a token not yet returned */
	bool		done;
	tx_token	tok;
} ParserState;

void
tx_require_utf8(void)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("transcripts text analysis requires a UTF8 database"),
				 errdetail("The database encoding is %s.", GetDatabaseEncodingName())));
}

PG_FUNCTION_INFO_V1(tx_prs_start);
Datum
tx_prs_start(PG_FUNCTION_ARGS)
{
	ParserState *st;

	tx_require_utf8();
	st = palloc0(sizeof(ParserState));
	st->s = (const char *) PG_GETARG_POINTER(0);
	st->len = (size_t) PG_GETARG_INT32(1);
	st->tk = tx_tokenizer_new();
	tx_tokenizer_reset(st->tk, st->s, st->len);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(tx_prs_gettoken);
Datum
tx_prs_gettoken(PG_FUNCTION_ARGS)
{
	ParserState *st = (ParserState *) PG_GETARG_POINTER(0);
	char	  **t = (char **) PG_GETARG_POINTER(1);
	int		   *tlen = (int *) PG_GETARG_POINTER(2);

	if (!st->pending && !st->done)
	{
		tx_error	err;
		int			rc;

		tx_error_clear(&err);
		rc = tx_tokenizer_next(st->tk, &st->tok, &err);
		if (rc < 0)
			tx_raise(&err, ERRCODE_INTERNAL_ERROR, "could not tokenize text");
		if (rc == 0)
			st->done = true;
		else
			st->pending = true;
	}
	if (st->done)
	{
		if (st->cursor >= st->len)
			PG_RETURN_INT32(0);
		/* trailing white space and punctuation */
		*t = (char *) st->s + st->cursor;
		*tlen = (int) (st->len - st->cursor);
		st->cursor = st->len;
		PG_RETURN_INT32(TX_TOKEN_BLANK);
	}
	if (st->tok.start > st->cursor)
	{
		*t = (char *) st->s + st->cursor;
		*tlen = (int) (st->tok.start - st->cursor);
		st->cursor = st->tok.start;
		PG_RETURN_INT32(TX_TOKEN_BLANK);
	}
	*t = (char *) st->tok.norm;
	*tlen = (int) st->tok.normlen;
	st->pending = false;
	/* a compound whole overlaps its parts, which come next */
	if (st->tok.type != TX_TOKEN_COMPOUND && st->tok.type != TX_TOKEN_NUMCOMPOUND &&
		st->tok.end > st->cursor)
		st->cursor = st->tok.end;
	PG_RETURN_INT32(st->tok.type);
}

PG_FUNCTION_INFO_V1(tx_prs_end);
Datum
tx_prs_end(PG_FUNCTION_ARGS)
{
	ParserState *st = (ParserState *) PG_GETARG_POINTER(0);

	if (st->tk)
	{
		tx_tokenizer_free(st->tk);
		st->tk = NULL;
	}
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(tx_prs_lextype);
Datum
tx_prs_lextype(PG_FUNCTION_ARGS)
{
	LexDescr   *descr = palloc0(sizeof(LexDescr) * (TX_TOKEN_MAXTYPE + 1));
	int			n = 0;
	int			type;

	for (type = 1; type <= TX_TOKEN_MAXTYPE; type++)
	{
		const char *name = tx_token_type_name(type);

		if (name == NULL)
			continue;
		descr[n].lexid = type;
		descr[n].alias = pstrdup(name);
		descr[n].descr = pstrdup(tx_token_type_description(type));
		n++;
	}
	descr[n].lexid = 0;
	PG_RETURN_POINTER(descr);
}

bool
tx_is_transcripts_parser(Oid prsId)
{
	TSParserCacheEntry *prs = lookup_ts_parser_cache(prsId);

	return prs->prsstart.fn_addr == tx_prs_start;
}
