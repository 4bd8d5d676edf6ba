/*
 * test_bm25idx.c
 *	  Unit tests of the bm25 index core: varbyte, documents, inverted batch,
 *	  posting list codec, cursors, heap and the top-k search against a brute
 *	  force ranking.
 */
#include "unit.h"

#include <math.h>
#include <stdio.h>

#include "bm25idx.h"
#include "../acc_same.h"

static const char *words[] = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"};

START_TEST(test_varbyte)
{
	uint8_t		b[8];
	uint32_t	vals[] = {0, 1, 127, 128, 16383, 16384, 123456789, UINT32_MAX};
	int			i;

	for (i = 0; i < 8; i++)
	{
		const uint8_t *p = b;
		size_t		n = bm25_vb_put(b, vals[i]);

		ck_assert_uint_eq(bm25_vb_get(&p, b + n), vals[i]);
		ck_assert_ptr_eq(p, b + n);
	}
	/* truncated input stops at the end */
	{
		const uint8_t *p = b;

		bm25_vb_put(b, 300);
		bm25_vb_get(&p, b + 1);
		ck_assert_ptr_eq(p, b + 1);
	}
}
END_TEST

/*
 * bm25_hash_bytes: the same bytes give the same hash wherever they sit;
 * every length from 0 to 80 and every single-bit change of a 64-byte input
 * give a different one, and a one-bit change flips about half the bits.
 */
START_TEST(test_hash_bytes)
{
	uint8_t		buf[200],
				copy[200];
	uint64_t	seen[81 + 64 * 8];
	int			nseen = 0,
				flips = 0;
	uint64_t	base;

	for (int i = 0; i < 200; i++)
		buf[i] = (uint8_t) (i * 151 + 7 + (i >> 3) * 13);
	for (int len = 0; len <= 80; len++)
	{
		uint64_t	h = bm25_hash_bytes(buf, (size_t) len);

		/* unaligned: the same */
		memcpy(copy + 3, buf, (size_t) len);
		ck_assert_uint_eq(bm25_hash_bytes(copy + 3, (size_t) len), h);
		seen[nseen++] = h;
	}
	base = bm25_hash_bytes(buf, 64);
	for (int bit = 0; bit < 64 * 8; bit++)
	{
		uint64_t	h;

		buf[bit / 8] ^= (uint8_t) (1u << (bit % 8));
		h = bm25_hash_bytes(buf, 64);
		buf[bit / 8] ^= (uint8_t) (1u << (bit % 8));
		flips += __builtin_popcountll(h ^ base);
		seen[nseen++] = h;
	}
	for (int i = 0; i < nseen; i++)
		for (int j = i + 1; j < nseen; j++)
			ck_assert(seen[i] != seen[j]);
	/* 512 changes, 64 bits each: about 32 flipped per change */
	ck_assert_int_gt(flips, 512 * 28);
	ck_assert_int_lt(flips, 512 * 36);
	/* zero bytes are not the same as no bytes */
	memset(copy, 0, 32);
	ck_assert(bm25_hash_bytes(copy, 0) != bm25_hash_bytes(copy, 1));
	ck_assert(bm25_hash_bytes(copy, 16) != bm25_hash_bytes(copy, 17));
}
END_TEST

START_TEST(test_idf_score)
{
	bm25_params p = {1.2, 0.75, 10.0};

	ck_assert_double_eq_tol(bm25_idf(10, 1), log(1 + 9.5 / 1.5), 1e-12);
	ck_assert(bm25_idf(5, 10) > 0);	/* df > N is clamped */
	ck_assert_double_eq_tol(bm25_tf_score(&p, 2.0, 1, 10), 2.0 * 2.2 / (1 + 1.2), 1e-12);
	ck_assert_double_eq_tol(bm25_tf_score(&p, 1.0, 3, 20),
							3.0 * 2.2 / (3 + 1.2 * (0.25 + 0.75 * 2)), 1e-12);
}
END_TEST

START_TEST(test_doc_roundtrip)
{
	bm25_tok	t[] = {{"b", 1, 1}, {"a", 1, 2}, {"b", 1, 3}, {NULL, 0, 4}, {"c", 1, 5}};
	bm25_doc	d,
				e;
	tx_buf		buf;
	uint32_t	id;

	bm25_doc_build(t, 5, &d);
	ck_assert_uint_eq(d.dl, 4);
	ck_assert_int_eq(d.nterms, 3);
	ck_assert_int_eq(bm25_doc_find(&d, "b", 1), 1);
	ck_assert_int_eq(bm25_doc_find(&d, "x", 1), -1);
	ck_assert_uint_eq(d.terms[1].tf, 2);
	ck_assert_uint_eq(d.terms[1].pos[1], 3);
	tx_buf_init(&buf, 16);
	bm25_doc_encode(&d, 77, &buf);
	ck_assert(bm25_doc_decode((uint8_t *) buf.data, buf.len, &id, &e));
	ck_assert_uint_eq(id, 77);
	ck_assert_int_eq(e.nterms, 3);
	ck_assert_uint_eq(e.terms[1].pos[0], 1);
	ck_assert_uint_eq(e.terms[1].pos[1], 3);
	ck_assert_uint_eq(e.terms[2].pos[0], 5);
	bm25_doc_free(&e);
	/* truncated record is rejected */
	ck_assert(!bm25_doc_decode((uint8_t *) buf.data, buf.len - 1, &id, &e));
	tx_buf_free(&buf);
	bm25_doc_free(&d);
}
END_TEST

START_TEST(test_doc_builder)
{
	bm25_tok	t[] = {{"b", 1, 1}, {"a", 1, 2}, {"b", 1, 3}, {"c", 1, 5}, {"b", 1, 7}};
	bm25_doc	d1,
				d2;
	bm25_docb  *b = bm25_docb_create();
	char		w[8];
	int			i;

	bm25_doc_build(t, 5, &d1);
	/* out of position order on purpose */
	bm25_docb_add(b, "b", 1, 7);
	bm25_docb_add(b, "a", 1, 2);
	bm25_docb_add(b, "b", 1, 1);
	bm25_docb_add(b, "c", 1, 5);
	bm25_docb_add(b, "b", 1, 3);
	bm25_docb_add(b, NULL, 0, 4);
	bm25_docb_finish(b, &d2);
	ck_assert_uint_eq(d1.dl, d2.dl);
	ck_assert_int_eq(d1.nterms, d2.nterms);
	for (i = 0; i < d1.nterms; i++)
	{
		uint32_t	j;

		ck_assert_int_eq(bm25_term_cmp(d1.terms[i].lexeme, d1.terms[i].len, d2.terms[i].lexeme, d2.terms[i].len), 0);
		ck_assert_uint_eq(d1.terms[i].tf, d2.terms[i].tf);
		for (j = 0; j < d1.terms[i].tf; j++)
			ck_assert_uint_eq(d1.terms[i].pos[j], d2.terms[i].pos[j]);
	}
	bm25_doc_free(&d1);
	bm25_doc_free(&d2);
	bm25_docb_free(b);
	/* many distinct terms (rehashing) */
	b = bm25_docb_create();
	for (i = 0; i < 5000; i++)
	{
		snprintf(w, sizeof(w), "w%d", i % 1500);
		bm25_docb_add(b, w, (int) strlen(w), (uint32_t) i + 1);
	}
	bm25_docb_finish(b, &d2);
	ck_assert_int_eq(d2.nterms, 1500);
	ck_assert_uint_eq(d2.dl, 5000);
	ck_assert_int_ge(bm25_doc_find(&d2, "w1499", 5), 0);
	bm25_doc_free(&d2);
	bm25_docb_free(b);
}
END_TEST

/* deterministic pseudo random */
static uint32_t rng = 12345;
static uint32_t
rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

#define NDOCS 3000

typedef struct corpus
{
	int			dl[NDOCS];
	int			tf[NDOCS][8];
	bm25_acc   *acc;
	tx_buf		plist[8];
	uint32_t	df[8];
} corpus;

static corpus *
make_corpus(void)
{
	corpus	   *c = calloc(1, sizeof(corpus));
	int			i,
				j;

	c->acc = bm25_acc_create();
	for (i = 0; i < NDOCS; i++)
	{
		bm25_tok	t[64];
		int			n = 1 + (int) rnd(40);
		bm25_doc	d;

		for (j = 0; j < n; j++)
		{
			/* skewed: word 0 common, word 7 rare */
			int			w = (int) (rnd(8) * rnd(9) / 8);

			t[j].lexeme = words[w];
			t[j].len = (int) strlen(words[w]);
			t[j].pos = (uint32_t) j + 1;
			c->tf[i][w]++;
		}
		c->dl[i] = n;
		bm25_doc_build(t, n, &d);
		bm25_acc_add(c->acc, (uint32_t) i * 3 + 1, &d);
		bm25_doc_free(&d);
	}
	bm25_acc_sort(c->acc);
	for (i = 0; i < bm25_acc_nterms(c->acc); i++)
	{
		int			len;
		uint32_t	df;
		const char *s = bm25_acc_term(c->acc, i, &len, &df);

		for (j = 0; j < 8; j++)
			if ((int) strlen(words[j]) == len && memcmp(words[j], s, len) == 0)
			{
				tx_buf_init(&c->plist[j], 64);
				bm25_acc_encode(c->acc, i, false, &c->plist[j]);
				c->df[j] = df;
			}
	}
	return c;
}

static void
free_corpus(corpus *c)
{
	int			j;

	for (j = 0; j < 8; j++)
		if (c->plist[j].data)
			tx_buf_free(&c->plist[j]);
	bm25_acc_free(c->acc);
	free(c);
}

START_TEST(test_plist_cursor)
{
	corpus	   *c = make_corpus();
	bm25_cursor cur;
	int			i,
				n = 0;
	uint32_t	d;

	ck_assert(bm25_cursor_init(&cur, (uint8_t *) c->plist[2].data, c->plist[2].len, 1.0, 0));
	cur.pos = (uint8_t *) c->plist[2].data + bm25_plist_scoring_len(&cur.h);
	for (i = 0; i < NDOCS; i++)
	{
		if (c->tf[i][2] == 0)
			continue;
		d = bm25_cursor_seek(&cur, (uint32_t) i * 3 + 1);
		ck_assert_uint_eq(d, (uint32_t) i * 3 + 1);
		ck_assert_uint_eq(bm25_cursor_tf(&cur), c->tf[i][2]);
		ck_assert_uint_eq(bm25_cursor_dl(&cur), c->dl[i]);
		{
			int			np;
			const uint32_t *pos = bm25_cursor_positions(&cur, &np);

			ck_assert_int_eq(np, c->tf[i][2]);
			ck_assert(pos[0] >= 1 && pos[np - 1] <= (uint32_t) c->dl[i]);
		}
		n++;
	}
	ck_assert_uint_eq((uint32_t) n, c->df[2]);
	ck_assert_uint_eq(bm25_cursor_seek(&cur, NDOCS * 3 + 5), BM25_DOCID_END);
	bm25_cursor_free(&cur);
	/* a truncated list is rejected */
	ck_assert(!bm25_cursor_init(&cur, (uint8_t *) c->plist[2].data, 30, 1.0, 0));
	free_corpus(c);
}
END_TEST

/* every doc scores at most its block's bound, for several avgdl, k1 and b */
START_TEST(test_block_bounds)
{
	bm25_plist_writer w;
	tx_buf		out;
	bm25_cursor c;
	uint32_t	pos[300];
	int			i,
				k;
	double		avgdls[] = {0.5, 3, 20, 400};

	for (i = 0; i < 300; i++)
		pos[i] = (uint32_t) i + 1;
	bm25_pw_init(&w);
	tx_buf_init(&out, 64);
	for (i = 0; i < 2000; i++)
	{
		uint32_t	tf = 1 + rnd(i % 7 == 0 ? 200 : 4);
		uint32_t	dl = tf + rnd(i % 5 == 0 ? 3000 : 40);

		bm25_pw_add(&w, (uint32_t) i * 2 + 1, tf, dl, pos);
	}
	bm25_pw_finish(&w, &out);
	bm25_pw_free(&w);
	for (k = 0; k < 4; k++)
	{
		bm25_params p = {k == 3 ? 0.0 : 1.2 + k, k == 2 ? 1.0 : 0.75, avgdls[k]};

		ck_assert(bm25_cursor_init(&c, (uint8_t *) out.data, out.len, 1.7, 0));
		bm25_cursor_bound(&c, &p);
		while (c.docid != BM25_DOCID_END)
		{
			double		sc = bm25_tf_score(&p, c.w, bm25_cursor_tf(&c), bm25_cursor_dl(&c));

			ck_assert(sc <= c.bb[c.blk] * (1 + 1e-12));
			ck_assert(sc <= c.ub * (1 + 1e-12));
			bm25_cursor_seek(&c, c.docid + 1);
		}
		bm25_cursor_free(&c);
	}
	tx_buf_free(&out);
}
END_TEST

START_TEST(test_heap)
{
	bm25_heap	h;
	int			i;

	bm25_heap_init(&h, 3);
	for (i = 0; i < 10; i++)
		bm25_heap_push(&h, (double) (i % 5), (uint32_t) i);
	ck_assert_int_eq(h.n, 3);
	ck_assert_double_eq(bm25_heap_threshold(&h), 3.0);
	bm25_heap_sort(&h);
	ck_assert_uint_eq(h.h[0].docid, 4);
	ck_assert_uint_eq(h.h[1].docid, 9);
	ck_assert_uint_eq(h.h[2].docid, 3);
	bm25_heap_free(&h);
	/* growing beyond the initial allocation */
	bm25_heap_init(&h, 100000);
	for (i = 0; i < 5000; i++)
		bm25_heap_push(&h, (double) i, (uint32_t) i);
	ck_assert_int_eq(h.n, 5000);
	bm25_heap_sort(&h);
	ck_assert_uint_eq(h.h[0].docid, 4999);
	bm25_heap_free(&h);
}
END_TEST

/* brute-force hits in the order bm25_heap_sort gives (best first, ties by docid) */
static void
sort_hits(bm25_hit *hits, int n)
{
	bm25_heap	h;
	int			i;

	bm25_heap_init(&h, n + 1);
	for (i = 0; i < n; i++)
		bm25_heap_push(&h, hits[i].score, hits[i].docid);
	bm25_heap_sort(&h);
	memcpy(hits, h.h, sizeof(bm25_hit) * n);
	bm25_heap_free(&h);
}

static int	rejected_docid = -1;
static bool
accept_fn(uint32_t docid, bm25_cursor **c, int n, void *arg)
{
	return (int) docid != rejected_docid;
}

static void
check_topk_req(corpus *c, const int *terms, const int *qtf, int nq, int k, unsigned req)
{
	bm25_params p = {1.2, 0.75, 0};
	bm25_cursor cur[8];
	bm25_cursor *cp[8];
	bm25_heap	h;
	bm25_hit   *brute = calloc(NDOCS, sizeof(bm25_hit));
	double		total = 0;
	int			i,
				j,
				nb = 0;

	for (i = 0; i < NDOCS; i++)
		total += c->dl[i];
	p.avgdl = total / NDOCS;
	for (j = 0; j < nq; j++)
	{
		double		w = qtf[j] * bm25_idf(NDOCS, c->df[terms[j]]);

		ck_assert(bm25_cursor_init(&cur[j], (uint8_t *) c->plist[terms[j]].data,
								   c->plist[terms[j]].len, w, j));
		cur[j].required = (req >> j) & 1;
		cp[j] = &cur[j];
	}
	for (i = 0; i < NDOCS; i++)
	{
		double		s = 0;

		if (i * 3 + 1 == rejected_docid)
			continue;
		for (j = 0; j < nq; j++)
			if (((req >> j) & 1) && c->tf[i][terms[j]] == 0)
				break;
		if (j < nq)
			continue;
		for (j = 0; j < nq; j++)
			if (c->tf[i][terms[j]])
				s += bm25_tf_score(&p, qtf[j] * bm25_idf(NDOCS, c->df[terms[j]]),
								   c->tf[i][terms[j]], c->dl[i]);
		if (s > 0)
		{
			brute[nb].score = s;
			brute[nb++].docid = (uint32_t) i * 3 + 1;
		}
	}
	sort_hits(brute, nb);

	bm25_heap_init(&h, k);
	bm25_topk(cp, nq, &p, &h, accept_fn, NULL);
	bm25_heap_sort(&h);
	ck_assert_int_eq(h.n, k < nb ? k : nb);
	for (i = 0; i < h.n; i++)
	{
		ck_assert_uint_eq(h.h[i].docid, brute[i].docid);
		ck_assert_double_eq_tol(h.h[i].score, brute[i].score, 1e-9);
	}
	bm25_heap_free(&h);
	for (j = 0; j < nq; j++)
		bm25_cursor_free(&cur[j]);
	free(brute);
}

static void
check_topk(corpus *c, const int *terms, const int *qtf, int nq, int k)
{
	check_topk_req(c, terms, qtf, nq, k, 0);
}

START_TEST(test_topk_vs_brute)
{
	corpus	   *c = make_corpus();
	int			t1[] = {0},
				t2[] = {0, 7},
				t3[] = {1, 3, 6},
				t5[] = {0, 1, 2, 5, 7};
	int			q1[] = {1},
				q2[] = {1, 2},
				q3[] = {1, 1, 1},
				q5[] = {2, 1, 1, 1, 3};
	int			k;
	int			ks[] = {1, 10, 100, 5000};

	for (k = 0; k < 4; k++)
	{
		check_topk(c, t1, q1, 1, ks[k]);
		check_topk(c, t2, q2, 2, ks[k]);
		check_topk(c, t3, q3, 3, ks[k]);
		check_topk(c, t5, q5, 5, ks[k]);
	}
	for (k = 0; k < 4; k++)
	{
		check_topk_req(c, t1, q1, 1, ks[k], 1);
		check_topk_req(c, t2, q2, 2, ks[k], 3);
		check_topk_req(c, t3, q3, 3, ks[k], 2);
		check_topk_req(c, t5, q5, 5, ks[k], 0x15);
		check_topk_req(c, t5, q5, 5, ks[k], 0x1F);
	}
	rejected_docid = 4;
	check_topk(c, t2, q2, 2, 10);
	check_topk_req(c, t2, q2, 2, 10, 1);
	rejected_docid = -1;
	free_corpus(c);
}
END_TEST

/*
 * The build's path: documents fed token by token with term codes
 * (bm25_acc_code, doc_begin/add/end) give the same terms, document
 * frequencies and raw postings, byte for byte, as the documents built with
 * bm25_docb and added with bm25_acc_add, and the same lengths.  Tokens with
 * several lexemes (a code for a group), empty and over-long lexemes, stop
 * words, documents with no term, positions out of order and a document
 * big enough that its buffers are dropped afterwards are all among them.
 */
START_TEST(test_acc_token_path)
{
	static const char *lex[] = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta",
	"", "alpha\0beta", "gamma\0gamma", "eta\0\0zeta\0iota", NULL};
	static const int nlexof[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 4, 1};
	char		longlex[BM25_MAX_TERM_LEN + 2];
	bm25_acc   *old = bm25_acc_create();
	bm25_acc   *tok = bm25_acc_create();
	uint32_t	codes[13];
	int			i,
				j,
				k;

	memset(longlex, 'x', sizeof(longlex) - 1);
	longlex[sizeof(longlex) - 1] = '\0';
	lex[12] = longlex;
	rng = 4242;
	for (i = 0; i < 13; i++)
		codes[i] = bm25_acc_code(tok, lex[i], nlexof[i]);
	ck_assert_uint_eq(codes[8], 0);		/* empty */
	ck_assert_uint_eq(codes[12], 0);	/* longer than BM25_MAX_TERM_LEN */
	ck_assert(codes[9] & BM25_ACC_GROUP);
	ck_assert(codes[10] & BM25_ACC_GROUP);
	ck_assert(codes[11] & BM25_ACC_GROUP);
	/* a code is a function of the lexemes */
	ck_assert_uint_eq(bm25_acc_code(tok, "beta", 1), codes[1]);
	/* a term given a code but in no document is not written */
	ck_assert_uint_gt(bm25_acc_code(tok, "unused", 1), 0);
	for (i = 0; i < 400; i++)
	{
		int			n = i == 7 ? 1200000 : i % 50 == 3 ? 0 : (int) rnd(60);
		bool		shuffled = i % 13 == 5;
		uint32_t	pos = 0;
		bm25_docb  *b = bm25_docb_create();
		bm25_doc	d;
		uint32_t	dl;

		bm25_acc_doc_begin(tok, (uint32_t) i * 2 + 1);
		for (j = 0; j < n; j++)
		{
			int			w = i == 7 ? (int) rnd(8) : (int) rnd(13);
			const char *p = lex[w];

			if (rnd(6) == 0)
				continue;		/* a stop word: a position, no lexeme */
			pos = shuffled ? 1 + rnd(80) : pos + 1 + (rnd(5) == 0);
			for (k = 0; k < nlexof[w]; k++)
			{
				bm25_docb_add(b, p, (int) strlen(p), pos);
				p += strlen(p) + 1;
			}
			bm25_acc_doc_add(tok, codes[w], pos);
		}
		dl = bm25_acc_doc_end(tok);
		bm25_docb_finish(b, &d);
		ck_assert_uint_eq(dl, d.dl);
		bm25_acc_add(old, (uint32_t) i * 2 + 1, &d);
		bm25_doc_free(&d);
		bm25_docb_free(b);
	}
	ck_assert(acc_same(old, tok));
	ck_assert_int_eq(bm25_acc_nterms(tok), 9);	/* the 8 words and iota, not "unused" */
	bm25_acc_free(old);
	bm25_acc_free(tok);
}
END_TEST

/*
 * A parallel build: the documents split into runs with local docids from 0,
 * each run's raw postings re-based with bm25_pw_add_raw, give exactly the
 * posting list of one batch holding every document.
 */
START_TEST(test_pw_add_raw_runs)
{
	static bm25_tok toks[NDOCS][40];
	static int	ntoks[NDOCS];
	int			cuts[] = {0, 1, 700, 701, 2000, NDOCS};
	int			nruns = 5;
	bm25_acc   *whole = bm25_acc_create();
	bm25_acc   *runs[5];
	int			r,
				i,
				j;

	rng = 777;
	for (i = 0; i < NDOCS; i++)
	{
		ntoks[i] = 1 + (int) rnd(40);
		for (j = 0; j < ntoks[i]; j++)
		{
			int			w = (int) (rnd(8) * rnd(9) / 8);

			toks[i][j].lexeme = words[w];
			toks[i][j].len = (int) strlen(words[w]);
			toks[i][j].pos = (uint32_t) j + 1 + rnd(2);
		}
	}
	for (r = 0; r < nruns; r++)
		runs[r] = bm25_acc_create();
	for (r = 0; r < nruns; r++)
		for (i = cuts[r]; i < cuts[r + 1]; i++)
		{
			bm25_doc	d;

			bm25_doc_build(toks[i], ntoks[i], &d);
			bm25_acc_add(whole, (uint32_t) i * 3 + 1, &d);
			/* local docids from 0, as a build participant numbers its run */
			bm25_acc_add(runs[r], (uint32_t) (i - cuts[r]) * 3, &d);
			bm25_doc_free(&d);
		}
	bm25_acc_sort(whole);
	for (r = 0; r < nruns; r++)
		bm25_acc_sort(runs[r]);
	for (j = 0; j < bm25_acc_nterms(whole); j++)
	{
		bm25_plist_writer w;
		tx_buf		expect,
					out;
		uint32_t   *pos = NULL;
		size_t		poscap = 0;
		int			wlen;
		uint32_t	wdf;
		const char *term = bm25_acc_term(whole, j, &wlen, &wdf);

		tx_buf_init(&expect, 64);
		bm25_acc_encode(whole, j, false, &expect);
		bm25_pw_init(&w);
		for (r = 0; r < nruns; r++)
			for (i = 0; i < bm25_acc_nterms(runs[r]); i++)
			{
				int			len;
				uint32_t	df;
				const char *s = bm25_acc_term(runs[r], i, &len, &df);
				size_t		rawlen;
				const uint8_t *raw;

				if (bm25_term_cmp(s, len, term, wlen) != 0)
					continue;
				raw = bm25_acc_raw(runs[r], i, &rawlen);
				ck_assert(bm25_pw_add_raw(&w, raw, rawlen, (uint32_t) cuts[r] * 3 + 1, &pos, &poscap));
			}
		tx_buf_init(&out, 64);
		bm25_pw_finish(&w, &out);
		bm25_pw_free(&w);
		/* the same bytes as the posting list of the single batch */
		ck_assert_uint_gt(out.len, 0);
		ck_assert_uint_eq(out.len, expect.len);
		ck_assert_int_eq(memcmp(out.data, expect.data, out.len), 0);
		tx_buf_free(&out);
		tx_buf_free(&expect);
		if (pos)
			tx_free(pos);
	}
	ck_assert_int_eq(bm25_acc_nterms(whole), 8);
	/* malformed raw streams are refused */
	{
		bm25_plist_writer w;
		uint32_t   *pos = NULL;
		size_t		poscap = 0;
		uint8_t		bad1[] = {0, 1, 1, 1, 0, 1, 1, 1};	/* second docid delta 0 */
		uint8_t		bad2[] = {5, 3, 4, 1};				/* tf 3, one position */
		uint8_t		bad3[] = {0, 0, 4};					/* tf 0 */
		uint8_t		ok[] = {2, 1, 4, 1};

		bm25_pw_init(&w);
		ck_assert(!bm25_pw_add_raw(&w, bad1, sizeof(bad1), 0, &pos, &poscap));
		bm25_pw_free(&w);
		bm25_pw_init(&w);
		ck_assert(!bm25_pw_add_raw(&w, bad2, sizeof(bad2), 0, &pos, &poscap));
		ck_assert(!bm25_pw_add_raw(&w, bad3, sizeof(bad3), 10, &pos, &poscap));
		ck_assert(!bm25_pw_add_raw(&w, ok, sizeof(ok), UINT32_MAX - 2, &pos, &poscap));
		ck_assert(bm25_pw_add_raw(&w, ok, sizeof(ok), 100, &pos, &poscap));
		bm25_pw_free(&w);
		if (pos)
			tx_free(pos);
	}
	for (r = 0; r < nruns; r++)
		bm25_acc_free(runs[r]);
	bm25_acc_free(whole);
}
END_TEST

/* the block impacts as first written: sort the pairs, keep the frontier, merge neighbours */
static int
ref_impact_cmp(const void *x, const void *y)
{
	const uint32_t *a = x;
	const uint32_t *b = y;

	if (a[0] != b[0])
		return a[0] > b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

static void
ref_impacts(const uint32_t *tfs, const uint32_t *dls, int n, uint16_t *imp_tf, uint32_t *imp_dl)
{
	uint32_t	pts[BM25_BLOCK][2];
	uint32_t	fr[BM25_BLOCK][2];
	int			nf = 0,
				i;
	uint32_t	mindl = UINT32_MAX;
	double		avgdl = 0;

	for (i = 0; i < n; i++)
	{
		pts[i][0] = tfs[i] > 65535 ? 65535 : tfs[i];
		pts[i][1] = dls[i];
		avgdl += dls[i];
	}
	avgdl = avgdl / n > 1 ? avgdl / n : 1;
	qsort(pts, (size_t) n, sizeof(pts[0]), ref_impact_cmp);
	for (i = 0; i < n; i++)
		if (pts[i][1] < mindl)
		{
			mindl = pts[i][1];
			fr[nf][0] = pts[i][0];
			fr[nf][1] = pts[i][1];
			nf++;
		}
	while (nf > BM25_IMPACTS)
	{
		int			best = 0;
		double		bestv = 0;

		for (i = 0; i + 1 < nf; i++)
		{
			double		tf = fr[i][0];
			double		v = tf / (tf + 1.2 * (0.25 + 0.75 * fr[i + 1][1] / avgdl));

			if (i == 0 || v < bestv)
			{
				best = i;
				bestv = v;
			}
		}
		fr[best][1] = fr[best + 1][1];
		memmove(&fr[best + 1], &fr[best + 2], sizeof(fr[0]) * (size_t) (nf - best - 2));
		nf--;
	}
	for (i = 0; i < BM25_IMPACTS; i++)
	{
		imp_tf[i] = i < nf ? (uint16_t) fr[i][0] : 0;
		imp_dl[i] = i < nf ? fr[i][1] : 0;
	}
}

/* the bucketed frontier of the writer gives the same block headers */
START_TEST(test_block_impacts_reference)
{
	static uint32_t pos[70000];
	int			round;

	for (round = 0; round < 300; round++)
	{
		bm25_plist_writer w;
		tx_buf		out;
		bm25_plist_hdr h;
		uint32_t	tfs[3 * BM25_BLOCK],
					dls[3 * BM25_BLOCK];
		int			n = 1 + (int) rnd(3 * BM25_BLOCK),
					i,
					b;

		rng = 1000 + (uint32_t) round;
		for (i = 0; i < 70000; i++)
			pos[i] = (uint32_t) i + 1;
		bm25_pw_init(&w);
		for (i = 0; i < n; i++)
		{
			uint32_t	r = rnd(100);

			/* mostly small tf, some above the buckets, a few saturating */
			tfs[i] = r < 80 ? 1 + rnd(4) : r < 97 ? 1 + rnd(60) : (round % 7 == 0 ? 65530 + rnd(20) : 33 + rnd(200));
			dls[i] = tfs[i] + rnd(round % 3 == 0 ? 5 : 400);
			bm25_pw_add(&w, (uint32_t) i * 2 + 1, tfs[i], dls[i], pos);
		}
		tx_buf_init(&out, 64);
		bm25_pw_finish(&w, &out);
		bm25_pw_free(&w);
		ck_assert(bm25_plist_read_hdr((const uint8_t *) out.data, out.len, &h));
		for (b = 0; b < (int) h.nblocks; b++)
		{
			bm25_block_hdr bh;
			uint16_t	rtf[BM25_IMPACTS];
			uint32_t	rdl[BM25_IMPACTS];
			int			first = b * BM25_BLOCK;
			int			cnt = n - first < BM25_BLOCK ? n - first : BM25_BLOCK;

			memcpy(&bh, out.data + BM25_PLIST_HDR_SIZE + (size_t) b * BM25_BLOCK_HDR_SIZE, BM25_BLOCK_HDR_SIZE);
			ck_assert_int_eq(bh.count, cnt);
			ref_impacts(tfs + first, dls + first, cnt, rtf, rdl);
			for (i = 0; i < BM25_IMPACTS; i++)
			{
				ck_assert_uint_eq(bh.imp_tf[i], rtf[i]);
				ck_assert_uint_eq(bh.imp_dl[i], rdl[i]);
			}
		}
		tx_buf_free(&out);
	}
}
END_TEST

/*
 * Lists spanning many blocks, written directly: clustered and scattered
 * terms (so the conjunctive search cuts the docid space into ranges that
 * start and end at block edges), tf bursts (block bounds far apart), docids
 * exactly at the last doc of a block, and a rejected doc; every required
 * mask (none: the disjunctive search) and several k against brute force.
 */
#define BIGN 60000
#define BIGT 5

/* a lazy cursor's doc section comes from the list it was copied from */
typedef struct lazy_src
{
	const uint8_t *full;
	uint8_t    *copy;
	size_t		len;
	int			loads;
} lazy_src;

static bool
lazy_loader(bm25_cursor *c, void *arg)
{
	lazy_src   *l = arg;
	size_t		off = (size_t) (c->docs - l->copy);

	ck_assert(off + c->h.doc_len <= l->len);
	memcpy(l->copy + off, l->full + off, c->h.doc_len);
	l->loads++;
	return true;
}

/*
 * mode 0: lists without dense sections; 1: with them, probed by
 * conjunctions; 2: the same with the doc sections loaded on demand
 * (bm25_cursor_init_parts); 3 and 4: 1 and 2 with the sections' grid forms
 * (conjunctions of dense lists AND them): every mode gives the brute force
 * answer, bit for bit.
 */
START_TEST(test_topk_many_blocks)
{
	int			mode = _i;
	static uint8_t tf[BIGN][BIGT];
	static uint32_t dl[BIGN];
	bm25_plist_writer w;
	tx_buf		pl[2][BIGT];
	uint32_t	df[BIGT] = {0};
	uint32_t	pos[256];
	bm25_params p = {1.2, 0.75, 0};
	double		total = 0;
	bm25_hit   *brute = malloc(sizeof(bm25_hit) * BIGN);
	int			i,
				j,
				ks[] = {1, 10, 77, 1000};

	for (i = 0; i < 256; i++)
		pos[i] = (uint32_t) i + 1;
	memset(tf, 0, sizeof(tf));
	for (i = 0; i < BIGN; i++)
	{
		dl[i] = 5 + rnd(60);
		/* term 0: almost everywhere; 1: the first half, dense; 2: clusters */
		if (rnd(10) < 8)
			tf[i][0] = 1 + (rnd(50) == 0 ? rnd(20) : rnd(2));
		if (i < BIGN / 2 && rnd(3) > 0)
			tf[i][1] = 1 + rnd(3);
		if ((i / 3000) % 3 == 1 && rnd(4) == 0)
			tf[i][2] = 1 + rnd(4);
		/* 3: scattered and rare, bursts of high tf late in the corpus */
		if (rnd(40) == 0)
			tf[i][3] = 1 + (i > BIGN * 3 / 4 ? rnd(30) : 0);
		/* 4: every 128th doc of term 0's docids is hard to hit: use a stride */
		if (i % 127 == 0 || i % 128 == 127)
			tf[i][4] = 1 + rnd(5);
		for (j = 0; j < BIGT; j++)
			if (tf[i][j] > dl[i])
				dl[i] = tf[i][j];
		total += dl[i];
	}
	p.avgdl = total / BIGN;
	/* two segments: docs below BIGN * 2 / 3, then the rest */
	for (j = 0; j < BIGT; j++)
		for (int s = 0; s < 2; s++)
		{
			bm25_pw_init(&w);
			w.dense = mode > 0;
			tx_buf_init(&pl[s][j], 64);
			for (i = s ? BIGN * 2 / 3 : 0; i < (s ? BIGN : BIGN * 2 / 3); i++)
				if (tf[i][j])
				{
					bm25_pw_add(&w, (uint32_t) i * 2 + 7, tf[i][j], dl[i], pos);
					df[j]++;
				}
			bm25_pw_finish(&w, &pl[s][j]);
			bm25_pw_free(&w);
		}
	for (unsigned terms = 3; terms < (1u << BIGT); terms++)
	{
		int			tl[BIGT],
					nq = 0;

		for (j = 0; j < BIGT; j++)
			if ((terms >> j) & 1)
				tl[nq++] = j;
		if (nq < 2)
			continue;
		for (unsigned req = 0; req < (1u << nq); req++)
		{
			bm25_cursor cur[BIGT];
			bm25_cursor *cp[BIGT];
			bm25_heap	h;
			int			nb = 0,
						k;

			if (nq > 3 && req != 0 && req != (1u << nq) - 1 && req != 1 && req != 5)
				continue;
			for (i = 0; i < BIGN; i++)
			{
				double		sc = 0;

				if (i * 2 + 7 == rejected_docid)
					continue;
				for (j = 0; j < nq; j++)
					if (((req >> j) & 1) && tf[i][tl[j]] == 0)
						break;
				if (j < nq)
					continue;
				for (j = 0; j < nq; j++)
					if (tf[i][tl[j]])
						sc += bm25_tf_score(&p, (1 + j % 2) * bm25_idf(BIGN, df[tl[j]]), tf[i][tl[j]], dl[i]);
				if (sc > 0)
				{
					brute[nb].score = sc;
					brute[nb++].docid = (uint32_t) i * 2 + 7;
				}
			}
			sort_hits(brute, nb);
			/* and once more without the best doc, which accept() rejects */
			for (k = 0; k < 5; k++)
			{
				if (k == 4)
				{
					if (nb == 0)
						break;
					rejected_docid = (int) brute[0].docid;
					memmove(brute, brute + 1, sizeof(bm25_hit) * --nb);
				}
				bm25_heap_init(&h, ks[k % 4]);
				/* segment by segment: the second starts from a full heap */
				for (int s = 0; s < 2; s++)
				{
					lazy_src	ls[BIGT];
					uint64_t   *grid[BIGT] = {NULL};

					for (j = 0; j < nq; j++)
					{
						const uint8_t *full = (const uint8_t *) pl[s][tl[j]].data;
						size_t		len = pl[s][tl[j]].len;
						double		wt = (1 + j % 2) * bm25_idf(BIGN, df[tl[j]]);
						bm25_plist_hdr ph;

						ck_assert(bm25_plist_read_hdr(full, len, &ph));
						if ((mode == 2 || mode == 4) && ph.dense)
						{
							/* the doc section blanked until the loader copies it */
							size_t		docs = bm25_plist_scoring_len(&ph) - ph.doc_len;

							ls[j].full = full;
							ls[j].len = len;
							ls[j].loads = 0;
							ls[j].copy = malloc(len);
							memcpy(ls[j].copy, full, len);
							memset(ls[j].copy + docs, 0xEE, ph.doc_len);
							ck_assert(bm25_cursor_init_parts(&cur[j], ls[j].copy, len, wt, j,
															 ls[j].copy + BM25_PLIST_HDR_SIZE, false,
															 lazy_loader, &ls[j]));
						}
						else
						{
							ls[j].copy = NULL;
							ck_assert(bm25_cursor_init(&cur[j], (uint8_t *) full, len, wt, j));
						}
						/* term 0 (80% of the docs) is dense; without the option nothing is */
						if (mode == 0)
							ck_assert(!ph.dense);
						else if (tl[j] == 0)
							ck_assert(ph.dense && cur[j].dn.words != NULL);
						if (mode >= 3 && cur[j].dn.words != NULL)
						{
							grid[j] = malloc(sizeof(uint64_t) * bm25_dense_grid_words(&cur[j].dn));
							bm25_dense_grid(&cur[j].dn, grid[j]);
							bm25_dense_use_grid(&cur[j].dn, grid[j]);
						}
						cur[j].dense_ok = mode > 0;
						cur[j].required = (req >> j) & 1;
						cp[j] = &cur[j];
					}
					bm25_topk(cp, nq, &p, &h, accept_fn, NULL);
					for (j = 0; j < nq; j++)
					{
						bm25_cursor_free(&cur[j]);
						if (ls[j].copy)
							free(ls[j].copy);
						free(grid[j]);
					}
				}
				bm25_heap_sort(&h);
				ck_assert_int_eq(h.n, ks[k % 4] < nb ? ks[k % 4] : nb);
				for (i = 0; i < h.n; i++)
				{
					ck_assert_uint_eq(h.h[i].docid, brute[i].docid);
					ck_assert_double_eq(h.h[i].score, brute[i].score);
				}
				bm25_heap_free(&h);
			}
			rejected_docid = -1;
		}
	}
	for (j = 0; j < BIGT; j++)
	{
		tx_buf_free(&pl[0][j]);
		tx_buf_free(&pl[1][j]);
	}
	free(brute);
}
END_TEST


/*
 * The dense section of a list against the list itself: membership, next,
 * rank and tf for every docid of its span; lists too sparse or too short get
 * none; a malformed section is refused.
 */
START_TEST(test_dense_section)
{
	uint32_t	pos[64];
	int			trial;

	for (int i = 0; i < 64; i++)
		pos[i] = (uint32_t) i + 1;
	for (trial = 0; trial < 6; trial++)
	{
		bm25_plist_writer w;
		tx_buf		out;
		bm25_plist_hdr h;
		bm25_cursor c;
		uint32_t	first = 1000 + (uint32_t) trial * 77,
					n = 0,
					d = first,
					span = trial < 4 ? 4 + (uint32_t) trial * 40 : 200;
		uint32_t   *ids = malloc(sizeof(uint32_t) * 5000);
		uint32_t   *tfs = malloc(sizeof(uint32_t) * 5000);
		uint32_t	ndocs = trial == 5 ? BM25_DENSE_MIN_DOCS - 1 : 3000;

		bm25_pw_init(&w);
		w.dense = true;
		while (n < ndocs)
		{
			ids[n] = d;
			tfs[n] = rnd(10) == 0 ? 15 + rnd(30) : 1 + rnd(14);
			bm25_pw_add(&w, d, tfs[n], 10 + rnd(50), pos);
			n++;
			d += 1 + rnd(span);
		}
		tx_buf_init(&out, 64);
		bm25_pw_finish(&w, &out);
		bm25_pw_free(&w);
		ck_assert(bm25_plist_read_hdr((uint8_t *) out.data, out.len, &h));
		/* trial 4: mean gap 100 of at most 128: dense; trial 5: too few docs */
		ck_assert(h.dense == (bm25_dense_size(n, ids[0], ids[n - 1]) > 0));
		ck_assert(h.dense == (trial < 5));
		ck_assert_uint_eq(bm25_plist_total_len(&h), out.len);
		ck_assert(bm25_cursor_init(&c, (uint8_t *) out.data, out.len, 1.0, 0));
		/* the list itself reads as before */
		for (uint32_t k = 0; k < n; k++)
		{
			ck_assert_uint_eq(bm25_cursor_seek(&c, ids[k]), ids[k]);
			ck_assert_uint_eq(bm25_cursor_tf(&c), tfs[k]);
		}
		if (h.dense)
		{
			uint32_t	k = 0;
			uint64_t   *grid;

			ck_assert_ptr_nonnull(c.dn.words);
			/* the grid form: the same bits from a multiple of 64, and a summary bit per word */
			grid = malloc(sizeof(uint64_t) * bm25_dense_grid_words(&c.dn));
			bm25_dense_grid(&c.dn, grid);
			bm25_dense_use_grid(&c.dn, grid);
			ck_assert_uint_eq(c.dn.g0, first / 64);
			ck_assert_uint_eq(c.dn.gn, ids[n - 1] / 64 - first / 64 + 1);
			ck_assert_uint_eq(bm25_dense_grid_words(&c.dn),
							  c.dn.gn + (c.dn.gn + 63) / 64 + ((c.dn.gn + 7) / 8 + 1) / 2);
			for (uint32_t j = 0, before = 0; j < c.dn.gn; j++)
			{
				ck_assert_uint_eq((c.dn.gsum[j / 64] >> (j % 64)) & 1, c.dn.grid[j] != 0);
				/* the rank directory: the bits before every eighth word */
				if (j % 8 == 0)
					ck_assert_uint_eq(c.dn.grank[j / 8], before);
				before += (uint32_t) __builtin_popcountll(c.dn.grid[j]);
				if (j == c.dn.gn - 1)
					ck_assert_uint_eq(before, n);
			}
			for (uint32_t j = c.dn.gn; j % 64 != 0; j++)
				ck_assert_uint_eq((c.dn.gsum[j / 64] >> (j % 64)) & 1, 0);
			for (uint32_t x = c.dn.g0 * 64; x < first; x++)
				ck_assert_uint_eq((c.dn.grid[0] >> (x % 64)) & 1, 0);
			for (uint32_t x = first - 5; x <= ids[n - 1] + 5; x++)
			{
				int64_t		r = bm25_dense_rank(&c.dn, x);

				if (x / 64 >= c.dn.g0 && x / 64 < c.dn.g0 + c.dn.gn)
					ck_assert_uint_eq((c.dn.grid[x / 64 - c.dn.g0] >> (x % 64)) & 1, r >= 0);
				while (k < n && ids[k] < x)
					k++;
				ck_assert_uint_eq(bm25_dense_next(&c.dn, x), k < n ? ids[k] : BM25_DOCID_END);
				if (k < n && ids[k] == x)
				{
					ck_assert_int_eq(r, (int64_t) k);
					ck_assert_uint_eq(bm25_dense_tf(&c.dn, (uint32_t) r), tfs[k] < 15 ? tfs[k] : 0);
				}
				else
					ck_assert_int_eq(r, -1);
			}
			free(grid);
			/* malformed: a length that does not agree, a truncated section */
			{
				bm25_dense	dn;
				uint8_t    *bad = malloc(out.len);

				memcpy(bad, out.data, out.len);
				ck_assert(bm25_dense_parse(bad + BM25_PLIST_HDR_SIZE, h.dense_len, h.ndocs, &dn));
				ck_assert(!bm25_dense_parse(bad + BM25_PLIST_HDR_SIZE, h.dense_len - 1, h.ndocs, &dn));
				ck_assert(!bm25_dense_parse(bad + BM25_PLIST_HDR_SIZE, h.dense_len, h.ndocs + 2, &dn));
				bad[BM25_PLIST_HDR_SIZE + 12] ^= 1;	/* nwords */
				ck_assert(!bm25_dense_parse(bad + BM25_PLIST_HDR_SIZE, h.dense_len, h.ndocs, &dn));
				{
					bm25_cursor c2;

					ck_assert(!bm25_cursor_init(&c2, bad, out.len, 1.0, 0));
					bm25_cursor_free(&c2);
				}
				free(bad);
			}
		}
		bm25_cursor_free(&c);
		tx_buf_free(&out);
		free(ids);
		free(tfs);
	}
}
END_TEST

static Suite *
bm25idx_suite(void)
{
	Suite	   *s = suite_create("bm25idx");
	TCase	   *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_varbyte);
	tcase_add_test(tc, test_idf_score);
	tcase_add_test(tc, test_doc_roundtrip);
	tcase_add_test(tc, test_doc_builder);
	tcase_add_test(tc, test_plist_cursor);
	tcase_add_test(tc, test_heap);
	tcase_add_test(tc, test_block_bounds);
	tcase_add_test(tc, test_topk_vs_brute);
	tcase_add_test(tc, test_pw_add_raw_runs);
	tcase_add_test(tc, test_acc_token_path);
	tcase_add_test(tc, test_block_impacts_reference);
	tcase_add_loop_test(tc, test_topk_many_blocks, 0, 5);
	tcase_add_test(tc, test_dense_section);
	tcase_add_test(tc, test_hash_bytes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(bm25idx_suite)
