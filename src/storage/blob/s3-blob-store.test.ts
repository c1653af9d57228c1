import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBlobStoreContract } from '../../../test/contracts/blob-store.contract.js';
import { makeWav } from '../../../test/support/app-audio.js';
import { startS3Server, type TestS3Server } from '../../../test/support/s3-server.js';
import { loadConfig } from '../../config.js';
import { createBlobStore } from './index.js';
import { createS3BlobStore } from './s3-blob-store.js';

runBlobStoreContract({
  name: 's3 (s3rver)',
  async create() {
    const server = await startS3Server();
    const store = createS3BlobStore({
      bucket: `callscribe-${randomBytes(4).toString('hex')}`,
      prefix: 'test/',
      endpoint: server.endpoint,
      credentials: server.credentials,
      createBucketIfMissing: true,
    });
    return { store, dispose: () => server.stop() };
  },
});

describe('S3 selected by configuration', () => {
  let server: TestS3Server;
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(() => server.stop());

  it('CALLSCRIBE_S3_BUCKET + CALLSCRIBE_S3_ENDPOINT pick the S3 store, which reads and writes that bucket', async () => {
    const config = loadConfig({
      CALLSCRIBE_S3_BUCKET: 'configured-bucket',
      CALLSCRIBE_S3_ENDPOINT: server.endpoint,
      CALLSCRIBE_S3_PREFIX: 'cs/',
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    });
    expect(config.blobStore).toMatchObject({ kind: 's3', bucket: 'configured-bucket', prefix: 'cs/' });
    // The bucket is the operator's to create; here we create it through a store that may.
    const admin = createS3BlobStore({
      bucket: 'configured-bucket',
      endpoint: server.endpoint,
      credentials: server.credentials,
      createBucketIfMissing: true,
    });
    await admin.head('probe');
    const store = await createBlobStore(config.blobStore);
    expect(store.name).toBe('s3');
    const wav = makeWav(1000);
    await store.put('recordings/a/b', Readable.from([wav]));
    expect((await admin.head('cs/recordings/a/b'))?.size).toBe(wav.length);
    await store.close();
    await admin.close();
  });

  it('without CALLSCRIBE_S3_BUCKET the store is local disk under the data dir', async () => {
    const config = loadConfig({ CALLSCRIBE_DATA_DIR: '/tmp/x' });
    expect(config.blobStore).toEqual({ kind: 'local-disk', root: '/tmp/x/recordings' });
    expect((await createBlobStore(config.blobStore)).name).toBe('local-disk');
  });
});
