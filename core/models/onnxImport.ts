// An ONNX image classifier as a TF.js LayersModel with the same weights, so that an ONNX teacher runs where
// every other teacher runs (any backend, inside the training step's tidy, its taps as layer outputs).
// ONNX is NCHW: each 4-D tensor is held as NHWC in TF.js and remembered as NCHW, weights are transposed, and
// a Flatten of a 4-D map permutes back to C, H, W order first. Ops outside the set below are refused by
// name. Tensors keep their ONNX names (made legal as layer names), so taps can be chosen by them.
import { tf } from '../tf.js';
import { onnx } from '../export/onnxProto.js';
import { ModelError } from './types.js';

type ST = tf.SymbolicTensor;
type Proto = InstanceType<typeof onnx.ModelProto>;
type NodeP = import("onnx-proto").onnx.INodeProto;
type TensorP = import("onnx-proto").onnx.ITensorProto;

export const SUPPORTED_OPS = ['Conv', 'BatchNormalization', 'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'Tanh', 'Add', 'Sum', 'MaxPool', 'AveragePool',
  'GlobalAveragePool', 'GlobalMaxPool', 'Flatten', 'Reshape', 'Squeeze', 'Gemm', 'MatMul', 'Pad', 'Transpose', 'Concat', 'Identity', 'Dropout', 'Softmax', 'Constant'];

interface Const { dims: number[]; data: Float32Array | number[] }

/**
 * How a TF.js tensor stands for an ONNX tensor: 'nchw' — ONNX [N,C,H,W] held as [N,H,W,C]; 'same' — the
 * axes in the same order; 'pooled' — ONNX [N,C,1,1] (global pooling) held as [N,C].
 */
interface Val { st: ST; form: 'nchw' | 'same' | 'pooled'; nonNegative: boolean; onnxName: string }

export interface OnnxImport {
  model: tf.LayersModel;
  /** ONNX tensor name → layer name, for every 4-D activation. */
  layerOf: Map<string, string>;
  inputLayout: 'NCHW' | 'NHWC';
  inputName: string;
  outputName: string;
  /** The ONNX tensor the model outputs: the graph's output, or the input of a final Softmax it removed. */
  logitsName: string;
  metadata: Record<string, string>;
  notes: string[];
  opset: number;
}

export function parseOnnx(bytes: Uint8Array, file: string): Proto {
  let m: Proto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelError(`${file}: not a readable ONNX model — the file is truncated or damaged (${(err as Error).message})`, file);
  }
  if (!m.graph || !m.graph.node?.length) throw new ModelError(`${file}: not an ONNX model with a graph (no nodes found; the file may be truncated)`, file);
  return m;
}

function toNumber(v: number | { toNumber(): number }): number {
  return typeof v === 'number' ? v : v.toNumber();
}

function constOf(t: TensorP, file: string): Const {
  const dims = (t.dims ?? []).map(toNumber);
  const count = dims.reduce((a, d) => a * d, 1);
  const T = onnx.TensorProto.DataType;
  const raw = t.rawData && t.rawData.length ? Buffer.from(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength) : null;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new ModelError(`${file}: tensor '${t.name}' keeps its data in an external file; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False))`, file);
  if (t.dataType === T.FLOAT) {
    const data = raw ? new Float32Array(count).map((_, i) => raw.readFloatLE(i * 4)) : Float32Array.from(t.floatData ?? []);
    if (data.length !== count) throw new ModelError(`${file}: tensor '${t.name}' holds ${data.length} values for dims [${dims}]`, file);
    return { dims, data };
  }
  if (t.dataType === T.INT64) {
    const data = raw ? Array.from({ length: count }, (_, i) => Number(raw.readBigInt64LE(i * 8))) : (t.int64Data ?? []).map(toNumber);
    return { dims, data };
  }
  if (t.dataType === T.INT32) return { dims, data: raw ? Array.from({ length: count }, (_, i) => raw.readInt32LE(i * 4)) : (t.int32Data ?? []) };
  if (t.dataType === T.DOUBLE) return { dims, data: raw ? Float32Array.from({ length: count }, (_, i) => raw.readDoubleLE(i * 8)) : Float32Array.from(t.doubleData ?? []) };
  throw new ModelError(`${file}: tensor '${t.name}' has ONNX data type ${t.dataType}; float32 weights are expected (a quantized or float16 model is not supported)`, file);
}

type AttrV = number | number[] | string | TensorP | undefined;
function attrs(n: NodeP): Record<string, AttrV> {
  const out: Record<string, AttrV> = {};
  const A = onnx.AttributeProto.AttributeType;
  for (const a of n.attribute ?? []) {
    if (a.type === A.INT) out[a.name!] = toNumber(a.i!);
    else if (a.type === A.FLOAT) out[a.name!] = a.f!;
    else if (a.type === A.INTS) out[a.name!] = (a.ints ?? []).map(toNumber);
    else if (a.type === A.STRING) out[a.name!] = Buffer.from(a.s!).toString('utf8');
    else if (a.type === A.TENSOR) out[a.name!] = a.t as TensorP;
  }
  return out;
}

/** TF's 'same' padding (tfjs-core conv_util.js getPadAndOutInfo): the odd pixel goes after. */
function samePads(inSize: number, k: number, s: number, d = 1): [number, number] {
  const eff = (k - 1) * d + 1;
  const total = Math.max(0, (Math.ceil(inSize / s) - 1) * s + eff - inSize);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** An ONNX tensor name as a TF.js layer name (which must match /^[A-Za-z0-9][-A-Za-z0-9._/]*$/). */
export function legalLayerName(onnxName: string): string {
  return onnxName.replace(/^[^A-Za-z0-9]+/, '').replace(/[^-A-Za-z0-9._/]/g, '_') || 'tensor';
}

export function onnxToLayersModel(bytes: Uint8Array, file: string): OnnxImport {
  const m = parseOnnx(bytes, file);
  const g = m.graph!;
  const opset = toNumber((m.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const fail = (msg: string): never => { throw new ModelError(`${file}: ${msg}`, file); };
  const consts = new Map<string, Const>();
  for (const t of g.initializer ?? []) consts.set(t.name!, constOf(t, file));
  const inputs = (g.input ?? []).filter((i) => !consts.has(i.name!));
  if (inputs.length !== 1) fail(`a teacher needs one image input; this graph has ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`);
  const inp = inputs[0];
  const dims = (inp.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue != null && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : null));
  if (dims.length !== 4 || dims.slice(1).some((d) => d === null)) {
    fail(`its input '${inp.name}' has shape [${dims.map((d) => d ?? '?').join(', ')}]; expected a 4-D image input of fixed size, [batch, channels, height, width] (NCHW) or [batch, height, width, channels]`);
  }
  const [, d1, d2, d3] = dims as number[];
  // Channels first unless only the last axis looks like colour channels.
  const inputLayout: 'NCHW' | 'NHWC' = d1 <= 4 || d3 > 4 ? 'NCHW' : 'NHWC';
  const hwc: [number, number, number] = inputLayout === 'NCHW' ? [d2, d3, d1] : [d1, d2, d3];

  const used = new Set<string>();
  const layerName = (onnxName: string) => {
    const base = legalLayerName(onnxName);
    let n = base, i = 1;
    while (used.has(n)) n = `${base}_${i++}`;
    used.add(n);
    return n;
  };
  const input = tf.input({ shape: hwc, name: layerName(inp.name!) });
  const env = new Map<string, Val>();
  env.set(inp.name!, { st: input, form: inputLayout === 'NCHW' ? 'nchw' : 'same', nonNegative: false, onnxName: inp.name! });
  const layerOf = new Map<string, string>();
  const notes: string[] = [];
  const outputName = g.output?.length === 1 ? g.output[0].name! : fail(`a teacher has one output (its class scores); this graph has ${g.output?.length ?? 0}`);
  const consumers = new Map<string, NodeP[]>();
  for (const n of g.node!) for (const i of n.input ?? []) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const fused = new Set<NodeP>();
  let logitsName = outputName;

  const val = (name: string, n: NodeP): Val => env.get(name) ?? fail(`node '${n.name || n.opType}' (${n.opType}) reads '${name}', which is neither computed before it nor the input (a constant where an activation was expected?)`);
  const cst = (name: string | undefined, n: NodeP, what: string): Const => (name && consts.get(name)) || fail(`node '${n.name || n.opType}' (${n.opType}): its ${what} must be a constant (an initializer)`);
  const put = (n: NodeP, v: Omit<Val, 'onnxName'>) => {
    const name = n.output![0];
    env.set(name, { ...v, onnxName: name });
    if (v.form === 'nchw') layerOf.set(name, v.st.sourceLayer.name);
  };
  const tensor = (c: Const, shape?: number[]) => tf.tensor(Float32Array.from(c.data as ArrayLike<number>), shape ?? c.dims, 'float32');
  const withWeights = (layer: tf.layers.Layer, x: ST | ST[], ws: tf.Tensor[]): ST => {
    const y = layer.apply(x) as ST;
    layer.setWeights(ws);
    tf.dispose(ws);
    return y;
  };
  const zeroPad = (x: ST, name: string, t: number, l: number, b: number, r: number): ST =>
    tf.layers.zeroPadding2d({ name: layerName(`${name}_pad`), padding: [[t, b], [l, r]] }).apply(x) as ST;
  const nodeLabel = (n: NodeP) => `node '${n.name || n.output?.[0]}' (${n.opType})`;
  const need4d = (v: Val, n: NodeP) => { if (v.form !== 'nchw') fail(`${nodeLabel(n)} expects a 4-D NCHW activation`); };

  for (const n of g.node!) {
    if (fused.has(n)) continue;
    if (n.domain && n.domain !== 'ai.onnx') fail(`${nodeLabel(n)} is from the op domain '${n.domain}', which this app cannot run`);
    const a = attrs(n);
    const out = n.output![0];
    const name = () => layerName(out);
    switch (n.opType) {
      case 'Constant': {
        const t = a.value as TensorP | undefined;
        if (!t) fail(`${nodeLabel(n)}: only tensor constants are supported`);
        consts.set(out, constOf(t!, file));
        break;
      }
      case 'Identity':
      case 'Dropout': {
        const c = consts.get(n.input![0]);
        if (c) consts.set(out, c);
        else env.set(out, { ...val(n.input![0], n), onnxName: out });
        break;
      }
      case 'Conv': {
        const x = val(n.input![0], n);
        need4d(x, n);
        const w = cst(n.input![1], n, 'weight');
        const bias = n.input![2] ? cst(n.input![2], n, 'bias') : null;
        const [O, Ig, kh, kw] = w.dims;
        const group = (a.group as number | undefined) ?? 1;
        const [sh, sw] = (a.strides as number[] | undefined) ?? [1, 1];
        const [dh, dw] = (a.dilations as number[] | undefined) ?? [1, 1];
        const [, ih, iw, cin] = x.st.shape as number[];
        let pads = (a.pads as number[] | undefined) ?? [0, 0, 0, 0];
        const auto = (a.auto_pad as string | undefined) ?? 'NOTSET';
        const [st, sb] = samePads(ih, kh, sh, dh), [sl, sr] = samePads(iw, kw, sw, dw);
        if (auto === 'SAME_UPPER') pads = [st, sl, sb, sr];
        else if (auto === 'SAME_LOWER') pads = [sb, sr, st, sl];
        else if (auto === 'VALID') pads = [0, 0, 0, 0];
        const isSame = pads[0] === st && pads[1] === sl && pads[2] === sb && pads[3] === sr;
        let src = x.st;
        let padding: 'same' | 'valid' = 'valid';
        if (pads.some((p) => p > 0)) {
          if (isSame) padding = 'same';
          else src = zeroPad(x.st, out, pads[0], pads[1], pads[2], pads[3]);
        }
        let y: ST;
        if (group === 1) {
          if (Ig !== cin) fail(`${nodeLabel(n)}: weight expects ${Ig} input channels, the activation has ${cin}`);
          const k = tf.tidy(() => tf.transpose(tensor(w), [2, 3, 1, 0]));
          y = withWeights(tf.layers.conv2d({ name: name(), filters: O, kernelSize: [kh, kw], strides: [sh, sw], dilationRate: [dh, dw], padding, useBias: !!bias }), src,
            [k, ...(bias ? [tensor(bias)] : [])]);
        } else if (group === cin && Ig === 1 && O % cin === 0) {
          // Depthwise: ONNX weight [C·mult, 1, kh, kw] → TF.js [kh, kw, C, mult].
          const mult = O / cin;
          const k = tf.tidy(() => tf.transpose(tensor(w).reshape([cin, mult, kh, kw]), [2, 3, 0, 1]));
          y = withWeights(tf.layers.depthwiseConv2d({ name: name(), kernelSize: [kh, kw], depthMultiplier: mult, strides: [sh, sw], dilationRate: [dh, dw], padding, useBias: !!bias }), src,
            [k, ...(bias ? [tensor(bias)] : [])]);
        } else {
          y = fail(`${nodeLabel(n)}: grouped convolution with ${group} groups (only 1 group or depthwise are supported)`);
        }
        put(n, { st: y, form: 'nchw', nonNegative: false });
        break;
      }
      case 'BatchNormalization': {
        const x = val(n.input![0], n);
        const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => cst(n.input![i], n, ['scale', 'bias', 'mean', 'variance'][i - 1]));
        if (x.form === 'same' && (x.st.shape.length !== 2)) fail(`${nodeLabel(n)}: batch norm of a non-NCHW tensor`);
        const y = withWeights(tf.layers.batchNormalization({ name: name(), axis: -1, epsilon: (a.epsilon as number | undefined) ?? 1e-5 }), x.st,
          [tensor(gamma), tensor(beta), tensor(mean), tensor(variance)]);
        put(n, { st: y, form: x.form, nonNegative: false });
        break;
      }
      case 'Relu': case 'LeakyRelu': case 'Sigmoid': case 'Tanh': case 'Clip': {
        const x = val(n.input![0], n);
        let layer: tf.layers.Layer;
        if (n.opType === 'Relu') layer = tf.layers.reLU({ name: name() });
        else if (n.opType === 'LeakyRelu') layer = tf.layers.leakyReLU({ name: name(), alpha: (a.alpha as number | undefined) ?? 0.01 });
        else if (n.opType === 'Clip') {
          const lo = n.input![1] ? (cst(n.input![1], n, 'min').data[0]) : (a.min as number | undefined);
          const hi = n.input![2] ? (cst(n.input![2], n, 'max').data[0]) : (a.max as number | undefined);
          if (lo !== 0 || hi === undefined) fail(`${nodeLabel(n)}: only Clip(0, max) (ReLU6-like) is supported`);
          layer = tf.layers.reLU({ name: name(), maxValue: hi! }); // fail() above throws when hi is undefined
        } else layer = tf.layers.activation({ name: name(), activation: n.opType === 'Sigmoid' ? 'sigmoid' : 'tanh' });
        put(n, { st: layer.apply(x.st) as ST, form: x.form, nonNegative: n.opType === 'Relu' || n.opType === 'Clip' || n.opType === 'Sigmoid' });
        break;
      }
      case 'Add': case 'Sum': {
        const xs = n.input!.map((i) => val(i, n));
        if (xs.some((x) => x.form !== xs[0].form)) fail(`${nodeLabel(n)} adds tensors of different layouts`);
        put(n, { st: tf.layers.add({ name: name() }).apply(xs.map((x) => x.st)) as ST, form: xs[0].form, nonNegative: xs.every((x) => x.nonNegative) });
        break;
      }
      case 'MaxPool': case 'AveragePool': {
        const x = val(n.input![0], n);
        need4d(x, n);
        const [kh, kw] = a.kernel_shape as number[];
        const [sh, sw] = (a.strides as number[] | undefined) ?? [1, 1];
        if ((a.ceil_mode as number | undefined) === 1) fail(`${nodeLabel(n)}: ceil_mode = 1 is not supported`);
        if (((a.dilations as number[] | undefined) ?? [1, 1]).some((d) => d !== 1)) fail(`${nodeLabel(n)}: dilated pooling is not supported`);
        const [, ih, iw] = x.st.shape as number[];
        let pads = (a.pads as number[] | undefined) ?? [0, 0, 0, 0];
        const [st, sb] = samePads(ih, kh, sh), [sl, sr] = samePads(iw, kw, sw);
        const auto = (a.auto_pad as string | undefined) ?? 'NOTSET';
        if (auto === 'SAME_UPPER') pads = [st, sl, sb, sr];
        else if (auto === 'VALID') pads = [0, 0, 0, 0];
        else if (auto === 'SAME_LOWER') pads = [sb, sr, st, sl];
        const isMax = n.opType === 'MaxPool';
        const includePad = (a.count_include_pad as number | undefined) === 1;
        let src = x.st;
        let padding: 'same' | 'valid' = 'valid';
        if (pads.some((p) => p > 0)) {
          const isSame = pads[0] === st && pads[1] === sl && pads[2] === sb && pads[3] === sr;
          // TF 'same' pooling ignores the padding, as ONNX does for max and for average with count_include_pad 0.
          if (isSame && (isMax || !includePad)) padding = 'same';
          // Zero padding is exact for an average that counts the padding, and for a max over values ≥ 0.
          else if ((!isMax && includePad) || (isMax && x.nonNegative)) src = zeroPad(x.st, out, pads[0], pads[1], pads[2], pads[3]);
          else fail(`${nodeLabel(n)}: pads [${pads}] on a ${isMax ? 'max pool of values that may be negative' : 'average pool that excludes the padding'} have no TF.js equivalent`);
        }
        const cfg = { name: name(), poolSize: [kh, kw] as [number, number], strides: [sh, sw] as [number, number], padding };
        const y = (isMax ? tf.layers.maxPooling2d(cfg) : tf.layers.averagePooling2d(cfg)).apply(src) as ST;
        put(n, { st: y, form: 'nchw', nonNegative: x.nonNegative });
        break;
      }
      case 'GlobalAveragePool': case 'GlobalMaxPool': {
        const x = val(n.input![0], n);
        need4d(x, n);
        const layer = n.opType === 'GlobalAveragePool' ? tf.layers.globalAveragePooling2d({ name: name() }) : tf.layers.globalMaxPooling2d({ name: name() });
        put(n, { st: layer.apply(x.st) as ST, form: 'pooled', nonNegative: x.nonNegative });
        break;
      }
      case 'Flatten': case 'Reshape': case 'Squeeze': {
        const x = val(n.input![0], n);
        if (n.opType === 'Flatten' && ((a.axis as number | undefined) ?? 1) !== 1) fail(`${nodeLabel(n)}: only Flatten(axis=1) is supported`);
        if (n.opType === 'Reshape') {
          const shape = cst(n.input![1], n, 'target shape').data as number[];
          if (shape.length !== 2 || !(shape[0] === 0 || shape[0] === -1 || shape[0] === 1) && shape[0] !== (x.st.shape[0] ?? -2)) {
            fail(`${nodeLabel(n)}: only a reshape to [batch, features] is supported, not [${shape}]`);
          }
        }
        if (n.opType === 'Squeeze' && x.form !== 'pooled') fail(`${nodeLabel(n)}: only squeezing a globally pooled map is supported`);
        if (x.form === 'nchw') {
          // ONNX flattens C, H, W; TF.js holds H, W, C: permute to channels first, then flatten.
          const perm = tf.layers.permute({ name: layerName(`${out}_chw`), dims: [3, 1, 2] }).apply(x.st) as ST;
          put(n, { st: tf.layers.flatten({ name: name() }).apply(perm) as ST, form: 'same', nonNegative: x.nonNegative });
        } else {
          env.set(out, { ...x, form: 'same', onnxName: out });
        }
        break;
      }
      case 'Gemm': case 'MatMul': {
        const x = val(n.input![0], n);
        if (x.st.shape.length !== 2) fail(`${nodeLabel(n)}: a matrix product of a ${x.st.shape.length}-D tensor (only [batch, features] is supported)`);
        if ((a.transA as number | undefined) === 1) fail(`${nodeLabel(n)}: transA = 1 is not supported`);
        const w = cst(n.input![1], n, 'weight');
        const alpha = (a.alpha as number | undefined) ?? 1, beta = (a.beta as number | undefined) ?? 1;
        const transB = (a.transB as number | undefined) === 1;
        const kernel = tf.tidy(() => { const k = tensor(w); return (transB ? k.transpose() : k).mul(alpha); }) as tf.Tensor2D;
        const units = kernel.shape[1] as number;
        let bias: tf.Tensor | null = n.input![2] ? tf.tidy(() => tensor(cst(n.input![2], n, 'bias')).reshape([-1]).mul(beta)) : null;
        // PyTorch's nn.Linear may export as MatMul + Add(bias): fold the Add into the dense layer.
        const next = consumers.get(out);
        let y = out;
        if (n.opType === 'MatMul' && next?.length === 1 && next[0].opType === 'Add') {
          const other = next[0].input!.find((i) => i !== out);
          const b = other !== undefined ? consts.get(other) : undefined;
          if (b) { bias = tensor(b).reshape([-1]); fused.add(next[0]); y = next[0].output![0]; }
        }
        if (bias && bias.size !== units) { const b = bias; bias = tf.tidy(() => tf.broadcastTo(b.reshape([-1]), [units])); b.dispose(); }
        if (kernel.shape[0] !== x.st.shape[1]) { bias?.dispose(); kernel.dispose(); fail(`${nodeLabel(n)}: weight has ${kernel.shape[0]} rows, the input ${x.st.shape[1]} features`); }
        const dense = withWeights(tf.layers.dense({ name: layerName(y), units, useBias: !!bias }), x.st, [kernel, ...(bias ? [bias] : [])]);
        env.set(y, { st: dense, form: 'same', nonNegative: false, onnxName: y });
        break;
      }
      case 'Pad': {
        const x = val(n.input![0], n);
        need4d(x, n);
        const mode = (a.mode as string | undefined) ?? 'constant';
        const pads = n.input![1] ? (cst(n.input![1], n, 'pads').data as number[]) : (a.pads as number[]);
        const value = n.input![2] ? Number(cst(n.input![2], n, 'value').data[0]) : ((a.value as number | undefined) ?? 0);
        if (mode !== 'constant' || value !== 0) fail(`${nodeLabel(n)}: only zero padding is supported (mode '${mode}', value ${value})`);
        if (pads[0] || pads[1] || pads[4] || pads[5]) fail(`${nodeLabel(n)}: padding of the batch or channel axis`);
        put(n, { st: zeroPad(x.st, out, pads[2], pads[3], pads[6], pads[7]), form: 'nchw', nonNegative: x.nonNegative && value === 0 });
        break;
      }
      case 'Transpose': {
        const x = val(n.input![0], n);
        const perm = (a.perm as number[] | undefined ?? []).join(',');
        // Only layout changes: NHWC → NCHW (tf2onnx's first node) and back are free here.
        if (x.form === 'same' && x.st.shape.length === 4 && perm === '0,3,1,2') env.set(out, { ...x, form: 'nchw', onnxName: out });
        else if (x.form === 'nchw' && perm === '0,2,3,1') env.set(out, { ...x, form: 'same', onnxName: out });
        else fail(`${nodeLabel(n)}: transpose [${perm}] (only NHWC ↔ NCHW are supported)`);
        break;
      }
      case 'Concat': {
        const xs = n.input!.map((i) => val(i, n));
        const axis = a.axis as number;
        if (!xs.every((x) => x.form === 'nchw') || (axis !== 1 && axis !== -3)) fail(`${nodeLabel(n)}: only a channel concatenation of NCHW maps is supported`);
        put(n, { st: tf.layers.concatenate({ name: name(), axis: -1 }).apply(xs.map((x) => x.st)) as ST, form: 'nchw', nonNegative: xs.every((x) => x.nonNegative) });
        break;
      }
      case 'Softmax': {
        const x = val(n.input![0], n);
        if (out === outputName) {
          notes.push(`removed the final Softmax '${n.name || out}': the teacher's logits are its input`);
          env.set(out, { ...x, onnxName: out });
          logitsName = n.input![0];
        } else put(n, { st: tf.layers.activation({ name: name(), activation: 'softmax' }).apply(x.st) as ST, form: x.form, nonNegative: true });
        break;
      }
      default:
        fail(`${nodeLabel(n)} is an op this app cannot run (it runs ${SUPPORTED_OPS.join(', ')}); export the model with plain convolution, batch-norm, pooling and linear layers`);
    }
  }
  const result = env.get(outputName) ?? fail(`its output '${outputName}' is not computed by the graph`);
  if (result.st.shape.length !== 2) fail(`its output '${outputName}' is ${result.form === 'nchw' ? '4' : result.st.shape.length}-D; a teacher outputs [batch, classes]`);
  const model = tf.model({ inputs: input, outputs: result.st, name: layerName(g.name || 'onnx') });
  const metadata = Object.fromEntries((m.metadataProps ?? []).map((p) => [p.key!, p.value ?? '']));
  return { model, layerOf, inputLayout, inputName: inp.name!, outputName, logitsName, metadata, notes, opset };
}
