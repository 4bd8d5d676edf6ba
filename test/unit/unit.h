/*
 * unit.h
 *	  Shared scaffolding for the core unit tests (Check framework).
 *
 * Each test/unit/test_*.c builds one suite and ends with UNIT_MAIN(suite_fn);
 * `make unit` builds every file into its own runner and test/unit/run.sh adds
 * up Check's "Checks: N, Failures: F, Errors: E" lines.
 */
#ifndef TX_UNIT_H
#define TX_UNIT_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tx_core.h"

#define UNIT_MAIN(suite_fn) \
int \
main(void) \
{ \
	SRunner    *sr = srunner_create(suite_fn()); \
	int			failed; \
	srunner_run_all(sr, CK_NORMAL); \
	failed = srunner_ntests_failed(sr); \
	srunner_free(sr); \
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE; \
}

#endif
