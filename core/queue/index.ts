// Runs spread over machines through BullMQ on Redis (issue 16): the enqueuing side and the worker.
export { connectRunQueue, createRunQueue, type RemoteRunQueue, type RemoteOutcome, type ControlOutcome } from './remoteRuns.js';
export { startRunWorker, type RunWorker, type RunWorkerOptions } from './runWorker.js';
export { parseQueueUrl, queueUrlFrom, redactQueueUrl, redactSecrets, QueueUrlError, type QueueTlsOptions } from './url.js';
export { queueCaFrom, readQueueCa } from './tls.js';
export { RUN_QUEUE_NAME, QUEUE_PREFIX, DEFAULT_STALL, type StallTiming, type RemoteAction } from './protocol.js';
