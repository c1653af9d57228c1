/** The queue folder's public face: the JobQueue port's facade and its backends. */
export * from './job-queue.js';
