// Entry of the engine child process (node:child_process.fork of dist/core/service/engine/engineMain.js).
// It trains one run at a time for the service in the parent and talks over the IPC channel only.
import { ENGINE_PROTOCOL_VERSION, isHostToEngine, type EngineToHost } from './protocol.js';
import { createEngineWorker } from './worker.js';

if (!process.send) {
  console.error('engineMain.js is started by the application service (child_process.fork with an IPC channel), not by hand');
  process.exit(2);
}

let lastSend: Promise<void> = Promise.resolve();
const send = (m: EngineToHost) => {
  if (!process.connected) return;
  lastSend = new Promise<void>((resolve) => {
    process.send!(m, undefined, undefined, () => resolve());
  });
};

const worker = createEngineWorker(send, {
  // Exit once the last message has left (a 'finished' must reach the parent).
  onShutdown: () => void lastSend.then(() => process.exit(0)),
});

process.on('message', (m: unknown) => {
  if (isHostToEngine(m)) worker.handle(m);
  else send({ type: 'error', message: `not an engine message: ${JSON.stringify(m)?.slice(0, 200)}` });
});
// The parent went away: stop the run at a step boundary (it checkpoints), then exit.
process.on('disconnect', () => worker.handle({ type: 'shutdown' }));
// Ctrl-C in a terminal reaches the whole process group, and a service manager's SIGTERM or a logout's
// SIGHUP may reach this process directly: stop the same way rather than die mid-step.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => worker.handle({ type: 'shutdown' }));

send({ type: 'ready', pid: process.pid, protocol: ENGINE_PROTOCOL_VERSION });
