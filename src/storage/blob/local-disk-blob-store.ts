/**
 * The default blob store: one file per key under a root directory (normally
 * `<dataDir>/recordings`). Writes go to a temp file in `<root>/.tmp`, are fsynced, then renamed
 * over the final name (rename is atomic on one file system), and the directory is fsynced: a
 * reader opens either the old complete file or the new complete file, never a partial one, and a
 * crash leaves at most an orphan temp file (removed on the next start).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../../core/errors.js';
import type {
  BlobInfo,
  BlobStore,
  GetResult,
  PutOptions,
  PutResult,
  RangeChoice,
} from '../../core/ports/blob-store.js';
import { assertBlobKey, resolveRange, withBufferBody, writeBodyToFile } from './blob-key.js';

/** Reads up to this size are done in one pread rather than streamed. */
const SMALL_READ_BYTES = 256 * 1024;

export interface LocalDiskBlobStoreOptions {
  /** The directory that holds the blobs; created if missing. */
  root: string;
}

/** The ETag of a file: size and modification time in ns (changes with every rename-replace), like nginx. */
function etagOf(size: number, mtimeNs: bigint, ino: bigint): string {
  return `"${size.toString(16)}-${mtimeNs.toString(16)}-${ino.toString(16)}"`;
}

export class LocalDiskBlobStore implements BlobStore {
  readonly name = 'local-disk';
  readonly canPresign = false;
  readonly #root: string;
  readonly #tmp: string;
  #ready: Promise<void> | undefined;

  constructor(options: LocalDiskBlobStoreOptions) {
    this.#root = path.resolve(options.root);
    this.#tmp = path.join(this.#root, '.tmp');
  }

  /** Creates the directories and removes temp files a crash may have left. */
  #init(): Promise<void> {
    this.#ready ??= (async () => {
      await rm(this.#tmp, { recursive: true, force: true });
      await mkdir(this.#tmp, { recursive: true });
    })();
    return this.#ready;
  }

  #file(key: string): string {
    assertBlobKey(key);
    return path.join(this.#root, ...key.split('/'));
  }

  async put(
    key: string,
    body: Readable | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<PutResult> {
    const file = this.#file(key);
    await this.#init();
    const tmp = path.join(this.#tmp, `${randomBytes(12).toString('hex')}.part`);
    const handle = await open(tmp, 'wx', 0o600);
    let sha256: string;
    try {
      ({ sha256 } = await writeBodyToFile(handle, body, options.maxBytes));
      await handle.sync();
      await handle.close();
      await mkdir(path.dirname(file), { recursive: true });
      await rename(tmp, file);
      await this.#syncDir(path.dirname(file));
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw error;
    }
    const info = await this.head(key);
    if (!info) throw new AppError('E_INTERNAL', `The blob ${key} vanished right after it was written.`);
    return { ...info, sha256 };
  }

  async #syncDir(dir: string): Promise<void> {
    // Makes the rename itself durable (POSIX: the directory entry lives in the directory).
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.#file(key), { bigint: true });
      if (!s.isFile()) return undefined;
      return {
        key,
        size: Number(s.size),
        etag: etagOf(Number(s.size), s.mtimeNs, s.ino),
        lastModified: s.mtime,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async get(key: string, range?: RangeChoice): Promise<GetResult> {
    const file = this.#file(key);
    // open, fstat and small preads are synchronous: on a local file system they take microseconds
    // from the page cache, while each trip through libuv's thread pool costs two thread wake-ups —
    // the dominant cost of a 64 KiB seek request. (nginx without `aio threads` reads the same way.)
    // Large bodies stream asynchronously. For network file systems, use the S3 adapter.
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('E_BLOB_NOT_FOUND', `No blob is stored under ${key}.`);
      }
      throw error;
    }
    try {
      // Stat the open descriptor, not the path: a concurrent put renames a new file over the name,
      // but this descriptor keeps reading the version whose size and ETag we report.
      const s = fstatSync(fd, { bigint: true });
      const info = {
        key,
        size: Number(s.size),
        etag: etagOf(Number(s.size), s.mtimeNs, s.ino),
        lastModified: s.mtime,
      };
      const chosen = resolveRange(info, range);
      const start = chosen?.start ?? 0;
      const end = chosen ? chosen.end : info.size - 1;
      if (end - start + 1 <= SMALL_READ_BYTES) {
        // A small read (a player seeking, a header probe): one pread, bounded memory.
        const bytes = Buffer.allocUnsafe(Math.max(end - start + 1, 0));
        let filled = 0;
        while (filled < bytes.length) {
          const n = readSync(fd, bytes, filled, bytes.length - filled, start + filled);
          if (n === 0) break;
          filled += n;
        }
        closeSync(fd);
        return withBufferBody({ info, range: chosen }, bytes.subarray(0, filled));
      }
      const body = createReadStream('', {
        fd,
        autoClose: true,
        start,
        end,
        // Large reads keep syscalls and stream ticks few on big files (64 KiB is the default).
        highWaterMark: 512 * 1024,
      });
      return { info, range: chosen, body };
    } catch (error) {
      try {
        closeSync(fd);
      } catch {}
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      await rm(this.#file(key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async close(): Promise<void> {}
}

/** Creates the local-disk store rooted at `options.root`. */
export function createLocalDiskBlobStore(options: LocalDiskBlobStoreOptions): LocalDiskBlobStore {
  return new LocalDiskBlobStore(options);
}
