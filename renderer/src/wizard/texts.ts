// Plain-language explanations the wizard shows, written against the method as implemented (README,
// "The method, as implemented"; Zagoruyko & Komodakis, ICLR 2017).
import type { AttentionFn, Method } from '../../../core/config/types.js';
import type { StepKey } from './validate.js';

export const METHOD_LABELS: Record<Method, string> = {
  baseline: 'Baseline — the student alone',
  at: 'AT — attention transfer',
  kd: 'KD — knowledge distillation',
  'at+kd': 'AT + KD — both together',
  'grad-at': 'Gradient-based AT',
};

export const METHOD_HELP: Record<Method, string> = {
  baseline: 'Trains the student on the labels only, with no teacher: the number every other method is measured against.',
  at: 'The student learns to be active in the same places as the teacher: at each hint pair its attention map is pulled towards the teacher\'s, on top of the usual label loss.',
  kd: 'The student learns to reproduce the teacher\'s softened class probabilities (temperature T) as well as the labels (Hinton et al.).',
  'at+kd': 'Attention transfer and knowledge distillation added together; in the paper this combination gave the best students.',
  'grad-at': 'The student matches how sensitive the teacher\'s loss is to each input pixel (the gradient with respect to the image). About 2–3× slower per step (double backprop); works for every network in the zoo, NIN included, as in the paper.',
};

export const FN_LABELS: Record<AttentionFn['kind'], string> = {
  sum: 'Σ|A| — sum of absolute values',
  'sum-p': 'Σ|A|^p — sum of powers (paper default)',
  'max-p': 'max|A|^p — strongest channel',
};

export const FN_HELP: Record<AttentionFn['kind'], string> = {
  sum: 'F_sum = Σ_c |A_c|: adds up the activation of every channel at each position; spreads attention over everything that is active.',
  'sum-p': 'F_sum^p = Σ_c |A_c|^p: raising to the power p > 1 gives more weight to the most active positions. p = 2 is the paper\'s choice and worked best.',
  'max-p': 'F_max^p = max_c |A_c|^p: only the single most active channel at each position counts; the most selective map.',
};

/** Why each step matters, one or two sentences. */
export const STEP_WHY: Record<StepKey, string> = {
  dataset: 'The images and labels both networks learn from. The teacher and the student must see the same classes, and the test split is what the final accuracy is measured on.',
  teacher: 'The teacher is a larger network whose attention the student copies. A teacher that is clearly more accurate than the student has more to pass on.',
  student: 'The student is the small network you keep at the end. Fewer parameters and multiply-adds make it smaller and faster; attention transfer aims to give it accuracy closer to the teacher\'s.',
  attention: 'How the teacher\'s knowledge reaches the student. An attention map sums up, for each position of a layer\'s output, how strongly the network responds there; AT makes the student\'s maps match the teacher\'s.',
  hints: 'Hint pairs say which student layer group copies which teacher layer group. The paper pairs the groups at the same resolution (the end of each group of residual blocks).',
  training: 'How long to train, sized from how fast this machine is: a quick look first, then a better result or the paper\'s full recipe. Custom and Advanced hold the raw settings.',
  review: 'Check everything once more. The run starts as soon as the engine is free and you can follow it live; the config can be saved to run it again later.',
};
