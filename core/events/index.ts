export * from './types.js';
export { throttleEvents, type ThrottledSink } from './throttle.js';
export { RunEventEmitter, teeEvents } from './emitter.js';
