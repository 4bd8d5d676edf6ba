/*
 * analyze.c
 *	  tx_analyze(): the ICU tokenizer followed by a text search
 *	  configuration's dictionaries, for the search parts (query analysis,
 *	  snippets, the bm25 index build).
 *
 * This is PostgreSQL's parsetext() minus the generality that costs time:
 * the configuration's map and dictionaries are looked up once per call, what
 * the dictionaries make of a token text is cached per backend (see "lexeme
 * cache" below), and the output is one array of tokens plus one block of
 * lexeme bytes.  The tokenizer is kept per backend in its own
 * memory context and emptied (or dropped, after a big input) on each call.
 */
#include "transcripts.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_ts_config.h"
#include "commands/extension.h"
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

/* tokens of one text, far above what 1 GB of text holds in practice */
#define TX_MAX_TOKENS (1 << 28)

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

/* ---------------------------------------------------------------- lexeme cache */

/*
 * What a configuration's dictionaries make of a token text, kept per backend
 * across calls: stemming is most of the cost of analysis and texts repeat
 * their words.  Keyed by (configuration, dictionary list, token text); the
 * whole cache is dropped when it grows past LEXCACHE_MAX entries and when
 * any text search configuration or dictionary changes (as PostgreSQL's own
 * text search caches are).  Dictionaries are assumed to be functions of the
 * token text, which holds for all of PostgreSQL's templates except the
 * multi-word matching of thesaurus dictionaries, which tx_analyze does not
 * do anyway.
 */
#define LEXCACHE_MAX 65536		/* entries */

typedef enum
{
	LEX_WORDS = 1,				/* nlex lexemes, each NUL-terminated */
	LEX_STOP,					/* a stop word */
	LEX_UNKNOWN					/* no dictionary knows it */
} LexKind;

#define LEXKEY_INLINE 24		/* key bytes kept in the entry itself */

typedef struct LexEntry
{
	uint32		hash;
	Oid			cfg;
	int16		kind;
	int16		list;			/* dictionary list within the configuration */
	int32		keylen;
	int32		nlex;
	int32		len1;			/* length of the first lexeme (LEX_WORDS), else -1 */
	uint32		mstamp;			/* matcher that computed mmask, 0 = none */
	uint32		mmask;			/* that matcher's answer for the lexemes */
	char	   *data;			/* token text, then the lexemes */
	char		key[LEXKEY_INLINE]; /* the first bytes of the token text */
} LexEntry;

/*
 * The table probed for every token is kept small (8 bytes a slot: the hash
 * and the entry number + 1, 0 when free, at most half full) and grows with
 * the entries, so that it mostly stays in cache; an entry is 64 bytes and
 * holds the start of its key, so that a hit reads one slot and one entry.
 */
#define LEXCACHE_MIN_SLOTS 4096
static MemoryContext lexcache_cxt = NULL;
static uint64 *lexslots = NULL;
static uint32 lexcache_nslots = 0;
static LexEntry *lexentries = NULL;
static uint32 lexcache_used = 0;
static bool lexcache_stale = false;
static uint32 lexcache_stamp = 0;

/* simple dictionaries asked whether they accept (see simple_accepts) */
#define SIMPLE_SEEN_MAX 16

static int	simple_nseen = 0;
static Oid	simple_seen_oid[SIMPLE_SEEN_MAX];
static bool simple_seen_accept[SIMPLE_SEEN_MAX];

static Oid	maps_cfg;

/* counts changes to text search objects seen (tx_ts_generation) */
static uint64 ts_generation = 1;

static void
lexcache_inval(Datum arg, int cacheid, uint32 hashvalue)
{
	lexcache_stale = true;
	maps_cfg = InvalidOid;		/* see use_maps */
	ts_generation++;
}

static void
ts_callbacks_register(void)
{
	static bool done = false;

	if (done)
		return;
	CacheRegisterSyscacheCallback(TSCONFIGOID, lexcache_inval, (Datum) 0);
	CacheRegisterSyscacheCallback(TSCONFIGMAP, lexcache_inval, (Datum) 0);
	CacheRegisterSyscacheCallback(TSDICTOID, lexcache_inval, (Datum) 0);
	CacheRegisterSyscacheCallback(TSTEMPLATEOID, lexcache_inval, (Datum) 0);
	done = true;
}

uint64
tx_ts_generation(void)
{
	ts_callbacks_register();
	return ts_generation;
}

static void
lexcache_reset(void)
{
	if (lexcache_cxt == NULL)
	{
		lexcache_cxt = AllocSetContextCreate(TopMemoryContext, "transcripts lexeme cache",
											 ALLOCSET_DEFAULT_SIZES);
		ts_callbacks_register();
	}
	else
		MemoryContextReset(lexcache_cxt);
	lexcache_nslots = LEXCACHE_MIN_SLOTS;
	lexslots = MemoryContextAllocZero(lexcache_cxt, sizeof(uint64) * lexcache_nslots);
	lexentries = MemoryContextAlloc(lexcache_cxt, sizeof(LexEntry) * LEXCACHE_MAX);
	lexcache_used = 0;
	lexcache_stale = false;
	simple_nseen = 0;
}

/* double the slot table (rehashing from the entries' hashes) */
static void
lexcache_grow(void)
{
	uint32		n = lexcache_nslots * 2;
	uint64	   *slots = MemoryContextAllocZero(lexcache_cxt, sizeof(uint64) * n);
	uint32		i;

	for (i = 0; i < lexcache_used; i++)
	{
		uint32		j = lexentries[i].hash & (n - 1);

		while (slots[j] != 0)
			j = (j + 1) & (n - 1);
		slots[j] = ((uint64) lexentries[i].hash << 32) | (i + 1);
	}
	pfree(lexslots);
	lexslots = slots;
	lexcache_nslots = n;
}

uint32
tx_lexcache_new_stamp(void)
{
	if (++lexcache_stamp == 0)
	{
		/* wrapped: older answers could pass for new ones */
		lexcache_stamp = 1;
		lexcache_stale = true;
	}
	return lexcache_stamp;
}

/* ---------------------------------------------------------------- analysis */

/* the dictionaries of one token type */
typedef struct TypeMap
{
	int			ndicts;
	TSDictionaryCacheEntry **dicts;
	int16		list;			/* same number = same dictionary list */
	bool		simple_accept;	/* the first is a simple dictionary with
								 * Accept = true (see simple_accepts) */
} TypeMap;

typedef struct Analyzer
{
	Oid			cfg;
	TypeMap		maps[TX_TOKEN_MAXTYPE + 1];

	char	   *lex;			/* lexeme bytes */
	Size		lexlen;
	Size		lexcap;

	TxToken    *tokens;
	int64	   *offs;			/* lexeme offset of each token, -1 for none */
	int			ntokens;
	int			cap;
} Analyzer;

/*
 * Dictionaries of the simple template that accept every word (Accept =
 * true, the default): for them a token is a stop word or its own lower-cased
 * text, never unknown, and never filtered on.  Learnt by asking the
 * dictionary about "a b", which no stop list holds (stop words are read up
 * to the first space): it comes back as itself exactly when the dictionary
 * accepts.  Kept until the lexeme cache is reset, which any change of a
 * dictionary or configuration causes.
 */
static bool
simple_accepts(Oid dictId, TSDictionaryCacheEntry *dict)
{
	DictSubState dstate;
	TSLexeme   *res;
	bool		accept;
	int			i;

	if (dict->lexize.fn_oid != F_DSIMPLE_LEXIZE)
		return false;
	for (i = 0; i < simple_nseen; i++)
		if (simple_seen_oid[i] == dictId)
			return simple_seen_accept[i];
	dstate.isend = dstate.getnext = false;
	dstate.private_state = NULL;
	res = (TSLexeme *) DatumGetPointer(FunctionCall4(&dict->lexize,
													 PointerGetDatum(dict->dictData),
													 PointerGetDatum("a b"),
													 Int32GetDatum(3),
													 PointerGetDatum(&dstate)));
	accept = res != NULL && res[0].lexeme != NULL && strcmp(res[0].lexeme, "a b") == 0 &&
		(res[0].flags & TSL_FILTER) == 0 && res[1].lexeme == NULL;
	if (res != NULL)
	{
		if (res[0].lexeme != NULL)
			pfree(res[0].lexeme);
		pfree(res);
	}
	if (simple_nseen < SIMPLE_SEEN_MAX)
	{
		simple_seen_oid[simple_nseen] = dictId;
		simple_seen_accept[simple_nseen] = accept;
		simple_nseen++;
	}
	return accept;
}

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

	a->cfg = cfgId;
	for (type = 1; type <= TX_TOKEN_MAXTYPE; type++)
	{
		TypeMap    *m = &a->maps[type];
		ListDictionary *ld;
		int			i,
					other;

		m->ndicts = 0;
		m->list = type;
		m->simple_accept = false;
		if (type >= cfg->lenmap)
			continue;
		ld = &cfg->map[type];
		if (ld->len <= 0)
			continue;
		m->ndicts = ld->len;
		m->dicts = palloc(sizeof(TSDictionaryCacheEntry *) * ld->len);
		for (i = 0; i < ld->len; i++)
			m->dicts[i] = lookup_ts_dictionary_cache(ld->dictIds[i]);
		m->simple_accept = simple_accepts(ld->dictIds[0], m->dicts[0]);
		/* share cache entries between types with the same dictionaries */
		for (other = 1; other < type; other++)
		{
			ListDictionary *lo = &cfg->map[other];

			if (lo->len == ld->len &&
				memcmp(lo->dictIds, ld->dictIds, sizeof(Oid) * ld->len) == 0)
			{
				m->list = a->maps[other].list;
				break;
			}
		}
	}
}

/*
 * The type maps of the configuration last analysed with are kept across
 * calls: building them looks the configuration and its dictionaries up in
 * PostgreSQL's text search caches, a few per cent of an index build, which
 * analyses row by row.  Any change of a configuration, dictionary or template
 * drops them (lexcache_inval); the arrays of the old ones are freed only by
 * the next call that builds new ones, so a call in progress keeps its copy.
 */
static MemoryContext maps_cxt = NULL;
static TypeMap maps_cache[TX_TOKEN_MAXTYPE + 1];

static void
use_maps(Analyzer *a, Oid cfgId)
{
	MemoryContext old;

	if (maps_cfg == cfgId && OidIsValid(cfgId))
	{
		a->cfg = cfgId;
		memcpy(a->maps, maps_cache, sizeof(maps_cache));
		return;
	}
	if (maps_cxt == NULL)
		maps_cxt = AllocSetContextCreate(TopMemoryContext, "transcripts analyzer maps",
										 ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(maps_cxt);
	maps_cfg = InvalidOid;
	old = MemoryContextSwitchTo(maps_cxt);
	build_maps(a, cfgId);
	MemoryContextSwitchTo(old);
	memcpy(maps_cache, a->maps, sizeof(maps_cache));
	maps_cfg = cfgId;
}

/*
 * Run word through the dictionary chain of m as LexizeExec does for a
 * single token: the first dictionary that returns non-NULL decides, except
 * that a filtering dictionary's output goes on to the next dictionary.
 * Fills e, with its data (the key, then the lexemes) in the cache's memory.
 */
static void
lexize(TypeMap *m, const char *key, int32 keylen, LexEntry *e)
{
	const char *word = key;
	int32		wlen = keylen;
	int			i;

	e->kind = LEX_UNKNOWN;
	e->nlex = 0;
	e->len1 = -1;
	e->keylen = keylen;
	e->mstamp = 0;
	e->mmask = 0;
	memcpy(e->key, key, Min(keylen, LEXKEY_INLINE));
	for (i = 0; i < m->ndicts; i++)
	{
		TSDictionaryCacheEntry *dict = m->dicts[i];
		DictSubState dstate;
		TSLexeme   *res;
		TSLexeme   *p;
		Size		bytes = 0;
		char	   *w;

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
			break;
		}
		e->kind = LEX_WORDS;
		for (p = res; p->lexeme; p++)
			bytes += strlen(p->lexeme) + 1;
		e->data = w = MemoryContextAlloc(lexcache_cxt, keylen + bytes);
		memcpy(w, key, keylen);
		w += keylen;
		for (p = res; p->lexeme; p++)
		{
			size_t		l = strlen(p->lexeme) + 1;

			memcpy(w, p->lexeme, l);
			w += l;
			if (e->nlex == 0)
				e->len1 = (int32) (l - 1);
			e->nlex++;
			pfree(p->lexeme);
		}
		pfree(res);
		return;
	}
	e->data = MemoryContextAlloc(lexcache_cxt, keylen ? keylen : 1);
	memcpy(e->data, key, keylen);
}

/*
 * Token texts are short: they are compared and hashed a word at a time, the
 * last (partial) word read as an overlapping load that stays inside the
 * text (a tail of 4..7 bytes as two 4-byte loads).
 */
static inline uint64
load8(const char *p)
{
	uint64		v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint32
load4(const char *p)
{
	uint32		v;

	memcpy(&v, p, 4);
	return v;
}

/* the bytes p[0..n) for n < 8, as one word (which bytes go where depends only on n) */
static inline uint64
load_short(const char *p, int32 n)
{
	if (n >= 4)
		return load4(p) | ((uint64) load4(p + n - 4) << 32);
	if (n > 0)
		return (unsigned char) p[0] | ((uint64) (unsigned char) p[n / 2] << 8) |
			((uint64) (unsigned char) p[n - 1] << 16);
	return 0;
}

/* n bytes of a and b equal? */
static inline bool
bytes_eq(const char *a, const char *b, int32 n)
{
	int32		i;

	if (n < 8)
		return load_short(a, n) == load_short(b, n);
	for (i = 0; i + 8 < n; i += 8)
		if (load8(a + i) != load8(b + i))
			return false;
	return load8(a + n - 8) == load8(b + n - 8);
}

static inline bool
entry_is(const LexEntry *e, const char *word, int32 wlen)
{
	if (e->keylen != wlen)
		return false;
	if (wlen <= LEXKEY_INLINE)
		return bytes_eq(e->key, word, wlen);
	return bytes_eq(e->key, word, LEXKEY_INLINE) &&
		memcmp(e->data + LEXKEY_INLINE, word + LEXKEY_INLINE, wlen - LEXKEY_INLINE) == 0;
}

/*
 * Hash of a token text for the lexeme cache: a multiply per word and a final
 * mix (hash_bytes' setup costs more than hashing a few bytes).  Only this
 * cache uses it.
 */
static inline uint32
word_hash(const char *word, int32 wlen)
{
	uint64		h = (uint64) wlen * UINT64CONST(0x9E3779B97F4A7C15);
	int32		i;

	if (wlen < 8)
		h = (h ^ load_short(word, wlen)) * UINT64CONST(0xBF58476D1CE4E5B9);
	else
	{
		for (i = 0; i + 8 < wlen; i += 8)
		{
			h = (h ^ load8(word + i)) * UINT64CONST(0xBF58476D1CE4E5B9);
			h ^= h >> 29;
		}
		h = (h ^ load8(word + wlen - 8)) * UINT64CONST(0xBF58476D1CE4E5B9);
	}
	/* the low bits pick the slot: mix the high ones down */
	h ^= h >> 31;
	h *= UINT64CONST(0x94D049BB133111EB);
	h ^= h >> 32;
	return (uint32) h;
}

static inline uint32
lex_hash(Analyzer *a, TypeMap *m, const char *word, int32 wlen)
{
	return word_hash(word, wlen) ^
		((uint32) m->list * 0x9E3779B9u) ^ ((uint32) a->cfg * 0x85EBCA6Bu);
}

static LexEntry *
lookup_hashed(Analyzer *a, TypeMap *m, const char *word, int32 wlen, uint32 h)
{
	uint32		j;
	uint32		mask;
	uint64		slot;
	LexEntry   *e;

	if (lexcache_used >= LEXCACHE_MAX)
		lexcache_reset();
	mask = lexcache_nslots - 1;
	j = h & mask;
	while ((slot = lexslots[j]) != 0)
	{
		if ((uint32) (slot >> 32) == h)
		{
			e = &lexentries[(uint32) slot - 1];
			if (e->list == m->list && e->cfg == a->cfg && entry_is(e, word, wlen))
				return e;
		}
		j = (j + 1) & mask;
	}

	/* a miss: ask the dictionaries (the slot stays free if they fail) */
	e = &lexentries[lexcache_used];
	lexize(m, word, wlen, e);
	e->list = m->list;
	e->cfg = a->cfg;
	e->hash = h;
	lexcache_used++;
	lexslots[j] = ((uint64) h << 32) | lexcache_used;
	if (lexcache_used * 2 > lexcache_nslots)
		lexcache_grow();
	return e;
}

static LexEntry *
lookup(Analyzer *a, TypeMap *m, const char *word, int32 wlen)
{
	return lookup_hashed(a, m, word, wlen, lex_hash(a, m, word, wlen));
}

/* a hint only: bring the slot, then the entry, of hash h into the cache */
static inline void
prefetch_slot(uint32 h)
{
	__builtin_prefetch(&lexslots[h & (lexcache_nslots - 1)]);
}

static inline void
prefetch_entry(uint32 h)
{
	uint64		slot = lexslots[h & (lexcache_nslots - 1)];

	if (slot != 0 && (uint32) (slot >> 32) == h)
		__builtin_prefetch(&lexentries[(uint32) slot - 1]);
}

static int64
lex_append(Analyzer *a, const char *s, int32 len)
{
	int64		off = a->lexlen;

	if (a->lexlen + len + 1 > a->lexcap)
	{
		Size		cap = a->lexcap * 2;

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

static void
add_token(Analyzer *a, const tx_token *t, int32 pos, int64 off, int32 len)
{
	TxToken    *o;

	if (a->ntokens >= a->cap)
	{
		if (a->cap > TX_MAX_TOKENS / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("text has too many tokens to analyze"),
					 errdetail("The limit is %d tokens.", TX_MAX_TOKENS)));
		a->cap *= 2;
		a->tokens = repalloc_huge(a->tokens, sizeof(TxToken) * a->cap);
		a->offs = repalloc_huge(a->offs, sizeof(int64) * a->cap);
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
	if (lexslots == NULL || lexcache_stale)
		lexcache_reset();
	use_maps(&a, cfg);
	a.cap = Max(16, len / 6);
	a.tokens = palloc_extended(sizeof(TxToken) * a.cap, MCXT_ALLOC_HUGE);
	a.offs = palloc_extended(sizeof(int64) * a.cap, MCXT_ALLOC_HUGE);
	a.lexcap = Max(64, len);
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
			const char *p = e->data + e->keylen;
			int			k;

			for (k = 0; k < e->nlex; k++)
			{
				int32		l = (k == 0 && e->len1 >= 0) ? e->len1 : (int32) strlen(p);

				add_token(&a, &t, pos, lex_append(&a, p, l), Min(l, PG_INT16_MAX));
				p += l + 1;
			}
		}
	}

	/* the lexeme buffer has stopped moving: point the tokens into it */
	for (i = 0; i < a.ntokens; i++)
		if (a.offs[i] >= 0)
			a.tokens[i].lexeme = a.lex + a.offs[i];
	out->tokens = a.tokens;
	out->ntokens = a.ntokens;

	pfree(a.offs);

	/* do not keep the buffers of a big input for the rest of the session */
	if (MemoryContextMemAllocated(analyzer_cxt, true) > ANALYZER_KEEP_BYTES)
	{
		MemoryContextReset(analyzer_cxt);
		analyzer_tk = NULL;
	}
}

/*
 * tx_analyze_scan: the token walk of tx_analyze without materializing
 * lexemes.  Each positioned token (stop words included) is handed to emit
 * with classify's answer for its lexemes (0 for stop words), which is
 * memoized in the lexeme cache under stamp: a token text seen before with
 * the same stamp is not classified again.
 */
#define SCAN_BATCH 32

typedef struct scan_batch
{
	int			n;
	tx_token	tok[SCAN_BATCH];
	uint32		hash[SCAN_BATCH];
	bool		plain[SCAN_BATCH];	/* a word with no match: no lookup */
} scan_batch;

/* is the token text ASCII without capitals (which lower-casing keeps)? */
static inline bool
word_plain(uint64 v)
{
	const uint64 high = UINT64CONST(0x8080808080808080);

	if (v & high)
		return false;
	/* bytes in A..Z: >= 'A' and not > 'Z' (no carry crosses an ASCII byte) */
	return (((v + UINT64CONST(0x3F3F3F3F3F3F3F3F)) ^ (v + UINT64CONST(0x2525252525252525))) & high) == 0;
}

static inline bool
plain_ascii(const char *p, int32 n)
{
	int32		i;

	if (n < 8)
		return word_plain(load_short(p, n));
	for (i = 0; i + 8 < n; i += 8)
		if (!word_plain(load8(p + i)))
			return false;
	return word_plain(load8(p + n - 8));
}

/* is the first byte of word outside the set first (never when there is no set)? */
static inline bool
first_byte_out(const uint8 *first, const char *word)
{
	unsigned char c = (unsigned char) word[0];

	return first != NULL && (first[c >> 3] & (1 << (c & 7))) == 0;
}

/*
 * The next tokens that have dictionaries, hashed, their slots prefetched;
 * false at the end.  A token whose dictionary list starts with a simple
 * dictionary that accepts every word is a stop word or the lexeme of its own
 * text when lower-casing keeps it (ASCII without capitals): either way it
 * takes a position, and when classify gives nothing for its text (or the
 * text starts with a byte outside first) its mask is 0 whether it is a stop
 * word or not, so it needs no lookup (marked plain).  Transcripts are mostly such words.
 */
static bool
scan_fill(Analyzer *a, tx_tokenizer *tk, scan_batch *b,
		  TxClassifyFn classify, void *classify_arg, const uint8 *first, bool plain_ok)
{
	MemoryContext old = MemoryContextSwitchTo(analyzer_cxt);
	tx_error	err;
	bool		more = true;

	tx_error_clear(&err);
	b->n = 0;
	while (b->n < SCAN_BATCH)
	{
		int			want = SCAN_BATCH - b->n;
		int			got = tx_tokenizer_next_batch(tk, &b->tok[b->n], want, &err);
		int			i,
					w;

		if (got < 0)
		{
			MemoryContextSwitchTo(old);
			tx_raise(&err, ERRCODE_INTERNAL_ERROR, "could not tokenize text");
		}
		/* keep the tokens that have dictionaries, hash them, prefetch their slots */
		for (i = w = b->n; i < b->n + got; i++)
		{
			tx_token   *t = &b->tok[i];

			if (t->normlen >= MAXSTRLEN)
				continue;		/* as to_tsvector: too long to be indexed */
			if (a->maps[t->type].ndicts == 0)
				continue;
			if (w != i)
				b->tok[w] = *t;
			if (plain_ok && a->maps[t->type].simple_accept && plain_ascii(t->norm, (int32) t->normlen) &&
				(first_byte_out(first, t->norm) || classify(t->norm, 1, classify_arg) == 0))
			{
				b->plain[w] = true;
				w++;
				continue;
			}
			b->plain[w] = false;
			b->hash[w] = lex_hash(a, &a->maps[t->type], t->norm, (int32) t->normlen);
			prefetch_slot(b->hash[w]);
			w++;
		}
		b->n = w;
		if (got < want)
		{
			/* the end of the input */
			more = false;
			break;
		}
	}
	MemoryContextSwitchTo(old);
	return more;
}

static void
analyze_scan(Oid cfg, const char *s, int len, uint32 stamp,
			 TxClassifyFn classify, void *classify_arg,
			 const uint8 *first_bytes, bool plain_ok,
			 TxEmitFn emit, void *emit_arg)
{
	Analyzer	a;
	tx_tokenizer *tk;
	scan_batch	batches[2];
	scan_batch *cur = &batches[0];
	scan_batch *next = &batches[1];
	int32		counter = 0;
	bool		more;
	int			i;

	tx_require_utf8();
	memset(&a, 0, sizeof(a));
	if (lexslots == NULL || lexcache_stale)
		lexcache_reset();
	use_maps(&a, cfg);

	/*
	 * Tokens go in batches, two at a time: while one batch is looked up in
	 * the lexeme cache, the cache lines of the next one's slots and entries
	 * are on their way (prefetched), rather than missed one after another.
	 * Normalized forms stay valid until the tokenizer is reset.
	 */
	tk = analyzer_tokenizer(s, len);
	more = scan_fill(&a, tk, cur, classify, classify_arg, first_bytes, plain_ok);
	for (i = 0; i < cur->n; i++)
		if (!cur->plain[i])
			prefetch_entry(cur->hash[i]);
	while (cur->n > 0 || more)
	{
		scan_batch *swap;
		int			k;

		CHECK_FOR_INTERRUPTS();
		next->n = 0;
		if (more)
			more = scan_fill(&a, tk, next, classify, classify_arg, first_bytes, plain_ok);
		for (k = 0; k < cur->n; k++)
		{
			tx_token   *t = &cur->tok[k];
			LexEntry   *e;
			int32		pos;
			uint32		mask;

			if (cur->plain[k])
			{
				if (t->type == TX_TOKEN_COMPOUND || t->type == TX_TOKEN_NUMCOMPOUND)
					pos = counter + 1;
				else
					pos = ++counter;
				emit((int32) t->start, (int32) t->end, pos, 0, emit_arg);
				continue;
			}
			e = lookup_hashed(&a, &a.maps[t->type], t->norm, (int32) t->normlen, cur->hash[k]);
			if (e->kind == LEX_UNKNOWN)
				continue;
			if (t->type == TX_TOKEN_COMPOUND || t->type == TX_TOKEN_NUMCOMPOUND)
				pos = counter + 1;	/* the whole shares its first part's position */
			else
				pos = ++counter;
			mask = 0;
			if (e->kind == LEX_WORDS)
			{
				if (e->mstamp != stamp || stamp == 0)
				{
					e->mmask = classify(e->data + e->keylen, e->nlex, classify_arg);
					e->mstamp = stamp;
				}
				mask = e->mmask;
			}
			emit((int32) t->start, (int32) t->end, pos, mask, emit_arg);
		}
		for (k = 0; k < next->n; k++)
			if (!next->plain[k])
				prefetch_entry(next->hash[k]);
		swap = cur;
		cur = next;
		next = swap;
	}


	if (MemoryContextMemAllocated(analyzer_cxt, true) > ANALYZER_KEEP_BYTES)
	{
		MemoryContextReset(analyzer_cxt);
		analyzer_tk = NULL;
	}
}

void
tx_analyze_scan(Oid cfg, const char *s, int len, uint32 stamp,
				TxClassifyFn classify, void *classify_arg,
				const uint8 *first_bytes,
				TxEmitFn emit, void *emit_arg)
{
	analyze_scan(cfg, s, len, stamp, classify, classify_arg, first_bytes, true, emit, emit_arg);
}

/*
 * The same walk for a caller whose classify gives something for every
 * lexeme (an index build): no token is taken for plain, every one is looked
 * up and its answer memoized.
 */
void
tx_analyze_scan_all(Oid cfg, const char *s, int len, uint32 stamp,
					TxClassifyFn classify, void *classify_arg,
					TxEmitFn emit, void *emit_arg)
{
	analyze_scan(cfg, s, len, stamp, classify, classify_arg, NULL, false, emit, emit_arg);
}
