/*
 * turn_lit.c
 *	  Parse and format the text form of a speaker turn.
 *
 * Grammar (white space = spaces and tabs):
 *
 *	 turn	 := ws* [span ws*] [name ws*] ['(' affil ')' ws*] ':' [' '] body
 *	 span	 := '[' ws* [time] ws* ['-' ws* [time] ws*] ']'	 (at least one time)
 *	 time	 := [[H...:]MM:]SS[.f[f[f]]]  or plain seconds S...[.fff]
 *	 name	 := '"' ("" | any but ")* '"'  |  bare name
 *	 affil	 := '"' ("" | any but ")* '"'  |  bare affiliation
 *	 body	 := everything after the colon and one optional space, verbatim
 *
 * A bare name may not contain : " [ ] ( ) or control characters; a bare
 * affiliation may not contain ( ) " or control characters.  Surrounding white
 * space of bare labels is insignificant.  No name means an unknown speaker.
 */
#include "turn_lit.h"

#include <string.h>

#define IS_WS(c)	((c) == ' ' || (c) == '\t')
#define IS_CTRL(c)	((unsigned char) (c) < 0x20 || (c) == 0x7f)

static bool
fail(tx_error *err, tx_errcode code, const char *s, size_t off, const char *msg, const char *hint)
{
	tx_error_set(err, code, tx_char_position(s, off), "%s", msg);
	if (hint)
		tx_error_hint(err, "%s", hint);
	return false;
}

static void
skip_ws(const char *s, size_t len, size_t *pos)
{
	while (*pos < len && IS_WS(s[*pos]))
		(*pos)++;
}

/* read up to maxdigits decimal digits; returns the count read */
static int
read_digits(const char *s, size_t len, size_t *pos, int maxdigits, int64_t *val)
{
	int			n = 0;

	*val = 0;
	while (*pos < len && s[*pos] >= '0' && s[*pos] <= '9' && n < maxdigits)
	{
		*val = *val * 10 + (s[*pos] - '0');
		(*pos)++;
		n++;
	}
	return n;
}

bool
turn_parse_time(const char *s, size_t len, size_t *pos, int64_t *ms, tx_error *err)
{
	int64_t		fields[3];
	int			nfields = 0;
	size_t		start = *pos;
	int64_t		frac = 0;
	int64_t		total;

	for (;;)
	{
		int64_t		v;
		size_t		fstart = *pos;
		int			nd = read_digits(s, len, pos, 12, &v);

		if (nd == 0)
			return fail(err, TX_ERR_SYNTAX, s, fstart, "expected a time",
						"Write times as HH:MM:SS, MM:SS or seconds, with up to three decimals.");
		if (*pos < len && s[*pos] >= '0' && s[*pos] <= '9')
			return fail(err, TX_ERR_SYNTAX, s, fstart, "time field has too many digits",
						"Write times as HH:MM:SS, MM:SS or seconds, with up to three decimals.");
		fields[nfields++] = v;
		if (*pos < len && s[*pos] == ':')
		{
			if (nfields == 3)
				return fail(err, TX_ERR_SYNTAX, s, *pos, "time has more than three fields",
							"Write times as HH:MM:SS, MM:SS or seconds.");
			(*pos)++;
			continue;
		}
		break;
	}
	if (*pos < len && s[*pos] == '.')
	{
		size_t		fstart = ++(*pos);
		int			nd = read_digits(s, len, pos, 3, &frac);

		if (nd == 0)
			return fail(err, TX_ERR_SYNTAX, s, fstart, "expected digits after the decimal point",
						"Write a fraction of a second as digits after the point, as in 00:00:01.500.");
		if (*pos < len && s[*pos] >= '0' && s[*pos] <= '9')
			return fail(err, TX_ERR_VALUE, s, *pos, "time has more than millisecond precision",
						"Round times to milliseconds (at most three decimals).");
		while (nd++ < 3)
			frac *= 10;
	}
	/* minutes and seconds below a higher field must be < 60 */
	if (nfields >= 2)
	{
		if (fields[nfields - 1] >= 60)
			return fail(err, TX_ERR_VALUE, s, start, "seconds field must be below 60",
						"Write times as HH:MM:SS or MM:SS with minutes and seconds below 60, or as plain seconds.");
		if (nfields == 3 && fields[1] >= 60)
			return fail(err, TX_ERR_VALUE, s, start, "minutes field must be below 60",
						"Write times as HH:MM:SS with minutes and seconds below 60.");
	}
	total = 0;
	for (int i = 0; i < nfields; i++)
	{
		if (total > TURN_MAX_MS / 60000)
			return fail(err, TX_ERR_VALUE, s, start, "time is out of range",
						"Times must be below 100000 hours.");
		total = total * 60 + fields[i];
	}
	if (total > TURN_MAX_MS / 1000)
		return fail(err, TX_ERR_VALUE, s, start, "time is out of range",
					"Times must be below 100000 hours.");
	*ms = total * 1000 + frac;
	return true;
}

/* "quoted" label: "" stands for one quote; result is tx_alloc'ed */
static bool
parse_quoted(const char *s, size_t len, size_t *pos, const char **out, size_t *outlen,
			 const char *what, tx_error *err)
{
	size_t		open = *pos;
	tx_buf		b;

	(*pos)++;					/* opening quote */
	tx_buf_init(&b, 32);
	for (;;)
	{
		tx_check_interrupts();
		if (*pos >= len)
		{
			tx_buf_free(&b);
			tx_error_set(err, TX_ERR_SYNTAX, tx_char_position(s, open),
						 "unterminated quoted %s", what);
			tx_error_hint(err, "Close the quote; write \"\" for a quote inside a quoted label.");
			return false;
		}
		if (s[*pos] == '"')
		{
			if (*pos + 1 < len && s[*pos + 1] == '"')
			{
				tx_buf_putc(&b, '"');
				*pos += 2;
				continue;
			}
			(*pos)++;
			break;
		}
		if (IS_CTRL(s[*pos]))
		{
			tx_buf_free(&b);
			tx_error_set(err, TX_ERR_SYNTAX, tx_char_position(s, *pos),
						 "control character in quoted %s", what);
			tx_error_hint(err, "Speaker names and affiliations are single lines of printable text.");
			return false;
		}
		tx_buf_putc(&b, s[*pos]);
		(*pos)++;
	}
	*out = b.data;
	*outlen = b.len;
	return true;
}

/*
 * True when s[pos..] is white space up to one of the bytes in stops (or the
 * end): a tab there ends a bare label like a space does.
 */
static bool
trailing_ws(const char *s, size_t len, size_t pos, const char *stops)
{
	while (pos < len && IS_WS(s[pos]))
		pos++;
	return pos >= len || (s[pos] != '\0' && strchr(stops, s[pos]) != NULL);
}

static size_t
trim_right(const char *s, size_t from, size_t to)
{
	while (to > from && IS_WS(s[to - 1]))
		to--;
	return to;
}

bool
turn_parse(const char *s, size_t len, turn_parts *out, tx_error *err)
{
	size_t		pos = 0;
	size_t		name_at;
	size_t		affil_at = 0;

	memset(out, 0, sizeof(*out));
	out->start_ms = TURN_NO_TIME;
	out->end_ms = TURN_NO_TIME;
	out->body = "";

	skip_ws(s, len, &pos);
	if (pos >= len)
		return fail(err, TX_ERR_SYNTAX, s, pos, "empty turn",
					"Write a turn as \"Name: text\", or \": text\" for an unknown speaker.");

	/* time span */
	if (s[pos] == '[')
	{
		size_t		open = pos++;

		skip_ws(s, len, &pos);
		if (pos < len && s[pos] != '-' && s[pos] != ']')
		{
			if (!turn_parse_time(s, len, &pos, &out->start_ms, err))
				return false;
			skip_ws(s, len, &pos);
		}
		if (pos < len && s[pos] == '-')
		{
			pos++;
			skip_ws(s, len, &pos);
			if (pos < len && s[pos] != ']')
			{
				if (!turn_parse_time(s, len, &pos, &out->end_ms, err))
					return false;
				skip_ws(s, len, &pos);
			}
		}
		if (pos >= len)
			return fail(err, TX_ERR_SYNTAX, s, open, "unterminated time span",
						"Close the time span with \"]\", as in \"[00:01:02.500-00:01:09] Name: text\".");
		if (s[pos] != ']')
			return fail(err, TX_ERR_SYNTAX, s, pos, "unexpected character in time span",
						"Write a time span as [start-end], [start] or [-end].");
		if (out->start_ms == TURN_NO_TIME && out->end_ms == TURN_NO_TIME)
			return fail(err, TX_ERR_SYNTAX, s, open, "time span has no time",
						"Write a time span as [start-end], [start] or [-end], or leave it out.");
		if (out->start_ms != TURN_NO_TIME && out->end_ms != TURN_NO_TIME &&
			out->end_ms < out->start_ms)
			return fail(err, TX_ERR_VALUE, s, open, "end time is before start time",
						"A turn ends at or after the time it starts.");
		pos++;
		skip_ws(s, len, &pos);
	}

	/* speaker name */
	name_at = pos;
	if (pos < len && s[pos] == '"')
	{
		if (!parse_quoted(s, len, &pos, &out->speaker, &out->speaker_len, "speaker name", err))
			return false;
		if (out->speaker_len == 0)
			return fail(err, TX_ERR_SYNTAX, s, pos - 2, "speaker name is empty",
						"Leave the name out for an unknown speaker, as in \": text\".");
		skip_ws(s, len, &pos);
		if (pos < len && s[pos] != ':' && s[pos] != '(')
			return fail(err, TX_ERR_SYNTAX, s, pos, "unexpected character after quoted speaker name",
						"Follow a quoted name with \":\" or with \"(affiliation):\".");
	}
	else
	{
		size_t		nstart = pos;
		size_t		nend;

		while (pos < len && s[pos] != ':' && s[pos] != '(')
		{
			unsigned char c = (unsigned char) s[pos];

			if (c == '\t' && trailing_ws(s, len, pos, ":("))
			{
				pos++;
				continue;
			}
			if (c == '"' || c == '[' || c == ']' || c == ')' || IS_CTRL(c))
			{
				const char *msg = IS_CTRL(c) ? "control character in speaker name"
					: c == '"' ? "unexpected quote in speaker name"
					: "unexpected bracket in speaker name";

				return fail(err, TX_ERR_SYNTAX, s, pos, msg,
							"Put a name that contains \":\", quotes or brackets in double quotes, doubling any quote inside, as in \"\"Dr. Ko: MD\": text\".");
			}
			pos++;
		}
		nend = trim_right(s, nstart, pos);
		if (nend > nstart)
		{
			out->speaker = s + nstart;
			out->speaker_len = nend - nstart;
		}
	}

	/* affiliation */
	if (out->speaker_len > TURN_MAX_LABEL)
		return fail(err, TX_ERR_VALUE, s, name_at, "speaker name is too long",
					"Speaker names and affiliations are limited to 1000 bytes.");
	if (pos < len && s[pos] == '(')
	{
		size_t		open = pos++;

		affil_at = pos;

		skip_ws(s, len, &pos);
		if (pos < len && s[pos] == '"')
		{
			if (!parse_quoted(s, len, &pos, &out->affiliation, &out->affiliation_len, "affiliation", err))
				return false;
			skip_ws(s, len, &pos);
		}
		else
		{
			size_t		astart = pos;

			while (pos < len && s[pos] != ')')
			{
				unsigned char c = (unsigned char) s[pos];

				if (c == '\t' && trailing_ws(s, len, pos, ")"))
				{
					pos++;
					continue;
				}
				if (c == '(' || c == '"' || IS_CTRL(c))
					return fail(err, TX_ERR_SYNTAX, s, pos,
								IS_CTRL(c) ? "control character in affiliation" : "unexpected character in affiliation",
								"Quote an affiliation that contains parentheses or quotes: (\"...\").");
				pos++;
			}
			if (pos >= len)
				return fail(err, TX_ERR_SYNTAX, s, open, "unterminated affiliation",
							"Close the affiliation with \")\".");
			out->affiliation = s + astart;
			out->affiliation_len = trim_right(s, astart, pos) - astart;
		}
		if (pos >= len || s[pos] != ')')
			return fail(err, TX_ERR_SYNTAX, s, pos >= len ? open : pos, "unterminated affiliation",
						"Close the affiliation with \")\".");
		pos++;
		if (out->affiliation_len == 0)
			return fail(err, TX_ERR_SYNTAX, s, open, "affiliation is empty",
						"Leave out the parentheses when there is no affiliation.");
		skip_ws(s, len, &pos);
	}

	if (out->affiliation_len > TURN_MAX_LABEL)
		return fail(err, TX_ERR_VALUE, s, affil_at, "affiliation is too long",
					"Speaker names and affiliations are limited to 1000 bytes.");
	if (pos >= len || s[pos] != ':')
		return fail(err, TX_ERR_SYNTAX, s, pos >= len ? len : pos,
					pos >= len ? "missing \":\" after the speaker label" : "unexpected character after the speaker label",
					"Write a turn as \"Name: text\", \"Name (affiliation): text\", or \": text\" for an unknown speaker.");
	pos++;
	if (pos < len && s[pos] == ' ')
		pos++;
	out->body = s + pos;
	out->body_len = len - pos;

	return turn_validate(out, err);
}

static bool
label_ok(const char *p, size_t n, const char *what, tx_error *err)
{
	if (n > TURN_MAX_LABEL)
	{
		tx_error_set(err, TX_ERR_VALUE, 0, "%s is too long (%zu bytes)", what, n);
		tx_error_hint(err, "Speaker names and affiliations are limited to %d bytes.", TURN_MAX_LABEL);
		return false;
	}
	if (n == 0)
	{
		tx_error_set(err, TX_ERR_VALUE, 0, "%s is empty", what);
		tx_error_hint(err, "Use NULL for an unknown speaker or a missing affiliation.");
		return false;
	}
	for (size_t i = 0; i < n; i++)
	{
		if (IS_CTRL(p[i]))
		{
			tx_error_set(err, TX_ERR_VALUE, 0, "%s contains a control character at byte %zu", what, i + 1);
			tx_error_hint(err, "Speaker names and affiliations are single lines of printable text.");
			return false;
		}
	}
	return true;
}

bool
turn_validate(const turn_parts *t, tx_error *err)
{
	if (t->speaker && !label_ok(t->speaker, t->speaker_len, "speaker name", err))
		return false;
	if (t->affiliation && !label_ok(t->affiliation, t->affiliation_len, "affiliation", err))
		return false;
	if (t->body_len > 0 && memchr(t->body, '\0', t->body_len) != NULL)
	{
		tx_error_set(err, TX_ERR_VALUE, 0, "body contains a NUL byte");
		return false;
	}
	if ((t->start_ms != TURN_NO_TIME && (t->start_ms < 0 || t->start_ms > TURN_MAX_MS)) ||
		(t->end_ms != TURN_NO_TIME && (t->end_ms < 0 || t->end_ms > TURN_MAX_MS)))
	{
		tx_error_set(err, TX_ERR_VALUE, 0, "time is out of range");
		tx_error_hint(err, "Times run from 00:00:00 to 99999:59:59.999.");
		return false;
	}
	if (t->start_ms != TURN_NO_TIME && t->end_ms != TURN_NO_TIME && t->end_ms < t->start_ms)
	{
		tx_error_set(err, TX_ERR_VALUE, 0, "end time is before start time");
		tx_error_hint(err, "A turn ends at or after the time it starts.");
		return false;
	}
	return true;
}

void
turn_format_time(int64_t ms, tx_buf *buf)
{
	int64_t		h = ms / 3600000;
	int			m = (int) ((ms / 60000) % 60);
	int			sec = (int) ((ms / 1000) % 60);
	int			frac = (int) (ms % 1000);

	tx_buf_printf(buf, "%02lld:%02d:%02d", (long long) h, m, sec);
	if (frac)
		tx_buf_printf(buf, ".%03d", frac);
}

static bool
name_needs_quotes(const char *p, size_t n, bool affiliation)
{
	if (n == 0 || IS_WS(p[0]) || IS_WS(p[n - 1]))
		return true;
	for (size_t i = 0; i < n; i++)
	{
		char		c = p[i];

		if (c == '"' || c == '(' || c == ')' || IS_CTRL(c))
			return true;
		if (!affiliation && (c == ':' || c == '[' || c == ']'))
			return true;
	}
	return false;
}

static void
append_label(tx_buf *buf, const char *p, size_t n, bool affiliation)
{
	if (!name_needs_quotes(p, n, affiliation))
	{
		tx_buf_append(buf, p, n);
		return;
	}
	tx_buf_putc(buf, '"');
	for (size_t i = 0; i < n; i++)
	{
		if (p[i] == '"')
			tx_buf_putc(buf, '"');
		tx_buf_putc(buf, p[i]);
	}
	tx_buf_putc(buf, '"');
}

void
turn_format(const turn_parts *t, tx_buf *buf)
{
	if (t->start_ms != TURN_NO_TIME || t->end_ms != TURN_NO_TIME)
	{
		tx_buf_putc(buf, '[');
		if (t->start_ms != TURN_NO_TIME)
			turn_format_time(t->start_ms, buf);
		if (t->end_ms != TURN_NO_TIME)
		{
			tx_buf_putc(buf, '-');
			turn_format_time(t->end_ms, buf);
		}
		tx_buf_append(buf, "] ", 2);
	}
	if (t->speaker)
		append_label(buf, t->speaker, t->speaker_len, false);
	if (t->affiliation)
	{
		if (t->speaker)
			tx_buf_putc(buf, ' ');
		tx_buf_putc(buf, '(');
		append_label(buf, t->affiliation, t->affiliation_len, true);
		tx_buf_putc(buf, ')');
	}
	tx_buf_append(buf, ": ", 2);
	tx_buf_append(buf, t->body, t->body_len);
}

int64_t
turn_word_count(const char *s, size_t len)
{
	int64_t		n = 0;
	bool		in_word = false;
	bool		has_alnum = false;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		bool		space = (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v');

		if ((i & 0xFFFF) == 0)
			tx_check_interrupts();
		if (space)
		{
			if (in_word && has_alnum)
				n++;
			in_word = has_alnum = false;
			continue;
		}
		in_word = true;
		if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80)
			has_alnum = true;
	}
	if (in_word && has_alnum)
		n++;
	return n;
}
