// The engine's backends: choosing one (select.ts), the CUDA library check behind the GPU choice, and the
// training kernels the wasm backend lacks.
export * from './select.js';
export { checkCudaLibraries, defaultSystemProbe, loaderSearchDirs, parseLdconfigCache } from './cudaLibs.js';
export type { CudaCheck, SystemProbe } from './cudaLibs.js';
export { registerWasmTrainingKernels } from './wasmKernels/index.js';
