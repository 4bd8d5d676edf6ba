/*
 * turn_io.c
 *	  Text and binary input/output of the turn type, and the C API that
 *	  builds turns from parts.
 */
#include "transcripts.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "turn.h"

#define TURN_KNOWN_FLAGS (TURN_HAS_SPEAKER | TURN_HAS_AFFIL | TURN_HAS_START | TURN_HAS_END)

static void
raise_value_error(const tx_error *err, const char *prefix)
{
	ereport(ERROR,
			(errcode(err->code == TX_ERR_VALUE ? ERRCODE_INVALID_PARAMETER_VALUE
					 : ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("%s: %s", prefix, err->message),
			 err->hint[0] ? errhint("%s", err->hint) : 0));
}

Turn *
turn_from_parts(const turn_parts *p)
{
	tx_error	err;
	Size		size;
	Turn	   *t;
	char	   *d;

	tx_error_clear(&err);
	if (!turn_validate(p, &err))
		raise_value_error(&err, "invalid turn");

	size = add_size(TURN_HDRSZ, p->speaker ? p->speaker_len : 0);
	size = add_size(size, p->affiliation ? p->affiliation_len : 0);
	size = add_size(size, p->body_len);
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("turn is too large"),
				 errdetail("A turn may hold at most %zu bytes; this one needs %zu.",
						   (size_t) MaxAllocSize, (size_t) size)));

	/* the header zeroed; the data that follows is written in full below */
	t = (Turn *) palloc(size);
	memset(t, 0, TURN_HDRSZ);
	SET_VARSIZE(t, size);
	t->version = TURN_FORMAT_VERSION;
	d = t->data;
	if (p->speaker)
	{
		t->flags |= TURN_HAS_SPEAKER;
		t->speaker_len = (int32) p->speaker_len;
		memcpy(d, p->speaker, p->speaker_len);
		d += p->speaker_len;
	}
	if (p->affiliation)
	{
		t->flags |= TURN_HAS_AFFIL;
		t->affil_len = (int32) p->affiliation_len;
		memcpy(d, p->affiliation, p->affiliation_len);
		d += p->affiliation_len;
	}
	if (p->start_ms != TURN_NO_TIME)
	{
		t->flags |= TURN_HAS_START;
		t->start_ms = p->start_ms;
	}
	if (p->end_ms != TURN_NO_TIME)
	{
		t->flags |= TURN_HAS_END;
		t->end_ms = p->end_ms;
	}
	memcpy(d, p->body, p->body_len);
	return t;
}

void
turn_to_parts(const Turn *t, turn_parts *p)
{
	if (t->version != TURN_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("turn value has unsupported format version %d", t->version),
				 errhint("The value was written by a newer version of the transcripts extension.")));
	p->speaker = (t->flags & TURN_HAS_SPEAKER) ? TURN_SPEAKER(t) : NULL;
	p->speaker_len = t->speaker_len;
	p->affiliation = (t->flags & TURN_HAS_AFFIL) ? TURN_AFFIL(t) : NULL;
	p->affiliation_len = t->affil_len;
	p->body = TURN_BODY(t);
	p->body_len = TURN_BODY_LEN(t);
	p->start_ms = (t->flags & TURN_HAS_START) ? t->start_ms : TURN_NO_TIME;
	p->end_ms = (t->flags & TURN_HAS_END) ? t->end_ms : TURN_NO_TIME;
}

text *
turn_body_text(const Turn *t)
{
	return cstring_to_text_with_len(TURN_BODY(t), TURN_BODY_LEN(t));
}

PG_FUNCTION_INFO_V1(turn_in);
Datum
turn_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	turn_parts	parts;
	tx_error	err;

	tx_error_clear(&err);
	if (!turn_parse(str, strlen(str), &parts, &err))
		tx_raise_input(&err, "turn", str);
	PG_RETURN_TURN_P(turn_from_parts(&parts));
}

PG_FUNCTION_INFO_V1(turn_out);
Datum
turn_out(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);
	turn_parts	parts;
	tx_buf		buf;

	turn_to_parts(t, &parts);
	tx_buf_init(&buf, TURN_HDRSZ + parts.speaker_len + parts.affiliation_len + parts.body_len + 48);
	turn_format(&parts, &buf);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: uint8 version, uint8 flags, then speaker and affiliation as
 * int32 length + bytes (when flagged), start and end as int64 milliseconds
 * (when flagged), and the body as int32 length + bytes.  Text is sent in the
 * client encoding.
 */
static void
send_string(StringInfo buf, const char *s, int len)
{
	char	   *conv = pg_server_to_client(s, len);
	int			clen = (conv == s) ? len : (int) strlen(conv);

	pq_sendint32(buf, clen);
	pq_sendbytes(buf, conv, clen);
	if (conv != s)
		pfree(conv);
}

PG_FUNCTION_INFO_V1(turn_send);
Datum
turn_send(PG_FUNCTION_ARGS)
{
	Turn	   *t = PG_GETARG_TURN_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, t->version);
	pq_sendint8(&buf, t->flags);
	if (t->flags & TURN_HAS_SPEAKER)
		send_string(&buf, TURN_SPEAKER(t), t->speaker_len);
	if (t->flags & TURN_HAS_AFFIL)
		send_string(&buf, TURN_AFFIL(t), t->affil_len);
	if (t->flags & TURN_HAS_START)
		pq_sendint64(&buf, t->start_ms);
	if (t->flags & TURN_HAS_END)
		pq_sendint64(&buf, t->end_ms);
	send_string(&buf, TURN_BODY(t), TURN_BODY_LEN(t));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_error_at(int at, const char *msg, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid external turn value: %s", msg),
			 errdetail("Error at byte %d of the binary value.", at + 1),
			 hint ? errhint("%s", hint) : 0));
}

static void
recv_error(StringInfo buf, const char *msg, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid external turn value: %s", msg),
			 errdetail("Error at byte %d of the binary value.", buf->cursor + 1),
			 hint ? errhint("%s", hint) : 0));
}

static char *
recv_string(StringInfo buf, size_t *outlen)
{
	int			len;
	int			nbytes;
	char	   *s;

	int			at = buf->cursor;

	if (buf->len - buf->cursor < 4)
		recv_error(buf, "truncated string length", NULL);
	len = pq_getmsgint(buf, 4);
	if (len < 0 || len > buf->len - buf->cursor)
		recv_error_at(at, "string length out of range", NULL);
	if (memchr(buf->data + buf->cursor, '\0', len) != NULL)
		recv_error_at(buf->cursor + (int) ((char *) memchr(buf->data + buf->cursor, '\0', len) - (buf->data + buf->cursor)), "string contains a NUL byte", "Turn text may not contain NUL bytes.");
	s = pq_getmsgtext(buf, len, &nbytes);
	*outlen = nbytes;
	return s;
}

PG_FUNCTION_INFO_V1(turn_recv);
Datum
turn_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	turn_parts	parts;
	int			version;
	int			flags;
	tx_error	err;

	memset(&parts, 0, sizeof(parts));
	parts.start_ms = parts.end_ms = TURN_NO_TIME;
	if (buf->len - buf->cursor < 2)
		recv_error(buf, "truncated header", NULL);
	version = pq_getmsgint(buf, 1);
	if (version != TURN_FORMAT_VERSION)
		recv_error_at(0, psprintf("unsupported format version %d", version),
				   "The value was written by another version of the transcripts extension.");
	flags = pq_getmsgint(buf, 1);
	if (flags & ~TURN_KNOWN_FLAGS)
		recv_error_at(1, psprintf("unknown flags 0x%02x", flags), NULL);
	if (flags & TURN_HAS_SPEAKER)
		parts.speaker = recv_string(buf, &parts.speaker_len);
	if (flags & TURN_HAS_AFFIL)
		parts.affiliation = recv_string(buf, &parts.affiliation_len);
	if (flags & TURN_HAS_START)
	{
		if (buf->len - buf->cursor < 8)
			recv_error(buf, "truncated start time", NULL);
		parts.start_ms = pq_getmsgint64(buf);
	}
	if (flags & TURN_HAS_END)
	{
		if (buf->len - buf->cursor < 8)
			recv_error(buf, "truncated end time", NULL);
		parts.end_ms = pq_getmsgint64(buf);
	}
	parts.body = recv_string(buf, &parts.body_len);
	if (buf->cursor != buf->len)
		recv_error(buf, "junk after the body", NULL);

	/* exactly the checks text input applies */
	tx_error_clear(&err);
	if (!turn_validate(&parts, &err))
		raise_value_error(&err, "invalid external turn value");
	PG_RETURN_TURN_P(turn_from_parts(&parts));
}
