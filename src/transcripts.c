/*
 * transcripts.c
 *	  Module entry point: _PG_init, the core hooks, and error reporting for
 *	  errors the PostgreSQL-free core returns.
 */
#include "transcripts.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

static void *
pg_core_alloc(size_t size)
{
	return palloc_extended(size ? size : 1, MCXT_ALLOC_HUGE);
}

static void *
pg_core_realloc(void *ptr, size_t size)
{
	return repalloc_huge(ptr, size ? size : 1);
}

static void
pg_core_free(void *ptr)
{
	pfree(ptr);
}

static void
pg_core_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static const tx_hooks pg_hooks = {
	pg_core_alloc, pg_core_realloc, pg_core_free, pg_core_check_interrupts
};

void
tx_install_core_hooks(void)
{
	tx_set_hooks(&pg_hooks);
}

void
_PG_init(void)
{
	tx_install_core_hooks();
}

static int
sqlstate_for(const tx_error *err, int syntax_sqlstate)
{
	switch (err->code)
	{
		case TX_ERR_SYNTAX:
			return syntax_sqlstate;
		case TX_ERR_VALUE:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case TX_ERR_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case TX_ERR_NOMEM:
			return ERRCODE_OUT_OF_MEMORY;
		default:
			return ERRCODE_INTERNAL_ERROR;
	}
}

void
tx_raise(const tx_error *err, int syntax_sqlstate, const char *primary)
{
	char		msg[TX_ERRMSG_LEN];

	/* the core's message is lower case without a period: make it a sentence */
	strlcpy(msg, err->message, sizeof(msg));
	if (msg[0] >= 'a' && msg[0] <= 'z')
		msg[0] = msg[0] - 'a' + 'A';

	ereport(ERROR,
			(errcode(sqlstate_for(err, syntax_sqlstate)),
			 errmsg_internal("%s", primary),
			 err->position > 0
			 ? errdetail("%s at character %ld.", msg, err->position)
			 : errdetail("%s.", msg),
			 err->hint[0] ? errhint("%s", err->hint) : 0));
	pg_unreachable();
}

void
tx_raise_input(const tx_error *err, const char *typname, const char *input)
{
	char	   *primary;
	size_t		len = strlen(input);

	/* quote at most 200 bytes of the input in the message */
	if (len > 200)
		primary = psprintf("invalid input syntax for type %s: \"%.*s...\"",
						   typname, (int) pg_mbcliplen(input, len, 200), input);
	else
		primary = psprintf("invalid input syntax for type %s: \"%s\"", typname, input);
	tx_raise(err, ERRCODE_INVALID_TEXT_REPRESENTATION, primary);
}
