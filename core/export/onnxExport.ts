// A TF.js LayersModel (the zoo's WRN, ResNet, NIN, or a loaded teacher of the same layer types) as an ONNX
// model: NCHW like PyTorch and ONNX tooling expect, opset 13, weights transposed to ONNX's layouts. Every
// 4-D activation keeps its layer's name as its ONNX tensor name, so the taps stay findable.
// Preprocessing is not baked into the graph: the input is the normalized image, exactly as torchvision's
// ToTensor + Normalize would give it, and metadata_props say how (atstudio.preprocessing).
import { tf } from '../tf.js';
import { floatTensor, int64Tensor, IR_VERSION, node, onnx, OPSET, valueInfo } from './onnxProto.js';
import { StudioError } from '../errors.js';

export class OnnxExportError extends StudioError {
  constructor(message: string) {
    super('export.invalid', message);
    this.name = 'OnnxExportError';
  }
}

export interface OnnxExportOptions {
  /** Written to metadata_props as they are (string values). */
  metadata?: Record<string, string>;
  producerVersion?: string;
  docString?: string;
}

interface Value { name: string; rank: number; shape: (number | null)[] /* TF.js (NHWC) shape */ }
type ST = tf.SymbolicTensor;

const ACTIVATIONS: Record<string, string | null> = { linear: null, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

/** TF's 'same' padding (tfjs-core conv_util.js getPadAndOutInfo): the odd pixel goes after. */
function samePads(inSize: number, k: number, s: number, d = 1): [number, number] {
  const eff = (k - 1) * d + 1;
  const out = Math.ceil(inSize / s);
  const total = Math.max(0, (out - 1) * s + eff - inSize);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function pair(v: number | number[]): [number, number] {
  return Array.isArray(v) ? [v[0], v.length > 1 ? v[1] : v[0]] : [v, v];
}

export function modelToOnnx(model: tf.LayersModel, opts: OnnxExportOptions = {}): Uint8Array {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new OnnxExportError(`ONNX export needs one input and one output; the model has ${model.inputs.length} and ${model.outputs.length}`);
  }
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const inits: InstanceType<typeof onnx.TensorProto>[] = [];
  const values = new Map<number, Value>();
  const used = new Set<string>();
  const unique = (base: string) => {
    let n = base, i = 1;
    while (used.has(n)) n = `${base}_${i++}`;
    used.add(n);
    return n;
  };
  const weight = (name: string, dims: number[], data: Float32Array) => {
    const n = unique(name);
    inits.push(floatTensor(n, dims, data));
    return n;
  };
  const inputOf = (layer: tf.layers.Layer): Value[] => {
    const ins = (Array.isArray(layer.input) ? layer.input : [layer.input]) as ST[];
    return ins.map((t) => {
      const v = values.get(t.id);
      if (!v) throw new OnnxExportError(`layer '${layer.name}': its input '${t.name}' was not produced before it (shared or nested layers are not supported)`);
      return v;
    });
  };
  const read = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync());

  const input = model.inputs[0];
  const inShape = input.shape;
  if (inShape.length !== 4 || inShape.slice(1).some((d) => typeof d !== 'number')) {
    throw new OnnxExportError(`ONNX export needs an image input [H, W, C] of fixed size; the model's input is ${JSON.stringify(inShape.slice(1))}`);
  }
  const [, H, W, C] = inShape as number[];
  const inputName = unique('input');
  values.set(input.id, { name: inputName, rank: 4, shape: inShape });

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const cfg = layer.getConfig() as Record<string, unknown>;
    const ins = inputOf(layer);
    const out = layer.output as ST;
    const outName = unique(layer.name);
    const x = ins[0];
    const n = (op: string, inputs: string[], output: string, attrs: Parameters<typeof node>[4] = {}) =>
      nodes.push(node(op, inputs, [output], unique(`${layer.name}/${op}`), attrs));
    // The layer's own op writes to `outName`, or to a temporary when an activation follows it.
    const withActivation = (emit: (to: string) => void) => {
      const act = (cfg.activation as string | undefined) ?? 'linear';
      if (!(act in ACTIVATIONS)) throw new OnnxExportError(`layer '${layer.name}' (${cls}): activation '${act}' has no ONNX export here`);
      const op = ACTIVATIONS[act];
      if (!op) { emit(outName); return; }
      const pre = unique(`${layer.name}/pre_activation`);
      emit(pre);
      n(op, [pre], outName, op === 'Softmax' ? { axis: -1 } : {});
    };
    const spatial = () => [x.shape[1] as number, x.shape[2] as number];

    switch (cls) {
      case 'Conv2D': {
        if (cfg.dataFormat === 'channelsFirst') throw new OnnxExportError(`layer '${layer.name}': channelsFirst convolutions are not supported`);
        const [kernel, bias] = layer.getWeights();
        const [kh, kw, cin, cout] = kernel.shape;
        const wName = weight(`${layer.name}/kernel`, [cout, cin, kh, kw], read(tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1]))));
        const inputs = [x.name, wName, ...(bias ? [weight(`${layer.name}/bias`, [cout], read(bias))] : [])];
        const [sh, sw] = pair(cfg.strides as number | number[]);
        const [dh, dw] = pair((cfg.dilationRate as number | number[] | undefined) ?? 1);
        const [ih, iw] = spatial();
        const [pt, pb] = cfg.padding === 'same' ? samePads(ih, kh, sh, dh) : [0, 0];
        const [pl, pr] = cfg.padding === 'same' ? samePads(iw, kw, sw, dw) : [0, 0];
        withActivation((to) => n('Conv', inputs, to, { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads: [pt, pl, pb, pr], group: 1 }));
        break;
      }
      case 'ZeroPadding2D': {
        const p = cfg.padding as [[number, number], [number, number]];
        const padsName = unique(`${layer.name}/pads`);
        inits.push(int64Tensor(padsName, [0, 0, p[0][0], p[1][0], 0, 0, p[0][1], p[1][1]]));
        n('Pad', [x.name, padsName], outName, { mode: 'constant' });
        break;
      }
      case 'BatchNormalization': {
        const axis = cfg.axis as number;
        if (axis !== -1 && axis !== x.rank - 1) throw new OnnxExportError(`layer '${layer.name}': batch norm over axis ${axis} (only the channel axis is supported)`);
        const ws = layer.getWeights();
        const c = ws[ws.length - 1].shape[0];
        let i = 0;
        const gamma = cfg.scale ? read(ws[i++]) : new Float32Array(c).fill(1);
        const beta = cfg.center ? read(ws[i++]) : new Float32Array(c);
        const mean = read(ws[i++]);
        const variance = read(ws[i++]);
        n('BatchNormalization', [x.name, weight(`${layer.name}/gamma`, [c], gamma), weight(`${layer.name}/beta`, [c], beta),
          weight(`${layer.name}/moving_mean`, [c], mean), weight(`${layer.name}/moving_variance`, [c], variance)], outName,
        { epsilon: cfg.epsilon as number });
        break;
      }
      case 'ReLU': {
        if (cfg.maxValue != null) {
          const lo = unique(`${layer.name}/min`), hi = unique(`${layer.name}/max`);
          inits.push(floatTensor(lo, [], new Float32Array([0])), floatTensor(hi, [], new Float32Array([cfg.maxValue as number])));
          n('Clip', [x.name, lo, hi], outName);
        } else n('Relu', [x.name], outName);
        break;
      }
      case 'Activation':
        withActivation((to) => n('Identity', [x.name], to));
        break;
      case 'Add': {
        let acc = ins[0].name;
        ins.slice(1).forEach((v, k) => {
          const to = k === ins.length - 2 ? outName : unique(`${layer.name}/sum${k}`);
          n('Add', [acc, v.name], to);
          acc = to;
        });
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [kh, kw] = pair(cfg.poolSize as number | number[]);
        const [sh, sw] = pair((cfg.strides as number | number[] | null) ?? (cfg.poolSize as number | number[]));
        const [ih, iw] = spatial();
        const [pt, pb] = cfg.padding === 'same' ? samePads(ih, kh, sh) : [0, 0];
        const [pl, pr] = cfg.padding === 'same' ? samePads(iw, kw, sw) : [0, 0];
        // TF's 'same' average pool divides by the pixels inside the image: ONNX's count_include_pad = 0.
        const attrs = { kernel_shape: [kh, kw], strides: [sh, sw], pads: [pt, pl, pb, pr], ...(cls === 'AveragePooling2D' ? { count_include_pad: 0 } : {}) };
        n(cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [x.name], outName, attrs);
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const pooled = unique(`${layer.name}/pooled`);
        n(cls === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x.name], pooled);
        n('Flatten', [pooled], outName, { axis: 1 });
        break;
      }
      case 'Flatten': {
        // TF.js flattens H, W, C in that order: back to NHWC first so the dense weights line up.
        let src = x.name;
        if (x.rank === 4) {
          src = unique(`${layer.name}/nhwc`);
          n('Transpose', [x.name], src, { perm: [0, 2, 3, 1] });
        }
        n('Flatten', [src], outName, { axis: 1 });
        break;
      }
      case 'Dense': {
        if (x.rank !== 2) throw new OnnxExportError(`layer '${layer.name}': a dense layer on a ${x.rank}-D input (only after flattening or global pooling)`);
        const [kernel, bias] = layer.getWeights();
        const [fin, units] = kernel.shape;
        const inputs = [x.name, weight(`${layer.name}/kernel`, [fin, units], read(kernel)),
          weight(`${layer.name}/bias`, [units], bias ? read(bias) : new Float32Array(units))];
        withActivation((to) => n('Gemm', inputs, to, { transA: 0, transB: 0 }));
        break;
      }
      case 'Dropout':
      case 'SpatialDropout2D':
      case 'GaussianNoise':
      case 'GaussianDropout':
        n('Identity', [x.name], outName); // inference: these layers pass their input through
        break;
      case 'Concatenate': {
        const axis = cfg.axis as number;
        const onnxAxis = x.rank === 4 && (axis === -1 || axis === 3) ? 1 : axis;
        n('Concat', ins.map((v) => v.name), outName, { axis: onnxAxis });
        break;
      }
      default:
        throw new OnnxExportError(`layer '${layer.name}' is a ${cls}, which this ONNX export does not cover (it covers Conv2D, BatchNormalization, ReLU, Activation, Add, ZeroPadding2D, Max/AveragePooling2D, global pooling, Flatten, Dense, Dropout, Concatenate)`);
    }
    values.set(out.id, { name: outName, rank: out.shape.length, shape: out.shape });
  }

  const output = values.get(model.outputs[0].id)!;
  const outDims = model.outputs[0].shape.map((d, i) => (i === 0 ? 'batch' : d as number));
  const graph = onnx.GraphProto.create({
    name: model.name, node: nodes, initializer: inits,
    input: [valueInfo(inputName, ['batch', C, H, W])],
    output: [valueInfo(output.name, outDims)],
  });
  const m = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'attention-transfer-studio',
    producerVersion: opts.producerVersion ?? '',
    docString: opts.docString ?? '',
    graph,
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(m).finish();
}
