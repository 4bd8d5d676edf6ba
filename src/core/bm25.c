/*
 * bm25.c
 *	  BM25 term weighting.
 */
#include "bm25.h"

#include <math.h>

bool
tx_bm25_params_valid(const tx_bm25_params *p, tx_error *err)
{
	if (!(p->k1 >= 0.0 && p->k1 <= TX_BM25_K1_MAX))
	{
		tx_error_set(err, TX_ERR_VALUE, 0, "parameter k1 must be between 0 and %g", TX_BM25_K1_MAX);
		tx_error_hint(err, "The usual value is 1.2.");
		return false;
	}
	if (!(p->b >= 0.0 && p->b <= 1.0))
	{
		tx_error_set(err, TX_ERR_VALUE, 0, "parameter b must be between 0 and 1");
		tx_error_hint(err, "The usual value is 0.75.");
		return false;
	}
	return true;
}

double
tx_bm25_idf(double N, double df)
{
	if (N < 0)
		N = 0;
	if (df < 0)
		df = 0;
	if (df > N)
		df = N;
	return log(1.0 + (N - df + 0.5) / (df + 0.5));
}

double
tx_bm25_term(double idf, double tf, double qtf, double dl, double avgdl, const tx_bm25_params *p)
{
	double		norm;

	if (tf <= 0 || qtf <= 0)
		return 0.0;
	if (avgdl <= 0)
		avgdl = dl > 0 ? dl : 1.0;
	norm = p->k1 * (1.0 - p->b + p->b * dl / avgdl);
	return qtf * idf * tf * (p->k1 + 1.0) / (tf + norm);
}
