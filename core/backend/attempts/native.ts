// tfjs-node-gpu (CUDA) and tfjs-node (libtensorflow on the CPU). Both register the tfjs backend
// 'tensorflow'; they are optional dependencies, so either may be absent, or present with its native
// library missing.
import * as os from 'node:os';
import { tf } from '../../tf.js';
import { activate, baseVersions } from '../activate.js';
import { BACKEND_PACKAGES } from '../choice.js';
import { checkCudaLibraries, type CudaCheck } from '../cudaLibs.js';
import { errorMessage, isPackageNotFound, loadFailure, moduleExport } from '../loadErrors.js';
import type { AttemptContext, Outcome } from './outcome.js';

export async function tryNative(name: 'tensorflow-gpu' | 'tensorflow', ctx: AttemptContext): Promise<Outcome> {
  const pkg = BACKEND_PACKAGES[name];
  if (ctx.nativeLoaded !== undefined) {
    return { ok: false, reason: `not tried: ${BACKEND_PACKAGES[ctx.nativeLoaded]} already loaded libtensorflow in this process, and a second copy cannot be loaded alongside it` };
  }
  if (name === 'tensorflow-gpu' && ctx.system.platform === 'darwin') {
    return { ok: false, reason: `${pkg} is not supported on macOS (no CUDA there)` };
  }
  try {
    ctx.loader.resolve(pkg);
  } catch (err) {
    return { ok: false, reason: isPackageNotFound(err, pkg) ? `${pkg} is not installed` : `${pkg} cannot be resolved: ${errorMessage(err)}` };
  }
  let cuda: CudaCheck | undefined;
  if (name === 'tensorflow-gpu') {
    // Checked before loading: without these libraries the GPU build loads fine and silently uses the CPU.
    cuda = checkCudaLibraries(ctx.system);
    if (!cuda.ok) return { ok: false, reason: `${pkg} is installed, but the CUDA libraries are missing, so it would quietly run on the CPU: ${cuda.reason}` };
  }
  let mod: unknown;
  try {
    // Exactly what a user's `import '@tensorflow/tfjs-node'` does: load libtensorflow, register 'tensorflow'.
    mod = await ctx.loader.import(pkg);
  } catch (err) {
    if (isPackageNotFound(err, pkg)) return { ok: false, reason: `${pkg} is not installed` };
    return { ok: false, reason: loadFailure(pkg, err) };
  }
  ctx.nativeLoaded = name;
  if (tf.findBackendFactory('tensorflow') == null) {
    return { ok: false, reason: `${pkg} loaded but did not register the 'tensorflow' backend with this app's TensorFlow.js (a second copy of @tensorflow/tfjs-core installed under it?)` };
  }
  const failed = await activate('tensorflow', pkg);
  if (failed !== undefined) return { ok: false, reason: failed };

  const versions = { ...baseVersions() };
  const own = moduleExport<Record<string, string>>(mod, 'version')?.['tfjs-node'];
  if (own !== undefined) versions[pkg] = own;
  // libtensorflow sizes its thread pools to the logical cores unless told otherwise.
  const threads = os.availableParallelism();
  if (name === 'tensorflow') return { ok: true, reason: `${pkg} loaded libtensorflow`, threads, versions };

  const onGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
  if (onGpu === false) {
    const why = `${pkg} loaded, but TensorFlow found no usable GPU (driver, GPU model or CUDA version not accepted) and runs on the CPU`;
    if (ctx.forced) return { ok: false, reason: why };
    return { ok: true, reason: why, threads, versions, gpu: false, warnings: [why] };
  }
  return { ok: true, reason: `${pkg} loaded libtensorflow with CUDA (${cuda?.reason ?? 'libraries found'})`, threads, versions,
    ...(onGpu === undefined ? {} : { gpu: onGpu }) };
}
