import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBlobStoreContract } from '../../../test/contracts/blob-store.contract.js';
import { createLocalDiskBlobStore } from './local-disk-blob-store.js';

runBlobStoreContract({
  name: 'local-disk',
  async create() {
    const root = await mkdtemp(path.join(os.tmpdir(), 'callscribe-blobs-'));
    return {
      store: createLocalDiskBlobStore({ root }),
      async dispose() {
        // Nothing half-written is left behind: the temp folder is empty after every test.
        if ((await readdir(path.join(root, '.tmp'))).length > 0) throw new Error('temp files left behind');
        await rm(root, { recursive: true, force: true });
      },
    };
  },
});
