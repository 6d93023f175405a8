// What a model file is, told by its bytes (never by its name alone): a TF.js model.json, an ONNX model,
// or a foreign format that the engine cannot read — then a message that names the format and the way in.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../errors.js';

export type ModelFormat =
  | 'tfjs-json' | 'onnx'
  | 'keras-h5' | 'keras-v3' | 'pytorch' | 'torchscript' | 'pytorch-legacy' | 'savedmodel' | 'tf-graph-pb' | 'zip' | 'unknown';

export interface SniffResult { format: ModelFormat; /** Set for a format that cannot be used as it is. */ problem?: string | undefined }

export class ForeignModelError extends StudioError {
  constructor(public override file: string, public format: ModelFormat, message: string) {
    super('model.foreign', `${file}: ${message}`, { file });
    this.name = 'ForeignModelError';
  }
}

const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]); // "\x89HDF\r\n\x1a\n"
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

// The ways in, checked against tfjs-converter's own flags (tfjs-converter/python/tensorflowjs/converters/
// common.py: input formats 'keras' and 'keras_saved_model' produce a tfjs_layers_model) and tf2onnx's CLI.
const KERAS_H5_HINT = 'convert it with the TensorFlow.js converter (pip install tensorflowjs): '
  + 'tensorflowjs_converter --input_format=keras MODEL.h5 OUT_DIR, then choose OUT_DIR/model.json';
const KERAS_V3_HINT = 'save it as HDF5 first (python -c "import keras; keras.models.load_model(\'MODEL.keras\').save(\'MODEL.h5\')"), '
  + `then ${KERAS_H5_HINT}`;
const SAVEDMODEL_HINT = 'a SavedModel written by Keras converts with tensorflowjs_converter --input_format=keras_saved_model DIR OUT_DIR '
  + '(then choose OUT_DIR/model.json); any SavedModel converts to ONNX with python -m tf2onnx.convert --saved-model DIR --output MODEL.onnx '
  + '(then choose MODEL.onnx)';
const PYTORCH_HINT = 'export it to ONNX in PyTorch (model.eval(); torch.onnx.export(model, torch.randn(1, C, H, W), "MODEL.onnx", opset_version=13)) '
  + 'and choose MODEL.onnx: ONNX teachers are read directly';

const PROBLEMS: Partial<Record<ModelFormat, string>> = {
  'keras-h5': `is a Keras HDF5 model (.h5), which TensorFlow.js cannot read directly; ${KERAS_H5_HINT}`,
  'keras-v3': `is a Keras 3 model (.keras: a zip with config.json and model.weights.h5); ${KERAS_V3_HINT}`,
  pytorch: `is a PyTorch checkpoint (torch.save: a zip with data.pkl); ${PYTORCH_HINT}`,
  torchscript: `is a TorchScript model (torch.jit.save: a zip with code/ and constants.pkl); ${PYTORCH_HINT}`,
  'pytorch-legacy': `is a Python pickle (PyTorch's legacy torch.save format); ${PYTORCH_HINT}`,
  savedmodel: `is a TensorFlow SavedModel (saved_model.pb); ${SAVEDMODEL_HINT}`,
  'tf-graph-pb': `is a TensorFlow protobuf graph (.pb); ${SAVEDMODEL_HINT}`,
  zip: 'is a zip archive that holds no model this app knows; unpack it and choose its model.json or .onnx file',
  unknown: 'is not a model file this app can read: expected a TF.js model.json (a LayersModel) or an ONNX model (.onnx)',
};

export function foreignProblem(format: ModelFormat): string | undefined {
  return PROBLEMS[format];
}

/** Names of the entries of a zip archive, from its central directory (empty when it cannot be read). */
export function zipEntryNames(buf: Buffer): string[] {
  // End of central directory: signature 0x06054b50, at most 65535 + 22 bytes before the end.
  const floor = Math.max(0, buf.length - 65557);
  for (let i = buf.length - 22; i >= floor; i--) {
    if (buf.readUInt32LE(i) !== 0x06054b50) continue;
    const count = buf.readUInt16LE(i + 10);
    let p = buf.readUInt32LE(i + 16);
    const names: string[] = [];
    for (let k = 0; k < count && p + 46 <= buf.length && buf.readUInt32LE(p) === 0x02014b50; k++) {
      const n = buf.readUInt16LE(p + 28), m = buf.readUInt16LE(p + 30), c = buf.readUInt16LE(p + 32);
      names.push(buf.toString('utf8', p + 46, p + 46 + n));
      p += 46 + n + m + c;
    }
    return names;
  }
  return [];
}

function zipKind(names: string[]): ModelFormat {
  if (names.includes('config.json') && names.some((n) => n.endsWith('.weights.h5'))) return 'keras-v3';
  if (names.some((n) => /(^|\/)constants\.pkl$/.test(n) || /(^|\/)code\//.test(n))) return 'torchscript';
  if (names.some((n) => /(^|\/)data\.pkl$/.test(n))) return 'pytorch';
  if (names.some((n) => n.endsWith('.onnx') || n.endsWith('model.json'))) return 'zip';
  return 'zip';
}

/**
 * An ONNX ModelProto starts with field 1 (ir_version, varint: tag 0x08) and a small version number; the
 * full parse (onnx-proto) decides, this only tells ONNX from other bytes.
 */
function looksLikeOnnx(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x08 && head[1] >= 1 && head[1] <= 20;
}

export async function sniffModelFile(file: string): Promise<SniffResult> {
  const st = await fs.stat(file);
  if (st.isDirectory()) {
    const names = await fs.readdir(file);
    if (names.includes('saved_model.pb') || names.includes('saved_model.pbtxt')) return withProblem('savedmodel');
    if (names.includes('model.json')) return { format: 'tfjs-json', problem: `is a folder; choose the model.json inside it (${path.join(file, 'model.json')})` };
    return { format: 'unknown', problem: 'is a folder, not a model file: expected a TF.js model.json or an .onnx file' };
  }
  const fh = await fs.open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(Math.min(st.size, 1024));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (head.subarray(0, 8).equals(HDF5_MAGIC) || (head.length >= 520 && head.subarray(512, 520).equals(HDF5_MAGIC))) return withProblem('keras-h5');
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return withProblem(zipKind(zipEntryNames(await fs.readFile(file))));
  if (head.length >= 2 && head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return withProblem('pytorch-legacy');
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{')) return { format: 'tfjs-json' };
  // saved_model.pb also opens with field 1 as a varint (its schema version): tell it by name first.
  if (path.basename(file) === 'saved_model.pb') return withProblem('savedmodel');
  if (file.toLowerCase().endsWith('.pb')) return withProblem('tf-graph-pb');
  if (looksLikeOnnx(head) || file.toLowerCase().endsWith('.onnx')) return { format: 'onnx' };
  if (file.toLowerCase().endsWith('.json')) return { format: 'tfjs-json' }; // let the JSON reader say what is wrong
  return withProblem('unknown');
}

function withProblem(format: ModelFormat): SniffResult {
  return { format, problem: PROBLEMS[format] };
}

/** The format of a teacher or model file, or a ForeignModelError that says what it is and the way in. */
export async function usableModelFormat(file: string): Promise<'tfjs-json' | 'onnx'> {
  let r: SniffResult;
  try {
    r = await sniffModelFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ForeignModelError(file, 'unknown', code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (err as Error).message})`);
  }
  if (r.problem) throw new ForeignModelError(file, r.format, r.problem);
  return r.format as 'tfjs-json' | 'onnx';
}
