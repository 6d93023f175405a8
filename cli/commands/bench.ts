// `atstudio bench`: throughput of one AT training step (teacher forward + student forward/backward + SGD)
// on this machine, from core/bench, at each batch size asked for (default 64 and 128: GPUs need the larger
// one to fill up). On webgpu it names the GPU adapter and reports the peak GPU memory.
import type { CliIO } from '../io.js';
import { chooseBackend } from '../backend.js';
import { benchTrainStep, describeModel, type ModelFamilySpec } from '../engine.js';

export interface BenchFlags { json?: boolean; backend?: string; batch?: number[]; student?: ModelFamilySpec;
  teacher?: ModelFamilySpec; steps?: number; warmup?: number; inputShape?: [number, number, number] }

export const DEFAULT_BENCH_BATCHES = [64, 128];

export async function benchCommand(io: CliIO, flags: BenchFlags): Promise<number> {
  const choice = await chooseBackend(io, flags.backend);
  const student: ModelFamilySpec = flags.student ?? { family: 'wrn', depth: 16, widen: 1 };
  const teacher: ModelFamilySpec = flags.teacher ?? { family: 'wrn', depth: 16, widen: 2 };
  const batches = flags.batch ?? DEFAULT_BENCH_BATCHES;
  const inputShape = flags.inputShape ?? [32, 32, 3];
  const adapter = choice.adapter;
  if (!flags.json && adapter) {
    io.stderr.write(`GPU adapter: ${[adapter.vendor, adapter.architecture].filter(Boolean).join(' ')} (${adapter.description || adapter.device})${adapter.software ? ', a software emulation: expect it to be slow' : ''}\n`);
  }
  const results = [];
  for (const batch of batches) {
    if (!flags.json) io.stderr.write(`timing ${describeModel(student)} ← ${describeModel(teacher)}, batch ${batch}…\n`);
    const r = await benchTrainStep({ backend: choice.tfBackend, batch, student, teacher, inputShape,
      ...(flags.steps ? { steps: flags.steps } : {}), ...(flags.warmup !== undefined ? { warmup: flags.warmup } : {}) });
    results.push({ batch, ...r });
  }
  const out = {
    student: describeModel(student), teacher: describeModel(teacher), inputShape, backendChoice: choice.name,
    backend: results[0]!.backend, threads: choice.threads, ...(adapter ? { adapter } : {}),
    imagesPerSecByBatch: Object.fromEntries(results.map((r) => [String(r.batch), r.imagesPerSec])),
    results,
  };
  if (flags.json) {
    io.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const lines = [
    `backend:          ${choice.name} (tf backend ${out.backend}, ${choice.threads} thread${choice.threads === 1 ? '' : 's'})`,
    ...(adapter ? [`GPU adapter:      ${adapter.vendor} ${adapter.architecture} (${adapter.description || adapter.device})${adapter.software ? ', software' : ''}; max buffer ${Math.round(adapter.limits.maxBufferSize / 2 ** 20)} MB`] : []),
    `models:           ${out.student} ← ${out.teacher} on ${inputShape.join('×')} images`,
  ];
  for (const r of results) {
    const sorted = [...r.stepMs].sort((a, b) => a - b);
    lines.push(
      `batch ${r.batch}:`,
      `  train step:       ${r.imagesPerSec.toFixed(1)} images/s (median of ${r.stepMs.length} steps, ${sorted[0]!.toFixed(0)}–${sorted[sorted.length - 1]!.toFixed(0)} ms/step)`,
      `  teacher forward:  ${r.teacherForwardImagesPerSec.toFixed(1)} images/s`,
      `  rate:             step ${r.stepGflopPerSec.toFixed(1)} GFLOP/s, teacher forward ${r.teacherForwardGflopPerSec.toFixed(1)} GFLOP/s (efficiency ${r.efficiency.toFixed(2)}; 1 = the backward pass as fast as the forward)`,
      `  peak RSS:         ${r.peakRssMB} MB`,
      ...(r.gpuMemory ? [`  peak GPU memory:  ${r.gpuMemory.peakInUseMB} MB in tensors, ${r.gpuMemory.peakAllocatedMB} MB allocated`] : []),
      `  numTensors growth: ${r.numTensorsGrowth}${r.numTensorsGrowth > 0 ? '  (leak: should be 0)' : ''}`,
    );
  }
  const first = results[0]!;
  lines.push(`arithmetic:       ${first.mflopPerImage.step.toFixed(0)} MFLOP per image (teacher forward ${first.mflopPerImage.teacherForward.toFixed(0)}, student forward and backward ${first.mflopPerImage.studentForwardBackward.toFixed(0)})`);
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}
