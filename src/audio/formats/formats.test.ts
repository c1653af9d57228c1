import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { Transcript } from '../../core/transcript.js';
import { wordsFromVerbose } from '../asr/openai-compatible-recognizer.js';
import { mergeTranscript, resolveSpeakers } from '../merge/merge-transcript.js';
import { renderTranscript } from './render-transcript.js';
import { sniffContainer } from './sniff.js';

const bytes = (text: string, pad = 16) => Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(pad)]);

describe('sniffContainer', () => {
  it.each([
    ['wav', bytes('RIFF\x24\x00\x00\x00WAVEfmt ')],
    ['flac', bytes('fLaC\x00\x00\x00\x22')],
    ['mp4', bytes('\x00\x00\x00\x20ftypM4A ')],
  ])('accepts %s by content', (container, head) => {
    expect(sniffContainer(head)).toBe(container);
  });

  it.each([
    ['E_AUDIO_EMPTY', Buffer.alloc(0), /empty/],
    ['E_AUDIO_UNSUPPORTED_FORMAT', bytes('ID3\x04\x00'), /MP3/],
    ['E_AUDIO_UNSUPPORTED_FORMAT', Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]), /MP3/],
    ['E_AUDIO_UNSUPPORTED_FORMAT', bytes('OggS\x00\x02'), /Ogg/],
    ['E_AUDIO_UNSUPPORTED_FORMAT', Buffer.from('hello, this is a text file\n'), /text/],
    ['E_AUDIO_UNSUPPORTED_FORMAT', bytes('RIFF\x00\x00\x00\x00AVI LIST'), /RIFF\/AVI/],
    ['E_AUDIO_CORRUPT', Buffer.from('RIFF\x00\x00', 'latin1'), /truncated/],
  ])('refuses with %s: %s', (code, head, says) => {
    expect(() => sniffContainer(head)).toThrow(AppError);
    try {
      sniffContainer(head);
    } catch (e) {
      expect((e as AppError).code).toBe(code);
      expect((e as AppError).message).toMatch(says);
    }
  });
});

const transcript: Transcript = mergeTranscript(9000, resolveSpeakers(2, [{ name: 'Ana <Sales>' }]), [
  {
    channel: 2,
    startMillis: 3000,
    endMillis: 5000,
    words: [
      { text: 'fine', startTimeMillis: 3100, endTimeMillis: 3500, confidence: 0.8 },
      { text: '<sil>', startTimeMillis: 3500, endTimeMillis: 3600, confidence: 1 },
      { text: 'thanks', startTimeMillis: 3600, endTimeMillis: 4200, confidence: 0.6 },
    ],
  },
  {
    channel: 1,
    startMillis: 0,
    endMillis: 2000,
    words: [{ text: 'hello', startTimeMillis: 250, endTimeMillis: 900, confidence: 1 }],
  },
  { channel: 1, startMillis: 6000, endMillis: 7000, words: [] },
]);

describe('transcript formats', () => {
  it('merges channels in time order, drops filler tokens and empty utterances', () => {
    expect(transcript.utterances.map((u) => [u.channel, u.text])).toEqual([
      [1, 'hello'],
      [2, 'fine thanks'],
    ]);
    expect(transcript.utterances[1]).toMatchObject({
      startTimeMillis: 3100,
      endTimeMillis: 4200,
      confidence: 0.7,
    });
    expect(transcript.utterances[0]!.speaker).toEqual({ id: 'caller', name: 'Ana <Sales>' });
  });

  it('renders JSON with exactly the issue’s fields', () => {
    const json = JSON.parse(renderTranscript(transcript, 'json'));
    expect(Object.keys(json)).toEqual(['durationMillis', 'channels', 'utterances', 'analytics']);
    expect(Object.keys(json.utterances[0])).toEqual([
      'channel',
      'speaker',
      'text',
      'startTimeMillis',
      'endTimeMillis',
      'confidence',
      'words',
    ]);
    expect(Object.keys(json.utterances[0].words[0])).toEqual([
      'text',
      'startTimeMillis',
      'endTimeMillis',
      'confidence',
    ]);
  });

  it('renders WebVTT with escaped voice tags, SRT and text', () => {
    expect(renderTranscript(transcript, 'vtt')).toBe(
      'WEBVTT\n\n00:00:00.250 --> 00:00:00.900\n<v Ana &lt;Sales&gt;>hello</v>\n\n00:00:03.100 --> 00:00:04.200\n<v Recipient>fine thanks</v>\n',
    );
    expect(renderTranscript(transcript, 'srt')).toBe(
      '1\n00:00:00,250 --> 00:00:00,900\nAna <Sales>: hello\n\n2\n00:00:03,100 --> 00:00:04,200\nRecipient: fine thanks\n',
    );
    expect(renderTranscript(transcript, 'text')).toBe(
      '[00:00:00] Ana <Sales>: hello\n[00:00:03] Recipient: fine thanks\n',
    );
  });
});

describe('verbose_json from OpenAI-compatible servers', () => {
  it('reads top-level words (OpenAI), segment words (whisper.cpp), or spreads segment text', () => {
    expect(
      wordsFromVerbose({
        words: [{ word: ' hi', start: 0.1, end: 0.4 }],
        segments: [{ start: 0, end: 1, text: 'hi', avg_logprob: -0.1 }],
      }),
    ).toEqual([{ text: 'hi', startTimeMillis: 100, endTimeMillis: 400, confidence: Math.exp(-0.1) }]);
    expect(
      wordsFromVerbose({
        segments: [
          { start: 0, end: 1, text: 'a b', words: [{ word: 'a', start: 0, end: 0.5, probability: 0.9 }] },
        ],
      }),
    ).toEqual([{ text: 'a', startTimeMillis: 0, endTimeMillis: 500, confidence: 0.9 }]);
    expect(
      wordsFromVerbose({ segments: [{ start: 1, end: 2, text: ' one two ' }] }).map((w) => [
        w.text,
        w.startTimeMillis,
        w.endTimeMillis,
      ]),
    ).toEqual([
      ['one', 1000, 1500],
      ['two', 1500, 2000],
    ]);
  });
});
