// core/service: the application service (the API every UI uses) and the engines it runs training in.
export * from './api.js';
export { createService, type ServiceOptions, type AtStudioService } from './service.js';
export { ServiceError, serializeError, isServiceError, toServiceError, ANSWER_KIND, type ServiceErrorCode } from './errors.js';
export { parseBridgeError } from './wireError.js';
export { PathPolicy } from './paths.js';
export type { EngineHost, StartRequest } from './engine/host.js';
export { NoticeListeners } from './engine/host.js';
export * from './engine/protocol.js';
export { createEngineWorker, type EngineWorker } from './engine/worker.js';
export { inProcessEngine } from './engine/inProcess.js';
export { childProcessEngine, defaultEngineScript, type ChildProcessEngine, type ChildProcessEngineOptions } from './engine/childProcess.js';
