#!/usr/bin/python3
"""Builds callscribe's conversational language model (an ARPA trigram model).

1. A domain trigram model is estimated with IRSTLM's `tlm` (Witten-Bell) from project-owned
   conversational text only (src/audio/asr/assets/conversation-corpus.txt plus the TUNING dialogue
   sentences; never the evaluation sentences).
2. A generic model G is read from Debian's en-us.lm.bin through libsphinxbase (ctypes): the TOP most
   frequent words (plus the domain words) as unigrams, and - if --bigram-words N - the generic
   bigrams among the domain words and the N most frequent words.
3. The two are linearly interpolated, p = lam * p_domain + (1 - lam) * p_G, into one backoff model
   over the union of their n-grams (the static mixture SRILM's -mix-lm computes), backoff weights
   recomputed so every distribution sums to one.

usage: build-conversation-lm.py TEXT OUT.arpa [--lambda 0.7] [--top 20000] [--bigram-words 0]
"""
import argparse, ctypes, math, os, subprocess, sys, tempfile
from collections import defaultdict

GENERIC = '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin'
DICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict'
TLM = '/usr/lib/irstlm/bin/tlm'


def read_arpa(path):
    """-> {order: {ngram tuple: (log10 p, log10 bow)}}"""
    grams, order = defaultdict(dict), 0
    for line in open(path):
        line = line.strip()
        if line.startswith('\\') and line.endswith('-grams:'):
            order = int(line[1:line.index('-')])
            continue
        if not line or line.startswith('\\') or order == 0 or line.startswith('ngram'):
            continue
        parts = line.split()
        words = tuple(parts[1:1 + order])
        bow = float(parts[1 + order]) if len(parts) > 1 + order else 0.0
        grams[order][words] = (float(parts[0]), bow)
    return grams


class Backoff:
    """A backoff model in probabilities: prob(history tuple, word)."""

    def __init__(self, grams):
        self.p = {k: 10 ** v[0] for n in grams for k, v in grams[n].items()}
        self.bow = {k: 10 ** v[1] for n in grams for k, v in grams[n].items()}
        self.order = max(grams) if grams else 1

    def prob(self, hist, w):
        hist = hist[-(self.order - 1):] if self.order > 1 else ()
        while True:
            key = hist + (w,)
            if key in self.p:
                return self.p[key]
            if not hist:
                return 0.0
            b = self.bow.get(hist, 1.0)
            hist = hist[1:]
            return b * self.prob(hist, w)


def domain_model(text_path):
    with tempfile.TemporaryDirectory() as tmp:
        se = os.path.join(tmp, 'train.txt')
        with open(text_path) as src, open(se, 'w') as dst:
            for line in src:
                if line.strip():
                    dst.write('<s> ' + line.strip() + ' </s>\n')
        out = os.path.join(tmp, 'domain.arpa')
        subprocess.run([TLM, '-tr=' + se, '-n=3', '-lm=wb', '-ps=no', '-o=' + out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        grams = read_arpa(out)
    # IRSTLM reserves mass for <unk>; the recogniser has no <unk> word: drop it.
    grams[1].pop(('<unk>',), None)
    return grams


def generic_model(vocab_domain, top, bigram_words):
    sb = ctypes.CDLL('libsphinxbase.so.3')
    sb.logmath_init.restype = ctypes.c_void_p
    sb.logmath_init.argtypes = [ctypes.c_double, ctypes.c_int, ctypes.c_int]
    sb.ngram_model_read.restype = ctypes.c_void_p
    sb.ngram_model_read.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
    sb.ngram_model_get_counts.argtypes = [ctypes.c_void_p]
    sb.ngram_model_get_counts.restype = ctypes.POINTER(ctypes.c_uint32)
    sb.ngram_word.argtypes = [ctypes.c_void_p, ctypes.c_int32]
    sb.ngram_word.restype = ctypes.c_char_p
    sb.ngram_wid.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    sb.ngram_wid.restype = ctypes.c_int32
    sb.ngram_ng_score.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int32),
                                  ctypes.c_int32, ctypes.POINTER(ctypes.c_int32)]
    sb.ngram_ng_score.restype = ctypes.c_int32
    sb.logmath_exp.argtypes = [ctypes.c_void_p, ctypes.c_int32]
    sb.logmath_exp.restype = ctypes.c_double
    lmath = sb.logmath_init(1.0001, 0, 0)
    model = sb.ngram_model_read(None, GENERIC.encode(), 0, lmath)
    n_used = ctypes.c_int32()

    def score(wid, hist):
        h = (ctypes.c_int32 * max(1, len(hist)))(*hist)
        s = sb.ngram_ng_score(model, wid, h, len(hist), ctypes.byref(n_used))
        return sb.logmath_exp(lmath, s), n_used.value

    pronounceable = set()
    for line in open(DICT, errors='ignore'):
        word = line.split(' ', 1)[0]
        if '(' not in word:
            pronounceable.add(word)
    unigrams = {}
    for wid in range(sb.ngram_model_get_counts(model)[0]):
        word = sb.ngram_word(model, wid).decode(errors='ignore')
        if word in pronounceable:
            unigrams[word] = (score(wid, [])[0], wid)
    ranked = sorted(unigrams, key=lambda w: -unigrams[w][0])
    vocab = set(ranked[:top]) | (vocab_domain & set(unigrams))
    z = sum(unigrams[w][0] for w in vocab)
    p = {(w,): unigrams[w][0] / z for w in vocab}
    bow = {}
    if bigram_words:
        small = (vocab_domain & set(unigrams)) | set(ranked[:bigram_words])
        for u in small:
            uid = unigrams[u][1]
            explicit = {}
            for w in small:
                pw, used = score(unigrams[w][1], [uid])
                if used == 2:
                    explicit[w] = pw
            if not explicit:
                continue
            for w, pw in explicit.items():
                p[(u, w)] = pw
            denom = 1 - sum(p[(w,)] for w in explicit)
            bow[(u,)] = max(1e-9, 1 - sum(explicit.values())) / max(1e-9, denom)
    return p, bow


def mix(domain, gen_p, gen_bow, lam):
    d = Backoff(domain)
    g = Backoff({1: {}})
    g.p, g.bow, g.order = gen_p, gen_bow, 2
    vocab = {k[0] for k in gen_p if len(k) == 1} | {k[0] for k in d.p if len(k) == 1}
    keys = set(gen_p) | set(d.p)
    keys = {k for k in keys if all(w in vocab or w in ('<s>', '</s>') for w in k)}
    mixed = {k: lam * d.prob(k[:-1], k[-1]) + (1 - lam) * g.prob(k[:-1], k[-1]) for k in keys}
    for s in ('<s>', '</s>'):
        mixed.setdefault((s,), 1e-99)
    total = sum(v for k, v in mixed.items() if len(k) == 1 and k[0] != '<s>')
    for k in list(mixed):
        if len(k) == 1:
            mixed[k] /= total
    successors = defaultdict(list)
    for k in mixed:
        if len(k) > 1:
            successors[k[:-1]].append(k)
    out = Backoff({1: {}})
    out.p, out.bow, out.order = mixed, {}, 3
    bows = {}
    for n in (1, 2):  # lower orders first: a history's bow uses the shorter history's bow
        for h, ks in successors.items():
            if len(h) != n:
                continue
            num = 1 - sum(mixed[k] for k in ks)
            den = 1 - sum(out.prob(h[1:], k[-1]) for k in ks)
            bows[h] = max(1e-9, num) / max(1e-9, den)
            out.bow[h] = bows[h]
    return mixed, bows


def write_arpa(path, mixed, bows):
    by_order = defaultdict(list)
    for k in mixed:
        by_order[len(k)].append(k)
    with open(path, 'w') as f:
        f.write('\\data\\\n')
        for n in sorted(by_order):
            f.write('ngram %d=%d\n' % (n, len(by_order[n])))
        for n in sorted(by_order):
            f.write('\n\\%d-grams:\n' % n)
            for k in sorted(by_order[n]):
                lp = -99.0 if k == ('<s>',) else math.log10(max(mixed[k], 1e-99))
                line = '%.5f\t%s' % (lp, ' '.join(k))
                if n < max(by_order) and k in bows:
                    line += '\t%.5f' % math.log10(bows[k])
                f.write(line + '\n')
        f.write('\n\\end\\\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('text')
    ap.add_argument('out')
    ap.add_argument('--lambda', dest='lam', type=float, default=0.7)
    ap.add_argument('--top', type=int, default=20000)
    ap.add_argument('--bigram-words', type=int, default=0)
    a = ap.parse_args()
    domain = domain_model(a.text)
    vocab_domain = {k[0] for k in domain[1]} - {'<s>', '</s>'}
    gen_p, gen_bow = generic_model(vocab_domain, a.top, a.bigram_words)
    mixed, bows = mix(domain, gen_p, gen_bow, a.lam)
    write_arpa(a.out, mixed, bows)
    counts = defaultdict(int)
    for k in mixed:
        counts[len(k)] += 1
    print('wrote %s: %s' % (a.out, dict(counts)), file=sys.stderr)


if __name__ == '__main__':
    main()
