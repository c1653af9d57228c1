#!/usr/bin/python3
"""Converts a pocketsphinx `sendump` (quantised mixture weights) into the sphinxtrain `mixture_weights`
file bw needs for adaptation (a Python 3 port of sphinxtrain's python2 sendump.py)."""
import struct, sys
def readstr(fh, fmt):
    n = struct.unpack(fmt, fh.read(4))[0]
    return None if n == 0 else fh.read(n)[:-1].decode()
src, dst = sys.argv[1], sys.argv[2]
fh = open(src, 'rb')
fmt = '<I'
first = struct.unpack('<I', fh.read(4))[0]
if first > 65536: fmt = '>I'
fh.seek(0)
title = readstr(fh, fmt)
hdr = {}
while True:
    h = readstr(fh, fmt)
    if h is None: break
    p = h.split()
    if len(p) == 2 and p[1].isdigit(): hdr[p[0]] = int(p[1])
mixture_count = hdr.get('mixture_count', 0); model_count = hdr.get('model_count', 0)
shift = hdr.get('mixw_shift', 10); feats = hdr.get('feature_count', 0); clusters = hdr.get('cluster_count', 0)
if clusters == 0:
    model_count = struct.unpack(fmt, fh.read(4))[0]; mixture_count = struct.unpack(fmt, fh.read(4))[0]
print('senones', mixture_count, 'feat', feats, 'density', model_count, 'shift', shift, hdr, file=sys.stderr)
# data: for each feature, for each density (codeword), mixture_count bytes (one per senone)
data = [[[0.0]*model_count for _ in range(feats)] for _ in range(mixture_count)]
for f in range(feats):
    for d in range(model_count):
        row = fh.read(mixture_count)
        for s in range(mixture_count):
            data[s][f][d] = 1.0001 ** (-(row[s] << shift))
out = open(dst, 'wb')
head = b's3\nversion 1.0\n'
lsb = (len(head) + len(b'endhdr\n')) & 3
head += (b' ' * (4 - lsb) if lsb else b'') + b'endhdr\n'
out.write(head); out.write(struct.pack('<i', 0x11223344))
out.write(struct.pack('<IIII', mixture_count, feats, model_count, mixture_count*feats*model_count))
import array
a = array.array('f', [v for s in data for f in s for v in f])
out.write(a.tobytes())
