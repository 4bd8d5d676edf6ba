/*
 * bm25idx.c
 *	  Documents, inverted batches, posting list codec and top-k search of the
 *	  bm25 index (no PostgreSQL headers; see bm25idx.h).
 */
#include "bm25idx.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void
bm25_buf_vb(tx_buf *b, uint32_t v)
{
	tx_buf_reserve(b, 5);
	b->len += bm25_vb_put((uint8_t *) b->data + b->len, v);
	b->data[b->len] = '\0';
}

static void
buf_u32(tx_buf *b, uint32_t v)
{
	tx_buf_append(b, (const char *) &v, 4);
}

double
bm25_idf(double N, double df)
{
	if (df < 1)
		df = 1;
	if (N < df)
		N = df;
	return log(1.0 + (N - df + 0.5) / (df + 0.5));
}

int
bm25_term_cmp(const char *a, int alen, const char *b, int blen)
{
	int			n = alen < blen ? alen : blen;
	int			c = memcmp(a, b, (size_t) n);

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/* ------------------------------------------------------------ documents */

static int
tok_cmp(const void *x, const void *y)
{
	const bm25_tok *a = x;
	const bm25_tok *b = y;
	int			c = bm25_term_cmp(a->lexeme, a->len, b->lexeme, b->len);

	if (c != 0)
		return c;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

void
bm25_doc_build(const bm25_tok *toks, int ntoks, bm25_doc *doc)
{
	bm25_tok   *s;
	int			n = 0;
	int			i;

	memset(doc, 0, sizeof(*doc));
	s = tx_alloc(sizeof(bm25_tok) * (size_t) (ntoks > 0 ? ntoks : 1));
	for (i = 0; i < ntoks; i++)
	{
		tx_check_interrupts();
		if (toks[i].lexeme == NULL || toks[i].len <= 0 || toks[i].len > BM25_MAX_TERM_LEN)
			continue;
		s[n++] = toks[i];
	}
	qsort(s, (size_t) n, sizeof(bm25_tok), tok_cmp);
	doc->posbuf = tx_alloc(sizeof(uint32_t) * (size_t) (n > 0 ? n : 1));
	doc->terms = tx_alloc(sizeof(bm25_dterm) * (size_t) (n > 0 ? n : 1));
	for (i = 0; i < n; i++)
	{
		tx_check_interrupts();
		doc->posbuf[i] = s[i].pos;
		if (doc->nterms == 0 ||
			bm25_term_cmp(doc->terms[doc->nterms - 1].lexeme, doc->terms[doc->nterms - 1].len,
						  s[i].lexeme, s[i].len) != 0)
		{
			bm25_dterm *t = &doc->terms[doc->nterms++];

			t->lexeme = s[i].lexeme;
			t->len = s[i].len;
			t->tf = 0;
			t->pos = &doc->posbuf[i];
		}
		doc->terms[doc->nterms - 1].tf++;
	}
	doc->dl = (uint32_t) n;
	tx_free(s);
}

void
bm25_doc_free(bm25_doc *doc)
{
	if (doc->terms)
		tx_free(doc->terms);
	if (doc->posbuf)
		tx_free(doc->posbuf);
	memset(doc, 0, sizeof(*doc));
}

typedef struct docb_term
{
	uint32_t	hash;
	uint32_t	len;
	size_t		lexoff;			/* in the arena */
	uint32_t	npos;
	uint32_t	cap;
	uint32_t   *pos;
} docb_term;

struct bm25_docb
{
	docb_term  *terms;
	uint32_t	nterms;
	uint32_t	cap;
	int32_t    *slots;
	uint32_t	nslots;
	tx_buf		arena;
	uint32_t	ntok;
	bool		sorted;
};

static uint32_t hash_bytes(const char *s, int len);

bm25_docb *
bm25_docb_create(void)
{
	bm25_docb  *b = tx_alloc0(sizeof(bm25_docb));

	b->cap = 64;
	b->terms = tx_alloc(sizeof(docb_term) * b->cap);
	b->nslots = 128;
	b->slots = tx_alloc(sizeof(int32_t) * b->nslots);
	memset(b->slots, 0xFF, sizeof(int32_t) * b->nslots);
	tx_buf_init(&b->arena, 256);
	return b;
}

static void
docb_rehash(bm25_docb *b)
{
	uint32_t	ns = b->nslots * 2;
	uint32_t	i;

	tx_free(b->slots);
	b->slots = tx_alloc(sizeof(int32_t) * ns);
	memset(b->slots, 0xFF, sizeof(int32_t) * ns);
	b->nslots = ns;
	for (i = 0; i < b->nterms; i++)
	{
		uint32_t	x = b->terms[i].hash & (ns - 1);

		while (b->slots[x] >= 0)
			x = (x + 1) & (ns - 1);
		b->slots[x] = (int32_t) i;
	}
}

void
bm25_docb_add(bm25_docb *b, const char *lexeme, int len, uint32_t pos)
{
	uint32_t	h,
				x;
	docb_term  *t = NULL;

	if (lexeme == NULL || len <= 0 || len > BM25_MAX_TERM_LEN)
		return;
	if ((b->ntok & 4095) == 0)
		tx_check_interrupts();
	h = hash_bytes(lexeme, len);
	x = h & (b->nslots - 1);
	while (b->slots[x] >= 0)
	{
		docb_term  *c = &b->terms[b->slots[x]];

		if (c->hash == h && c->len == (uint32_t) len && memcmp(b->arena.data + c->lexoff, lexeme, len) == 0)
		{
			t = c;
			break;
		}
		x = (x + 1) & (b->nslots - 1);
	}
	if (t == NULL)
	{
		if (b->nterms == b->cap)
		{
			b->cap *= 2;
			b->terms = tx_realloc(b->terms, sizeof(docb_term) * b->cap);
		}
		t = &b->terms[b->nterms];
		t->hash = h;
		t->len = (uint32_t) len;
		t->lexoff = b->arena.len;
		tx_buf_append(&b->arena, lexeme, (size_t) len);
		t->npos = 0;
		t->cap = 0;
		t->pos = NULL;
		b->slots[x] = (int32_t) b->nterms++;
		if (b->nterms * 2 > b->nslots)
			docb_rehash(b);
	}
	if (t->npos == t->cap)
	{
		t->cap = t->cap ? t->cap * 2 : 4;
		t->pos = t->pos ? tx_realloc(t->pos, sizeof(uint32_t) * t->cap) : tx_alloc(sizeof(uint32_t) * t->cap);
	}
	t->pos[t->npos++] = pos;
	b->ntok++;
}

static const char *docb_arena;

static int
docb_term_cmp(const void *x, const void *y)
{
	const docb_term *a = x;
	const docb_term *b = y;

	return bm25_term_cmp(docb_arena + a->lexoff, (int) a->len, docb_arena + b->lexoff, (int) b->len);
}

static int
u32_cmp(const void *x, const void *y)
{
	uint32_t	a = *(const uint32_t *) x;
	uint32_t	b = *(const uint32_t *) y;

	return (a > b) - (a < b);
}

/*
 * Sort the distinct terms of a document by bytes.  Most documents (turns)
 * have a few dozen terms: an insertion sort with the comparison inlined
 * beats qsort's merge sort and its calls through a function pointer there.
 * Terms are distinct, so the order is the same whichever sort runs.
 */
#define DOCB_INSERTION_SORT_MAX 48

static void
docb_sort_terms(bm25_docb *b)
{
	const char *arena = b->arena.data;
	uint32_t	i;

	if (b->nterms > DOCB_INSERTION_SORT_MAX)
	{
		docb_arena = arena;
		qsort(b->terms, b->nterms, sizeof(docb_term), docb_term_cmp);
		docb_arena = NULL;
		return;
	}
	for (i = 1; i < b->nterms; i++)
	{
		docb_term	t = b->terms[i];
		const char *tl = arena + t.lexoff;
		uint32_t	j = i;

		while (j > 0)
		{
			const docb_term *p = &b->terms[j - 1];
			uint32_t	n = p->len < t.len ? p->len : t.len;
			int			c = memcmp(arena + p->lexoff, tl, n);

			if (c < 0 || (c == 0 && p->len <= t.len))
				break;
			b->terms[j] = *p;
			j--;
		}
		b->terms[j] = t;
	}
}

void
bm25_docb_finish(bm25_docb *b, bm25_doc *doc)
{
	uint32_t	i;

	memset(doc, 0, sizeof(*doc));
	docb_sort_terms(b);
	tx_free(b->slots);
	b->slots = NULL;
	doc->terms = tx_alloc(sizeof(bm25_dterm) * (b->nterms ? b->nterms : 1));
	for (i = 0; i < b->nterms; i++)
	{
		docb_term  *t = &b->terms[i];
		uint32_t	j;
		bool		sorted = true;

		tx_check_interrupts();
		for (j = 1; j < t->npos && sorted; j++)
			if (t->pos[j] < t->pos[j - 1])
				sorted = false;
		if (!sorted)
			qsort(t->pos, t->npos, sizeof(uint32_t), u32_cmp);
		doc->terms[i].lexeme = b->arena.data + t->lexoff;
		doc->terms[i].len = (int) t->len;
		doc->terms[i].tf = t->npos;
		doc->terms[i].pos = t->pos;
		doc->dl += t->npos;
	}
	doc->nterms = (int) b->nterms;
	/* positions belong to the builder: the doc must not free them */
	doc->posbuf = NULL;
	b->sorted = true;
}

void
bm25_docb_free(bm25_docb *b)
{
	uint32_t	i;

	for (i = 0; i < b->nterms; i++)
		if (b->terms[i].pos)
			tx_free(b->terms[i].pos);
	tx_free(b->terms);
	if (b->slots)
		tx_free(b->slots);
	tx_buf_free(&b->arena);
	tx_free(b);
}

int
bm25_doc_find(const bm25_doc *doc, const char *lexeme, int len)
{
	int			lo = 0,
				hi = doc->nterms - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = bm25_term_cmp(doc->terms[mid].lexeme, doc->terms[mid].len, lexeme, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

void
bm25_doc_encode(const bm25_doc *doc, uint32_t docid, tx_buf *out)
{
	int			i;
	tx_buf		pos;

	tx_buf_init(&pos, 64);
	bm25_buf_vb(out, docid);
	bm25_buf_vb(out, doc->dl);
	bm25_buf_vb(out, (uint32_t) doc->nterms);
	for (i = 0; i < doc->nterms; i++)
	{
		const bm25_dterm *t = &doc->terms[i];
		uint32_t	prev = 0;
		uint32_t	j;

		if ((i & 255) == 0)
			tx_check_interrupts();
		bm25_buf_vb(out, (uint32_t) t->len);
		tx_buf_append(out, t->lexeme, (size_t) t->len);
		bm25_buf_vb(out, t->tf);
		/* the byte length of the positions lets a reader skip them */
		tx_buf_reset(&pos);
		for (j = 0; j < t->tf; j++)
		{
			bm25_buf_vb(&pos, t->pos[j] - prev);
			prev = t->pos[j];
		}
		bm25_buf_vb(out, (uint32_t) pos.len);
		tx_buf_append(out, pos.data, pos.len);
	}
	tx_buf_free(&pos);
}

/* varbyte that fails (sets *ok false) when no byte is left */
static inline uint32_t
vb_need(const uint8_t **p, const uint8_t *end, bool *ok)
{
	if (*p >= end)
	{
		*ok = false;
		return 0;
	}
	return bm25_vb_get(p, end);
}

bool
bm25_rec_begin(bm25_rec_iter *it, const uint8_t *rec, size_t len)
{
	bool		ok = true;

	it->p = rec;
	it->end = rec + len;
	it->i = 0;
	it->docid = vb_need(&it->p, it->end, &ok);
	it->dl = vb_need(&it->p, it->end, &ok);
	it->nterms = vb_need(&it->p, it->end, &ok);
	return ok && it->nterms <= len && it->dl <= len;
}

int
bm25_rec_next(bm25_rec_iter *it, bm25_rec_term *t)
{
	bool		ok = true;
	uint32_t	tlen,
				plen;

	if (it->i >= it->nterms)
		return it->p == it->end ? 0 : -1;
	tlen = vb_need(&it->p, it->end, &ok);
	if (!ok || tlen == 0 || tlen > BM25_MAX_TERM_LEN || (size_t) (it->end - it->p) < tlen)
		return -1;
	t->lexeme = (const char *) it->p;
	t->len = (int) tlen;
	it->p += tlen;
	t->tf = vb_need(&it->p, it->end, &ok);
	plen = vb_need(&it->p, it->end, &ok);
	if (!ok || t->tf == 0 || t->tf > it->dl || plen < t->tf || (size_t) (it->end - it->p) < plen)
		return -1;
	t->pos = it->p;
	t->posbytes = plen;
	it->p += plen;
	it->i++;
	return 1;
}

bool
bm25_rec_positions(const bm25_rec_term *t, uint32_t *out)
{
	const uint8_t *p = t->pos;
	const uint8_t *end = t->pos + t->posbytes;
	uint32_t	prev = 0,
				j;
	bool		ok = true;

	for (j = 0; j < t->tf; j++)
	{
		prev += vb_need(&p, end, &ok);
		out[j] = prev;
	}
	return ok && p == end;
}

bool
bm25_doc_decode(const uint8_t *rec, size_t len, uint32_t *docid, bm25_doc *doc)
{
	bm25_rec_iter it;
	bm25_rec_term rt;
	size_t		npos = 0;
	int			r;

	memset(doc, 0, sizeof(*doc));
	if (!bm25_rec_begin(&it, rec, len))
		return false;
	*docid = it.docid;
	doc->dl = it.dl;
	doc->terms = tx_alloc(sizeof(bm25_dterm) * (it.nterms ? it.nterms : 1));
	doc->posbuf = tx_alloc(sizeof(uint32_t) * (doc->dl ? doc->dl : 1));
	while ((r = bm25_rec_next(&it, &rt)) == 1)
	{
		bm25_dterm *t = &doc->terms[doc->nterms];

		if ((doc->nterms & 255) == 0)
			tx_check_interrupts();
		if (npos + rt.tf > doc->dl || !bm25_rec_positions(&rt, &doc->posbuf[npos]))
			goto bad;
		t->lexeme = rt.lexeme;
		t->len = rt.len;
		t->tf = rt.tf;
		t->pos = &doc->posbuf[npos];
		npos += rt.tf;
		doc->nterms++;
	}
	if (r != 0 || npos != doc->dl)
		goto bad;
	return true;
bad:
	bm25_doc_free(doc);
	return false;
}

/* ------------------------------------------------------------ inverted batch */

typedef struct acc_term
{
	char	   *term;
	uint32_t	len;
	uint32_t	hash;
	uint32_t	df;
	uint32_t	last_docid;
	tx_buf		post;			/* varbyte docid delta, tf, dl, position deltas */
	uint32_t	seen;			/* doc_seq of the open document that holds it */
	uint32_t	slot;			/* its place among that document's terms */
} acc_term;

/* the document being added token by token (bm25_acc_doc_begin .. end) */
typedef struct acc_open_doc
{
	uint32_t	docid;
	uint32_t   *terms;			/* distinct terms in order of first use */
	uint32_t   *tf;				/* per distinct term */
	uint32_t	nterms;
	uint32_t	cap;
	uint32_t   *tok_slot;		/* per token: the slot of its term, and its position */
	uint32_t   *tok_pos;
	size_t		ntok;
	size_t		tokcap;
	bool		unsorted;		/* a position below the one before it */
	uint32_t	lastpos;
	uint8_t   **wp;				/* doc_end: write pointer and last position of each slot */
	uint32_t   *prev;
} acc_open_doc;

struct bm25_acc
{
	acc_term   *terms;
	int			nterms;
	int			cap;
	int		   *slots;			/* open addressing, -1 empty */
	uint32_t	nslots;
	size_t		mem;
	uint32_t	ndocs;
	bool		sorted;
	uint32_t	doc_seq;		/* documents begun (0: none) */
	acc_open_doc od;
	uint32_t   *groups;			/* codes of several terms: count, then term indexes */
	uint32_t	ngroups;		/* words used */
	uint32_t	gcap;
};

static uint32_t
hash_bytes(const char *s, int len)
{
	uint32_t	h = 2166136261u;
	int			i;

	for (i = 0; i < len; i++)
	{
		h ^= (uint8_t) s[i];
		h *= 16777619u;
	}
	return h;
}

#define ACC_DOC_TERMS0 256		/* first sizes of the open document's buffers */
#define ACC_DOC_TOKENS0 1024
#define ACC_DOC_KEEP_TOKENS (1 << 20)	/* token buffers kept between documents */

static void acc_doc_alloc_terms(acc_open_doc *od, uint32_t cap);
static void acc_doc_alloc_tokens(acc_open_doc *od, size_t cap);

static void
acc_doc_buffers_free(acc_open_doc *od)
{
	if (od->terms)
	{
		tx_free(od->terms);
		tx_free(od->tf);
		tx_free(od->wp);
		tx_free(od->prev);
	}
	if (od->tok_slot)
	{
		tx_free(od->tok_slot);
		tx_free(od->tok_pos);
	}
	od->terms = od->tf = od->prev = od->tok_slot = od->tok_pos = NULL;
	od->wp = NULL;
	od->cap = 0;
	od->tokcap = 0;
}

bm25_acc *
bm25_acc_create(void)
{
	bm25_acc   *a = tx_alloc0(sizeof(bm25_acc));

	a->cap = 1024;
	a->terms = tx_alloc(sizeof(acc_term) * (size_t) a->cap);
	a->nslots = 2048;
	a->slots = tx_alloc(sizeof(int) * a->nslots);
	memset(a->slots, 0xFF, sizeof(int) * a->nslots);
	a->mem = sizeof(acc_term) * (size_t) a->cap + sizeof(int) * a->nslots;
	acc_doc_alloc_terms(&a->od, ACC_DOC_TERMS0);
	acc_doc_alloc_tokens(&a->od, ACC_DOC_TOKENS0);
	return a;
}

void
bm25_acc_free(bm25_acc *a)
{
	int			i;

	for (i = 0; i < a->nterms; i++)
	{
		tx_free(a->terms[i].term);
		tx_buf_free(&a->terms[i].post);
	}
	tx_free(a->terms);
	if (a->slots)
		tx_free(a->slots);
	acc_doc_buffers_free(&a->od);
	if (a->groups)
		tx_free(a->groups);
	tx_free(a);
}

static void
acc_rehash(bm25_acc *a)
{
	uint32_t	ns = a->nslots * 2;
	int			i;

	tx_free(a->slots);
	a->mem -= sizeof(int) * a->nslots;
	a->slots = tx_alloc(sizeof(int) * ns);
	memset(a->slots, 0xFF, sizeof(int) * ns);
	a->nslots = ns;
	a->mem += sizeof(int) * ns;
	for (i = 0; i < a->nterms; i++)
	{
		uint32_t	s = a->terms[i].hash & (ns - 1);

		while (a->slots[s] >= 0)
			s = (s + 1) & (ns - 1);
		a->slots[s] = i;
	}
}

static acc_term *
acc_lookup(bm25_acc *a, const char *lexeme, int len)
{
	uint32_t	h = hash_bytes(lexeme, len);
	uint32_t	s = h & (a->nslots - 1);
	acc_term   *t;

	while (a->slots[s] >= 0)
	{
		t = &a->terms[a->slots[s]];
		if (t->hash == h && t->len == (uint32_t) len && memcmp(t->term, lexeme, (size_t) len) == 0)
			return t;
		s = (s + 1) & (a->nslots - 1);
	}
	if (a->nterms == a->cap)
	{
		a->mem += sizeof(acc_term) * (size_t) a->cap;
		a->cap *= 2;
		a->terms = tx_realloc(a->terms, sizeof(acc_term) * (size_t) a->cap);
	}
	t = &a->terms[a->nterms];
	t->term = tx_strndup(lexeme, (size_t) len);
	t->len = (uint32_t) len;
	t->hash = h;
	t->df = 0;
	t->last_docid = 0;
	t->seen = 0;
	t->slot = 0;
	tx_buf_init(&t->post, 16);
	a->mem += (size_t) len + 1 + 16 + 32;
	a->slots[s] = a->nterms++;
	if ((uint32_t) a->nterms * 2 > a->nslots)
		acc_rehash(a);
	return t;
}

void
bm25_acc_add(bm25_acc *a, uint32_t docid, const bm25_doc *doc)
{
	int			i;

	a->sorted = false;
	a->ndocs++;
	for (i = 0; i < doc->nterms; i++)
	{
		const bm25_dterm *d = &doc->terms[i];
		acc_term   *t = acc_lookup(a, d->lexeme, d->len);
		size_t		cap0 = t->post.cap;
		uint32_t	prev = 0;
		uint32_t	j;
		uint8_t    *p;

		tx_check_interrupts();
		/* at most 5 bytes a varbyte: docid delta, tf, dl, tf positions */
		tx_buf_reserve(&t->post, (size_t) 5 * (3 + (size_t) d->tf));
		p = (uint8_t *) t->post.data + t->post.len;
		p += bm25_vb_put(p, docid - t->last_docid);
		p += bm25_vb_put(p, d->tf);
		p += bm25_vb_put(p, doc->dl);
		for (j = 0; j < d->tf; j++)
		{
			if ((j & 1023) == 1023)
				tx_check_interrupts();
			p += bm25_vb_put(p, d->pos[j] - prev);
			prev = d->pos[j];
		}
		t->post.len = (size_t) (p - (uint8_t *) t->post.data);
		t->post.data[t->post.len] = '\0';
		t->last_docid = docid;
		t->df++;
		a->mem += t->post.cap - cap0;
	}
}

/* ------------------------------------------------------------ documents token by token */

static void
acc_group_push(bm25_acc *a, uint32_t v)
{
	if (a->ngroups == a->gcap)
	{
		uint32_t	cap = a->gcap ? a->gcap * 2 : 64;

		a->groups = a->groups ? tx_realloc(a->groups, sizeof(uint32_t) * cap)
			: tx_alloc(sizeof(uint32_t) * cap);
		a->mem += sizeof(uint32_t) * (cap - a->gcap);
		a->gcap = cap;
	}
	a->groups[a->ngroups++] = v;
}

uint32_t
bm25_acc_code(bm25_acc *a, const char *lexemes, int nlex)
{
	const char *p = lexemes;
	uint32_t	first = 0,
				n = 0,
				start = a->ngroups;
	int			i;

	for (i = 0; i < nlex; i++)
	{
		size_t		len = strlen(p);

		if (len > 0 && len <= BM25_MAX_TERM_LEN)
		{
			uint32_t	ti = (uint32_t) (acc_lookup(a, p, (int) len) - a->terms);

			if (n == 1)
			{
				acc_group_push(a, 0);	/* the count, set below */
				acc_group_push(a, first);
			}
			if (n == 0)
				first = ti;
			else
				acc_group_push(a, ti);
			n++;
		}
		p += len + 1;
	}
	if (n == 0)
		return 0;
	if (n == 1)
		return first + 1;
	a->groups[start] = n;
	return BM25_ACC_GROUP | start;
}

void
bm25_acc_doc_begin(bm25_acc *a, uint32_t docid)
{
	acc_open_doc *od = &a->od;

	a->sorted = false;
	a->ndocs++;
	if (++a->doc_seq == 0)
	{
		/* wrapped: forget which terms earlier documents held */
		int			i;

		for (i = 0; i < a->nterms; i++)
			a->terms[i].seen = 0;
		a->doc_seq = 1;
	}
	od->docid = docid;
	od->nterms = 0;
	od->ntok = 0;
	od->unsorted = false;
	od->lastpos = 0;
}

/* the open document's buffers are first allocated with the accumulator, then only grown */
static void
acc_doc_alloc_terms(acc_open_doc *od, uint32_t cap)
{
	od->terms = tx_alloc(sizeof(uint32_t) * cap);
	od->tf = tx_alloc(sizeof(uint32_t) * cap);
	od->wp = tx_alloc(sizeof(uint8_t *) * cap);
	od->prev = tx_alloc(sizeof(uint32_t) * cap);
	od->cap = cap;
}

static void
acc_doc_alloc_tokens(acc_open_doc *od, size_t cap)
{
	od->tok_slot = tx_alloc(sizeof(uint32_t) * cap);
	od->tok_pos = tx_alloc(sizeof(uint32_t) * cap);
	od->tokcap = cap;
}

static void
acc_doc_grow_terms(acc_open_doc *od)
{
	uint32_t	cap = od->cap * 2;

	od->terms = tx_realloc(od->terms, sizeof(uint32_t) * cap);
	od->tf = tx_realloc(od->tf, sizeof(uint32_t) * cap);
	od->wp = tx_realloc(od->wp, sizeof(uint8_t *) * cap);
	od->prev = tx_realloc(od->prev, sizeof(uint32_t) * cap);
	od->cap = cap;
}

static void
acc_doc_grow_tokens(acc_open_doc *od)
{
	size_t		cap = od->tokcap * 2;

	tx_check_interrupts();
	od->tok_slot = tx_realloc(od->tok_slot, sizeof(uint32_t) * cap);
	od->tok_pos = tx_realloc(od->tok_pos, sizeof(uint32_t) * cap);
	od->tokcap = cap;
}

static inline void
acc_doc_term(bm25_acc *a, uint32_t ti, uint32_t pos)
{
	acc_open_doc *od = &a->od;
	acc_term   *t = &a->terms[ti];

	if (t->seen != a->doc_seq)
	{
		if (od->nterms == od->cap)
			acc_doc_grow_terms(od);
		t->seen = a->doc_seq;
		t->slot = od->nterms;
		od->terms[od->nterms] = ti;
		od->tf[od->nterms] = 0;
		od->nterms++;
	}
	od->tf[t->slot]++;
	if (od->ntok == od->tokcap)
		acc_doc_grow_tokens(od);
	od->tok_slot[od->ntok] = t->slot;
	od->tok_pos[od->ntok] = pos;
	od->ntok++;
	if (pos < od->lastpos)
		od->unsorted = true;
	od->lastpos = pos;
}

void
bm25_acc_doc_add(bm25_acc *a, uint32_t code, uint32_t pos)
{
	if (code == 0)
		return;
	if (code & BM25_ACC_GROUP)
	{
		uint32_t	g = code & ~BM25_ACC_GROUP;
		uint32_t	i;

		/* the group table does not move while tokens are added */
		for (i = 1; i <= a->groups[g]; i++)
			acc_doc_term(a, a->groups[g + i], pos);
	}
	else
		acc_doc_term(a, code - 1, pos);
}

static int
u64_cmp(const void *x, const void *y)
{
	uint64_t	a = *(const uint64_t *) x;
	uint64_t	b = *(const uint64_t *) y;

	return (a > b) - (a < b);
}

/* positions out of order: sort the tokens by (slot, position) */
static void
acc_doc_sort_tokens(acc_open_doc *od)
{
	uint64_t   *k = tx_alloc(sizeof(uint64_t) * (od->ntok ? od->ntok : 1));
	size_t		i;

	for (i = 0; i < od->ntok; i++)
		k[i] = ((uint64_t) od->tok_slot[i] << 32) | od->tok_pos[i];
	qsort(k, od->ntok, sizeof(uint64_t), u64_cmp);
	for (i = 0; i < od->ntok; i++)
	{
		od->tok_slot[i] = (uint32_t) (k[i] >> 32);
		od->tok_pos[i] = (uint32_t) k[i];
	}
	tx_free(k);
}


uint32_t
bm25_acc_doc_end(bm25_acc *a)
{
	acc_open_doc *od = &a->od;
	uint32_t	dl = (uint32_t) od->ntok;
	uint32_t	s;
	size_t		i;

	if (od->unsorted)
		acc_doc_sort_tokens(od);
	/* each term's posting head, then its position deltas token by token */
	for (s = 0; s < od->nterms; s++)
	{
		acc_term   *t = &a->terms[od->terms[s]];
		size_t		cap0 = t->post.cap;
		uint8_t    *p;

		/* at most 5 bytes a varbyte: docid delta, tf, dl, tf positions */
		tx_buf_reserve(&t->post, (size_t) 5 * (3 + (size_t) od->tf[s]));
		a->mem += t->post.cap - cap0;
		p = (uint8_t *) t->post.data + t->post.len;
		p += bm25_vb_put(p, od->docid - t->last_docid);
		p += bm25_vb_put(p, od->tf[s]);
		p += bm25_vb_put(p, dl);
		od->wp[s] = p;
		od->prev[s] = 0;
	}
	for (i = 0; i < od->ntok; i++)
	{
		uint32_t	x = od->tok_slot[i];

		if ((i & 65535) == 65535)
			tx_check_interrupts();
		od->wp[x] += bm25_vb_put(od->wp[x], od->tok_pos[i] - od->prev[x]);
		od->prev[x] = od->tok_pos[i];
	}
	for (s = 0; s < od->nterms; s++)
	{
		acc_term   *t = &a->terms[od->terms[s]];

		t->post.len = (size_t) (od->wp[s] - (uint8_t *) t->post.data);
		t->post.data[t->post.len] = '\0';
		t->last_docid = od->docid;
		t->df++;
	}
	if (od->tokcap > ACC_DOC_KEEP_TOKENS)
	{
		/* a huge document: do not keep its buffers for the next ones */
		tx_free(od->tok_slot);
		tx_free(od->tok_pos);
		acc_doc_alloc_tokens(od, ACC_DOC_TOKENS0);
	}
	od->nterms = 0;
	od->ntok = 0;
	return dl;
}

size_t
bm25_acc_memory(const bm25_acc *a)
{
	return a->mem;
}

int
bm25_acc_nterms(const bm25_acc *a)
{
	return a->nterms;
}

uint32_t
bm25_acc_ndocs(const bm25_acc *a)
{
	return a->ndocs;
}

static int
acc_term_cmp(const void *x, const void *y)
{
	const acc_term *a = x;
	const acc_term *b = y;

	return bm25_term_cmp(a->term, (int) a->len, b->term, (int) b->len);
}

void
bm25_acc_sort(bm25_acc *a)
{
	int			i,
				n = 0;

	/* a term given a code but never added to a document has no postings */
	for (i = 0; i < a->nterms; i++)
		if (a->terms[i].df > 0)
			a->terms[n++] = a->terms[i];
		else
		{
			tx_free(a->terms[i].term);
			tx_buf_free(&a->terms[i].post);
		}
	a->nterms = n;
	qsort(a->terms, (size_t) a->nterms, sizeof(acc_term), acc_term_cmp);
	/* the hash table is stale now; lookups are no longer allowed */
	tx_free(a->slots);
	a->slots = NULL;
	a->sorted = true;
}

const char *
bm25_acc_term(const bm25_acc *a, int i, int *len, uint32_t *df)
{
	*len = (int) a->terms[i].len;
	*df = a->terms[i].df;
	return a->terms[i].term;
}

const uint8_t *
bm25_acc_raw(const bm25_acc *a, int i, size_t *len)
{
	*len = a->terms[i].post.len;
	return (const uint8_t *) a->terms[i].post.data;
}

bool
bm25_pw_add_raw(bm25_plist_writer *w, const uint8_t *raw, size_t len, uint32_t base,
				uint32_t **posbuf, size_t *poscap)
{
	const uint8_t *p = raw;
	const uint8_t *end = raw + len;
	uint32_t	docid = 0;
	bool		first = true;

	while (p < end)
	{
		uint32_t	delta,
					tf,
					dl,
					j,
					prev = 0;

		tx_check_interrupts();
		delta = bm25_vb_get(&p, end);
		if (!first && delta == 0)
			return false;
		docid += delta;
		first = false;
		tf = bm25_vb_get(&p, end);
		dl = bm25_vb_get(&p, end);
		if (tf == 0 || p > end || (uint64_t) docid + base >= BM25_DOCID_END)
			return false;
		if (tf > *poscap)
		{
			*poscap = (size_t) tf * 2;
			*posbuf = *posbuf ? tx_realloc(*posbuf, *poscap * sizeof(uint32_t))
				: tx_alloc(*poscap * sizeof(uint32_t));
		}
		for (j = 0; j < tf; j++)
		{
			if (p >= end)
				return false;
			prev += bm25_vb_get(&p, end);
			(*posbuf)[j] = prev;
		}
		bm25_pw_add(w, docid + base, tf, dl, *posbuf);
	}
	return true;
}

void
bm25_acc_encode(const bm25_acc *a, int i, bool dense, tx_buf *out)
{
	const acc_term *t = &a->terms[i];
	bm25_plist_writer w;
	uint32_t   *pos = NULL;
	size_t		poscap = 0;

	bm25_pw_init(&w);
	w.dense = dense;
	(void) bm25_pw_add_raw(&w, (const uint8_t *) t->post.data, t->post.len, 0, &pos, &poscap);
	bm25_pw_finish(&w, out);
	bm25_pw_free(&w);
	if (pos)
		tx_free(pos);
}

/* ------------------------------------------------------------ posting list writer */

void
bm25_pw_init(bm25_plist_writer *w)
{
	memset(w, 0, sizeof(*w));
	tx_buf_init(&w->docs, 256);
	tx_buf_init(&w->pos, 256);
	tx_buf_init(&w->hdrs, 64);
	w->h.min_dl = UINT32_MAX;
}

/* score of a (tf, dl) pair for choosing which frontier points to merge */
static double
impact_score(double tf, double dl, double avgdl)
{
	return tf / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl));
}

/*
 * The coarsened Pareto frontier of the open block's (tf, dl) pairs.  The
 * frontier is, for tf descending, the smallest dl of each tf when it is
 * below the smallest dl of every larger tf.  Small tf values (nearly all)
 * are bucketed; the few larger ones are sorted (tf descending, dl
 * ascending) by insertion.
 */
#define IMPACT_SMALL_TF 32

static void
pw_impacts(bm25_plist_writer *w)
{
	uint32_t	small[IMPACT_SMALL_TF + 1];
	uint32_t	big[BM25_BLOCK][2];
	uint32_t	fr[BM25_BLOCK][2];
	int			n = w->cur.count,
				nbig = 0,
				nf = 0,
				i;
	uint32_t	mindl = UINT32_MAX;
	double		avgdl = 0;

	for (i = 0; i <= IMPACT_SMALL_TF; i++)
		small[i] = UINT32_MAX;
	for (i = 0; i < n; i++)
	{
		uint32_t	tf = w->blk_tf[i] > 65535 ? 65535 : w->blk_tf[i];
		uint32_t	dl = w->blk_dl[i];

		avgdl += dl;
		if (tf <= IMPACT_SMALL_TF)
		{
			if (dl < small[tf])
				small[tf] = dl;
		}
		else
		{
			int			j = nbig++;

			while (j > 0 && (big[j - 1][0] < tf || (big[j - 1][0] == tf && big[j - 1][1] > dl)))
			{
				big[j][0] = big[j - 1][0];
				big[j][1] = big[j - 1][1];
				j--;
			}
			big[j][0] = tf;
			big[j][1] = dl;
		}
	}
	avgdl = avgdl / n > 1 ? avgdl / n : 1;
	for (i = 0; i < nbig; i++)
		if (big[i][1] < mindl)
		{
			mindl = big[i][1];
			fr[nf][0] = big[i][0];
			fr[nf][1] = big[i][1];
			nf++;
		}
	for (i = IMPACT_SMALL_TF; i >= 0; i--)
		if (small[i] < mindl)
		{
			mindl = small[i];
			fr[nf][0] = (uint32_t) i;
			fr[nf][1] = small[i];
			nf++;
		}
	/* merge neighbours (tf of the first, dl of the second) while too many */
	while (nf > BM25_IMPACTS)
	{
		int			best = 0;
		double		bestv = 0;

		for (i = 0; i + 1 < nf; i++)
		{
			double		v = impact_score(fr[i][0], fr[i + 1][1], avgdl);

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
		w->cur.imp_tf[i] = i < nf ? (uint16_t) fr[i][0] : 0;
		w->cur.imp_dl[i] = i < nf ? fr[i][1] : 0;
	}
}

static void
pw_close_block(bm25_plist_writer *w)
{
	if (w->cur.count == 0)
		return;
	pw_impacts(w);
	w->cur.last_docid = w->last_docid;
	tx_buf_append(&w->hdrs, (const char *) &w->cur, BM25_BLOCK_HDR_SIZE);
	w->h.nblocks++;
	w->blk_first_prev = w->last_docid;
	memset(&w->cur, 0, sizeof(w->cur));
}

void
bm25_pw_add(bm25_plist_writer *w, uint32_t docid, uint32_t tf, uint32_t dl, const uint32_t *pos)
{
	uint32_t	j,
				prev = 0;
	uint8_t    *p;

	if (w->cur.count == 0)
	{
		w->cur.doc_off = (uint32_t) w->docs.len;
		w->cur.pos_off = (uint32_t) w->pos.len;
		w->cur.min_dl = UINT32_MAX;
	}
	if (!w->any)
		w->first_docid = docid;
	/* one reserve per buffer: at most 5 bytes a varbyte */
	tx_buf_reserve(&w->docs, 15);
	p = (uint8_t *) w->docs.data + w->docs.len;
	p += bm25_vb_put(p, docid - (w->cur.count == 0 ? w->blk_first_prev : w->last_docid));
	p += bm25_vb_put(p, tf);
	p += bm25_vb_put(p, dl);
	w->docs.len = (size_t) (p - (uint8_t *) w->docs.data);
	w->docs.data[w->docs.len] = '\0';
	tx_buf_reserve(&w->pos, (size_t) 5 * tf);
	p = (uint8_t *) w->pos.data + w->pos.len;
	for (j = 0; j < tf; j++)
	{
		p += bm25_vb_put(p, pos[j] - prev);
		prev = pos[j];
	}
	w->pos.len = (size_t) (p - (uint8_t *) w->pos.data);
	w->pos.data[w->pos.len] = '\0';
	w->last_docid = docid;
	w->blk_tf[w->cur.count] = tf;
	w->blk_dl[w->cur.count] = dl;
	if (tf > w->cur.max_tf)
		w->cur.max_tf = (uint16_t) (tf > 65535 ? 65535 : tf);
	if (dl < w->cur.min_dl)
		w->cur.min_dl = dl;
	if (tf > w->h.max_tf)
		w->h.max_tf = tf;
	if (dl < w->h.min_dl)
		w->h.min_dl = dl;
	w->h.ndocs++;
	w->any = true;
	if (++w->cur.count == BM25_BLOCK)
		pw_close_block(w);
}

/* ------------------------------------------------------------ dense sections */

size_t
bm25_dense_size(uint32_t ndocs, uint32_t first, uint32_t last)
{
	uint64_t	nbits,
				nwords;

	if (ndocs < BM25_DENSE_MIN_DOCS || last < first)
		return 0;
	nbits = (uint64_t) last - first + 1;
	if (nbits > (uint64_t) ndocs * BM25_DENSE_RATIO)
		return 0;
	nwords = (nbits + 63) / 64;
	return BM25_DENSE_HDR_SIZE + 8 * nwords + 4 * ((nwords + 7) / 8) + ((uint64_t) ndocs + 1) / 2;
}

/*
 * popcount of a 64-bit word: the x86-64 instruction where the CPU has it
 * (the baseline x86-64 target does not, and the compiler's fallback is a
 * library call), checked once.
 */
#if defined(__GNUC__) && defined(__x86_64__)
static int	have_popcnt = -1;
#endif

static inline uint32_t
popcount64(uint64_t x)
{
#if defined(__GNUC__) && defined(__x86_64__)
	if (__builtin_expect(have_popcnt < 0, 0))
	{
		__builtin_cpu_init();
		have_popcnt = __builtin_cpu_supports("popcnt") ? 1 : 0;
	}
	if (have_popcnt)
	{
		uint64_t	r;

		__asm__("popcntq %1, %0" : "=r"(r) : "rm"(x) : "cc");
		return (uint32_t) r;
	}
#endif
	return (uint32_t) __builtin_popcountll(x);
}

static inline uint64_t
dense_word(const bm25_dense *d, uint32_t i)
{
	uint64_t	v;

	memcpy(&v, d->words + (size_t) i * 8, 8);
	return v;
}

static inline uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* the final avalanche: every input bit reaches every output bit */
static inline uint64_t
hash_fmix(uint64_t x)
{
	x ^= x >> 31;
	x *= UINT64_C(0x7fb5d329728ea185);
	x ^= x >> 27;
	x *= UINT64_C(0x81dadef4bc2dd44d);
	x ^= x >> 33;
	return x;
}

uint64_t
bm25_hash_bytes(const void *data, size_t n)
{
	const uint8_t *p = data;
	uint64_t	a = UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t) n,
				b = UINT64_C(0xc2b2ae3d27d4eb4f),
				x = 0,
				y = 0;
	size_t		left = n;

	while (left >= 16)
	{
		memcpy(&x, p, 8);
		memcpy(&y, p + 8, 8);
		a = rotl64(a ^ (x * UINT64_C(0x87c37b91114253d5)), 31) * UINT64_C(0x4cf5ad432745937f);
		b = rotl64(b ^ (y * UINT64_C(0x4cf5ad432745937f)), 29) * UINT64_C(0x87c37b91114253d5);
		p += 16;
		left -= 16;
	}
	/* the last 0..15 bytes, zero-padded (the length is in a) */
	x = y = 0;
	memcpy(&x, p, left < 8 ? left : 8);
	if (left > 8)
		memcpy(&y, p + 8, left - 8);
	a = rotl64(a ^ (x * UINT64_C(0x87c37b91114253d5)), 31) * UINT64_C(0x4cf5ad432745937f);
	b = rotl64(b ^ (y * UINT64_C(0x4cf5ad432745937f)), 29) * UINT64_C(0x87c37b91114253d5);
	return hash_fmix(a ^ rotl64(b, 17));
}

/* the dense section of the finished list in w (docs decoded from its doc section) */
static void
pw_dense(bm25_plist_writer *w, size_t size, tx_buf *out)
{
	uint32_t	nbits = w->last_docid - w->first_docid + 1;
	uint32_t	nwords = (uint32_t) (((uint64_t) nbits + 63) / 64);
	uint32_t	nranks = (nwords + 7) / 8;
	uint8_t    *sec = tx_alloc(size);
	uint8_t    *words = sec + BM25_DENSE_HDR_SIZE;
	uint8_t    *ranks = words + (size_t) nwords * 8;
	uint8_t    *tfs = ranks + (size_t) nranks * 4;
	const uint8_t *p = (const uint8_t *) w->docs.data;
	const uint8_t *end = p + w->docs.len;
	uint32_t	d = 0,
				k,
				v,
				count = 0;

	memset(sec, 0, size);
	v = (uint32_t) size;
	memcpy(sec, &v, 4);
	memcpy(sec + 4, &w->first_docid, 4);
	memcpy(sec + 8, &nbits, 4);
	memcpy(sec + 12, &nwords, 4);
	/* the doc section is one delta chain: a block's first delta is from the previous doc */
	for (k = 0; k < w->h.ndocs; k++)
	{
		uint32_t	t,
					tf;

		if ((k & 4095) == 0)
			tx_check_interrupts();
		d += bm25_vb_get(&p, end);
		tf = bm25_vb_get(&p, end);
		(void) bm25_vb_get(&p, end);
		t = d - w->first_docid;
		words[t >> 3] |= (uint8_t) (1u << (t & 7));
		tfs[k >> 1] |= (uint8_t) ((tf < 15 ? tf : 15) << ((k & 1) * 4));
	}
	/* bytes were set in little-endian bit order: make native words of them */
	for (k = 0; k < nwords; k++)
	{
		uint64_t	x = 0;
		int			j;

		for (j = 7; j >= 0; j--)
			x = (x << 8) | words[(size_t) k * 8 + j];
		memcpy(words + (size_t) k * 8, &x, 8);
	}
	for (k = 0; k < nwords; k++)
	{
		uint64_t	x;

		if ((k & 7) == 0)
			memcpy(ranks + (size_t) (k / 8) * 4, &count, 4);
		memcpy(&x, words + (size_t) k * 8, 8);
		count += popcount64(x);
	}
	tx_buf_append(out, (const char *) sec, size);
	tx_free(sec);
}

bool
bm25_dense_parse(const uint8_t *p, size_t len, uint32_t ndocs, bm25_dense *d)
{
	uint32_t	v;
	uint64_t	need;

	memset(d, 0, sizeof(*d));
	if (len < BM25_DENSE_HDR_SIZE)
		return false;
	memcpy(&v, p, 4);
	memcpy(&d->base, p + 4, 4);
	memcpy(&d->nbits, p + 8, 4);
	memcpy(&d->nwords, p + 12, 4);
	if (v != len || d->nbits == 0 || d->nwords != (uint32_t) (((uint64_t) d->nbits + 63) / 64) ||
		(uint64_t) d->base + d->nbits > BM25_DOCID_END)
		return false;
	need = BM25_DENSE_HDR_SIZE + 8 * (uint64_t) d->nwords + 4 * (((uint64_t) d->nwords + 7) / 8) +
		((uint64_t) ndocs + 1) / 2;
	if (need != len)
		return false;
	d->ndocs = ndocs;
	d->words = p + BM25_DENSE_HDR_SIZE;
	d->ranks = d->words + (size_t) d->nwords * 8;
	d->tfs = d->ranks + (size_t) ((d->nwords + 7) / 8) * 4;
	return true;
}

static inline uint32_t
dense_next(const bm25_dense *d, uint32_t target)
{
	uint32_t	t = target > d->base ? target - d->base : 0;
	uint32_t	w;
	uint64_t	x;

	if (t >= d->nbits)
		return BM25_DOCID_END;
	w = t >> 6;
	x = dense_word(d, w) & (~UINT64_C(0) << (t & 63));
	while (x == 0)
	{
		if (++w >= d->nwords)
			return BM25_DOCID_END;
		x = dense_word(d, w);
	}
	t = w * 64 + (uint32_t) __builtin_ctzll(x);
	return t < d->nbits ? d->base + t : BM25_DOCID_END;
}

uint32_t
bm25_dense_next(const bm25_dense *d, uint32_t target)
{
	return dense_next(d, target);
}

/* is docid in the section */
static inline bool
dense_has(const bm25_dense *d, uint32_t docid)
{
	uint32_t	t = docid - d->base;

	return docid >= d->base && t < d->nbits && ((dense_word(d, t >> 6) >> (t & 63)) & 1);
}

int64_t
bm25_dense_rank(const bm25_dense *d, uint32_t docid)
{
	uint32_t	t,
				w,
				i,
				r;
	uint64_t	x;

	if (docid < d->base || docid - d->base >= d->nbits)
		return -1;
	t = docid - d->base;
	w = t >> 6;
	x = dense_word(d, w);
	if (!((x >> (t & 63)) & 1))
		return -1;
	memcpy(&r, d->ranks + (size_t) (w >> 3) * 4, 4);
	for (i = w & ~7u; i < w; i++)
		r += popcount64(dense_word(d, i));
	r += popcount64(x & ((UINT64_C(1) << (t & 63)) - 1));
	return r < d->ndocs ? (int64_t) r : -1;
}

uint32_t
bm25_dense_tf(const bm25_dense *d, uint32_t r)
{
	uint32_t	v;

	if (r >= d->ndocs)
		return 0;
	v = (d->tfs[r >> 1] >> ((r & 1) * 4)) & 15;
	return v == 15 ? 0 : v;
}

void
bm25_pw_finish(bm25_plist_writer *w, tx_buf *out)
{
	size_t		dense = 0;

	pw_close_block(w);
	w->h.doc_len = (uint32_t) w->docs.len;
	w->h.pos_len = (uint32_t) w->pos.len;
	if (!w->any)
		w->h.min_dl = 0;
	if (w->dense && w->any)
		dense = bm25_dense_size(w->h.ndocs, w->first_docid, w->last_docid);
	buf_u32(out, w->h.ndocs);
	buf_u32(out, w->h.nblocks | (dense ? BM25_PLIST_DENSE : 0));
	buf_u32(out, w->h.doc_len);
	buf_u32(out, w->h.pos_len);
	buf_u32(out, w->h.max_tf);
	buf_u32(out, w->h.min_dl);
	if (dense)
		pw_dense(w, dense, out);
	tx_buf_append(out, w->hdrs.data, w->hdrs.len);
	tx_buf_append(out, w->docs.data, w->docs.len);
	tx_buf_append(out, w->pos.data, w->pos.len);
	tx_buf_reset(&w->docs);
	tx_buf_reset(&w->pos);
	tx_buf_reset(&w->hdrs);
	memset(&w->h, 0, sizeof(w->h));
	memset(&w->cur, 0, sizeof(w->cur));
	w->h.min_dl = UINT32_MAX;
	w->last_docid = 0;
	w->first_docid = 0;
	w->blk_first_prev = 0;
	w->any = false;
}

void
bm25_pw_free(bm25_plist_writer *w)
{
	tx_buf_free(&w->docs);
	tx_buf_free(&w->pos);
	tx_buf_free(&w->hdrs);
}

bool
bm25_plist_read_hdr(const uint8_t *p, size_t len, bm25_plist_hdr *h)
{
	if (len < BM25_PLIST_HDR_SIZE)
		return false;
	memcpy(&h->ndocs, p, 4);
	memcpy(&h->nblocks, p + 4, 4);
	memcpy(&h->doc_len, p + 8, 4);
	memcpy(&h->pos_len, p + 12, 4);
	memcpy(&h->max_tf, p + 16, 4);
	memcpy(&h->min_dl, p + 20, 4);
	h->dense = (h->nblocks & BM25_PLIST_DENSE) != 0;
	h->nblocks &= ~BM25_PLIST_DENSE;
	h->dense_len = 0;
	if (h->dense && len >= BM25_PLIST_HDR_SIZE + 4)
	{
		memcpy(&h->dense_len, p + BM25_PLIST_HDR_SIZE, 4);
		if (h->dense_len < BM25_DENSE_HDR_SIZE || h->dense_len > 0x40000000)
			return false;
	}
	if (h->nblocks > h->ndocs || h->nblocks > 0x7FFFFFF ||
		(uint64_t) h->nblocks * BM25_BLOCK < h->ndocs)
		return false;
	return true;
}

size_t
bm25_plist_scoring_len(const bm25_plist_hdr *h)
{
	return BM25_PLIST_HDR_SIZE + (size_t) h->dense_len + (size_t) h->nblocks * BM25_BLOCK_HDR_SIZE + h->doc_len;
}

size_t
bm25_plist_total_len(const bm25_plist_hdr *h)
{
	return bm25_plist_scoring_len(h) + h->pos_len;
}

/* ------------------------------------------------------------ cursors */

_Static_assert(sizeof(bm25_block_hdr) == BM25_BLOCK_HDR_SIZE, "block header layout");

static inline void
blk_hdr(const bm25_cursor *c, uint32_t i, bm25_block_hdr *b)
{
	memcpy(b, c->hdrs + (size_t) i * BM25_BLOCK_HDR_SIZE, BM25_BLOCK_HDR_SIZE);
}

static inline uint32_t
blk_last(const bm25_cursor *c, uint32_t i)
{
	uint32_t	v;

	memcpy(&v, c->hdrs + (size_t) i * BM25_BLOCK_HDR_SIZE, 4);
	return v;
}

/* bm25_vb_get for a caller that knows 5 bytes are readable */
static inline uint32_t
vb_unchecked(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint32_t	v = *p++;
	int			shift = 7;

	if (v >= 0x80)
	{
		v &= 0x7F;
		for (;;)
		{
			uint8_t		c = *p++;

			v |= (uint32_t) (c & 0x7F) << shift;
			if (!(c & 0x80) || shift >= 28)
				break;
			shift += 7;
		}
	}
	*pp = p;
	return v;
}

static bool
cursor_decode(bm25_cursor *c, uint32_t blk)
{
	bm25_block_hdr bh;
	const uint8_t *p,
			   *end;
	uint32_t	d = blk ? blk_last(c, blk - 1) : 0;
	int			i;

	blk_hdr(c, blk, &bh);
	if (bh.count == 0 || bh.count > BM25_BLOCK || bh.doc_off > c->h.doc_len)
		return false;
	p = c->docs + bh.doc_off;
	end = c->docs + c->h.doc_len;
	if ((size_t) (end - p) >= (size_t) bh.count * 15)
	{
		/* the whole block is in range whatever its bytes say: no end checks */
		for (i = 0; i < bh.count; i++)
		{
			d += vb_unchecked(&p);
			c->d_docid[i] = d;
			c->d_tf[i] = vb_unchecked(&p);
			c->d_dl[i] = vb_unchecked(&p);
		}
	}
	else
		for (i = 0; i < bh.count; i++)
		{
			d += bm25_vb_get(&p, end);
			c->d_docid[i] = d;
			c->d_tf[i] = bm25_vb_get(&p, end);
			c->d_dl[i] = bm25_vb_get(&p, end);
		}
	c->n = bh.count;
	c->dblk = (int) blk;
	c->idx = 0;
	return true;
}

bool
bm25_cursor_init_parts(bm25_cursor *c, uint8_t *data, size_t len, double w, int term,
					   const uint8_t *dense, bool with_docs, bm25_docs_loader loader, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->data = data;
	c->len = len;
	c->w = w;
	c->term = term;
	c->dblk = -1;
	c->pblk = -1;
	c->iblk = -1;
	c->docid = BM25_DOCID_END;
	if (!bm25_plist_read_hdr(data, len, &c->h) || len < bm25_plist_scoring_len(&c->h))
		return false;
	if (c->h.dense && dense != NULL && !bm25_dense_parse(dense, c->h.dense_len, c->h.ndocs, &c->dn))
		return false;
	c->hdrs = data + BM25_PLIST_HDR_SIZE + c->h.dense_len;
	c->docs = c->hdrs + (size_t) c->h.nblocks * BM25_BLOCK_HDR_SIZE;
	c->docs_loader = loader;
	c->docs_arg = arg;
	if (!with_docs)
	{
		if (loader == NULL)
			return false;
		c->lazy = true;
		return true;
	}
	if (c->h.nblocks > 0)
	{
		if (!cursor_decode(c, 0))
			return false;
		c->docid = c->d_docid[0];
	}
	return true;
}

bool
bm25_cursor_init(bm25_cursor *c, const uint8_t *data, size_t len, double w, int term)
{
	/* data is only read: the doc section is there, so nothing loads into it */
	return bm25_cursor_init_parts(c, (uint8_t *) data, len, w, term, data + BM25_PLIST_HDR_SIZE, true,
								  NULL, NULL);
}

/* Load the doc section of a lazy cursor; it is then an ordinary cursor on its first doc. */
static bool
cursor_load_docs(bm25_cursor *c)
{
	if (!c->lazy)
		return true;
	c->lazy = false;
	c->docid = BM25_DOCID_END;
	if (c->docs_loader == NULL || !c->docs_loader(c, c->docs_arg))
		return false;
	if (c->h.nblocks > 0)
	{
		if (!cursor_decode(c, 0))
			return false;
		c->docid = c->d_docid[0];
	}
	return true;
}

void
bm25_cursor_free(bm25_cursor *c)
{
	if (c->p_buf)
		tx_free(c->p_buf);
	c->p_buf = NULL;
	if (c->bb)
		tx_free(c->bb);
	c->bb = NULL;
}

void
bm25_cursor_bound(bm25_cursor *c, const bm25_params *p)
{
	uint32_t	i;

	c->ub = 0;
	if (c->bb)
		tx_free(c->bb);
	c->bb = tx_alloc(sizeof(double) * (c->h.nblocks ? c->h.nblocks : 1));
	for (i = 0; i < c->h.nblocks; i++)
	{
		bm25_block_hdr bh;
		double		b = 0;
		int			j;

		blk_hdr(c, i, &bh);
		for (j = 0; j < BM25_IMPACTS; j++)
			if (bh.imp_tf[j] > 0)
			{
				double		s = bm25_tf_score(p, c->w, bh.imp_tf[j], bh.imp_dl[j]);

				if (s > b)
					b = s;
			}
		/* saturated tf (65535) or no pairs: the loose bound */
		if (b == 0 || bh.max_tf == 65535)
			b = bm25_tf_score(p, c->w, bh.max_tf == 65535 ? UINT32_MAX : bh.max_tf, bh.min_dl);
		c->bb[i] = b;
		if (b > c->ub)
			c->ub = b;
	}
}

uint32_t
bm25_cursor_seek(bm25_cursor *c, uint32_t target)
{
	if (c->docid >= target)
		return c->docid;
	if (blk_last(c, c->blk) < target)
	{
		do
			c->blk++;
		while (c->blk < c->h.nblocks && blk_last(c, c->blk) < target);
		if (c->blk >= c->h.nblocks)
		{
			c->docid = BM25_DOCID_END;
			return c->docid;
		}
	}
	if (c->dblk != (int) c->blk && !cursor_decode(c, c->blk))
	{
		c->docid = BM25_DOCID_END;
		return c->docid;
	}
	while (c->idx < c->n && c->d_docid[c->idx] < target)
		c->idx++;
	c->docid = c->idx < c->n ? c->d_docid[c->idx] : BM25_DOCID_END;
	return c->docid;
}

uint32_t
bm25_cursor_tf(bm25_cursor *c)
{
	return c->d_tf[c->idx];
}

uint32_t
bm25_cursor_dl(bm25_cursor *c)
{
	return c->d_dl[c->idx];
}

const uint32_t *
bm25_cursor_positions(bm25_cursor *c, int *npos)
{
	*npos = 0;
	if (c->docid == BM25_DOCID_END)
		return NULL;
	if (c->pos == NULL && c->loader)
		c->pos = c->loader(c, c->loader_arg);
	if (c->pos == NULL)
		return NULL;
	if (c->pblk != (int) c->blk)
	{
		bm25_block_hdr bh;
		const uint8_t *p,
				   *end;
		size_t		total = 0;
		int			i;

		blk_hdr(c, c->blk, &bh);
		if (bh.pos_off > c->h.pos_len)
			return NULL;
		for (i = 0; i < c->n; i++)
			total += c->d_tf[i];
		/* every position takes at least one byte: more is a corrupt list */
		if (total > c->h.pos_len - bh.pos_off)
			return NULL;
		if (total > c->p_cap)
		{
			c->p_cap = total * 2;
			if (c->p_buf)
				tx_free(c->p_buf);
			c->p_buf = tx_alloc(sizeof(uint32_t) * c->p_cap);
		}
		p = c->pos + bh.pos_off;
		end = c->pos + c->h.pos_len;
		total = 0;
		for (i = 0; i < c->n; i++)
		{
			uint32_t	prev = 0,
						j;

			c->p_start[i] = (uint32_t) total;
			for (j = 0; j < c->d_tf[i]; j++)
			{
				prev += bm25_vb_get(&p, end);
				c->p_buf[total++] = prev;
			}
		}
		c->p_start[c->n] = (uint32_t) total;
		c->pblk = (int) c->blk;
	}
	if (c->p_buf == NULL)
		return NULL;
	*npos = (int) (c->p_start[c->idx + 1] - c->p_start[c->idx]);
	return c->p_buf + c->p_start[c->idx];
}

/* ------------------------------------------------------------ heap */

bool
bm25_hit_better(const bm25_hit *a, const bm25_hit *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->docid < b->docid;
}

void
bm25_heap_init(bm25_heap *hp, int k)
{
	hp->k = k > 0 ? k : 1;
	hp->n = 0;
	hp->cap = 0;
	hp->h = NULL;
}

void
bm25_heap_free(bm25_heap *hp)
{
	if (hp->h)
		tx_free(hp->h);
	hp->h = NULL;
	hp->n = 0;
	hp->cap = 0;
}

/* root holds the worst hit */
static void
sift_down(bm25_heap *hp, int i)
{
	for (;;)
	{
		int			l = 2 * i + 1,
					r = l + 1,
					w = i;
		bm25_hit	t;

		if (l < hp->n && bm25_hit_better(&hp->h[w], &hp->h[l]))
			w = l;
		if (r < hp->n && bm25_hit_better(&hp->h[w], &hp->h[r]))
			w = r;
		if (w == i)
			return;
		t = hp->h[i];
		hp->h[i] = hp->h[w];
		hp->h[w] = t;
		i = w;
	}
}

bool
bm25_heap_push(bm25_heap *hp, double score, uint32_t docid)
{
	bm25_hit	x = {score, docid};

	if (hp->n < hp->k)
	{
		int			i;

		if (hp->n == hp->cap)
		{
			hp->cap = hp->cap ? hp->cap * 2 : 64;
			hp->h = hp->h ? tx_realloc(hp->h, sizeof(bm25_hit) * (size_t) hp->cap)
				: tx_alloc(sizeof(bm25_hit) * (size_t) hp->cap);
		}
		i = hp->n++;
		while (i > 0)
		{
			int			parent = (i - 1) / 2;

			if (!bm25_hit_better(&hp->h[parent], &x))
				break;
			hp->h[i] = hp->h[parent];
			i = parent;
		}
		hp->h[i] = x;
		return true;
	}
	if (!bm25_hit_better(&x, &hp->h[0]))
		return false;
	hp->h[0] = x;
	sift_down(hp, 0);
	return true;
}

double
bm25_heap_threshold(const bm25_heap *hp)
{
	return hp->n < hp->k ? 0.0 : hp->h[0].score;
}

static int
hit_cmp(const void *x, const void *y)
{
	const bm25_hit *a = x;
	const bm25_hit *b = y;

	if (bm25_hit_better(a, b))
		return -1;
	if (bm25_hit_better(b, a))
		return 1;
	return 0;
}

void
bm25_heap_sort(bm25_heap *hp)
{
	if (hp->n > 1)
		qsort(hp->h, (size_t) hp->n, sizeof(bm25_hit), hit_cmp);
}

/* ------------------------------------------------------------ top-k */

static int
cursor_ub_cmp(const void *x, const void *y)
{
	const bm25_cursor *a = *(bm25_cursor *const *) x;
	const bm25_cursor *b = *(bm25_cursor *const *) y;

	return (a->ub > b->ub) - (a->ub < b->ub);
}

#define SLACK(x) ((x) * (1.0 + 1e-9))

/* probed lists handled by the block scan of a conjunction; more fall back to the general loop */
#define BM25_MAX_PROBED 16

static const double *sort_bounds;

static int
bound_desc_cmp(const void *x, const void *y)
{
	double		a = sort_bounds[*(const uint32_t *) x];
	double		b = sort_bounds[*(const uint32_t *) y];

	if (a != b)
		return a > b ? -1 : 1;
	return (*(const uint32_t *) x > *(const uint32_t *) y) - (*(const uint32_t *) x < *(const uint32_t *) y);
}

/*
 * The score of a doc all cursors are positioned on, summed in the caller's
 * cursor order: the same doc always gets the same bits, whichever order the
 * search visited the lists in (and the same as a caller summing its terms
 * in that order).
 */
static double
canonical_score(bm25_cursor **in, int n, const bm25_params *p, uint32_t d)
{
	double		s = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (in[i]->docid == d)
		{
			if (in[i]->probe)
				s += bm25_tf_score(p, in[i]->w, in[i]->ptf, in[i]->pdl);
			else
				s += bm25_tf_score(p, in[i]->w, in[i]->d_tf[in[i]->idx], in[i]->d_dl[in[i]->idx]);
		}
	return s;
}

/*
 * Move the shallow pointer of x to the block that may hold docid d, without
 * decoding anything; false when the list has no docid >= d.
 */
static inline bool
cursor_shallow(bm25_cursor *x, uint32_t d)
{
	if (x->sblk < x->blk)
		x->sblk = x->blk;
	while (x->sblk < x->h.nblocks && blk_last(x, x->sblk) < d)
		x->sblk++;
	return x->sblk < x->h.nblocks;
}

/*
 * The part of a term's score that depends on the doc, tf * (k1 + 1) /
 * (tf + k1 * (1 - b + b * dl / avgdl)), kept for small tf and dl as it is
 * needed: the searches compute it for every candidate, and a division per
 * term and doc is their main cost.  w times it may differ from
 * bm25_tf_score in the last bits, so it only serves bounds and tests with
 * slack; heap scores are computed exactly.
 */
#define SAT_TF 16
#define SAT_DL 256

typedef struct sat_table
{
	const bm25_params *p;
	double		f[SAT_TF * SAT_DL];	/* 0: not computed yet */
} sat_table;

static sat_table *
sat_create(const bm25_params *p)
{
	sat_table  *t = tx_alloc(sizeof(sat_table));

	t->p = p;
	memset(t->f, 0, sizeof(t->f));
	return t;
}

static inline double
sat(sat_table *t, uint32_t tf, uint32_t dl)
{
	double	   *f;

	if (tf >= SAT_TF || dl >= SAT_DL)
		return bm25_tf_score(t->p, 1.0, tf, dl);
	f = &t->f[tf * SAT_DL + dl];
	if (*f == 0)
		*f = bm25_tf_score(t->p, 1.0, tf, dl);
	return *f;
}

/* cursor score of the current doc, through the table */
static inline double
cur_score(sat_table *t, const bm25_cursor *c)
{
	return c->w * sat(t, c->d_tf[c->idx], c->d_dl[c->idx]);
}

/*
 * An upper bound of x's contribution to a doc of length dl that lies in
 * block blk: every doc of the block has an impact pair with a larger or
 * equal tf and a smaller or equal length, so the doc's tf is at most the
 * largest tf of a pair no longer than dl (none: the doc is not in the block).
 */
static inline double
len_bound(bm25_cursor *x, uint32_t blk, uint32_t dl, sat_table *t)
{
	uint32_t	tf = 0;
	int			j;

	if (x->iblk != (int) blk)
	{
		/* the block's impacts, once per block */
		bm25_block_hdr bh;

		blk_hdr(x, blk, &bh);
		x->i_min_dl = bh.min_dl;
		for (j = 0; j < BM25_IMPACTS; j++)
		{
			x->i_tf[j] = bh.imp_tf[j];
			x->i_dl[j] = bh.imp_dl[j];
		}
		/* saturated tf or no pairs: the block's largest tf at any length */
		if (bh.max_tf == 65535 || bh.imp_tf[0] == 0)
		{
			x->i_tf[0] = bh.max_tf == 65535 ? UINT32_MAX : bh.max_tf;
			x->i_dl[0] = bh.min_dl;
			for (j = 1; j < BM25_IMPACTS; j++)
				x->i_tf[j] = 0;
		}
		x->iblk = (int) blk;
	}
	if (dl < x->i_min_dl)
		return 0;
	for (j = 0; j < BM25_IMPACTS; j++)
		if (x->i_tf[j] > tf && x->i_dl[j] <= dl)
			tf = x->i_tf[j];
	return tf ? x->w * sat(t, tf, dl) : 0;
}

/* bm25_cursor_seek, without a call while the target is in the decoded block */
static inline uint32_t
cur_seek(bm25_cursor *c, uint32_t target)
{
	if (c->docid >= target)
		return c->docid;
	if (c->dblk == (int) c->blk && c->n > 0 && target <= c->d_docid[c->n - 1])
	{
		while (c->d_docid[c->idx] < target)
			c->idx++;
		return c->docid = c->d_docid[c->idx];
	}
	return bm25_cursor_seek(c, target);
}

/* the next doc of the list (seek to docid + 1), without a call in a block */
static inline void
cursor_next(bm25_cursor *c)
{
	if (c->dblk == (int) c->blk && c->idx + 1 < c->n)
		c->docid = c->d_docid[++c->idx];
	else
		bm25_cursor_seek(c, c->docid + 1);
}

/*
 * Conjunctive top-k: see bm25_topk.  The docid space is cut into ranges in
 * which every list stays in one block: a range whose block-max sum cannot
 * beat the heap is skipped on the block headers alone, so its blocks are
 * never decoded.  In a live range the rarest required list drives and the
 * other required lists are leapfrogged (a bound per driver doc costs more
 * than the seek it would save).  A required list with a dense section that
 * the caller allows (dense_ok) is not decoded: it is probed with a bit test
 * (the next set bit serves as its seek) and a doc's tf is its nibble (the
 * length is the driver's, every list of a doc holds the same), so a
 * conjunction of common words decodes the rarest list only.  Docs are
 * visited in increasing docid order, as before, so the heap gets the same
 * pushes whatever is skipped, with the same scores.
 */
/*
 * Position a probed cursor on d, a doc of its dense section: its tf from the
 * nibble, or from its block when the nibble does not hold it (the doc of
 * rank r is doc r % BM25_BLOCK of block r / BM25_BLOCK); dl is the driver's.
 * False when the section and the list disagree.
 */
static bool
probe_doc(bm25_cursor *c, uint32_t d, uint32_t dl)
{
	int64_t		r = bm25_dense_rank(&c->dn, d);
	uint32_t	tf;

	if (r < 0)
		return false;
	tf = bm25_dense_tf(&c->dn, (uint32_t) r);
	if (tf == 0)
	{
		uint32_t	b = (uint32_t) (r / BM25_BLOCK),
					k = (uint32_t) (r % BM25_BLOCK);

		/* the docs are needed; the cursor's block position (blk) is left alone */
		if (c->lazy)
		{
			c->lazy = false;
			if (c->docs_loader == NULL || !c->docs_loader(c, c->docs_arg))
			{
				c->h.nblocks = 0;	/* no block is readable: no more escapes */
				return false;
			}
		}
		if (b >= c->h.nblocks || (c->dblk != (int) b && !cursor_decode(c, b)) ||
			k >= (uint32_t) c->n || c->d_docid[k] != d)
			return false;
		tf = c->d_tf[k];
	}
	c->ptf = tf;
	c->pdl = dl;
	c->docid = d;
	return true;
}

/* the rarest required list of a conjunction, or NULL */
static bm25_cursor *
and_driver(bm25_cursor **c, int n)
{
	bm25_cursor *drv = NULL;
	int			i;

	for (i = 0; i < n; i++)
		if (c[i]->required && (drv == NULL || c[i]->h.ndocs < drv->h.ndocs))
			drv = c[i];
	return drv;
}

/* is every list of the conjunction but its driver answered from a dense section? */
static bool
and_all_probed(bm25_cursor **c, int n, const bm25_cursor *drv)
{
	int			i;

	if (drv == NULL || n < 2 || n - 1 > BM25_MAX_PROBED)
		return false;
	for (i = 0; i < n; i++)
		if (!c[i]->required || (c[i] != drv && (!c[i]->dense_ok || c[i]->dn.words == NULL)))
			return false;
	return true;
}

/*
 * A conjunction in which every list but the driver is probed (and_all_probed):
 * the driver's blocks are taken one after another.  A block is skipped
 * undecoded when its bound plus the other lists' whole-list bounds (from
 * their headers: largest tf, smallest length) cannot beat the heap; else it
 * is decoded and scanned with a bit test per other list, and the few docs in
 * every list are scored.  There are no docid ranges across the lists here:
 * for common words they almost never skip anything (every block holds short
 * turns with the word, so each block's bound is about the list's), and
 * walking them took a step per block of every list and the bounds of all
 * those blocks.  Only the driver's block bounds are needed.
 */
static long
topk_and_probed(bm25_cursor **c, bm25_cursor **in, int n, bm25_cursor *drv, const bm25_params *p,
				bm25_heap *heap, bm25_accept_fn accept, void *arg)
{
	const bm25_dense *pr[BM25_MAX_PROBED];
	bm25_cursor *pc[BM25_MAX_PROBED];
	double		rest = 0,
				theta = bm25_heap_threshold(heap);
	int			np = 0,
				i,
				k;
	long		looked = 0;
	uint32_t	b;

	for (i = 0; i < n; i++)
	{
		c[i]->probe = c[i] != drv;
		if (!c[i]->probe)
			continue;
		pc[np] = c[i];
		pr[np] = &c[i]->dn;
		np++;
		rest += bm25_tf_score(p, c[i]->w, c[i]->h.max_tf, c[i]->h.min_dl);
	}
	if (!cursor_load_docs(drv) || drv->docid == BM25_DOCID_END)
		return 0;
	for (b = drv->blk; b < drv->h.nblocks; b++)
	{
		int			j,
					end;

		if ((++looked & 63) == 0)
			tx_check_interrupts();
		if (SLACK(drv->bb[b] + rest) <= theta)
			continue;
		if (drv->dblk == (int) b)
			j = drv->idx;
		else if (cursor_decode(drv, b))
			j = 0;
		else
			break;
		drv->blk = b;
		for (end = drv->n; j < end; j++)
		{
			uint32_t	dj = drv->d_docid[j];
			double		score = 0;

			for (k = 0; k < np; k++)
				if (!dense_has(pr[k], dj))
					break;
			if (k < np)
				continue;
			looked++;
			drv->idx = j;
			drv->docid = dj;
			for (k = 0; k < np; k++)
				if (!probe_doc(pc[k], dj, drv->d_dl[j]))
					break;
			if (k < np)
				continue;		/* a dense section that disagrees with its list (corrupt): no match */
			for (i = 0; i < n; i++)
				score += c[i]->probe ? bm25_tf_score(p, c[i]->w, c[i]->ptf, c[i]->pdl)
					: bm25_tf_score(p, drv->w, drv->d_tf[j], drv->d_dl[j]);
			if (SLACK(score) > theta && (accept == NULL || accept(dj, c, n, arg)) &&
				bm25_heap_push(heap, canonical_score(in, n, p, dj), dj))
			{
				theta = bm25_heap_threshold(heap);
				if (SLACK(drv->bb[b] + rest) <= theta)
					break;		/* the rest of the block cannot win any more */
			}
		}
	}
	drv->docid = BM25_DOCID_END;
	return looked;
}

/*
 * Skip n varbytes from p (each ends with a byte whose top bit is clear);
 * NULL when the data ends first.  Eight bytes at a time where the machine
 * reads words little-endian.
 */
static const uint8_t *
vb_skip(const uint8_t *p, const uint8_t *end, uint32_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (n > 0 && end - p >= 8)
	{
		uint64_t	x,
					t;
		uint32_t	k;

		memcpy(&x, p, 8);
		t = ~x & UINT64_C(0x8080808080808080);
		k = popcount64(t);
		if (k >= n)
		{
			while (--n > 0)
				t &= t - 1;
			return p + (__builtin_ctzll(t) >> 3) + 1;
		}
		n -= k;
		p += 8;
	}
#endif
	for (; n > 0 && p < end; p++)
		if (!(*p & 0x80))
			n--;
	return n == 0 ? p : NULL;
}

/* 64 bits of a dense section from bit 64 * wi + s (0 <= s < 64); 0 outside it */
static inline uint64_t
dense_bits(const bm25_dense *d, int64_t wi, uint32_t s)
{
	uint64_t	lo = (uint64_t) wi < d->nwords ? dense_word(d, (uint32_t) wi) : 0;
	uint64_t	hi;

	if (s == 0)
		return lo;
	hi = (uint64_t) (wi + 1) < d->nwords ? dense_word(d, (uint32_t) (wi + 1)) : 0;
	return (lo >> s) | (hi << (64 - s));
}

/* 64 bits of the array a (n words) from bit t; 0 past its end */
static inline uint64_t
bits_at(const uint64_t *a, uint64_t n, uint64_t t)
{
	uint64_t	wi = t >> 6,
				lo = wi < n ? a[wi] : 0,
				hi;
	uint32_t	s = (uint32_t) (t & 63);

	if (s == 0)
		return lo;
	hi = wi + 1 < n ? a[wi + 1] : 0;
	return (lo >> s) | (hi << (64 - s));
}

static inline uint32_t
grid_count(const bm25_dense *d)
{
	return (uint32_t) (((uint64_t) (d->base & 63) + d->nbits + 63) / 64);
}

size_t
bm25_dense_grid_words(const bm25_dense *d)
{
	uint32_t	gn = grid_count(d);

	return (size_t) gn + (gn + 63) / 64 + ((gn + 7) / 8 + 1) / 2;
}

void
bm25_dense_grid(const bm25_dense *d, uint64_t *out)
{
	uint32_t	gn = grid_count(d),
				a = d->base & 63,
				j;
	uint64_t   *sum = out + gn;
	uint32_t   *rank = (uint32_t *) (sum + (gn + 63) / 64),
				r = 0;

	memset(sum, 0, sizeof(uint64_t) * ((gn + 63) / 64));
	for (j = 0; j < gn; j++)
	{
		/* docid 64 * (g0 + j) is bit 64 * j - a of the section */
		uint64_t	x = a == 0 ? dense_word(d, j) : dense_bits(d, (int64_t) j - 1, 64 - a);

		if ((j & 7) == 0)
			rank[j >> 3] = r;
		out[j] = x;
		r += popcount64(x);
		if (x != 0)
			sum[j >> 6] |= UINT64_C(1) << (j & 63);
	}
}

/*
 * bm25_dense_rank from the grid: the rank directory and the grid words
 * before the doc's since the last entry, which share its cache line or two.
 */
static inline int64_t
grid_rank(const bm25_dense *d, uint32_t docid)
{
	uint32_t	g = (docid >> 6) - d->g0,
				i,
				r;
	uint64_t	x;

	if ((docid >> 6) < d->g0 || g >= d->gn)
		return -1;
	x = d->grid[g];
	if (!((x >> (docid & 63)) & 1))
		return -1;
	r = d->grank[g >> 3];
	for (i = g & ~7u; i < g; i++)
		r += popcount64(d->grid[i]);
	r += popcount64(x & ((UINT64_C(1) << (docid & 63)) - 1));
	return r < d->ndocs ? (int64_t) r : -1;
}

void
bm25_dense_use_grid(bm25_dense *d, const uint64_t *grid)
{
	d->grid = grid;
	d->g0 = d->base >> 6;
	d->gn = grid != NULL ? grid_count(d) : 0;
	d->gsum = grid != NULL ? grid + d->gn : NULL;
	d->grank = grid != NULL ? (const uint32_t *) (d->gsum + (d->gn + 63) / 64) : NULL;
}

/* where driver_doc stopped: after doc next - 1 of block blk, at p */
typedef struct drv_pos
{
	int			blk;
	uint32_t	next;
	const uint8_t *p;
} drv_pos;

/*
 * tf and length of the driver's doc d, its rank-th doc (in block rank /
 * BM25_BLOCK), read without decoding the block: the varbytes before it are
 * skipped, from where the last doc asked of the block ended (docs are asked
 * in order).  False when the doc section disagrees.
 */
static bool
driver_doc(bm25_cursor *drv, uint32_t d, uint32_t rank, drv_pos *at, uint32_t *tf, uint32_t *dl)
{
	uint32_t	b = rank / BM25_BLOCK,
				k = rank % BM25_BLOCK;
	const uint8_t *end = drv->docs + drv->h.doc_len,
			   *p;

	if (b >= drv->h.nblocks)
		return false;
	if (drv->dblk == (int) b)
	{
		if ((int) k >= drv->n || drv->d_docid[k] != d)
			return false;
		*tf = drv->d_tf[k];
		*dl = drv->d_dl[k];
		return true;
	}
	if (at->blk != (int) b || k < at->next || at->p == NULL)
	{
		bm25_block_hdr bh;

		blk_hdr(drv, b, &bh);
		at->blk = (int) b;
		at->next = 0;
		at->p = NULL;
		if (bh.count == 0 || k >= bh.count || bh.doc_off > drv->h.doc_len)
			return false;
		at->p = drv->docs + bh.doc_off;
	}
	p = vb_skip(at->p, end, 3 * (k - at->next));
	at->p = NULL;
	if (p == NULL)
		return false;
	(void) bm25_vb_get(&p, end);	/* the docid's delta */
	*tf = bm25_vb_get(&p, end);
	*dl = bm25_vb_get(&p, end);
	at->p = p;
	at->next = k + 1;
	return *tf > 0;
}

/*
 * A conjunction of lists that all have dense sections in grid form (the
 * driver's too): the summaries are ANDed, then the grid words where every
 * list has a doc, and only the docs in every list are looked at.  Their tf
 * comes from the dense sections (a list's block is decoded only for a tf
 * too large for them) and their length from the driver's doc section,
 * reached without decoding the blocks before it; a doc's rank in each list
 * comes from the grid's rank directory.  A doc whose driver block
 * cannot beat the heap (its bound plus the other lists' whole-list bounds)
 * skips the rest of that block's docid range.  Where the docs in all lists
 * are few, as for three or more common words, this reads a bit per 64 docs
 * and a few words instead of decoding the rarest list.
 */
static long
topk_and_bits(bm25_cursor **c, bm25_cursor **in, int n, bm25_cursor *drv, const bm25_params *p,
			  bm25_heap *heap, bm25_accept_fn accept, void *arg)
{
	const bm25_dense *dn[BM25_MAX_PROBED + 1];
	const uint64_t *gw[BM25_MAX_PROBED + 1];	/* the lists' grids, from word go[i] */
	uint64_t	go[BM25_MAX_PROBED + 1];
	bm25_cursor *pc[BM25_MAX_PROBED];
	const bm25_dense *dd = &drv->dn;
	double		rest = 0,
				theta = bm25_heap_threshold(heap),
				k1p = p->k1 + 1.0,
				lnorm0 = p->k1 * (1.0 - p->b),
				lnorm1 = p->k1 * p->b / p->avgdl;
	int			np = 0,
				i,
				k;
	drv_pos		at = {-1, 0, NULL};
	long		looked = 0;
	uint64_t	gl = 0,
				gh = UINT64_MAX,
				skip_to = 0,	/* docids below this cannot win */
				s;
	bool		docs = false;

	for (i = 0; i < n; i++)
	{
		const bm25_dense *d = &c[i]->dn;

		c[i]->probe = true;
		dn[i] = d;
		gw[i] = d->grid;
		go[i] = d->g0;
		if (d->g0 > gl)
			gl = d->g0;
		if ((uint64_t) d->g0 + d->gn < gh)
			gh = (uint64_t) d->g0 + d->gn;
		if (c[i] == drv)
			continue;
		pc[np++] = c[i];
		rest += bm25_tf_score(p, c[i]->w, c[i]->h.max_tf, c[i]->h.min_dl);
	}
	for (s = gl; s < gh; s += 64)
	{
		uint64_t	sm = gh - s >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << (gh - s)) - 1;

		if (((s - gl) & 4095) == 0)
			tx_check_interrupts();
		if ((s + 64) * 64 <= skip_to)
			continue;
		for (i = 0; i < n && sm != 0; i++)
			sm &= bits_at(dn[i]->gsum, (dn[i]->gn + 63) / 64, s - dn[i]->g0);
		while (sm != 0)
		{
			uint64_t	g = s + (uint64_t) __builtin_ctzll(sm),
						m = ~UINT64_C(0);

			sm &= sm - 1;
			if ((g + 1) * 64 <= skip_to)
				continue;
			for (i = 0; i < n; i++)
				m &= gw[i][g - go[i]];
			while (m != 0)
			{
				uint32_t	dj = (uint32_t) (g * 64 + (uint64_t) __builtin_ctzll(m)),
							tf,
							dl;
				int64_t		r;
				double		K,
							num,
							den;

				m &= m - 1;
				if (dj < skip_to)
					continue;
				if ((++looked & 1023) == 0)
					tx_check_interrupts();
				r = grid_rank(dd, dj);
				if (r < 0 || (uint64_t) r / BM25_BLOCK >= drv->h.nblocks)
					continue;	/* corrupt: no match */
				if (SLACK(drv->bb[r / BM25_BLOCK] + rest) <= theta)
				{
					/* nothing more in this block of the driver can win */
					skip_to = (uint64_t) blk_last(drv, (uint32_t) (r / BM25_BLOCK)) + 1;
					if (skip_to >= gh * 64)
						goto done;
					continue;
				}
				if (!docs)
				{
					if (!cursor_load_docs(drv))
						goto done;
					docs = true;
				}
				if (!driver_doc(drv, dj, (uint32_t) r, &at, &tf, &dl))
					continue;
				drv->ptf = tf;
				drv->pdl = dl;
				drv->docid = dj;
				for (k = 0; k < np; k++)
				{
					/* the term frequency from the nibbles; 0: too large for them */
					int64_t		rk = grid_rank(&pc[k]->dn, dj);
					uint32_t	tk = rk < 0 ? 0 : bm25_dense_tf(&pc[k]->dn, (uint32_t) rk);

					if (tk > 0)
					{
						pc[k]->ptf = tk;
						pc[k]->pdl = dl;
						pc[k]->docid = dj;
					}
					else if (rk < 0 || !probe_doc(pc[k], dj, dl))
						break;
				}
				if (k < np)
					continue;	/* a dense section that disagrees with its list (corrupt) */
				/*
				 * The lists' w * (k1 + 1) * tf / (tf + K) summed, K the doc's
				 * length norm, as one fraction (k1 + 1) * num / den with den >
				 * 0: compared with theta without a division.  A filter with
				 * slack; the heap compares the canonical score.
				 */
				K = lnorm0 + lnorm1 * dl;
				num = drv->w * tf;
				den = tf + K;
				for (k = 0; k < np; k++)
				{
					double		q = pc[k]->ptf + K;

					num = num * q + pc[k]->w * pc[k]->ptf * den;
					den *= q;
				}
				if (!(SLACK(k1p * num) > theta * den))
					continue;
				if ((accept == NULL || accept(dj, c, n, arg)) &&
					bm25_heap_push(heap, canonical_score(in, n, p, dj), dj))
					theta = bm25_heap_threshold(heap);
			}
		}
	}
done:
	drv->docid = BM25_DOCID_END;
	return looked;
}

/*
 * May topk_and_bits answer the conjunction: has every list a grid, and are
 * the docs in every list expected to be a small part of the driver's?  The
 * other lists' densities over their spans, multiplied, estimate that part.
 * Where it is large (a word in a sixth of all turns with another common
 * one), decoding the driver's blocks and testing bits costs less than
 * finding each doc of the AND's rank and length.
 */
#define BM25_BITS_MAX_SHARE 0.05

static bool
and_all_grids(bm25_cursor **c, int n, const bm25_cursor *drv)
{
	double		share = 1;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (c[i]->dn.grid == NULL || !c[i]->dense_ok)
			return false;
		if (c[i] != drv)
			share *= (double) c[i]->dn.ndocs / c[i]->dn.nbits;
	}
	return share <= BM25_BITS_MAX_SHARE;
}

static long
topk_and(bm25_cursor **c, bm25_cursor **in, int n, const bm25_params *p,
		 bm25_heap *heap, bm25_accept_fn accept, void *arg)
{
	bm25_cursor *drv = and_driver(c, n);
	double		theta = bm25_heap_threshold(heap);
	long		looked = 0;
	uint32_t	d = 0;
	int			i,
				np = 0,
				nseek = 0;
	const bm25_dense *pr[BM25_MAX_PROBED];
	bool		scan_block;

	/* the blocks' bounds (bm25_cursor_bound) are the caller's */
	for (i = 0; i < n; i++)
		c[i]->sblk = c[i]->blk;
	if (drv == NULL)
		return 0;
	/* the driver is decoded; the other required lists are probed when they can be */
	for (i = 0; i < n; i++)
	{
		c[i]->probe = c[i]->required && c[i] != drv && c[i]->dense_ok && c[i]->dn.words != NULL;
		if (c[i]->probe)
		{
			if (np < BM25_MAX_PROBED)
				pr[np] = &c[i]->dn;
			np++;
		}
		else if (c[i]->required && c[i] != drv)
			nseek++;
		if (!c[i]->probe && !cursor_load_docs(c[i]))
			c[i]->docid = BM25_DOCID_END;
	}
	/* every other required list is probed: the driver's blocks are scanned with bit tests alone */
	scan_block = np > 0 && np <= BM25_MAX_PROBED && nseek == 0;
	for (;;)
	{
		uint32_t	boundary = BM25_DOCID_END;
		double		bound = 0;
		bool		end = false;

		if ((++looked & 1023) == 0)
			tx_check_interrupts();
		/* the range [d, boundary] and its block-max bound */
		for (i = 0; i < n && !end; i++)
		{
			bm25_cursor *x = c[i];
			uint32_t	first;

			if (!cursor_shallow(x, d))
			{
				if (x->required)
					end = true;
				continue;
			}
			/* a common doc lies in this block of every required list */
			first = x->sblk ? blk_last(x, x->sblk - 1) + 1 : 0;
			if (x->required && first > d)
			{
				d = first;
				i = -1;			/* a larger d: again from the first list */
				boundary = BM25_DOCID_END;
				bound = 0;
				continue;
			}
			if (blk_last(x, x->sblk) < boundary)
				boundary = blk_last(x, x->sblk);
			bound += x->bb[x->sblk];
		}
		if (end)
			break;
		if (SLACK(bound) <= theta)
		{
			if (boundary == BM25_DOCID_END)
				break;
			d = boundary + 1;
			continue;
		}
		/* the live range, doc by doc; d ends past it (or at the end) */
		while (d <= boundary)
		{
			double		score = 0,
						left;
			uint32_t	x;
			bool		miss = false;

			if ((++looked & 1023) == 0)
				tx_check_interrupts();
			d = cur_seek(drv, d);
			if (d == BM25_DOCID_END || d > boundary)
				break;
			if (scan_block)
			{
				/*
				 * The rest of the driver's decoded block, up to the range's
				 * end: the first doc whose bit is set in every probed list.
				 */
				int			j = drv->idx,
							end = drv->n,
							k;

				for (; j < end; j++)
				{
					uint32_t	dj = drv->d_docid[j];

					if (dj > boundary)
						break;
					for (k = 0; k < np; k++)
						if (!dense_has(pr[k], dj))
							break;
					if (k == np)
						break;
				}
				if (j == end || drv->d_docid[j] > boundary)
				{
					/* none: on to the driver's next doc after the last one tested */
					drv->idx = j - 1;
					drv->docid = drv->d_docid[j - 1];
					d = drv->docid + 1;
					continue;
				}
				drv->idx = j;
				d = drv->docid = drv->d_docid[j];
			}
			for (i = 0; i < n; i++)
			{
				if (!c[i]->required || c[i] == drv)
					continue;
				/*
				 * a probed list: a bit test (the next doc in it is usually
				 * nearer than the driver's next, so it is not looked for:
				 * the test stays a well-predicted branch)
				 */
				if (c[i]->probe)
					x = dense_has(&c[i]->dn, d) ? d : d + 1;
				else
					x = cur_seek(c[i], d);
				if (x != d)
				{
					miss = true;
					d = x;
					break;
				}
			}
			if (miss)
				continue;
			for (i = 0; i < n && !miss; i++)
				if (c[i]->probe && !probe_doc(c[i], d, drv->d_dl[drv->idx]))
					miss = true;
			if (miss)
			{
				/* a dense section that disagrees with its list (corrupt): no match */
				d++;
				continue;
			}
			for (i = 0; i < n; i++)
				if (c[i]->probe)
					score += bm25_tf_score(p, c[i]->w, c[i]->ptf, c[i]->pdl);
				else if (c[i]->required)
					score += bm25_tf_score(p, c[i]->w, c[i]->d_tf[c[i]->idx], c[i]->d_dl[c[i]->idx]);
			left = 0;
			for (i = 0; i < n; i++)
				if (!c[i]->required)
					left += c[i]->ub;
			for (i = 0; i < n; i++)
			{
				if (c[i]->required)
					continue;
				if (SLACK(score + left) <= theta)
					break;
				left -= c[i]->ub;
				if (cur_seek(c[i], d) == d)
					score += bm25_tf_score(p, c[i]->w, c[i]->d_tf[c[i]->idx], c[i]->d_dl[c[i]->idx]);
			}
			if (i == n && score > theta && (accept == NULL || accept(d, c, n, arg)) &&
				bm25_heap_push(heap, canonical_score(in, n, p, d), d))
			{
				theta = bm25_heap_threshold(heap);
				if (SLACK(bound) <= theta)
				{
					/* the rest of the range cannot win any more */
					d = boundary;
				}
			}
			if (d == BM25_DOCID_END)
				break;
			d++;
		}
		if (d == BM25_DOCID_END)
			break;
	}
	return looked;
}

/*
 * One list: visit its blocks best bound first and stop at the first block
 * that cannot beat the heap.  Docids are not visited in order, so ties are
 * settled by the heap's (score, docid) order and a block is skipped only when
 * its bound is strictly below the threshold.
 */
static long
topk_one(bm25_cursor *c, const bm25_params *p, bm25_heap *heap, bm25_accept_fn accept, void *arg)
{
	uint32_t   *order;
	uint32_t	i;
	long		looked = 0;

	bm25_cursor_bound(c, p);
	if (c->h.nblocks == 0)
		return 0;
	order = tx_alloc(sizeof(uint32_t) * c->h.nblocks);
	for (i = 0; i < c->h.nblocks; i++)
		order[i] = i;
	sort_bounds = c->bb;
	qsort(order, c->h.nblocks, sizeof(uint32_t), bound_desc_cmp);
	sort_bounds = NULL;
	for (i = 0; i < c->h.nblocks; i++)
	{
		uint32_t	b = order[i];
		int			j;

		tx_check_interrupts();
		if (heap->n >= heap->k && SLACK(c->bb[b]) < bm25_heap_threshold(heap))
			break;
		if (!cursor_decode(c, b))
			break;
		c->blk = b;
		for (j = 0; j < c->n; j++)
		{
			double		s = bm25_tf_score(p, c->w, c->d_tf[j], c->d_dl[j]);
			bm25_hit	x = {s, c->d_docid[j]};

			looked++;
			if (heap->n >= heap->k && !bm25_hit_better(&x, &heap->h[0]))
				continue;
			c->idx = j;
			c->docid = c->d_docid[j];
			if (accept == NULL || accept(c->docid, &c, 1, arg))
				bm25_heap_push(heap, s, c->docid);
		}
	}
	tx_free(order);
	return looked;
}

long
bm25_topk(bm25_cursor **in, int n, const bm25_params *p,
		  bm25_heap *heap, bm25_accept_fn accept, void *arg)
{
	bm25_cursor **c;
	double	   *prefix;
	double	   *lb;
	sat_table  *st;
	double		theta;
	int			e = 0;
	int			i;
	long		scored = 0;
	uint32_t	range_end = 0;
	bool		range_ok = false;

	if (n <= 0)
		return 0;
	{
		/* lazy cursors are only probed by a conjunction of two or more lists */
		bool		conj = false;

		for (i = 0; i < n; i++)
		{
			in[i]->probe = false;
			if (in[i]->required)
				conj = true;
		}
		for (i = 0; i < n; i++)
			if (in[i]->lazy && (n == 1 || !conj) && !cursor_load_docs(in[i]))
				in[i]->docid = BM25_DOCID_END;
	}
	if (n == 1)
		return topk_one(in[0], p, heap, accept, arg);
	c = tx_alloc(sizeof(bm25_cursor *) * (size_t) n);
	prefix = tx_alloc(sizeof(double) * (size_t) n);
	lb = tx_alloc(sizeof(double) * (size_t) n);
	memcpy(c, in, sizeof(bm25_cursor *) * (size_t) n);
	for (i = 0; i < n; i++)
		if (c[i]->required)
		{
			/* optional terms by decreasing bound, so pruning comes early */
			long		r;
			bm25_cursor *drv = and_driver(c, n);

			if (and_all_probed(c, n, drv))
			{
				bm25_cursor_bound(drv, p);
				r = and_all_grids(c, n, drv) ? topk_and_bits(c, in, n, drv, p, heap, accept, arg)
					: topk_and_probed(c, in, n, drv, p, heap, accept, arg);
				tx_free(c);
				tx_free(prefix);
				tx_free(lb);
				return r;
			}
			for (i = 0; i < n; i++)
				bm25_cursor_bound(c[i], p);
			qsort(c, (size_t) n, sizeof(bm25_cursor *), cursor_ub_cmp);
			for (i = 0; i < n / 2; i++)
			{
				bm25_cursor *t = c[i];

				c[i] = c[n - 1 - i];
				c[n - 1 - i] = t;
			}
			r = topk_and(c, in, n, p, heap, accept, arg);
			tx_free(c);
			tx_free(prefix);
			tx_free(lb);
			return r;
		}
	for (i = 0; i < n; i++)
		bm25_cursor_bound(c[i], p);
	st = sat_create(p);
	qsort(c, (size_t) n, sizeof(bm25_cursor *), cursor_ub_cmp);
	for (i = 0; i < n; i++)
		prefix[i] = c[i]->ub + (i ? prefix[i - 1] : 0);

	theta = bm25_heap_threshold(heap);
	while (e < n && SLACK(prefix[e]) <= theta)
		e++;

	while (e < n)
	{
		uint32_t	d = BM25_DOCID_END;
		double		bound = 0,
					score = 0;
		uint32_t	dl = 0;
		bool		pruned = false;

		if ((++scored & 1023) == 0)
			tx_check_interrupts();
		for (i = e; i < n; i++)
			if (c[i]->docid < d)
				d = c[i]->docid;
		if (d == BM25_DOCID_END)
			break;

		/*
		 * Block-max bound of the docid range [d, boundary]; while d stays in
		 * a range already found to beat theta there is nothing to check.
		 */
		if (d > range_end || !range_ok)
		{
		uint32_t	boundary = BM25_DOCID_END;

		for (i = 0; i < n; i++)
		{
			bm25_cursor *x = c[i];
			uint32_t	b;

			if (x->docid == BM25_DOCID_END)
				continue;
			if (x->sblk < x->blk)
				x->sblk = x->blk;
			while (x->sblk < x->h.nblocks && blk_last(x, x->sblk) < d)
				x->sblk++;
			b = x->sblk;
			if (b >= x->h.nblocks)
				continue;
			if (blk_last(x, b) < boundary)
				boundary = blk_last(x, b);
			bound += x->bb[b];
		}
		if (SLACK(bound) <= theta)
		{
			uint32_t	next = boundary == BM25_DOCID_END ? boundary : boundary + 1;

			range_ok = false;
			for (i = e; i < n; i++)
				bm25_cursor_seek(c[i], next);
			continue;
		}
		range_end = boundary;
		range_ok = true;
		}

		/* score d on the essential lists, then the others while it can still win */
		for (i = e; i < n; i++)
			if (c[i]->docid == d)
			{
				score += cur_score(st, c[i]);
				dl = c[i]->d_dl[c[i]->idx];
			}

		/*
		 * What the other lists can still add to a doc of this length, by
		 * the blocks that hold d (the range's shallow pointers), when their
		 * whole-list bounds do not already rule it out.
		 */
		if (e > 0 && SLACK(score + prefix[e - 1]) > theta)
		{
			double		acc = 0;

			for (i = 0; i < e; i++)
			{
				if (c[i]->docid != BM25_DOCID_END && c[i]->sblk < c[i]->h.nblocks)
					acc += len_bound(c[i], c[i]->sblk, dl, st);
				lb[i] = acc < prefix[i] ? acc : prefix[i];
			}
		}
		else
			memcpy(lb, prefix, sizeof(double) * (size_t) e);
		for (i = e - 1; i >= 0; i--)
		{
			if (SLACK(score + lb[i]) <= theta)
			{
				pruned = true;
				break;
			}
			if (cur_seek(c[i], d) == d)
				score += cur_score(st, c[i]);
		}
		/* score is approximate (the table): the heap decides on the exact one */
		if (!pruned && SLACK(score) > theta &&
			(accept == NULL || accept(d, c, n, arg)) &&
			bm25_heap_push(heap, canonical_score(in, n, p, d), d))
		{
			theta = bm25_heap_threshold(heap);
			while (e < n && SLACK(prefix[e]) <= theta)
				e++;
			range_ok = false;
		}
		for (i = 0; i < n; i++)
			if (c[i]->docid == d)
				cursor_next(c[i]);
	}
	tx_free(st);
	tx_free(c);
	tx_free(prefix);
	tx_free(lb);
	return scored;
}
