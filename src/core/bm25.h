/*
 * bm25.h
 *	  BM25 term weighting (core, no PostgreSQL headers), shared by passage
 *	  scoring and the bm25 index.
 *
 *	  idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5))
 *	  score(t) = qtf * idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
 *
 * (the Lucene form: idf is never negative).  A term that occurs twice in the
 * query weighs twice (qtf).
 */
#ifndef TX_BM25_H
#define TX_BM25_H

#include "tx_core.h"

#define TX_BM25_K1	1.2
#define TX_BM25_B	0.75

/* valid ranges of the parameters (TX_ERR_VALUE outside) */
#define TX_BM25_K1_MAX	100.0

typedef struct tx_bm25_params
{
	double		k1;				/* term frequency saturation, >= 0 */
	double		b;				/* length normalisation, 0..1 */
} tx_bm25_params;

/* Check k1 and b; false with *err filled when out of range. */
extern bool tx_bm25_params_valid(const tx_bm25_params *p, tx_error *err);

/* idf of a term found in df of N documents (df is clamped to 0..N) */
extern double tx_bm25_idf(double N, double df);

/* the weight of one term in one document */
extern double tx_bm25_term(double idf, double tf, double qtf, double dl, double avgdl,
						   const tx_bm25_params *p);

#endif							/* TX_BM25_H */
