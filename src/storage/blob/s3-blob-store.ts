/**
 * The scale-out blob store: S3 or any S3-compatible server (MinIO, Ceph, s3rver, …). The SDK
 * (`@aws-sdk/client-s3`) is imported lazily, so users of the local-disk default never load it.
 *
 * A put spools the body to a local temp file first (counting, hashing and enforcing the limit as
 * it streams), then sends one PutObject with a known Content-Length. S3 makes an object visible
 * only once a PUT completes, so nothing half-written is ever served; a refused or broken upload
 * never reaches the bucket at all.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../core/errors.js';
import type {
  BlobInfo,
  BlobStore,
  ByteRange,
  GetResult,
  PutOptions,
  PutResult,
  RangeChoice,
} from '../../core/ports/blob-store.js';
import { assertBlobKey, resolveRange, writeBodyToFile } from './blob-key.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Prepended to every key, e.g. `callscribe/`. Default none. */
  prefix?: string;
  /** `https://s3.example` for S3-compatible servers; unset means AWS S3 itself. */
  endpoint?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle?: boolean;
  /** Static credentials; unset uses the SDK's default chain (env, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Create the bucket on first use if it does not exist (tests, single-node setups). */
  createBucketIfMissing?: boolean;
  /** Where uploads are spooled before the PUT. Default the OS temp directory. */
  spoolDir?: string;
}

type S3Module = typeof import('@aws-sdk/client-s3');

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export class S3BlobStore implements BlobStore {
  readonly name = 's3';
  readonly canPresign = true;
  readonly #options: S3BlobStoreOptions;
  #client: Promise<{ sdk: S3Module; client: S3Client }> | undefined;

  constructor(options: S3BlobStoreOptions) {
    this.#options = options;
  }

  #connect(): Promise<{ sdk: S3Module; client: S3Client }> {
    this.#client ??= (async () => {
      const sdk = await import('@aws-sdk/client-s3');
      const o = this.#options;
      const client = new sdk.S3Client({
        region: o.region ?? 'us-east-1',
        endpoint: o.endpoint,
        forcePathStyle: o.forcePathStyle ?? Boolean(o.endpoint),
        credentials: o.credentials ? { ...o.credentials } : undefined,
        // Checksums only where S3 requires them: the SDK's default (CRC32 trailers in aws-chunked
        // bodies) is not understood by every S3-compatible server; we keep our own SHA-256.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      if (o.createBucketIfMissing) {
        try {
          await client.send(new sdk.HeadBucketCommand({ Bucket: o.bucket }));
        } catch (error) {
          if (!isNotFound(error)) throw error;
          await client.send(new sdk.CreateBucketCommand({ Bucket: o.bucket }));
        }
      }
      return { sdk, client };
    })();
    return this.#client;
  }

  #objectKey(key: string): string {
    assertBlobKey(key);
    return `${this.#options.prefix ?? ''}${key}`;
  }

  async put(
    key: string,
    body: Readable | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<PutResult> {
    const objectKey = this.#objectKey(key);
    const dir = await mkdtemp(path.join(this.#options.spoolDir ?? os.tmpdir(), 'callscribe-s3-'));
    const spool = path.join(dir, `${randomBytes(8).toString('hex')}.part`);
    try {
      const handle = await open(spool, 'wx', 0o600);
      let size: number;
      let sha256: string;
      try {
        ({ size, sha256 } = await writeBodyToFile(handle, body, options.maxBytes));
      } finally {
        await handle.close();
      }
      const { sdk, client } = await this.#connect();
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.#options.bucket,
          Key: objectKey,
          Body: size === 0 ? Buffer.alloc(0) : createReadStream(spool),
          ContentLength: size,
          ContentType: options.contentType ?? 'application/octet-stream',
          Metadata: { sha256 },
        }),
      );
      const info = await this.head(key);
      if (!info)
        throw new AppError('E_INTERNAL', `The object ${objectKey} vanished right after it was written.`);
      return { ...info, sha256 };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const objectKey = this.#objectKey(key);
    const { sdk, client } = await this.#connect();
    try {
      const out = await client.send(
        new sdk.HeadObjectCommand({ Bucket: this.#options.bucket, Key: objectKey }),
      );
      return {
        key,
        size: out.ContentLength ?? 0,
        etag: out.ETag ?? '""',
        lastModified: out.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async get(key: string, range?: RangeChoice): Promise<GetResult> {
    const objectKey = this.#objectKey(key);
    const { sdk, client } = await this.#connect();
    for (let attempt = 0; ; attempt++) {
      const info = await this.head(key);
      if (!info) throw new AppError('E_BLOB_NOT_FOUND', `No blob is stored under ${key}.`);
      const chosen = resolveRange(info, range);
      if (info.size === 0) return { info, range: chosen, body: Readable.from([]) };
      try {
        const out = await client.send(
          new sdk.GetObjectCommand({
            Bucket: this.#options.bucket,
            Key: objectKey,
            // If-Match pins the version whose size chose the range: a concurrent replace answers
            // 412 and we start over with the new version's info.
            IfMatch: info.etag,
            Range: chosen ? `bytes=${chosen.start}-${chosen.end}` : undefined,
          }),
        );
        const body = out.Body as Readable;
        // Some S3-compatible servers ignore a Range they find odd (s3rver answers `bytes=0-0` with
        // the whole object): if the answer is not our range, cut our range out of it.
        if (chosen && !out.ContentRange?.startsWith(`bytes ${chosen.start}-${chosen.end}/`)) {
          return { info, range: chosen, body: sliceStream(body, chosen) };
        }
        return { info, range: chosen, body };
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if ((status === 412 || isNotFound(error)) && attempt < 2) continue;
        if (isNotFound(error)) throw new AppError('E_BLOB_NOT_FOUND', `No blob is stored under ${key}.`);
        throw error;
      }
    }
  }

  async delete(key: string): Promise<boolean> {
    const existed = (await this.head(key)) !== undefined;
    if (!existed) return false;
    const { sdk, client } = await this.#connect();
    await client.send(
      new sdk.DeleteObjectCommand({ Bucket: this.#options.bucket, Key: this.#objectKey(key) }),
    );
    return true;
  }

  async close(): Promise<void> {
    if (!this.#client) return;
    const { client } = await this.#client.catch(() => ({ client: undefined }));
    client?.destroy();
  }
}

/** The bytes `range.start..range.end` of a stream that starts at offset 0. */
function sliceStream(source: Readable, range: ByteRange): Readable {
  async function* cut(): AsyncGenerator<Buffer> {
    let offset = 0;
    for await (const chunk of source) {
      const buf = Buffer.from(chunk as Uint8Array);
      const from = Math.max(range.start - offset, 0);
      const to = Math.min(range.end + 1 - offset, buf.length);
      if (from < to) yield buf.subarray(from, to);
      offset += buf.length;
      if (offset > range.end) break;
    }
    source.destroy();
  }
  return Readable.from(cut());
}

/** Creates the S3 store; nothing connects until the first call. */
export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  return new S3BlobStore(options);
}
