#!/usr/bin/env python3
"""Score the segmenter against references.

  test/bench/segment_quality.py [--cli PATH] [--verbose]

Builds test/bench/segment_cli.c (the core, without PostgreSQL) unless --cli
is given, runs it on the shared corpus and formats, and prints per file:
  boundary P/R/F1  turns whose start line matches a reference turn start
  speaker acc      of matched turns, the speaker agrees (names compared by
                   the core's identity key: case, dots, diacritics folded)
  words            reference turns whose word count matches exactly
References: corpus/ren-interviews-part1.gold.jsonl (line, speaker, nwords),
formats/congressional-record-*.parsed.json (speaker and text of each speech,
matched by their first words), and the WebVTT voice examples.
"""
import json, os, re, subprocess, sys, tempfile, unicodedata, collections

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SHARED = os.environ.get('TX_SHARED') or os.path.join(ROOT, '..', 'shared')
if not os.path.isdir(SHARED):
    SHARED = '/work/shared'
VERBOSE = '--verbose' in sys.argv

def build_cli():
    if '--cli' in sys.argv:
        return sys.argv[sys.argv.index('--cli') + 1]
    out = os.path.join(tempfile.gettempdir(), 'segment_cli_%d' % os.getpid())
    srcs = sorted(os.path.join(ROOT, 'src/core', f) for f in os.listdir(os.path.join(ROOT, 'src/core')) if f.endswith('.c'))
    subprocess.check_call(['cc', '-std=gnu11', '-O2', '-I' + os.path.join(ROOT, 'src/core'), '-o', out,
                           os.path.join(ROOT, 'test/bench/segment_cli.c')] + srcs + ['-licuuc', '-lm'])
    return out

def run(cli, path, fmt='auto'):
    out = subprocess.run([cli, path, fmt], capture_output=True, check=True).stdout.decode()
    return [json.loads(l) for l in out.splitlines()]

def key(name):
    if name is None:
        return None
    s = name.replace('ä', 'ae').replace('ö', 'oe').replace('ü', 'ue').replace('Ä', 'ae').replace('Ö', 'oe').replace('Ü', 'ue').replace('ß', 'ss')
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace('.', '')
    return ' '.join(re.findall(r"[\w]+", s))

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

def words(text):
    return WORD.findall(text)

def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0

def report(name, npred, ngold, matched, same, extra=''):
    p = matched / npred if npred else 1.0
    r = matched / ngold if ngold else 1.0
    acc = same / matched if matched else 0.0
    print(f'{name:44s} turns {npred:4d}/{ngold:4d}  boundary P {p:.4f} R {r:.4f} F1 {f1(p, r):.4f}  speaker acc {acc:.4f} {extra}')
    return f1(p, r), acc

def score_gold(cli):
    txt = os.path.join(SHARED, 'corpus/ren-interviews-part1.txt')
    gold = [json.loads(l) for l in open(os.path.join(SHARED, 'corpus/ren-interviews-part1.gold.jsonl'))]
    pred = [t for t in run(cli, txt) if t['speaker'] is not None]
    gl = {g['line']: g for g in gold}
    matched = same = wordsok = 0
    for t in pred:
        g = gl.get(t['line'])
        if g is None:
            if VERBOSE: print('  extra', t['line'], t['speaker'], t['body'][:60])
            continue
        matched += 1
        if key(g['speaker']) == key(t['speaker']):
            same += 1
        elif VERBOSE:
            print('  speaker', t['line'], g['speaker'], '!=', t['speaker'])
        n = len(words(t['body']))
        if n == g['nwords']:
            wordsok += 1
        elif VERBOSE:
            print('  nwords', t['line'], g['nwords'], n, t['body'][-80:])
    pl = {t['line'] for t in pred}
    if VERBOSE:
        for g in gold:
            if g['line'] not in pl:
                print('  missed', g['line'], g['speaker'], g['first'])
    # nothing lost: the word multiset of all bodies equals the input's minus page artefacts
    allp = run(cli, txt)
    inw = collections.Counter(w for l in open(txt, encoding='utf-8') for w in words(l))
    outw = collections.Counter(w for t in allp for w in words(t['body']))
    # label words moved to the speaker and affiliation columns
    outw.update(w for t in allp for w in words((t['speaker'] or '') + ' ' + (t['affiliation'] or '')))
    lost = inw - outw
    added = outw - inw
    print('  no-loss: input words missing from bodies (page artefacts):', sum(lost.values()),
          dict(lost.most_common(12)))
    print('  no-loss: body words not in the input (hyphenation joins):', sum(added.values()),
          dict(added.most_common(12)))
    return report('corpus/ren-interviews-part1 (gold)', len(pred), len(gold), matched, same,
                  f' words exact {wordsok}/{matched}')

def score_record(cli):
    base = os.path.join(SHARED, 'formats/congressional-record-2005-07-20-PgS8536')
    ref = json.load(open(base + '.parsed.json'))['content']
    ref = [c for c in ref if c['kind'] == 'speech']
    pred = [t for t in run(cli, base + '.htm') if t['speaker'] is not None]
    def sig(text, speaker):
        w = words(text)
        # drop the label words the reference keeps in its text
        return ' '.join(w[:14])
    sigs = []
    for c in ref:
        text = re.sub(r'^\s*' + re.escape(c['speaker']) + r'\.\s*(\[[^\]]*\]\s*)?', '', c['text'])
        sigs.append(' '.join(words(text)[:8]))
    matched = same = 0
    j = 0
    for t in pred:
        k = ' '.join(words(t['body'])[:8])
        # in order: the next reference speech with the same first words, close by
        hit = next((m for m in range(j, min(j + 6, len(ref))) if sigs[m] == k), None)
        if hit is None:
            if VERBOSE: print('  extra', t['line'], t['speaker'], t['body'][:60])
            continue
        c = ref[hit]
        j = hit + 1
        matched += 1
        if key(c['speaker']) == key(t['speaker']):
            same += 1
        elif VERBOSE:
            print('  speaker', t['line'], c['speaker'], '!=', t['speaker'])
    return report('formats/congressional-record (parsed.json)', len(pred), len(ref), matched, same)

def score_vtt(cli):
    exp = {'webvtt-spec-example.vtt': None,
           'webvtt-voice-with-annotation.vtt': [('Mary', 'No way!')],
           'webvtt-voice-with-subclass.vtt': [('Joe', "That's awesome!")],
           'webvtt-voice-with-two-subclasses.vtt': [('Joe', "That's awesome!")],
           'webvtt-voice-with-closing-span.vtt': [('Joe', 'Hee! Hee!')],
           'webvtt-voice-not-closed.vtt': [(None, "It's a blue apple tree!")],
           'webvtt-voice-no-end-gt.vtt': [(None, "It's a blue apple tree!")]}
    ok = total = 0
    for f, e in exp.items():
        got = [(t['speaker'], t['body']) for t in run(cli, os.path.join(SHARED, 'formats', f))]
        if e is None:
            spk = [s for s, _ in got]
            e_spk = ['Roger Bingham', 'Neil deGrasse Tyson', 'Roger Bingham', 'Neil deGrasse Tyson', 'Roger Bingham']
            good = spk == e_spk
        else:
            good = got == e
        total += 1
        ok += good
        if not good and VERBOSE:
            print('  vtt', f, got)
    print(f'{"formats/webvtt-* (voice spans)":44s} {ok}/{total} files exactly right')

def score_label_lines(cli):
    """References derived from the files' own label lines (one turn per label line)."""
    specs = [('debate-2020-vp-part1.txt', r'^([A-Z][A-Za-z. ]*):\s*$'),
             ('debate-2020-vp-part2.txt', r'^([A-Z][A-Za-z. ]*):\s*$'),
             ('rev-style-podcast-seth-godin.md', r'^([A-Z][\w. ]*) \(\d+:\d+(?::\d+)?\):\s*$'),
             ('otter-podcast-62-security.md', r'^([A-Z][\w. ]*?)  \d+:\d+(?::\d+)?\s*$'),
             ('court-grand-jury-volume1.txt', r'^(Q|A|[A-Z][A-Z. ]+:)(?:\s|$)')]
    for f, pat in specs:
        path = os.path.join(SHARED, 'formats', f)
        ref = {}
        for n, l in enumerate(open(path, encoding='utf-8', newline=''), 1):
            m = re.match(pat, l.rstrip('\r\n'))
            if m and not l.startswith('BY '):
                ref[n] = m.group(1).rstrip(':')
        pred = [t for t in run(cli, path) if t['speaker'] is not None]
        matched = same = 0
        for t in pred:
            if t['line'] in ref:
                matched += 1
                r = ref[t['line']]
                # Q and A are attributed to the examiner and the witness
                if key(r) == key(t['speaker']) or (r == 'Q' and t['speaker'].startswith('M')) or \
                        (r == 'A' and t['speaker'] == 'THE WITNESS'):
                    same += 1
                elif VERBOSE:
                    print('  speaker', f, t['line'], r, t['speaker'])
            elif VERBOSE:
                print('  extra', f, t['line'], t['speaker'], t['body'][:50])
        report('formats/' + f + ' (label lines)', len(pred), len(ref), matched, same)

def summary(cli):
    for f, fmt in [('debate-2020-vp-part1.txt', 'auto'), ('debate-2020-vp-part2.txt', 'auto'),
                   ('rev-style-podcast-seth-godin.md', 'auto'), ('otter-podcast-62-security.md', 'auto'),
                   ('zoom-meeting.transcript.vtt', 'auto'), ('srt-film-fr.srt', 'auto'),
                   ('webvtt-netflix-dash-dialogue.vtt', 'auto'), ('youtube-captions-speaker-arrows.vtt', 'auto'),
                   ('hearing-gpo-house-CHRG-111hhrg53242.htm', 'hearing'), ('court-grand-jury-volume1.txt', 'auto')]:
        ts = run(cli, os.path.join(SHARED, 'formats', f), fmt)
        c = collections.Counter(t['speaker'] for t in ts)
        print(f'{"formats/" + f:44s} {len(ts):4d} turns, {len(c):3d} speakers: ' +
              ', '.join(f'{k}={v}' for k, v in c.most_common(6)))

if __name__ == '__main__':
    cli = build_cli()
    score_gold(cli)
    score_record(cli)
    score_vtt(cli)
    score_label_lines(cli)
    summary(cli)
