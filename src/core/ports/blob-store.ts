/**
 * The blob-store port: named immutable byte strings (recordings) on local disk or in S3-compatible
 * object storage. The recording code sees only this interface; adapters live in `storage/blob/`.
 *
 * Keys are `/`-separated segments of `[A-Za-z0-9._~-]`, none of them `.` or `..`; anything else
 * is refused with `E_VALIDATION` (callers encode user ids, see `recordingKey`).
 */
import type { Readable } from 'node:stream';

/** What the store knows about one blob. */
export interface BlobInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  /** A strong validator for this exact content, already quoted (`"…"`), usable as an HTTP ETag. */
  etag: string;
  lastModified: Date;
}

/** The result of `put`: the info plus the SHA-256 of the bytes, computed while they streamed. */
export interface PutResult extends BlobInfo {
  /** Lower-case hex SHA-256 of the stored bytes. */
  sha256: string;
}

/** An inclusive byte range, already validated against the blob's size (see `app-backend/byte-range.ts`). */
export interface ByteRange {
  start: number;
  /** Inclusive; `end < size`. */
  end: number;
}

/** What `get` returns: the info of the version read, the range served, and the bytes. */
export interface GetResult {
  info: BlobInfo;
  /** The range being read; undefined for the whole blob. */
  range?: ByteRange;
  /** The bytes as a stream (always available). */
  body: Readable;
  /**
   * Set when the adapter read a small body at once (local disk, ≤ 256 KiB): the same bytes as
   * `body`, ready to send without a stream. Use one or the other.
   */
  bytes?: Buffer;
}

/** A fixed range, or a function choosing one (or none: the whole blob) from the blob's info. */
export type RangeChoice = ByteRange | ((info: BlobInfo) => ByteRange | undefined);

export interface PutOptions {
  /** Refuse (E_PAYLOAD_TOO_LARGE) and store nothing once more than this many bytes arrive. */
  maxBytes?: number;
  /** Stored as the object's Content-Type where the backend keeps one (S3). */
  contentType?: string;
}

export interface BlobStore {
  /** The adapter's name, for logs and `/` (`local-disk`, `s3`). */
  readonly name: string;
  /** True when the backend can hand out its own pre-signed URLs (not used yet by callscribe). */
  readonly canPresign: boolean;
  /**
   * Streams `body` into the blob `key`, replacing any previous content atomically: readers see the
   * old blob or the complete new one, never a partial write. If `body` errors, or exceeds
   * `maxBytes` (AppError `E_PAYLOAD_TOO_LARGE`), nothing is stored and the previous blob stays.
   */
  put(key: string, body: Readable | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<PutResult>;
  /** The blob's info, or `undefined` when there is no such key. */
  head(key: string): Promise<BlobInfo | undefined>;
  /**
   * Opens the blob for reading: the whole of it, or one inclusive range. `range` may be a function
   * that picks the range from the info of the very version being read (so a concurrent `put` cannot
   * slip a different size between checking a Range header and reading); it may throw to refuse
   * (e.g. 416). A range outside the blob throws AppError `E_RANGE_NOT_SATISFIABLE`; a missing key
   * throws `E_BLOB_NOT_FOUND`. The body streams, never buffered whole; destroy it to stop early.
   */
  get(key: string, range?: RangeChoice): Promise<GetResult>;
  /** Removes the blob; returns false when there was none. */
  delete(key: string): Promise<boolean>;
  /** Releases clients and handles. */
  close(): Promise<void>;
}
