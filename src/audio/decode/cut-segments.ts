/**
 * The second pass: stream one channel again and hand out the samples of each utterance as soon as
 * the stream has passed its end. Only the utterance being filled is held, so memory is bounded by
 * the longest utterance, not the call.
 */
import type { SpeechSegment } from '../vad/segment-speech.js';
import { pcmStream } from './ffmpeg-pcm-stream.js';

export interface CutSegment extends SpeechSegment {
  samples: Int16Array;
}

/** Samples of each segment (sorted, non-overlapping) of one channel, in order. */
export async function* cutSegments(
  path: string,
  options: { channel?: number; sampleRate: number; segments: readonly SpeechSegment[]; signal?: AbortSignal },
): AsyncGenerator<CutSegment> {
  const { sampleRate, segments } = options;
  if (segments.length === 0) return;
  const bounds = segments.map((s) => [
    Math.floor((s.startMillis * sampleRate) / 1000),
    Math.floor((s.endMillis * sampleRate) / 1000),
  ]);
  let index = 0;
  let buffer = new Int16Array(bounds[0]![1]! - bounds[0]![0]!);
  let position = 0;
  for await (const chunk of pcmStream(path, options)) {
    const chunkStart = position;
    position += chunk.length;
    while (index < segments.length) {
      const [start, end] = bounds[index] as [number, number];
      if (start >= position) break;
      const from = Math.max(start, chunkStart);
      const to = Math.min(end, position);
      if (to > from) buffer.set(chunk.subarray(from - chunkStart, to - chunkStart), from - start);
      if (end > position) break;
      yield { ...segments[index]!, samples: buffer };
      index++;
      if (index < segments.length) buffer = new Int16Array(bounds[index]![1]! - bounds[index]![0]!);
    }
    if (index >= segments.length) return;
  }
  // The stream ended inside the last segment: hand out what there was.
  if (index < segments.length) {
    const [start] = bounds[index] as [number, number];
    yield { ...segments[index]!, samples: buffer.subarray(0, Math.max(0, position - start)) };
  }
}
