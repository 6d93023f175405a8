// Entry of the engine in an Electron utilityProcess (utilityProcess.fork of dist/electron/engineProcess.cjs).
// Same engine and protocol as core/service/engine/engineMain.ts, but a utility process talks to its parent
// through process.parentPort ({ data } message events, postMessage) instead of process.send/on('message').
// CommonJS with a dynamic import of the ES-module engine, so it loads whether or not the utility process's
// loader takes an ES-module entry.
import type { EngineToHost } from '../core/service/engine/protocol.js' with { 'resolution-mode': 'import' };

interface ParentPort {
  on(event: 'message', fn: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('engineProcess.cjs is started by the desktop app (Electron utilityProcess.fork), not by hand');
  process.exit(2);
}

void (async () => {
  const { createEngineWorker } = await import('../core/service/engine/worker.js');
  const { ENGINE_PROTOCOL_VERSION, isHostToEngine } = await import('../core/service/engine/protocol.js');
  const send = (m: EngineToHost) => parentPort.postMessage(m);
  const worker = createEngineWorker(send, {
    // postMessage only queues: give the last message (a 'finished') a moment to leave before exiting.
    onShutdown: () => void setTimeout(() => process.exit(0), 100),
  });
  parentPort.on('message', (e) => {
    if (isHostToEngine(e.data)) worker.handle(e.data);
    else send({ type: 'error', message: `not an engine message: ${JSON.stringify(e.data)?.slice(0, 200)}` });
  });
  send({ type: 'ready', pid: process.pid, protocol: ENGINE_PROTOCOL_VERSION });
})().catch((err) => {
  console.error('the engine could not start', err);
  process.exit(1);
});
