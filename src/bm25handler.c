/*
 * bm25handler.c
 *	  The bm25 access method handler, its options (k1, b), operator class
 *	  validation and cost estimation.
 */
#include "transcripts.h"

#include <float.h>
#include <math.h>

#include "access/amvalidate.h"
#include "access/htup_details.h"
#include "catalog/pg_amop.h"
#include "catalog/pg_opclass.h"
#include "commands/vacuum.h"
#include "optimizer/optimizer.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"
#include "utils/spccache.h"
#include "utils/syscache.h"

#include "bm25am.h"

static relopt_kind bm25_relopt_kind;
static bool bm25_initialized = false;

/* Register the reloptions of the bm25 access method; _PG_init calls this. */
void
tx_init_bm25(void)
{
	if (bm25_initialized)
		return;
	bm25_relopt_kind = add_reloption_kind();
	add_real_reloption(bm25_relopt_kind, "k1",
					   "BM25 term frequency saturation (k1)",
					   BM25_DEFAULT_K1, 0.0, 100.0, AccessExclusiveLock);
	add_real_reloption(bm25_relopt_kind, "b",
					   "BM25 document length normalisation (b)",
					   BM25_DEFAULT_B, 0.0, 1.0, AccessExclusiveLock);
	add_int_reloption(bm25_relopt_kind, "pending_limit",
					  "kB of inserted documents kept in the pending list before they become a segment",
					  BM25_PENDING_LIMIT_KB, 64, 1024 * 1024, ShareUpdateExclusiveLock);
	bm25_initialized = true;
}

bytea *
bm25options(Datum reloptions, bool validate)
{
	static const relopt_parse_elt tab[] = {
		{"k1", RELOPT_TYPE_REAL, offsetof(Bm25Options, k1)},
		{"b", RELOPT_TYPE_REAL, offsetof(Bm25Options, b)},
		{"pending_limit", RELOPT_TYPE_INT, offsetof(Bm25Options, pending_limit)},
	};

	tx_init_bm25();
	return (bytea *) build_reloptions(reloptions, validate, bm25_relopt_kind,
									  sizeof(Bm25Options), tab, lengthof(tab));
}

/*
 * Operator class check: strategy 1 is the ordering operator (returns
 * float8, sorted by float_ops), strategy 2 the boolean match operator.
 */
static bool
bm25validate(Oid opclassoid)
{
	HeapTuple	tup;
	Form_pg_opclass form;
	Oid			opfamily;
	CatCList   *oprlist;
	bool		ok = true;
	int			i;

	tup = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclassoid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for operator class %u", opclassoid);
	form = (Form_pg_opclass) GETSTRUCT(tup);
	opfamily = form->opcfamily;
	oprlist = SearchSysCacheList1(AMOPSTRATEGY, ObjectIdGetDatum(opfamily));
	for (i = 0; i < oprlist->n_members; i++)
	{
		Form_pg_amop op = (Form_pg_amop) GETSTRUCT(&oprlist->members[i]->tuple);

		if (op->amopstrategy == 1 && op->amoppurpose != AMOP_ORDER)
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("bm25 operator family contains a search operator at strategy 1, which is for ordering")));
			ok = false;
		}
		else if (op->amopstrategy == 2 && op->amoppurpose != AMOP_SEARCH)
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("bm25 operator family contains an ordering operator at strategy 2, which is for matching")));
			ok = false;
		}
		else if (op->amopstrategy < 1 || op->amopstrategy > 2)
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("bm25 operator family contains an operator with invalid strategy number %d",
							op->amopstrategy)));
			ok = false;
		}
	}
	ReleaseCatCacheList(oprlist);
	ReleaseSysCache(tup);
	return ok;
}

/*
 * Costs.  The scan reads the posting lists of the query terms (a small part
 * of the index) once, then returns rows best-first, so with ORDER BY ...
 * LIMIT k the planner pays the startup cost plus k heap fetches.  Without an
 * ordering operator or a match clause the index cannot help at all.
 */
void
bm25costestimate(PlannerInfo *root, IndexPath *path, double loop_count,
				 Cost *indexStartupCost, Cost *indexTotalCost,
				 Selectivity *indexSelectivity, double *indexCorrelation,
				 double *indexPages)
{
	GenericCosts costs;
	double		pages;
	double		spc_random_page_cost;

	if (path->indexorderbys == NIL && path->indexclauses == NIL)
	{
		*indexStartupCost = 1.0e10;
		*indexTotalCost = 1.0e10;
		*indexSelectivity = 1.0;
		*indexCorrelation = 0;
		*indexPages = 0;
		return;
	}
	MemSet(&costs, 0, sizeof(costs));
	genericcostestimate(root, path, loop_count, &costs);
	get_tablespace_page_costs(path->indexinfo->reltablespace, &spc_random_page_cost, NULL);

	/* posting lists of a few terms: a small fraction of the index */
	pages = Max(1.0, path->indexinfo->pages * 0.02);
	if (pages > 200)
		pages = 200 + sqrt(pages - 200);
	*indexStartupCost = pages * spc_random_page_cost +
		costs.numIndexTuples * 0.1 * cpu_operator_cost;
	*indexTotalCost = *indexStartupCost + costs.numIndexTuples * cpu_index_tuple_cost;
	*indexSelectivity = costs.indexSelectivity;
	*indexCorrelation = 0;
	*indexPages = pages;
}

static char *
bm25buildphasename(int64 phasenum)
{
	switch (phasenum)
	{
		case 1:
			return "analysing documents";
		case 2:
			return "merging runs";
		default:
			return NULL;
	}
}

PG_FUNCTION_INFO_V1(bm25_handler);
Datum
bm25_handler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *am = makeNode(IndexAmRoutine);

	am->amstrategies = 2;
	am->amsupport = 0;
	am->amoptsprocnum = 0;
	am->amcanorder = false;
	am->amcanorderbyop = true;
	am->amcanbackward = false;
	am->amcanunique = false;
	am->amcanmulticol = false;
	am->amoptionalkey = true;
	am->amsearcharray = false;
	am->amsearchnulls = false;
	am->amstorage = false;
	am->amclusterable = false;
	am->ampredlocks = false;
	am->amcanparallel = false;
#if PG_VERSION_NUM >= 170000
	/* index.c plans the workers; bm25build runs them itself (bm25buildpar.c) */
	am->amcanbuildparallel = true;
#endif
	am->amcaninclude = false;
	am->amusemaintenanceworkmem = true;
	am->amparallelvacuumoptions = VACUUM_OPTION_NO_PARALLEL;
	am->amkeytype = InvalidOid;

	am->ambuild = bm25build;
	am->ambuildempty = bm25buildempty;
	am->aminsert = bm25insert;
	am->ambulkdelete = bm25bulkdelete;
	am->amvacuumcleanup = bm25vacuumcleanup;
	am->amcanreturn = NULL;
	am->amcostestimate = bm25costestimate;
	am->amoptions = bm25options;
	am->amproperty = NULL;
	am->ambuildphasename = bm25buildphasename;
	am->amvalidate = bm25validate;
	am->amadjustmembers = NULL;
	am->ambeginscan = bm25beginscan;
	am->amrescan = bm25rescan;
	am->amgettuple = bm25gettuple;
	am->amgetbitmap = bm25getbitmap;
	am->amendscan = bm25endscan;
	am->ammarkpos = NULL;
	am->amrestrpos = NULL;
	am->amestimateparallelscan = NULL;
	am->aminitparallelscan = NULL;
	am->amparallelrescan = NULL;

	PG_RETURN_POINTER(am);
}
