import { runJobQueueContract } from '../../../test/contracts/job-queue.contract.js';
import { createMemoryQueue } from './memory-queue.js';

runJobQueueContract({
  name: 'memory',
  create: async (options) => createMemoryQueue(options),
});
