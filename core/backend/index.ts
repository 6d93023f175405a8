// The engine's backends: choosing one (select.ts), the CUDA library check behind the GPU choice, and the
// training kernels the wasm backend lacks.
export * from './select.js';
export { checkCudaLibraries, defaultSystemProbe, loaderSearchDirs, parseLdconfigCache } from './cudaLibs.js';
export type { CudaCheck, SystemProbe } from './cudaLibs.js';
export { registerWasmTrainingKernels } from './wasmKernels/index.js';
export {
  initWebGpu, webGpuAdapter, webGpuFailure, assertWebGpuHealthy, guardWebGpu, webGpuMemory, describeAdapter, summarizeAdapter,
  WebGpuDeviceError, WEBGPU_PACKAGES,
} from './webgpu.js';
export type { WebGpuAdapter, WebGpuInit } from './webgpu.js';
export { checkVulkan, diagnoseNoAdapter, VULKAN_LOADER, VULKAN_ICD_DIRS } from './webgpuDiagnose.js';
