// The networks of a run: the student built from the zoo, the teacher built (to be trained in the run) or
// loaded (a model file, or another run's model), each with a tapped view that shares its weights.
import * as path from 'node:path';
import { tf } from '../tf.js';
import { createModel, loadTeacherFile, tapInfo, withTaps, type TapInfo, type ZooModel } from '../models/index.js';
import type { ModelFamilySpec, RunConfig } from '../config/index.js';
import { RunStore, type RunHandle } from '../runs/index.js';
import { readModelMeta, type ModelMeta } from '../eval/index.js';
import type { PhaseNet } from './phase.js';
import { legalLayerName } from '../models/onnxImport.js';

export interface Net extends PhaseNet {
  taps: TapInfo[];
  dispose(): void;
}

/**
 * A layer name as a config may write it: exactly, or without the prefix the engine gives a network's
 * layers ("group0" for "student_group0"; the wizard and a loaded file may show other prefixes).
 */
export function resolveLayerName(model: tf.LayersModel, name: string, who: string): string {
  const names = model.layers.map((l) => l.name);
  if (names.includes(name)) return name;
  // An ONNX teacher's layers carry its tensor names made legal ("/layer1/Relu_output_0" → "layer1/Relu_output_0").
  if (names.includes(legalLayerName(name))) return legalLayerName(name);
  const matches = names.filter((n) => n.length > name.length && n.endsWith(name) && /[^A-Za-z0-9]$/.test(n.slice(0, n.length - name.length)));
  if (matches.length === 1) return matches[0];
  throw new Error(matches.length > 1
    ? `the ${who}'s layer name "${name}" is ambiguous: it could be ${matches.join(', ')}`
    : `the ${who} has no layer named "${name}"`);
}

/** The same network with the given taps (same model and weights, a new tapped view). */
export function retap(net: Net, names: string[]): Net {
  const taps = names.map((n) => net.taps.find((t) => t.name === n) ?? tapInfo(net.model, n));
  return { ...net, taps, tapNames: taps.map((t) => t.name), tapped: withTaps(net.model, taps.map((t) => t.name)) };
}

export function asNet(zoo: ZooModel): Net {
  const taps = zoo.taps;
  const tapped = withTaps(zoo.model, taps.map((t) => t.name));
  return {
    model: zoo.model, tapped, taps, tapNames: taps.map((t) => t.name),
    dispose() {
      // Tapped views share the model's layers and hold no weights of their own: dispose the model once.
      zoo.model.dispose();
    },
  };
}

/** The net with the taps a config names (resolved as resolveLayerName does), or as it is. */
export function withConfigTaps(net: Net, names: string[] | undefined, who: string): Net {
  return names?.length ? retap(net, names.map((n) => resolveLayerName(net.model, n, who))) : net;
}

/**
 * A zoo network whose initial weights come from `seed`: TensorFlow.js initializers draw from Math.random
 * unless seeded, and two runs with one config must start from the same weights to be comparable.
 */
export function buildNet(spec: ModelFamilySpec, inputShape: [number, number, number], numClasses: number,
  prefix: string, seed: number): Net {
  return asNet(createModel({ ...spec, inputShape, numClasses } as Parameters<typeof createModel>[0], { namePrefix: prefix, seed }));
}

export interface LoadedTeacher { net: Net; meta: ModelMeta | null; source: string; notes?: string[] }

/** model.json of a teacher that is loaded rather than trained here (null for source 'train'). */
export async function teacherModelPath(run: RunHandle, config: RunConfig): Promise<string | null> {
  const t = config.teacher;
  if (!t || t.source === 'train') return null;
  if (t.source === 'file') return t.path;
  const other = await new RunStore(path.dirname(run.dir)).open(t.run);
  return other.modelPath(t.role ?? 'student');
}

/** A saved teacher; its taps: the config's, else those saved beside it (meta.json), else proposed. */
export async function loadTeacherNet(modelJson: string, taps?: string[]): Promise<LoadedTeacher> {
  const zoo = await loadTeacherFile(modelJson);
  // An ONNX teacher carries its preprocessing in its own metadata; a model.json has it in meta.json beside it.
  const meta = zoo.source === 'onnx' ? (zoo.normalization ? { normalization: zoo.normalization } : null) : await readModelMeta(path.dirname(modelJson));
  const net = withConfigTaps(asNet(zoo), taps ?? meta?.taps?.map((t) => t.name), 'teacher');
  return { net, meta, source: modelJson, ...(zoo.notes?.length ? { notes: zoo.notes } : {}) };
}

export function inputShapeOf(model: tf.LayersModel): [number, number, number] | undefined {
  const s = model.inputs[0].shape.slice(1);
  return s.length === 3 && s.every((d) => typeof d === 'number') ? (s as [number, number, number]) : undefined;
}

/** Layers that draw random numbers during training (dropout): runs with them do not repeat exactly. */
export function randomTrainingLayers(model: tf.LayersModel): string[] {
  return model.layers
    .filter((l) => /dropout|noise/i.test(l.getClassName()) && Number((l.getConfig() as { rate?: number }).rate ?? 1) > 0)
    .map((l) => l.name);
}
