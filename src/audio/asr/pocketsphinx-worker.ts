/**
 * One long-lived pocketsphinx decoder in a child process (Debian's `python3-pocketsphinx`, the SWIG
 * binding of the same libpocketsphinx 5prealpha the CLI tools use). The model loads once; each
 * request is one utterance of 16-bit PCM; the answer is the best path's words with frame times and
 * posterior confidences. Recognition never runs on the Node event loop.
 *
 * Protocol (stdin): a JSON line `{"id": n, "bytes": b}` then `b` bytes of little-endian int16 PCM.
 * Answer (stdout): one JSON line `{"id": n, "words": [[word, startFrame, endFrame, confidence]…]}`
 * or `{"id": n, "error": "…"}`. The first line the worker prints is `{"ready": true}`.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../../core/errors.js';

/** The worker program. Kept inline so the built package needs no extra files. */
const WORKER_SOURCE = String.raw`
import json, sys
from pocketsphinx import Decoder

# Numeric arguments are typed in libpocketsphinx; these are its floating-point ones.
FLOATS = {"-samprate", "-beam", "-wbeam", "-pbeam", "-lpbeam", "-lponlybeam", "-fwdflatbeam",
          "-fwdflatwbeam", "-lw", "-fwdflatlw", "-bestpathlw", "-wip", "-pip", "-silprob",
          "-fillprob", "-uw", "-upperf", "-lowerf", "-ascale", "-vad_threshold", "-wlen",
          "-dither", "-pl_beam", "-pl_pbeam", "-pl_pip", "-pl_weight", "-kws_threshold",
          "-varfloor", "-mixwfloor", "-tmatfloor", "-alpha", "-vad_threshold"}
args = json.loads(sys.argv[1])
config = Decoder.default_config()
for key, value in args.items():
    if isinstance(value, bool):
        config.set_boolean(key, value)
    elif key in FLOATS:
        config.set_float(key, float(value))
    elif isinstance(value, (int, float)):
        config.set_int(key, int(value))
    else:
        config.set_string(key, str(value))
decoder = Decoder(config)
logmath = decoder.get_logmath()
out = sys.stdout
out.write('{"ready": true}\n'); out.flush()
stdin = sys.stdin.buffer
while True:
    line = stdin.readline()
    if not line:
        break
    request = json.loads(line)
    data = stdin.read(request["bytes"])
    try:
        decoder.start_utt()
        decoder.process_raw(data, False, True)
        decoder.end_utt()
        words = []
        if decoder.hyp() is not None:
            for seg in decoder.seg():
                words.append([seg.word, seg.start_frame, seg.end_frame, logmath.exp(seg.prob)])
        out.write(json.dumps({"id": request["id"], "words": words}) + "\n")
    except Exception as error:
        out.write(json.dumps({"id": request["id"], "error": str(error)}) + "\n")
    out.flush()
`;

/** A raw segment from the decoder: word (may carry an `(n)` variant or be a filler), frames, posterior. */
export type RawSegment = [word: string, startFrame: number, endFrame: number, confidence: number];

interface Pending {
  resolve: (words: RawSegment[]) => void;
  reject: (error: Error) => void;
}

export interface WorkerOptions {
  /** Python interpreter that has Debian's `pocketsphinx` module (default `/usr/bin/python3`). */
  python: string;
  /** Decoder arguments, pocketsphinx names with their dash: `{ '-hmm': …, '-samprate': 8000 }`. */
  decoderArgs: Record<string, string | number | boolean>;
}

/** A decoder process; `decode` calls are answered in order, one at a time. */
export class PocketsphinxWorker {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly pending = new Map<number, Pending>();
  private readonly ready: Promise<void>;
  private nextId = 1;
  private buffered = '';
  private stderr = '';
  private failure: Error | undefined;

  constructor(options: WorkerOptions) {
    const child = spawn(options.python, ['-u', '-c', WORKER_SOURCE, JSON.stringify(options.decoderArgs)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    let markReady: () => void = () => {};
    let failReady: (error: Error) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => {});
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onData(chunk, markReady));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    child.stdin.on('error', () => {});
    const fail = (error: Error) => {
      this.failure ??= error;
      failReady(this.failure);
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    child.on('error', (error) => fail(asrFailed(`cannot start ${options.python}: ${error.message}`, error)));
    child.on('exit', (code, signal) => {
      const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
      fail(asrFailed(`the pocketsphinx worker exited (${signal ?? code})${tail ? `: ${tail}` : ''}`));
    });
  }

  private onData(chunk: string, markReady: () => void): void {
    this.buffered += chunk;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf('\n');
      if (!line.trim()) continue;
      const message = JSON.parse(line) as {
        ready?: boolean;
        id?: number;
        words?: RawSegment[];
        error?: string;
      };
      if (message.ready) {
        markReady();
        continue;
      }
      const p = this.pending.get(message.id ?? -1);
      if (!p) continue;
      this.pending.delete(message.id!);
      if (message.error !== undefined) p.reject(asrFailed(`pocketsphinx failed: ${message.error}`));
      else p.resolve(message.words ?? []);
    }
  }

  /** Decodes one utterance. Rejects with `E_ASR_FAILED` if the worker fails. */
  async decode(samples: Int16Array): Promise<RawSegment[]> {
    await this.ready;
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    return new Promise<RawSegment[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, bytes: bytes.length })}\n`);
      this.child.stdin.write(bytes);
    });
  }

  /** Ends the process (its stdin closes; it exits when done). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function asrFailed(message: string, cause?: unknown): AppError {
  return new AppError('E_ASR_FAILED', message, cause === undefined ? {} : { cause });
}
