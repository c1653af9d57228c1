/** The storage/blob folder's public face: pick the configured BlobStore adapter. */
import type { BlobStoreConfig } from '../../config.js';
import type { BlobStore } from '../../core/ports/blob-store.js';

export type { BlobInfo, BlobStore, ByteRange } from '../../core/ports/blob-store.js';

/** Local disk under `config.root`, or S3 (its SDK loaded only then). */
export async function createBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  if (config.kind === 's3') {
    const { createS3BlobStore } = await import('./s3-blob-store.js');
    return createS3BlobStore({
      bucket: config.bucket,
      prefix: config.prefix,
      endpoint: config.endpoint,
      region: config.region,
      // A fresh object: the SDK annotates credentials it is given, and config objects are frozen.
      credentials: config.credentials ? { ...config.credentials } : undefined,
    });
  }
  const { createLocalDiskBlobStore } = await import('./local-disk-blob-store.js');
  return createLocalDiskBlobStore({ root: config.root });
}
