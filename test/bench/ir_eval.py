#!/usr/bin/env python3
"""test/bench/ir_eval.py: ranking quality of run files against Cranfield qrels.

    ir_eval.py CRANQREL RUN [RUN...]

A run file has lines "query_number doc_id rank" (rank 1 = best); queries are
numbered 1..225 by their position in cran.qry, as in cranqrel.  Relevance
codes 1..4 (1 = complete answer) are relevant for MAP; nDCG@10 uses graded
gains 5 - code (4 for a complete answer .. 1 for minimum interest), and code
-1 (and anything absent) gains nothing.  Prints MAP (over all 1000 retrieved)
and nDCG@10, averaged over every query that has a relevant document (a query
with no result counts as 0).
"""
import math
import sys


def load_qrels(path):
    rel = {}
    for line in open(path):
        f = line.split()
        if len(f) < 3:
            continue
        q, d, code = int(f[0]), int(f[1]), int(f[2])
        if 1 <= code <= 4:
            rel.setdefault(q, {})[d] = 5 - code
    return rel


def load_run(path):
    run = {}
    for line in open(path):
        f = line.split()
        if len(f) < 3:
            continue
        run.setdefault(int(f[0]), []).append((int(f[2]), int(f[1])))
    return {q: [d for _, d in sorted(v)] for q, v in run.items()}


def average_precision(ranked, rel):
    hits, s = 0, 0.0
    for i, d in enumerate(ranked, 1):
        if d in rel:
            hits += 1
            s += hits / i
    return s / len(rel) if rel else 0.0


def ndcg(ranked, rel, k=10):
    dcg = sum(rel.get(d, 0) / math.log2(i + 1) for i, d in enumerate(ranked[:k], 1))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return dcg / idcg if idcg > 0 else 0.0


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    qrels = load_qrels(sys.argv[1])
    print(f"{'system':<28} {'MAP':>7} {'nDCG@10':>8} {'queries':>8}")
    for path in sys.argv[2:]:
        run = load_run(path)
        aps = [average_precision(run.get(q, []), r) for q, r in qrels.items()]
        nds = [ndcg(run.get(q, []), r) for q, r in qrels.items()]
        name = path.rsplit('/', 1)[-1].removesuffix('.run')
        print(f"{name:<28} {sum(aps) / len(aps):7.4f} {sum(nds) / len(nds):8.4f} {len(aps):8d}")


if __name__ == '__main__':
    main()
