import { randomBytes } from 'node:crypto';
import { runJobQueueContract } from '../../../test/contracts/job-queue.contract.js';
import { deleteRedisPrefix, TEST_REDIS_URL } from '../../../test/support/redis.js';
import { createRedisQueue } from './redis-queue.js';

// One prefix per test file; each queue gets its own name under it.
const prefix = `test-jq-${randomBytes(4).toString('hex')}`;
let count = 0;

runJobQueueContract({
  name: 'redis (BullMQ)',
  create: async (options) =>
    createRedisQueue({ ...options, url: TEST_REDIS_URL, prefix, name: `q${++count}`, lockDurationMs: 5000 }),
  cleanup: () => deleteRedisPrefix(TEST_REDIS_URL, prefix),
});
