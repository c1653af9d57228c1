/** The contract every BlobStore adapter keeps. Called once per adapter by its test file. */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import type { BlobStore } from '../../src/core/ports/blob-store.js';

export interface BlobStoreTarget {
  name: string;
  /** Creates a store over an empty namespace; `dispose` stops whatever it started. */
  create(): Promise<{ store: BlobStore; dispose(): Promise<void> }>;
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function chunked(data: Buffer, size = 64 * 1024): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

/** A body that sends `data`, then fails: a client that disconnects mid-upload. */
async function* failingBody(data: Buffer): AsyncGenerator<Uint8Array> {
  yield data;
  throw new Error('client went away');
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

export function runBlobStoreContract(target: BlobStoreTarget): void {
  describe(`BlobStore contract: ${target.name}`, () => {
    let store: BlobStore;
    let dispose: () => Promise<void>;
    const data = randomBytes(300_000);
    const key = 'recordings/acc-1/call-1';

    beforeAll(async () => {
      ({ store, dispose } = await target.create());
      await store.put(key, chunked(data), { contentType: 'audio/wav' });
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    it('round-trips bytes with size, quoted ETag and SHA-256', async () => {
      const result = await store.put('recordings/acc-1/rt', chunked(data));
      expect(result.size).toBe(data.length);
      expect(result.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(result.etag).toMatch(/^".+"$/);
      const head = await store.head('recordings/acc-1/rt');
      expect(head).toMatchObject({ key: 'recordings/acc-1/rt', size: data.length, etag: result.etag });
      expect(head?.lastModified).toBeInstanceOf(Date);
      const { info, body } = await store.get('recordings/acc-1/rt');
      expect(info.etag).toBe(result.etag);
      expect((await readAll(body)).equals(data)).toBe(true);
    });

    const ranges: Array<[number, number]> = [
      [0, 0],
      [0, 99],
      [1, 1],
      [12_345, 65_535],
      [65_535, 65_536],
      [299_999, 299_999],
      [0, 299_999],
      [150_000, 299_999],
    ];
    it.each(ranges)('streams bytes %i-%i exactly', async (start, end) => {
      const { info, range, body } = await store.get(key, { start, end });
      expect(info.size).toBe(data.length);
      expect(range).toEqual({ start, end });
      expect((await readAll(body)).equals(data.subarray(start, end + 1))).toBe(true);
    });

    it('lets a function choose the range from the info of the version it reads', async () => {
      const { range, body } = await store.get(key, (info) => ({ start: info.size - 10, end: info.size - 1 }));
      expect(range).toEqual({ start: data.length - 10, end: data.length - 1 });
      expect((await readAll(body)).equals(data.subarray(-10))).toBe(true);
      const whole = await store.get(key, () => undefined);
      expect((await readAll(whole.body)).length).toBe(data.length);
    });

    it.each([
      [data.length, data.length],
      [0, data.length],
      [10, 5],
      [-1, 3],
    ])('refuses range %i-%i outside the blob with E_RANGE_NOT_SATISFIABLE', async (start, end) => {
      expect(await codeOf(store.get(key, { start, end }))).toBe('E_RANGE_NOT_SATISFIABLE');
    });

    it('answers a missing key: head undefined, get E_BLOB_NOT_FOUND, delete false', async () => {
      expect(await store.head('recordings/nobody/none')).toBeUndefined();
      expect(await codeOf(store.get('recordings/nobody/none'))).toBe('E_BLOB_NOT_FOUND');
      expect(await store.delete('recordings/nobody/none')).toBe(false);
    });

    it.each(['', '../x', 'a/../b', 'a//b', 'a/./b', 'with space', 'é', '.tmp/x'])(
      'refuses the key %j with E_VALIDATION',
      async (bad) => {
        expect(await codeOf(store.put(bad, chunked(data.subarray(0, 10))))).toBe('E_VALIDATION');
        expect(await codeOf(store.head(bad))).toBe('E_VALIDATION');
      },
    );

    it('replaces a blob: new bytes, new ETag', async () => {
      const k = 'recordings/acc-1/replaced';
      const first = await store.put(k, chunked(Buffer.from('first version')));
      const second = await store.put(k, chunked(Buffer.from('the second version')));
      expect(second.etag).not.toBe(first.etag);
      expect((await readAll((await store.get(k)).body)).toString()).toBe('the second version');
    });

    it('stores an empty blob', async () => {
      const k = 'recordings/acc-1/empty';
      expect((await store.put(k, Readable.from([]))).size).toBe(0);
      const { info, body } = await store.get(k);
      expect(info.size).toBe(0);
      expect((await readAll(body)).length).toBe(0);
    });

    it('over maxBytes: E_PAYLOAD_TOO_LARGE and the previous blob stays whole', async () => {
      const k = 'recordings/acc-1/limited';
      await store.put(k, chunked(Buffer.from('kept')));
      expect(await codeOf(store.put(k, chunked(data), { maxBytes: 100_000 }))).toBe('E_PAYLOAD_TOO_LARGE');
      expect((await readAll((await store.get(k)).body)).toString()).toBe('kept');
      expect(await codeOf(store.put('recordings/acc-1/never', chunked(data), { maxBytes: 10 }))).toBe(
        'E_PAYLOAD_TOO_LARGE',
      );
      expect(await store.head('recordings/acc-1/never')).toBeUndefined();
    });

    it('a body that fails mid-way stores nothing (never half-written)', async () => {
      const k = 'recordings/acc-1/broken';
      expect(await codeOf(store.put(k, failingBody(data)))).toMatch(/client went away/);
      expect(await store.head(k)).toBeUndefined();
      await store.put(k, chunked(Buffer.from('whole')));
      expect(await codeOf(store.put(k, failingBody(data)))).toMatch(/client went away/);
      expect((await readAll((await store.get(k)).body)).toString()).toBe('whole');
    });

    it('while a put is in flight, readers see the previous version only', async () => {
      const k = 'recordings/acc-1/in-flight';
      await store.put(k, chunked(Buffer.from('old')));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      async function* slow(): AsyncGenerator<Uint8Array> {
        yield data.subarray(0, 100_000);
        await gate;
        yield data.subarray(100_000);
      }
      const putting = store.put(k, slow());
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await store.head(k))?.size).toBe(3);
      expect((await readAll((await store.get(k)).body)).toString()).toBe('old');
      release();
      await putting;
      expect((await readAll((await store.get(k)).body)).equals(data)).toBe(true);
    });

    it('a reader that opened before a replace keeps reading its own version', async () => {
      const k = 'recordings/acc-1/reader';
      await store.put(k, chunked(data));
      const open = await store.get(k);
      await store.put(k, chunked(Buffer.from('replacement')));
      expect((await readAll(open.body)).equals(data)).toBe(true);
    });

    it('deletes', async () => {
      const k = 'recordings/acc-1/deleted';
      await store.put(k, chunked(Buffer.from('x')));
      expect(await store.delete(k)).toBe(true);
      expect(await store.head(k)).toBeUndefined();
    });
  });
}
