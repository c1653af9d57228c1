/** The recording service on every database (PGlite and PostgreSQL) over the local-disk store. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../../test/support/app-audio.js';
import { TEST_DATABASES } from '../../test/support/databases.js';
import { AppError } from '../core/errors.js';
import { createLocalDiskBlobStore } from '../storage/blob/local-disk-blob-store.js';
import { migrate } from '../storage/db/index.js';
import {
  createRecordingService,
  keySegment,
  type RecordingService,
  recordingKey,
} from './recording-service.js';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('recording keys', () => {
  it.each([
    ['call-1', 'call-1'],
    ['../../etc/passwd', '~Li4vLi4vZXRjL3Bhc3N3ZA'],
    ['a b', '~YSBi'],
    ['~x', '~fng'],
  ])('%j → %j', (id, segment) => {
    expect(keySegment(id)).toBe(segment);
  });
  it('keys never leave the recordings/ prefix', () => {
    expect(recordingKey('..', '.')).toBe('recordings/~Li4/~Lg');
  });
});

for (const target of TEST_DATABASES) {
  describe(`recording service on ${target.name}`, () => {
    let service: RecordingService;
    let drop: () => Promise<void>;
    let root: string;
    beforeAll(async () => {
      const opened = await target.open();
      drop = opened.drop;
      await migrate(opened.db);
      root = await mkdtemp(path.join(os.tmpdir(), 'callscribe-rec-'));
      service = createRecordingService({
        db: opened.db,
        blobs: createLocalDiskBlobStore({ root }),
        maxBytes: 100_000,
      });
    });
    afterAll(async () => {
      await drop();
      await rm(root, { recursive: true, force: true });
    });

    it('stores, replaces, finds, authorizes and removes', async () => {
      const first = await service.store({
        externalAccountId: 'a:1',
        externalId: 'c/1',
        appId: '7',
        body: Readable.from([makeWav(100)]),
      });
      expect(first).toMatchObject({ created: true, format: 'wav', recording: { size: 144, appId: '7' } });
      const second = await service.store({
        externalAccountId: 'a:1',
        externalId: 'c/1',
        appId: '7',
        body: Readable.from([makeWav(200)]),
      });
      expect(second.created).toBe(false);
      expect(second.recording.size).toBe(244);
      expect(second.recording.createdAt).toBe(first.recording.createdAt);
      expect((await service.authorize('c/1', 'a:1', '7')).size).toBe(244);
      expect(await codeOf(service.authorize('c/1', 'a:1', '8'))).toBe('E_RECORDING_APP_MISMATCH');
      expect(await codeOf(service.authorize('c/1', 'a:2', '7'))).toBe('E_RECORDING_APP_MISMATCH');
      expect(await codeOf(service.authorize('nope', 'a:1', '7'))).toBe('E_RECORDING_NOT_FOUND');
      expect(await service.remove('a:1', 'c/1')).toBe(true);
      expect(await codeOf(service.authorize('c/1', 'a:1', '7'))).toBe('E_RECORDING_NOT_FOUND');
      expect(await service.remove('a:1', 'c/1')).toBe(false);
    });

    it('the same externalId under two accounts are two recordings', async () => {
      for (const account of ['x', 'y']) {
        await service.store({
          externalAccountId: account,
          externalId: 'shared',
          appId: account,
          body: Readable.from([makeWav(10)]),
        });
      }
      expect((await service.authorize('shared', 'x', 'x')).externalAccountId).toBe('x');
      expect((await service.authorize('shared', 'y', 'y')).externalAccountId).toBe('y');
    });

    it('refuses bad ids, unknown formats and oversize bodies without writing a row', async () => {
      expect(
        await codeOf(
          service.store({
            externalAccountId: '',
            externalId: 'c',
            appId: '1',
            body: Readable.from([makeWav(10)]),
          }),
        ),
      ).toBe('E_VALIDATION');
      expect(
        await codeOf(
          service.store({
            externalAccountId: 'a',
            externalId: 'c',
            appId: '1',
            body: Readable.from([Buffer.from('OggS....')]),
          }),
        ),
      ).toBe('E_UNSUPPORTED_MEDIA');
      expect(
        await codeOf(
          service.store({
            externalAccountId: 'a',
            externalId: 'c',
            appId: '1',
            body: Readable.from([makeWav(200_000)]),
          }),
        ),
      ).toBe('E_PAYLOAD_TOO_LARGE');
      expect(await service.get('a', 'c')).toBeUndefined();
    });
  });
}
