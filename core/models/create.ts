// createModel / estimateModel: one entry point for the zoo families.
import { buildNin } from './nin.js';
import { buildResnet } from './resnet.js';
import { summarizeModel } from './summary.js';
import { buildWrn } from './wrn.js';
import { ModelError, type CreateModelOptions, type ModelSpec, type ModelSummary, type ZooModel } from './types.js';

export function createModel(spec: ModelSpec, opts: CreateModelOptions = {}): ZooModel {
  const { inputShape, numClasses } = spec;
  let built;
  switch (spec.family) {
    case 'wrn':
      built = buildWrn(spec.depth, spec.widen, inputShape, numClasses, opts);
      break;
    case 'resnet':
      built = buildResnet(spec.depth, spec.stem, inputShape, numClasses, opts);
      break;
    case 'nin':
      if (spec.variant !== 'thin' && spec.variant !== 'wide') throw new ModelError(`NIN variant must be 'thin' or 'wide', got '${String(spec.variant)}'`);
      built = buildNin(spec.variant, inputShape, numClasses, opts);
      break;
    default:
      throw new ModelError(`unknown model family '${String((spec as { family?: unknown }).family)}' (expected wrn, resnet or nin)`);
  }
  return { ...built, spec };
}

/** Build, summarize and dispose — for the wizard's size/cost estimates. */
export function estimateModel(spec: ModelSpec): ModelSummary {
  const zoo = createModel(spec, { namePrefix: 'estimate.', zeroInit: true });
  try {
    return summarizeModel(zoo.model, zoo.taps);
  } finally {
    zoo.model.dispose();
  }
}

/** Human-readable model name: "WRN-16-2", "ResNet-18", "NIN-thin". */
export function modelName(spec: Pick<ModelSpec, 'family'> & Partial<ModelSpec>): string {
  const s = spec as ModelSpec;
  if (s.family === 'wrn') return `WRN-${s.depth}-${s.widen}`;
  if (s.family === 'resnet') return `ResNet-${s.depth}`;
  return `NIN-${s.variant}`;
}
