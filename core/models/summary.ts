// Model summaries: parameter counts, multiply-adds per image, taps, weight bytes.
// Multiply-adds count the weight multiplications of convolutions (incl. depthwise/separable/transposed)
// and dense layers only — one per weight use per output position. Batch norm, biases, activations,
// additions and pooling are not counted (the usual "MACs" convention, e.g. ResNet-18 ≈ 1.8 G at 224 px).
import { tf } from '../tf.js';
import type { ModelSummary, TapInfo } from './types.js';

type Shape = (number | null)[];

const size = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

function outShape(layer: tf.layers.Layer): Shape {
  const s = layer.outputShape;
  return (Array.isArray(s[0]) ? s[0] : s) as Shape;
}

function inShape(layer: tf.layers.Layer): Shape {
  const input = layer.input;
  return (Array.isArray(input) ? input[0].shape : input.shape) as Shape;
}

function weightShape(layer: tf.layers.Layer, suffix: string): number[] | null {
  const w = layer.weights.find((v) => v.originalName.endsWith(`/${suffix}`) || v.name.endsWith(`/${suffix}`));
  return w ? w.shape as number[] : null;
}

/** Multiply-adds of one layer for one image. */
export function layerMultiplyAdds(layer: tf.layers.Layer): number {
  const cls = layer.getClassName();
  const out = outShape(layer);
  const spatial = (s: Shape) => (s.length === 4 ? (s[1] as number) * (s[2] as number) : 1);
  switch (cls) {
    case 'Conv2D': {
      const k = weightShape(layer, 'kernel');
      return k ? spatial(out) * size(k) : 0;
    }
    case 'Conv2DTranspose': {
      const k = weightShape(layer, 'kernel');
      return k ? spatial(inShape(layer)) * size(k) : 0;
    }
    case 'DepthwiseConv2D': {
      const k = weightShape(layer, 'depthwise_kernel');
      return k ? spatial(out) * size(k) : 0;
    }
    case 'SeparableConv2D': {
      const d = weightShape(layer, 'depthwise_kernel');
      const p = weightShape(layer, 'pointwise_kernel');
      return (d ? spatial(out) * size(d) : 0) + (p ? spatial(out) * size(p) : 0);
    }
    case 'Dense': {
      const k = weightShape(layer, 'kernel');
      // A dense layer on a rank-3+ input applies per leading position.
      const positions = out.slice(1, -1).reduce<number>((a, d) => a * (d ?? 1), 1);
      return k ? positions * size(k) : 0;
    }
    default:
      return 0;
  }
}

export function summarizeModel(model: tf.LayersModel, taps: TapInfo[]): ModelSummary {
  const params = model.weights.reduce((a, w) => a + size(w.shape as number[]), 0);
  const trainableParams = model.trainableWeights.reduce((a, w) => a + size(w.shape as number[]), 0);
  const multiplyAdds = model.layers.reduce((a, l) => a + layerMultiplyAdds(l), 0);
  return { params, trainableParams, multiplyAdds, taps: taps.map((t) => ({ name: t.name, shape: [...t.shape] as [number, number, number] })), sizeBytes: params * 4 };
}
