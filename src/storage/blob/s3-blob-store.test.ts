import { randomBytes } from 'node:crypto';
import { runBlobStoreContract } from '../../../test/contracts/blob-store.contract.js';
import { startS3Server } from '../../../test/support/s3-server.js';
import { createS3BlobStore } from './s3-blob-store.js';

// The SDK warns once that its 2027 releases will need Node 22; that is not this test's business.
process.env['AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE'] = '1';

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
