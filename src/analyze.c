/*
 * analyze.c
 *	  tx_analyze(): the ICU tokenizer followed by a text search
 *	  configuration's dictionaries, for the search parts (query analysis,
 *	  snippets, the bm25 index build).
 *
 * This is PostgreSQL's parsetext() minus the generality that costs time:
 * the configuration's map and dictionaries are looked up once per call, the
 * result of a dictionary chain is cached per distinct (token text,
 * dictionary list) for the call, and the output is one array of tokens plus
 * one block of lexeme bytes.  The tokenizer is kept per backend in its own
 * memory context and emptied (or dropped, after a big input) on each call.
 */
#include "transcripts.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_ts_config.h"
#include "commands/extension.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "tsearch/ts_cache.h"
#include "tsearch/ts_public.h"
#include "tsearch/ts_type.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "analyze.h"
#include "tokenize.h"
#include "ts_parser.h"

/* keep the backend's tokenizer while it holds less than this */
#define ANALYZER_KEEP_BYTES (4 * 1024 * 1024)

static Oid	default_cfg = InvalidOid;
static bool default_cfg_callback = false;

static MemoryContext analyzer_cxt = NULL;
static tx_tokenizer *analyzer_tk = NULL;

/* ---------------------------------------------------------------- default config */

static void
default_cfg_inval(Datum arg, int cacheid, uint32 hashvalue)
{
	default_cfg = InvalidOid;
}

static Oid
extension_schema(Oid extoid)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return nsp;
}

Oid
tx_default_config(void)
{
	Oid			extoid;
	Oid			nsp;
	Oid			cfg;

	if (OidIsValid(default_cfg))
		return default_cfg;
	if (!default_cfg_callback)
	{
		CacheRegisterSyscacheCallback(TSCONFIGOID, default_cfg_inval, (Datum) 0);
		default_cfg_callback = true;
	}
	extoid = get_extension_oid("transcripts", true);
	nsp = OidIsValid(extoid) ? extension_schema(extoid) : InvalidOid;
	if (!OidIsValid(nsp))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("extension \"transcripts\" is not installed"),
				 errhint("Run CREATE EXTENSION transcripts.")));
	cfg = GetSysCacheOid2(TSCONFIGNAMENSP, Anum_pg_ts_config_oid,
						  CStringGetDatum("transcripts"), ObjectIdGetDatum(nsp));
	if (!OidIsValid(cfg))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("text search configuration \"%s.transcripts\" does not exist",
						get_namespace_name(nsp)),
				 errhint("Run ALTER EXTENSION transcripts UPDATE.")));
	default_cfg = cfg;
	return cfg;
}

/* ---------------------------------------------------------------- character offsets */

static inline int32
count_chars(const char *s, int32 from, int32 to)
{
	int32		n = 0;
	int32		i;

	for (i = from; i < to; i++)
		n += ((unsigned char) s[i] & 0xC0) != 0x80;
	return n;
}

int32
tx_char_offset(const char *s, int32 byte_offset)
{
	return count_chars(s, 0, byte_offset);
}

void
tx_char_cursor_init(TxCharCursor *c, const char *s)
{
	c->s = s;
	c->byte = 0;
	c->chr = 0;
}

int32
tx_char_cursor_offset(TxCharCursor *c, int32 byte_offset)
{
	if (byte_offset < c->byte)
	{
		c->byte = 0;
		c->chr = 0;
	}
	c->chr += count_chars(c->s, c->byte, byte_offset);
	c->byte = byte_offset;
	return c->chr;
}

const char *
tx_token_type_alias(int type)
{
	return tx_token_type_name(type);
}

/* ---------------------------------------------------------------- analysis */

/* the dictionaries of one token type */
typedef struct TypeMap
{
	int			ndicts;
	TSDictionaryCacheEntry **dicts;
	int			list;			/* same number = same dictionary list */
} TypeMap;

typedef enum
{
	LEX_EMPTY = 0,				/* free cache slot */
	LEX_WORDS,					/* nlex lexemes at lexoff, NUL-separated */
	LEX_STOP,					/* a stop word */
	LEX_UNKNOWN					/* no dictionary knows it */
} LexKind;

typedef struct LexEntry
{
	const char *key;			/* token text (in the tokenizer's arena) */
	uint32		hash;
	int32		keylen;
	int16		list;
	int16		kind;
	int32		nlex;
	int32		lexoff;			/* into the lexeme buffer */
} LexEntry;

typedef struct Analyzer
{
	TypeMap		maps[TX_TOKEN_MAXTYPE + 1];

	LexEntry   *cache;
	uint32		cachesize;		/* power of two */
	uint32		cacheused;

	char	   *lex;			/* lexeme bytes */
	int32		lexlen;
	int32		lexcap;

	TxToken    *tokens;
	int32	   *offs;			/* lexeme offset of each token, -1 for none */
	int			ntokens;
	int			cap;
} Analyzer;

static void
build_maps(Analyzer *a, Oid cfgId)
{
	TSConfigCacheEntry *cfg = lookup_ts_config_cache(cfgId);
	int			type;

	if (!tx_is_transcripts_parser(cfg->prsId))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("text search configuration \"%s\" does not use the transcripts parser",
						DatumGetCString(DirectFunctionCall1(regconfigout, ObjectIdGetDatum(cfgId)))),
				 errhint("Use transcripts, transcripts_nostop, or a configuration made with PARSER = transcripts_parser.")));

	for (type = 1; type <= TX_TOKEN_MAXTYPE; type++)
	{
		TypeMap    *m = &a->maps[type];
		ListDictionary *ld;
		int			i,
					other;

		m->ndicts = 0;
		m->list = type;
		if (type >= cfg->lenmap)
			continue;
		ld = &cfg->map[type];
		if (ld->len <= 0)
			continue;
		m->ndicts = ld->len;
		m->dicts = palloc(sizeof(TSDictionaryCacheEntry *) * ld->len);
		for (i = 0; i < ld->len; i++)
			m->dicts[i] = lookup_ts_dictionary_cache(ld->dictIds[i]);
		/* share cache entries between types with the same dictionaries */
		for (other = 1; other < type; other++)
		{
			ListDictionary *lo;

			if (other >= cfg->lenmap)
				break;
			lo = &cfg->map[other];
			if (lo->len == ld->len &&
				memcmp(lo->dictIds, ld->dictIds, sizeof(Oid) * ld->len) == 0)
			{
				m->list = a->maps[other].list;
				break;
			}
		}
	}
}

static int32
lex_append(Analyzer *a, const char *s, int32 len)
{
	int32		off = a->lexlen;

	if (a->lexlen + len + 1 > a->lexcap)
	{
		int32		cap = a->lexcap * 2;

		while (cap < a->lexlen + len + 1)
			cap *= 2;
		a->lex = repalloc_huge(a->lex, cap);
		a->lexcap = cap;
	}
	memcpy(a->lex + a->lexlen, s, len);
	a->lex[a->lexlen + len] = '\0';
	a->lexlen += len + 1;
	return off;
}

/*
 * Run word through the dictionary chain of m as LexizeExec does for a
 * single token: the first dictionary that returns non-NULL decides, except
 * that a filtering dictionary's output goes on to the next dictionary.
 */
static void
lexize(Analyzer *a, TypeMap *m, const char *word, int32 wlen, LexEntry *e)
{
	int			i;

	e->kind = LEX_UNKNOWN;
	for (i = 0; i < m->ndicts; i++)
	{
		TSDictionaryCacheEntry *dict = m->dicts[i];
		DictSubState dstate;
		TSLexeme   *res;
		TSLexeme   *p;

		dstate.isend = dstate.getnext = false;
		dstate.private_state = NULL;
		res = (TSLexeme *) DatumGetPointer(FunctionCall4(&dict->lexize,
														 PointerGetDatum(dict->dictData),
														 PointerGetDatum(word),
														 Int32GetDatum(wlen),
														 PointerGetDatum(&dstate)));
		if (res == NULL)
			continue;
		if (res->lexeme && (res->flags & TSL_FILTER))
		{
			word = res->lexeme;
			wlen = strlen(word);
			continue;
		}
		if (res->lexeme == NULL)
		{
			e->kind = LEX_STOP;
			return;
		}
		e->kind = LEX_WORDS;
		e->nlex = 0;
		e->lexoff = a->lexlen;
		for (p = res; p->lexeme; p++)
		{
			lex_append(a, p->lexeme, strlen(p->lexeme));
			e->nlex++;
			pfree(p->lexeme);
		}
		pfree(res);
		return;
	}
}

static void
cache_grow(Analyzer *a)
{
	LexEntry   *old = a->cache;
	uint32		oldsize = a->cachesize;
	uint32		i;

	a->cachesize = oldsize ? oldsize * 2 : 256;
	a->cache = palloc0(sizeof(LexEntry) * a->cachesize);
	for (i = 0; i < oldsize; i++)
	{
		uint32		j;

		if (old[i].kind == LEX_EMPTY)
			continue;
		j = old[i].hash & (a->cachesize - 1);
		while (a->cache[j].kind != LEX_EMPTY)
			j = (j + 1) & (a->cachesize - 1);
		a->cache[j] = old[i];
	}
	if (old)
		pfree(old);
}

static LexEntry *
lookup(Analyzer *a, TypeMap *m, const char *word, int32 wlen)
{
	uint32		h;
	uint32		j;
	LexEntry   *e;

	if (a->cacheused * 2 >= a->cachesize)
		cache_grow(a);
	h = hash_bytes((const unsigned char *) word, wlen) ^ ((uint32) m->list * 0x9E3779B9u);
	j = h & (a->cachesize - 1);
	for (;;)
	{
		e = &a->cache[j];
		if (e->kind == LEX_EMPTY)
			break;
		if (e->hash == h && e->list == m->list && e->keylen == wlen &&
			memcmp(e->key, word, wlen) == 0)
			return e;
		j = (j + 1) & (a->cachesize - 1);
	}
	e->key = word;
	e->keylen = wlen;
	e->hash = h;
	e->list = m->list;
	lexize(a, m, word, wlen, e);
	a->cacheused++;
	return e;
}

static void
add_token(Analyzer *a, const tx_token *t, int32 pos, int32 off, int32 len)
{
	TxToken    *o;

	if (a->ntokens >= a->cap)
	{
		a->cap *= 2;
		a->tokens = repalloc_huge(a->tokens, sizeof(TxToken) * a->cap);
		a->offs = repalloc_huge(a->offs, sizeof(int32) * a->cap);
	}
	o = &a->tokens[a->ntokens];
	o->start = (int32) t->start;
	o->end = (int32) t->end;
	o->pos = pos;
	o->type = (int16) t->type;
	o->lexlen = (int16) len;
	o->lexeme = NULL;
	a->offs[a->ntokens] = off;
	a->ntokens++;
}

/* the backend's tokenizer, started on s[0..len) */
static tx_tokenizer *
analyzer_tokenizer(const char *s, int len)
{
	MemoryContext old;

	if (analyzer_cxt == NULL)
		analyzer_cxt = AllocSetContextCreate(TopMemoryContext, "transcripts analyzer",
											 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(analyzer_cxt);
	if (analyzer_tk == NULL)
		analyzer_tk = tx_tokenizer_new();
	tx_tokenizer_reset(analyzer_tk, s, (size_t) len);
	MemoryContextSwitchTo(old);
	return analyzer_tk;
}

void
tx_analyze(Oid cfg, const char *s, int len, TxAnalysis *out)
{
	Analyzer	a;
	tx_tokenizer *tk;
	tx_token	t;
	tx_error	err;
	int32		counter = 0;
	int			i;

	tx_require_utf8();
	memset(&a, 0, sizeof(a));
	build_maps(&a, cfg);
	a.cap = Max(16, len / 6);
	a.tokens = palloc_extended(sizeof(TxToken) * a.cap, MCXT_ALLOC_HUGE);
	a.offs = palloc_extended(sizeof(int32) * a.cap, MCXT_ALLOC_HUGE);
	a.lexcap = Max(64, len / 2);
	a.lex = palloc_extended(a.lexcap, MCXT_ALLOC_HUGE);

	tk = analyzer_tokenizer(s, len);
	tx_error_clear(&err);
	for (;;)
	{
		MemoryContext old;
		int			rc;
		TypeMap    *m;
		LexEntry   *e;
		int32		pos;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(analyzer_cxt);
		rc = tx_tokenizer_next(tk, &t, &err);
		MemoryContextSwitchTo(old);
		if (rc < 0)
			tx_raise(&err, ERRCODE_INTERNAL_ERROR, "could not tokenize text");
		if (rc == 0)
			break;
		if (t.normlen >= MAXSTRLEN)
			continue;			/* as to_tsvector: too long to be indexed */
		m = &a.maps[t.type];
		if (m->ndicts == 0)
			continue;
		e = lookup(&a, m, t.norm, (int32) t.normlen);
		if (e->kind == LEX_UNKNOWN)
			continue;
		if (t.type == TX_TOKEN_COMPOUND || t.type == TX_TOKEN_NUMCOMPOUND)
			pos = counter + 1;	/* the whole shares its first part's position */
		else
			pos = ++counter;
		if (e->kind == LEX_STOP)
			add_token(&a, &t, pos, -1, 0);
		else
		{
			int32		off = e->lexoff;
			int			k;

			for (k = 0; k < e->nlex; k++)
			{
				int32		l = (int32) strlen(a.lex + off);

				add_token(&a, &t, pos, off, Min(l, PG_INT16_MAX));
				off += l + 1;
			}
		}
	}

	/* the lexeme buffer has stopped moving: point the tokens into it */
	for (i = 0; i < a.ntokens; i++)
		if (a.offs[i] >= 0)
			a.tokens[i].lexeme = a.lex + a.offs[i];
	out->tokens = a.tokens;
	out->ntokens = a.ntokens;

	if (a.cache)
		pfree(a.cache);
	pfree(a.offs);
	for (i = 1; i <= TX_TOKEN_MAXTYPE; i++)
		if (a.maps[i].ndicts > 0)
			pfree(a.maps[i].dicts);

	/* do not keep the buffers of a big input for the rest of the session */
	if (MemoryContextMemAllocated(analyzer_cxt, true) > ANALYZER_KEEP_BYTES)
	{
		MemoryContextReset(analyzer_cxt);
		analyzer_tk = NULL;
	}
}
