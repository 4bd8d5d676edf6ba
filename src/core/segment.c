/*
 * segment.c
 *	  The segmenter's entry point: format names, format detection, the turn
 *	  builder (interning speakers and sections), and shared helpers.
 */
#include "segment_int.h"

#include <stdio.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <unicode/uchar.h>

/* ------------------------------------------------------------- formats */

typedef struct fmt_name
{
	const char *name;
	seg_format	format;
} fmt_name;

static const fmt_name fmt_names[] = {
	{"auto", SEG_AUTO},
	{"text", SEG_TEXT},
	{"vtt", SEG_VTT},
	{"srt", SEG_SRT},
	{"hearing", SEG_HEARING},
	{"court", SEG_COURT},
	/* aliases */
	{"pdf", SEG_TEXT},
	{"script", SEG_TEXT},
	{"rev", SEG_TEXT},
	{"otter", SEG_TEXT},
	{"webvtt", SEG_VTT},
	{"zoom", SEG_VTT},
	{"subrip", SEG_SRT},
	{"qa", SEG_COURT},
};

const char *
seg_format_list(void)
{
	return "auto, text (aliases pdf, script, rev, otter), vtt (aliases webvtt, zoom), "
		"srt (alias subrip), hearing, court (alias qa)";
}

bool
seg_format_from_name(const char *name, size_t len, seg_format *out, tx_error *err)
{
	size_t		i;

	for (i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++)
	{
		const char *n = fmt_names[i].name;
		size_t		nl = strlen(n);
		size_t		k;

		if (nl != len)
			continue;
		for (k = 0; k < len; k++)
		{
			char		c = name[k];

			if (c >= 'A' && c <= 'Z')
				c = c - 'A' + 'a';
			if (c != n[k])
				break;
		}
		if (k == len)
		{
			*out = fmt_names[i].format;
			return true;
		}
	}
	tx_error_set(err, TX_ERR_VALUE, 0, "unknown transcript format \"%.*s\"",
				 (int) (len > 60 ? 60 : len), name);
	tx_error_hint(err, "Valid formats are %s.", seg_format_list());
	return false;
}

const char *
seg_format_name(seg_format f)
{
	switch (f)
	{
		case SEG_AUTO:
			return "auto";
		case SEG_TEXT:
			return "text";
		case SEG_VTT:
			return "vtt";
		case SEG_SRT:
			return "srt";
		case SEG_HEARING:
			return "hearing";
		case SEG_COURT:
			return "court";
	}
	return "?";
}

/* ------------------------------------------------------------- characters */

bool
seg_cp_upper(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	return u_isupper(cp) || u_istitle(cp);
}

bool
seg_cp_lower(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	return u_islower(cp);
}

bool
seg_cp_alpha(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
	return u_isalpha(cp);
}

size_t
seg_parse_time(const char *s, size_t len, int64_t *ms)
{
	int64_t		parts[3];
	int			nparts = 0;
	size_t		i = 0;
	int64_t		frac = 0;

	while (nparts < 3)
	{
		int64_t		v = 0;
		size_t		st = i;

		while (i < len && i - st < 6 && s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (s[i++] - '0');
		if (i == st)
			return 0;
		parts[nparts++] = v;
		if (i < len && s[i] == ':' && nparts < 3 && i + 1 < len &&
			s[i + 1] >= '0' && s[i + 1] <= '9')
		{
			i++;
			continue;
		}
		break;
	}
	if (nparts < 2)
		return 0;
	/* minutes and seconds fields are below 60 */
	if (parts[nparts - 1] >= 60 || (nparts == 3 && parts[1] >= 60))
		return 0;
	if (i + 1 < len && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9')
	{
		int			digits = 0;
		int64_t		scale = 100;

		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
		{
			if (digits < 3)
				frac += (s[i] - '0') * scale;
			scale /= 10;
			digits++;
			i++;
			if (digits > 9)
				return 0;
		}
	}
	if (nparts == 3)
		*ms = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + frac;
	else
		*ms = (parts[0] * 60 + parts[1]) * 1000 + frac;
	return i;
}

/* ------------------------------------------------------------- lines */

void
seg_split_lines(const char *s, size_t len, seg_lines *out)
{
	size_t		cap = 64;
	size_t		i = 0;
	bool		ff = false;
	long		nl_at = -1,
				cr_at = -1;		/* next LF and CR at or after i; -1 = search */

	out->v = tx_alloc(cap * sizeof(seg_line));
	out->n = 0;
	while (i < len)
	{
		const char *nl;
		size_t		end,
					next,
					a,
					e;
		seg_line   *l;
		int			indent = 0;

		if ((out->n & SEG_CHECK_EVERY) == 0)
			tx_check_interrupts();
		/* the next LF and CR, searched again only once passed: one pass */
		if (nl_at < 0 || (size_t) nl_at < i)
		{
			size_t		k = i;

#ifdef __SSE2__
			/* most lines are short: look at 16 bytes at a time inline first */
			const __m128i lf = _mm_set1_epi8('\n');

			nl_at = -1;
			for (; k + 16 <= len && k - i < 64; k += 16)
			{
				int			m = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *) (s + k)), lf));

				if (m)
				{
					nl_at = (long) (k + __builtin_ctz((unsigned) m));
					break;
				}
			}
			if (nl_at < 0)
#endif
			{
				nl = memchr(s + k, '\n', len - k);
				nl_at = nl ? (long) (nl - s) : (long) len;
			}
		}
		if (cr_at < 0 || (size_t) cr_at < i)
		{
			const char *cr = memchr(s + i, '\r', len - i);

			cr_at = cr ? (long) (cr - s) : (long) len;
		}
		end = (size_t) nl_at;
		next = end < len ? end + 1 : len;
		/* a lone CR also ends a line (old Mac files); CRLF does not */
		if ((size_t) cr_at + 1 < end)
		{
			end = (size_t) cr_at;
			next = end + 1;
		}
		a = i;
		/* most lines start with a printable byte: no indentation to measure */
		while (a < end && ((unsigned char) s[a] <= ' ' || (unsigned char) s[a] == 0xEF) &&
			   (s[a] == ' ' || s[a] == '\t' || s[a] == '\f' || s[a] == '\r' ||
				s[a] == '\v' || s[a] == '\0' ||
		/* U+FEFF byte order mark at the start of a line */
				(a + 2 < end && (unsigned char) s[a] == 0xEF &&
				 (unsigned char) s[a + 1] == 0xBB && (unsigned char) s[a + 2] == 0xBF)))
		{
			if (s[a] == '\f')
			{
				ff = true;
				indent = 0;
				a++;
				continue;
			}
			if ((unsigned char) s[a] == 0xEF)
			{
				a += 3;
				continue;
			}
			if (indent < 255)
				indent++;
			a++;
		}
		e = end;
		while (e > a && (unsigned char) s[e - 1] <= ' ' && seg_is_blank((unsigned char) s[e - 1]))
		{
			if (s[e - 1] == '\f')
				ff = true;
			e--;
		}
		if (out->n == cap)
		{
			cap *= 2;
			out->v = tx_realloc(out->v, cap * sizeof(seg_line));
		}
		l = &out->v[out->n++];
		l->off = a;
		l->len = (uint32_t) (e - a);
		l->indent = (uint8_t) indent;
		l->first = e > a ? (uint8_t) s[a] : 0;
		l->kind = (e == a) ? SEG_L_BLANK : SEG_L_TEXT;
		l->flags = 0;
		if (ff && e > a)
		{
			l->flags |= SEG_LF_FORMFEED | SEG_LF_PAGESTART;
			ff = false;
		}
		i = next;
	}
}

/* ------------------------------------------------------------- names */

/* fold a Latin letter with a diacritic to ASCII; NULL if not one */
static const char *
fold_latin(int32_t cp, size_t *flen)
{
	static const char *const latin1[64] = {
		/* U+00C0 .. U+00FF */
		"a", "a", "a", "a", "ae", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "oe", NULL, "oe", "u", "u", "u", "ue", "y", "th", "ss",
		"a", "a", "a", "a", "ae", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "oe", NULL, "oe", "u", "u", "u", "ue", "y", "th", "y"
	};
	/* U+0100 .. U+017F (Latin Extended-A): the base letter of each */
	static const char ext_a[] =
		"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii" "jj"
		"kkk" "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr" "ssssssss" "tttttt"
		"uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

	if (cp >= 0xC0 && cp <= 0xFF)
	{
		const char *f = latin1[cp - 0xC0];

		if (f)
			*flen = strlen(f);
		return f;
	}
	if (cp >= 0x100 && cp <= 0x17F)
	{
		*flen = 1;
		return ext_a + (cp - 0x100);
	}
	return NULL;
}

void
seg_name_key(const char *s, size_t len, tx_buf *buf)
{
	size_t		i = 0;
	bool		gap = false;
	size_t		start = buf->len;
	char	   *d;

	/*
	 * One reservation, then direct stores: a byte of input gives at most two
	 * of output (a gap's space and one byte, or a character whose lower case
	 * or ASCII folding is at most one byte longer, with at least two input
	 * bytes per such character).
	 */
	tx_buf_reserve(buf, 2 * len + 4);
	d = buf->data + buf->len;
#define KEY_PUT(c)	(*d++ = (char) (c))
#define KEY_LEN()	((size_t) (d - buf->data))
	while (i < len)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x80)
		{
			i++;
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			{
				if (gap && KEY_LEN() > start)
					KEY_PUT(' ');
				gap = false;
				KEY_PUT(c);
			}
			else if (c >= 'A' && c <= 'Z')
			{
				if (gap && KEY_LEN() > start)
					KEY_PUT(' ');
				gap = false;
				KEY_PUT(c - 'A' + 'a');
			}
			else if (c == '.' || c == '\'')
				continue;
			else
				gap = true;
		}
		else
		{
			size_t		st = i;
			int32_t		cp = seg_next_cp(s, len, &i);
			size_t		flen = 0;
			const char *f = fold_latin(cp, &flen);

			if (cp == 0x2019 || cp == 0x2018)
				continue;		/* typographic apostrophes */
			if (gap && KEY_LEN() > start)
				KEY_PUT(' ');
			gap = false;
			if (f)
			{
				memcpy(d, f, flen);
				d += flen;
			}
			else if (u_isalnum(cp))
			{
				int32_t		lc = u_tolower(cp);
				char		tmp[4];
				int			n = 0;

				if (lc < 0x800)
				{
					tmp[n++] = (char) (0xC0 | (lc >> 6));
					tmp[n++] = (char) (0x80 | (lc & 0x3F));
				}
				else if (lc < 0x10000)
				{
					tmp[n++] = (char) (0xE0 | (lc >> 12));
					tmp[n++] = (char) (0x80 | ((lc >> 6) & 0x3F));
					tmp[n++] = (char) (0x80 | (lc & 0x3F));
				}
				else
				{
					tmp[n++] = (char) (0xF0 | (lc >> 18));
					tmp[n++] = (char) (0x80 | ((lc >> 12) & 0x3F));
					tmp[n++] = (char) (0x80 | ((lc >> 6) & 0x3F));
					tmp[n++] = (char) (0x80 | (lc & 0x3F));
				}
				memcpy(d, tmp, n);
				d += n;
			}
			else
			{
				(void) st;
				gap = true;
			}
		}
	}
	buf->len = KEY_LEN();
	buf->data[buf->len] = '\0';
#undef KEY_PUT
#undef KEY_LEN
}

/* ------------------------------------------------------------- builder */

typedef struct name_hash
{
	uint32_t   *slots;			/* name index + 1, 0 = empty */
	uint64_t   *hashes;
	size_t		cap;			/* power of two */
	size_t		used;
	tx_buf		keys;			/* key text of every name, NUL-separated */
	size_t	   *key_off;		/* per name */
	size_t		key_cap;
} name_hash;

static uint64_t
hash_bytes(const char *s, size_t len, uint64_t seed)
{
	uint64_t	h = 1469598103934665603ULL ^ seed;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		h ^= (unsigned char) s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
hash_grow(name_hash *h)
{
	size_t		ncap = h->cap ? h->cap * 2 : 64;
	uint32_t   *ns = tx_alloc0(ncap * sizeof(uint32_t));
	uint64_t   *nh = tx_alloc0(ncap * sizeof(uint64_t));
	size_t		i;

	for (i = 0; i < h->cap; i++)
	{
		if (h->slots[i])
		{
			size_t		j = h->hashes[i] & (ncap - 1);

			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = h->slots[i];
			nh[j] = h->hashes[i];
		}
	}
	tx_free(h->slots);
	tx_free(h->hashes);
	h->slots = ns;
	h->hashes = nh;
	h->cap = ncap;
}

static int32_t
add_name(seg_result *r, const char *s, size_t len)
{
	if (r->nnames == r->names_cap)
	{
		r->names_cap = r->names_cap ? r->names_cap * 2 : 16;
		r->names = tx_realloc(r->names, r->names_cap * sizeof(seg_name));
	}
	r->names[r->nnames].off = r->name_text.len;
	r->names[r->nnames].len = len;
	tx_buf_append(&r->name_text, s, len);
	tx_buf_putc(&r->name_text, '\0');
	return (int32_t) r->nnames++;
}

/* find or add: kind 0 = speaker, 1 = section (separate key spaces) */
static int32_t
intern(seg_builder *b, int kind, const char *key, size_t keylen, const char *disp, size_t displen)
{
	name_hash  *h = b->r->priv;
	uint64_t	hv = hash_bytes(key, keylen, (uint64_t) kind);
	size_t		j;
	int32_t		idx;

	if (h->used * 2 >= h->cap)
		hash_grow(h);
	j = hv & (h->cap - 1);
	while (h->slots[j])
	{
		if (h->hashes[j] == hv)
		{
			int32_t		cand = (int32_t) h->slots[j] - 1;
			const char *ck = h->keys.data + h->key_off[cand];

			if (ck[0] == (char) ('0' + kind) && memcmp(ck + 1, key, keylen) == 0 &&
				ck[keylen + 1] == '\0')
				return cand;
		}
		j = (j + 1) & (h->cap - 1);
	}
	idx = add_name(b->r, disp, displen);
	if ((size_t) idx >= h->key_cap)
	{
		h->key_cap = h->key_cap ? h->key_cap * 2 : 16;
		h->key_off = tx_realloc(h->key_off, h->key_cap * sizeof(size_t));
	}
	h->key_off[idx] = h->keys.len;
	tx_buf_putc(&h->keys, (char) ('0' + kind));
	tx_buf_append(&h->keys, key, keylen);
	tx_buf_putc(&h->keys, '\0');
	h->slots[j] = (uint32_t) idx + 1;
	h->hashes[j] = hv;
	h->used++;
	return idx;
}

/* cut at most 1000 bytes on a character boundary */
static size_t
clip_label(const char *s, size_t len)
{
	if (len <= 1000)
		return len;
	len = 1000;
	while (len > 0 && ((unsigned char) s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

/* a label is one line of printable text: control characters become spaces */
static const char *
clean_label(seg_builder *b, const char *s, size_t *len)
{
	size_t		i;

	*len = clip_label(s, *len);
	for (i = 0; i < *len; i++)
		if ((unsigned char) s[i] < 0x20 || s[i] == 0x7F)
			break;
	if (i == *len)
		return s;
	tx_buf_reset(&b->clean);
	for (i = 0; i < *len; i++)
		tx_buf_putc(&b->clean, ((unsigned char) s[i] < 0x20 || s[i] == 0x7F) ? ' ' : s[i]);
	return b->clean.data;
}

int32_t
seg_speaker(seg_builder *b, const char *s, size_t len)
{
	tx_buf_reset(&b->key);
	seg_name_key(s, len, &b->key);
	if (b->key.len == 0)
		return -1;
	s = clean_label(b, s, &len);
	return intern(b, 0, b->key.data, b->key.len, s, len);
}

int32_t
seg_speaker_key(seg_builder *b, const char *key, size_t keylen, const char *s, size_t len)
{
	if (keylen == 0)
		return -1;
	s = clean_label(b, s, &len);
	return intern(b, 0, key, keylen, s, len);
}

int32_t
seg_section(seg_builder *b, const char *s, size_t len)
{
	s = clean_label(b, s, &len);
	return intern(b, 1, s, len, s, len);
}

void
seg_builder_init(seg_builder *b, seg_result *r, const char *src)
{
	name_hash  *h = tx_alloc0(sizeof(name_hash));

	memset(r, 0, sizeof(*r));
	tx_buf_init(&r->text, 1024);
	tx_buf_init(&r->name_text, 256);
	tx_buf_init(&h->keys, 256);
	r->priv = h;
	b->r = r;
	b->src = src;
	b->cur = -1;
	b->pending = 0;
	b->page = 0;
	b->section = -1;
	tx_buf_init(&b->key, 64);
	tx_buf_init(&b->clean, 64);
	b->emit = NULL;
	b->emit_arg = NULL;
}

static void
free_hash(seg_result *r)
{
	name_hash  *h = r->priv;

	if (h == NULL)
		return;
	tx_free(h->slots);
	tx_free(h->hashes);
	tx_free(h->key_off);
	tx_buf_free(&h->keys);
	tx_free(h);
	r->priv = NULL;
}

void
seg_builder_done(seg_builder *b)
{
	seg_end_turn(b);
	tx_buf_free(&b->key);
	tx_buf_free(&b->clean);
	free_hash(b->r);
}

void
seg_end_turn(seg_builder *b)
{
	seg_turn   *t = seg_current(b);

	if (t == NULL)
		return;
	/* trim trailing blanks */
	while (t->body_len > 0 &&
		   seg_is_blank((unsigned char) b->r->text.data[t->body_off + t->body_len - 1]))
		t->body_len--;
	b->r->text.len = t->body_off + t->body_len;
	b->r->text.data[b->r->text.len] = '\0';
	/* times a turn can hold: 0 .. 99999:59:59.999, end not before start */
	if (t->start_ms != SEG_NO_TIME && (t->start_ms < 0 || t->start_ms > SEG_MAX_MS))
		t->start_ms = SEG_NO_TIME;
	if (t->end_ms != SEG_NO_TIME && (t->end_ms < 0 || t->end_ms > SEG_MAX_MS ||
									 (t->start_ms != SEG_NO_TIME && t->end_ms < t->start_ms)))
		t->end_ms = SEG_NO_TIME;
	if (t->body_len == 0 && t->speaker < 0)
	{
		/* an unlabelled turn without text is nothing (streaming: text holds only it) */
		b->r->text.len = b->emit ? 0 : t->affil_off >= 0 ? (size_t) t->affil_off : t->body_off;
		b->r->text.data[b->r->text.len] = '\0';
		b->r->nturns--;
	}
	else if (b->emit)
	{
		/* hand the turn over, then reuse its slot and its text for the next */
		b->cur = -1;
		b->pending = 0;
		b->emit(b->emit_arg, b->r, t);
		b->r->nturns = 0;
		b->r->text.len = 0;
		b->r->text.data[0] = '\0';
	}
	b->cur = -1;
	b->pending = 0;
}

seg_turn *
seg_begin_turn(seg_builder *b, int32_t speaker, const char *affil, size_t affil_len,
			   int32_t line, float confidence)
{
	seg_result *r = b->r;
	seg_turn   *t;

	seg_end_turn(b);
	if (r->nturns == r->cap)
	{
		r->cap = r->cap ? r->cap * 2 : 64;
		r->turns = tx_realloc(r->turns, r->cap * sizeof(seg_turn));
	}
	t = &r->turns[r->nturns];
	b->cur = (long) r->nturns++;
	t->speaker = speaker;
	if (affil && affil_len > 0)
	{
		affil = clean_label(b, affil, &affil_len);
		t->affil_off = (int32_t) r->text.len;
		t->affil_len = (int32_t) affil_len;
		tx_buf_append(&r->text, affil, affil_len);
	}
	else
	{
		t->affil_off = -1;
		t->affil_len = 0;
	}
	t->section = b->section;
	if (b->emit)
	{
		/* room for a 4-byte length word right before the body, 4-aligned */
		size_t		at = (r->text.len + 3) & ~(size_t) 3;

		tx_buf_reserve(&r->text, at - r->text.len + SEG_BODY_HEADROOM);
		memset(r->text.data + r->text.len, 0, at - r->text.len + SEG_BODY_HEADROOM);
		r->text.len = at + SEG_BODY_HEADROOM;
		r->text.data[r->text.len] = '\0';
	}
	t->body_off = r->text.len;
	t->body_len = 0;
	t->start_ms = SEG_NO_TIME;
	t->end_ms = SEG_NO_TIME;
	t->line = line;
	t->page = b->page;
	t->confidence = confidence;
	b->pending = 0;
	return t;
}

void
seg_put(seg_builder *b, const char *s, size_t len)
{
	seg_turn   *t = seg_current(b);

	if (t == NULL || len == 0)
		return;
	if (b->pending && t->body_len > 0)
	{
		tx_buf_putc(&b->r->text, (char) b->pending);
		t->body_len++;
	}
	b->pending = 0;
	tx_buf_append(&b->r->text, s, len);
	t->body_len += len;
}

void
seg_put_clean(seg_builder *b, const char *s, size_t len)
{
	seg_turn   *t = seg_current(b);
	tx_buf	   *out;
	char	   *d;
	size_t		i = 0,
				start_len;
	bool		gap = false;

	if (t == NULL || len == 0)
		return;
	out = &b->r->text;
	/* one reservation, then a tight copy that collapses blanks */
	tx_buf_reserve(out, len + 1);
	start_len = out->len;
	d = out->data + out->len;
	while (i < len && seg_is_blank((unsigned char) s[i]))
	{
		i++;
		gap = true;
	}
	if (i == len)
	{
		if (gap)
			seg_sep(b, ' ');
		return;
	}
	if ((gap || b->pending) && t->body_len > 0)
		*d++ = b->pending == '\n' ? '\n' : ' ';
	b->pending = 0;
	gap = false;
	/* the usual line has single spaces and no control characters: copy it */
	{
		size_t		k;
		unsigned char bad = 0;
		bool		copied = false;	/* the vector loop stored all of s[i .. e) */
		size_t		e = len;

		while (e > i && seg_is_blank((unsigned char) s[e - 1]))
			e--;
		k = i;
#ifdef __SSE2__
		{
			const __m128i flip = _mm_set1_epi8((char) 0x80);
			const __m128i lim = _mm_set1_epi8((char) (0x80 + 0x20));
			const __m128i sp = _mm_set1_epi8(' ');
			__m128i		acc = _mm_setzero_si128();

			/* check and copy in one pass: stores stay within d[0 .. e - i) */
			for (; k + 17 <= e; k += 16)
			{
				__m128i		x = _mm_loadu_si128((const __m128i *) (s + k));
				__m128i		y = _mm_loadu_si128((const __m128i *) (s + k + 1));

				acc = _mm_or_si128(acc, _mm_cmplt_epi8(_mm_xor_si128(x, flip), lim));
				acc = _mm_or_si128(acc, _mm_and_si128(_mm_cmpeq_epi8(x, sp), _mm_cmpeq_epi8(y, sp)));
				_mm_storeu_si128((__m128i *) (d + (k - i)), x);
			}
			/* the rest as one more block ending at e, overlapping the last */
			if (k + 1 < e && e - i >= 17)
			{
				__m128i		x = _mm_loadu_si128((const __m128i *) (s + e - 17));
				__m128i		y = _mm_loadu_si128((const __m128i *) (s + e - 16));

				acc = _mm_or_si128(acc, _mm_cmplt_epi8(_mm_xor_si128(x, flip), lim));
				acc = _mm_or_si128(acc, _mm_and_si128(_mm_cmpeq_epi8(x, sp), _mm_cmpeq_epi8(y, sp)));
				_mm_storeu_si128((__m128i *) (d + (e - 17 - i)), x);
				d[e - 1 - i] = s[e - 1];
				copied = true;
				k = e - 1;
			}
			bad = _mm_movemask_epi8(acc) != 0;
		}
#endif
		for (; k + 1 < e; k++)
			bad |= ((unsigned char) s[k] < 0x20) | ((s[k] == ' ') & (s[k + 1] == ' '));
		if (e > i)
			bad |= (unsigned char) s[e - 1] < 0x20;
		if (!bad)
		{
			if (!copied)
				memcpy(d, s + i, e - i);
			d += e - i;
			gap = e < len;
			i = len;
		}
	}
	for (; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c <= ' ' && seg_is_blank(c))
			gap = true;
		else
		{
			if (gap)
			{
				*d++ = ' ';
				gap = false;
			}
			*d++ = (char) c;
		}
		if ((i & 0xFFFFF) == 0xFFFFF)
			tx_check_interrupts();
	}
	out->len = d - out->data;
	out->data[out->len] = '\0';
	t->body_len += out->len - start_len;
	if (gap)
		seg_sep(b, ' ');
}

/* ------------------------------------------------------------- detection */

static bool
line_is_timing(const char *s, size_t len)
{
	const char *p = len > 8 ? memchr(s, '-', len) : NULL;

	return p && (size_t) (p - s) + 3 <= len && p[1] == '-' && p[2] == '>';
}

seg_format
seg_detect(const char *raw, size_t len)
{
	size_t		n = len < 65536 ? len : 65536;
	size_t		i = 0;
	int			nl = 0;
	int			timing = 0,
				srt_comma = 0,
				qa = 0,
				by = 0,
				hear = 0,
				labels = 0,
				nonblank = 0;
	bool		first = true;

	/* skip a BOM and blank lines */
	if (n >= 3 && (unsigned char) raw[0] == 0xEF && (unsigned char) raw[1] == 0xBB &&
		(unsigned char) raw[2] == 0xBF)
		i = 3;
	{
		size_t		line_start = i;

		while (i < n && (raw[i] == '\n' || raw[i] == '\r' || raw[i] == ' ' || raw[i] == '\t'))
		{
			if (raw[i] == '\n')
				line_start = i + 1;
			i++;
		}
		if (n - i >= 6 && memcmp(raw + i, "WEBVTT", 6) == 0)
			return SEG_VTT;
		i = line_start;			/* keep the indentation of the first line */
	}

	while (i < n && nl < 2000)
	{
		const char *e = memchr(raw + i, '\n', n - i);
		size_t		end = e ? (size_t) (e - raw) : n;
		const char *l = raw + i;
		size_t		ll = end - i;
		size_t		a = 0;

		tx_check_interrupts();
		while (a < ll && (l[a] == ' ' || l[a] == '\t'))
			a++;
		if (a < ll && l[a] != '\r')
			nonblank++;
		if (line_is_timing(l + a, ll - a))
		{
			const char *arrow = memchr(l + a, '>', ll - a);

			timing++;
			if (arrow && memchr(l + a, ',', arrow - (l + a)))
				srt_comma++;
		}
		if (ll - a >= 2 && (l[a] == 'Q' || l[a] == 'A') &&
			(l[a + 1] == ' ' || l[a + 1] == '.' || l[a + 1] == '\t') && a <= 12)
			qa++;
		if (ll - a > 6 && memcmp(l + a, "BY M", 4) == 0 && l[ll - 1] == ':')
			by++;
		if ((a == 2 || a == 4) && ll - a > 5 &&
			(memcmp(l + a, "Mr. ", 4) == 0 || memcmp(l + a, "Ms. ", 4) == 0 ||
			 memcmp(l + a, "The Chair", 9 <= ll - a ? 9 : ll - a) == 0 ||
			 memcmp(l + a, "The PRESIDING", 13 <= ll - a ? 13 : ll - a) == 0))
		{
			/* "Mr. Name." within the first words */
			size_t		k = a + 4;
			int			words = 0;

			while (k < ll && words < 4)
			{
				if (l[k] == ' ')
					words++;
				if (l[k] == '.' && k + 1 < ll && l[k + 1] == ' ')
				{
					hear++;
					break;
				}
				k++;
			}
		}
		if (first && ll - a > 0)
		{
			/* SRT: first block starts with a number, then a timing line */
			first = false;
		}
		{
			const char *c = memchr(l + a, ':', ll - a < 80 ? ll - a : 80);

			if (c)
				labels++;
		}
		nl++;
		i = end + 1;
	}
	if (timing >= 1 && srt_comma * 2 >= timing)
		return SEG_SRT;
	if (timing >= 2)
		return SEG_VTT;
	if ((by >= 1 && qa >= 4) || (qa >= 6 && qa * 5 >= nonblank))
		return SEG_COURT;
	if (hear >= 3)
		return SEG_HEARING;
	(void) labels;
	return SEG_TEXT;
}

/* ------------------------------------------------------------- entry */

bool
segment_transcript(const char *raw, size_t len, seg_format format,
				   seg_result *out, tx_error *err)
{
	return segment_transcript_stream(raw, len, format, out, NULL, NULL, err);
}

bool
segment_transcript_stream(const char *raw, size_t len, seg_format format,
						  seg_result *out, seg_emit_fn emit, void *arg, tx_error *err)
{
	seg_builder b;

	if (len > (size_t) INT32_MAX)
		return tx_error_set(err, TX_ERR_LIMIT, 0,
							"transcript of %zu bytes exceeds the limit of 2 GB", len);
	if (format == SEG_AUTO)
		format = seg_detect(raw, len);
	seg_builder_init(&b, out, raw);
	b.emit = emit;
	b.emit_arg = arg;
	out->format = format;
	switch (format)
	{
		case SEG_VTT:
			seg_run_cues(&b, raw, len, false);
			break;
		case SEG_SRT:
			seg_run_cues(&b, raw, len, true);
			break;
		case SEG_HEARING:
			seg_run_hearing(&b, raw, len);
			break;
		case SEG_COURT:
			seg_run_court(&b, raw, len);
			break;
		default:
			seg_run_text(&b, raw, len);
			break;
	}
	seg_builder_done(&b);
	return true;
}

void
seg_result_free(seg_result *r)
{
	free_hash(r);
	tx_free(r->turns);
	tx_free(r->names);
	tx_buf_free(&r->text);
	tx_buf_free(&r->name_text);
	r->turns = NULL;
	r->names = NULL;
	r->nturns = r->nnames = 0;
}
