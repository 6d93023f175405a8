// Which training steps are written to metrics.jsonl: about ten a phase's epoch, and always its last step.
// Pure, shared by the training loop (what it writes), the event throttle (what it must never coalesce away)
// and the dashboard (what it charts), so a chart drawn live equals the one rebuilt from the run folder.

/** Every how many steps of an epoch a step line is written. */
export function metricEvery(stepsPerEpoch: number): number {
  return Math.max(1, Math.round(stepsPerEpoch / 10));
}

/** Whether step `step` (1-based) of an epoch of `stepsPerEpoch` steps is recorded in metrics.jsonl. */
export function isRecordedStep(step: number, stepsPerEpoch: number): boolean {
  return step % metricEvery(stepsPerEpoch) === 0 || step === stepsPerEpoch;
}
