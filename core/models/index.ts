// Model zoo (WRN, ResNet-18/34, NIN) with named hint taps, summaries, and teachers loaded from files.
export type { ModelFamilySpec, ModelSpec, TapInfo, ZooModel, ModelSummary, CreateModelOptions } from './types.js';
export { ModelError } from './types.js';
export { createModel, estimateModel, modelName } from './create.js';
export { summarizeModel, layerMultiplyAdds } from './summary.js';
export { withTaps, proposeTaps, tapInfo, tapCandidates } from './taps.js';
export { loadTeacher, loadTeacherFile } from './teacher.js';
export { loadOnnxTeacher } from './onnxTeacher.js';
export { onnxToLayersModel } from './onnxImport.js';
export { wrnWidths } from './wrn.js';
export { resolveStem } from './resnet.js';
export { ninStages } from './nin.js';
export { saveLayersModel, loadLayersModelFile } from '../io/modelFiles.js';
