// Pause, resume and cancel from outside the loop (UI button, Ctrl-C). The loop looks at the flags only
// between steps, so a step is never cut in half and the model is always in a consistent state.
export interface TrainControl {
  pause(): void;
  resume(): void;
  cancel(): void;
  readonly paused: boolean;
  readonly cancelled: boolean;
  /** Resolves when the loop may go on (not paused) or must stop (cancelled). */
  waitWhilePaused(): Promise<void>;
}

export function createTrainControl(): TrainControl {
  let paused = false;
  let cancelled = false;
  let wake: (() => void) | null = null;
  const release = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  return {
    pause() {
      if (!cancelled) paused = true;
    },
    resume() {
      paused = false;
      release();
    },
    cancel() {
      cancelled = true;
      paused = false;
      release();
    },
    get paused() {
      return paused;
    },
    get cancelled() {
      return cancelled;
    },
    waitWhilePaused() {
      if (!paused || cancelled) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const prev = wake;
        wake = () => {
          prev?.();
          resolve();
        };
      });
    },
  };
}
