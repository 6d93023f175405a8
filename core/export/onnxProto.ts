// The ONNX protobuf messages (onnx-proto: onnx.proto of ONNX 1.10.2 compiled by protobufjs), typed helpers
// to build nodes, attributes and float tensors, and the opset this project writes.
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;

/**
 * Opset 13: every op the zoo needs (Conv, BatchNormalization, Relu, Add, MaxPool, AveragePool,
 * GlobalAveragePool, Flatten, Gemm, Pad with its pads as an input, Transpose) has its current form there,
 * and onnxruntime, TensorRT 8+, OpenVINO and onnx2torch all read it; a newer opset would change none of these
 * ops' semantics. IR version 7 is the one ONNX 1.8+ writes for opset 13.
 */
export const OPSET = 13;
export const IR_VERSION = 7;

export type Attr = number | number[] | string | { ints: number[] } | { floats: number[] };

export function attr(name: string, v: Attr): InstanceType<typeof onnx.AttributeProto> {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: A.STRING, s: Buffer.from(v, 'utf8') });
  if (typeof v === 'number') {
    return Number.isInteger(v)
      ? onnx.AttributeProto.create({ name, type: A.INT, i: v })
      : onnx.AttributeProto.create({ name, type: A.FLOAT, f: v });
  }
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: A.INTS, ints: v });
  if ('ints' in v) return onnx.AttributeProto.create({ name, type: A.INTS, ints: v.ints });
  return onnx.AttributeProto.create({ name, type: A.FLOATS, floats: v.floats });
}

export function node(opType: string, inputs: string[], outputs: string[], name: string,
  attrs: Record<string, Attr> = {}): InstanceType<typeof onnx.NodeProto> {
  return onnx.NodeProto.create({
    opType, input: inputs, output: outputs, name,
    attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)),
  });
}

export function floatTensor(name: string, dims: number[], data: Float32Array): InstanceType<typeof onnx.TensorProto> {
  return onnx.TensorProto.create({
    name, dims, dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

export function int64Tensor(name: string, values: number[]): InstanceType<typeof onnx.TensorProto> {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeBigInt64LE(BigInt(v), i * 8));
  return onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: b });
}

/** A float32 value info with named (strings) or fixed (numbers) dimensions. */
export function valueInfo(name: string, dims: (number | string)[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

/** The same model with more of its tensors as graph outputs (float32, shape left to inference). */
export function addGraphOutputs(bytes: Uint8Array, names: string[]): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  const have = new Set(m.graph!.output!.map((o) => o.name));
  for (const n of names) {
    if (have.has(n)) continue;
    m.graph!.output!.push(onnx.ValueInfoProto.create({ name: n, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }));
    have.add(n);
  }
  return onnx.ModelProto.encode(m).finish();
}
