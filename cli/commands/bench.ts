// `atstudio bench`: throughput of one AT training step (teacher forward + student forward/backward + SGD)
// on this machine, from core/bench.
import type { CliIO } from '../io.js';
import { chooseBackend } from '../backend.js';
import { benchTrainStep, describeModel, type ModelFamilySpec } from '../engine.js';

export interface BenchFlags { json?: boolean; backend?: string; batch?: number; student?: ModelFamilySpec;
  teacher?: ModelFamilySpec; steps?: number; warmup?: number; inputShape?: [number, number, number] }

export async function benchCommand(io: CliIO, flags: BenchFlags): Promise<number> {
  const choice = await chooseBackend(io, flags.backend);
  const student: ModelFamilySpec = flags.student ?? { family: 'wrn', depth: 16, widen: 1 };
  const teacher: ModelFamilySpec = flags.teacher ?? { family: 'wrn', depth: 16, widen: 2 };
  const batch = flags.batch ?? 64;
  if (!flags.json) io.stderr.write(`timing ${describeModel(student)} ← ${describeModel(teacher)}, batch ${batch}…\n`);
  const r = await benchTrainStep({ backend: choice.tfBackend, batch, student, teacher,
    ...(flags.inputShape ? { inputShape: flags.inputShape } : {}), ...(flags.steps ? { steps: flags.steps } : {}), ...(flags.warmup !== undefined ? { warmup: flags.warmup } : {}) });
  const out = { student: describeModel(student), teacher: describeModel(teacher), batch, inputShape: flags.inputShape ?? [32, 32, 3],
    backendChoice: choice.name, ...r };
  if (flags.json) {
    io.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const sorted = [...r.stepMs].sort((a, b) => a - b);
  io.stdout.write([
    `backend:          ${choice.name} (tf backend ${r.backend}, ${choice.threads} thread${choice.threads === 1 ? '' : 's'})`,
    `models:           ${out.student} ← ${out.teacher} on ${out.inputShape.join('×')} images`,
    `train step:       ${r.imagesPerSec.toFixed(1)} images/s (median of ${r.stepMs.length} steps, ${sorted[0].toFixed(0)}–${sorted[sorted.length - 1].toFixed(0)} ms/step)`,
    `teacher forward:  ${r.teacherForwardImagesPerSec.toFixed(1)} images/s`,
    `arithmetic:       ${r.mflopPerImage.step.toFixed(0)} MFLOP per image (teacher forward ${r.mflopPerImage.teacherForward.toFixed(0)}, student forward and backward ${r.mflopPerImage.studentForwardBackward.toFixed(0)})`,
    `rate:             step ${r.stepGflopPerSec.toFixed(1)} GFLOP/s, teacher forward ${r.teacherForwardGflopPerSec.toFixed(1)} GFLOP/s (efficiency ${r.efficiency.toFixed(2)}; 1 = the backward pass as fast as the forward)`,
    `peak RSS:         ${r.peakRssMB} MB`,
    `numTensors growth: ${r.numTensorsGrowth}${r.numTensorsGrowth > 0 ? '  (leak: should be 0)' : ''}`,
  ].join('\n') + '\n');
  return 0;
}
