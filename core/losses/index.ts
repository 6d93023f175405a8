export { type AtForm, atLoss, atTerm } from './atLoss.js';
export { crossEntropy, crossEntropyPerExample, labelsToTargets } from './crossEntropy.js';
export { kdLoss } from './kdLoss.js';
export { type GradAtArgs, gradAtLoss, flipHorizontal } from './gradAtLoss.js';
export { expSafe, logSoftmaxSafe, softmaxSafe, stopGradient } from './stableOps.js';
export { doubleBackpropProblems } from './doubleBackprop.js';
