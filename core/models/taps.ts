// Hint taps on any LayersModel: checking names, exposing tap activations as extra outputs, and proposing
// taps for a model that does not name its own (a loaded teacher).
import { tf } from '../tf.js';
import { ModelError, type TapInfo } from './types.js';

type Layer = tf.layers.Layer;

function singleOutputShape(layer: Layer): (number | null)[] | null {
  const s = layer.outputShape as unknown;
  if (!Array.isArray(s) || s.length === 0 || Array.isArray(s[0])) return null; // several outputs
  return s as (number | null)[];
}

function is4D(layer: Layer): boolean {
  const s = singleOutputShape(layer);
  // A Permute's output is not [batch, H, W, C] (the ONNX import permutes to C, H, W before a Flatten).
  return !!s && s.length === 4 && layer.getClassName() !== 'InputLayer' && layer.getClassName() !== 'Permute';
}

function describe(layer: Layer): string {
  const s = singleOutputShape(layer) as number[];
  return `${layer.name} (${s[1]}×${s[2]}×${s[3]})`;
}

/** All layers with one 4-D output, as "name (H×W×C)" strings for error messages. */
export function available4D(model: tf.LayersModel): string {
  const names = model.layers.filter(is4D).map(describe);
  return names.length ? names.join(', ') : '(none: the model has no 4-D activations)';
}

/**
 * Every layer a person could choose as a tap: one 4-D activation of fixed size, in graph order (what the
 * wizard lists for a teacher loaded from a file).
 */
export function tapCandidates(model: tf.LayersModel): TapInfo[] {
  return model.layers.filter((l) => is4D(l) && (singleOutputShape(l) as (number | null)[]).slice(1).every((d) => d !== null))
    .map((l) => tapInfo(model, l.name));
}

/** TapInfo of a named layer; a clear error when it does not exist or is not a 4-D activation. */
export function tapInfo(model: tf.LayersModel, name: string): TapInfo {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer) throw new ModelError(`no layer named '${name}' in model '${model.name}'; 4-D layers: ${available4D(model)}`);
  if (!is4D(layer)) {
    throw new ModelError(`layer '${name}' does not output one 4-D activation [batch, H, W, C] (its output shape is ${JSON.stringify(layer.outputShape)}); 4-D layers: ${available4D(model)}`);
  }
  const s = singleOutputShape(layer) as number[];
  if (s.slice(1).some((d) => d === null)) throw new ModelError(`layer '${name}' has an unknown spatial size ${JSON.stringify(s)}; a tap needs a fixed H, W, C`);
  return { name, shape: [s[1], s[2], s[3]] };
}

/**
 * The same layers and weights as `model`, with outputs [logits, ...tap activations] in the order given.
 * Nothing is copied: training the result trains `model`.
 */
export function withTaps(model: tf.LayersModel, tapNames: string[]): tf.LayersModel {
  if (model.outputs.length !== 1) throw new ModelError(`withTaps expects a model with one (logits) output, '${model.name}' has ${model.outputs.length}`);
  const outputs = tapNames.map((name) => {
    tapInfo(model, name);
    return model.getLayer(name).getOutputAt(0) as tf.SymbolicTensor;
  });
  return tf.model({ inputs: model.inputs, outputs: [model.outputs[0], ...outputs], name: `${model.name}.tapped` });
}

// --- proposing taps ----------------------------------------------------------------------------------

// Layers that only pad/crop (or reorder axes, as the ONNX import does before a Flatten): they change H×W
// without being a "drop in resolution".
const PASS_THROUGH = new Set(['ZeroPadding2D', 'Cropping2D', 'Permute']);
const MERGE = new Set(['Add', 'Concatenate', 'Average', 'Maximum', 'Multiply']);

function inbound(layer: Layer): Layer[] {
  const node = layer.inboundNodes[0];
  return node ? node.inboundLayers : [];
}

/** Follow padding layers back to the tensor they pad. */
function throughPadding(layer: Layer): Layer {
  let l = layer;
  while (PASS_THROUGH.has(l.getClassName()) && inbound(l).length === 1) l = inbound(l)[0];
  return l;
}

function area(layer: Layer): number {
  const s = singleOutputShape(layer) as number[];
  return s[1] * s[2];
}

/**
 * In pre-activation networks (WRN) the stage output is the residual sum; the next block's first bn-relu
 * comes after it and before the strided conv. Step back over such an activation ← batch-norm ← merge chain
 * so the tap is the sum, as the reference code's group outputs. A plain conv-bn-relu net keeps its relu.
 */
function stageOutput(layer: Layer): Layer {
  const cls = layer.getClassName();
  if (cls !== 'ReLU' && cls !== 'Activation') return layer;
  const [bn] = inbound(layer);
  if (!bn || bn.getClassName() !== 'BatchNormalization') return layer;
  const [src] = inbound(bn);
  return src && MERGE.has(src.getClassName()) && is4D(src) ? src : layer;
}

/**
 * Proposed hint taps: for each spatial resolution, the last 4-D activation before the resolution drops
 * (the input of the strided conv/pool, through padding), and at the smallest resolution the last 4-D
 * activation before the head (global pool/flatten). Largest resolution first. The raw input is never a tap.
 */
export function proposeTaps(model: tf.LayersModel): TapInfo[] {
  const layers = model.layers;
  const order = new Map(layers.map((l, i) => [l, i] as const));
  const depth = new Map<Layer, number>();
  // Longest path from the inputs gives "last" for a branching graph; model.layers is topological.
  for (const l of layers) depth.set(l, Math.max(-1, ...inbound(l).map((p) => depth.get(p) ?? -1)) + 1);

  const candidates = new Map<number, Layer>(); // resolution (H·W) → chosen source layer
  const consider = (src: Layer) => {
    if (!is4D(src)) return;
    const a = area(src);
    const cur = candidates.get(a);
    if (!cur || (depth.get(src) ?? 0) > (depth.get(cur) ?? 0)) candidates.set(a, src);
  };
  for (const l of layers) {
    if (PASS_THROUGH.has(l.getClassName())) continue;
    for (const p of inbound(l)) {
      const src = throughPadding(p);
      if (!is4D(src)) continue;
      const out = singleOutputShape(l);
      const drops = out && out.length === 4 ? area(l) < area(src) : true; // 4-D → not 4-D ends the trunk
      if (drops) consider(src);
    }
  }
  // Input layers are excluded by is4D; order by resolution, largest first, ties by graph order.
  const chosen = [...candidates.entries()].sort((a, b) => b[0] - a[0] || order.get(a[1])! - order.get(b[1])!)
    .map(([, l]) => stageOutput(l));
  const seen = new Set<string>();
  return chosen.filter((l) => !seen.has(l.name) && seen.add(l.name)).map((l) => tapInfo(model, l.name));
}
