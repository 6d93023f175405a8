// The webgpu backend in tests: forced onto SwiftShader, the software Vulkan driver Debian's Chromium ships
// (there is no GPU on the machines the project is tested on). VK_ICD_FILENAMES must be set before Dawn
// creates its Vulkan instance, i.e. before the first selectBackend({ force: 'webgpu' }) of the process.
// When the ICD is missing the tests print why and skip; under CI=true they fail instead.
import { existsSync } from 'node:fs';
import { tf } from '../../core/tf.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Why webgpu tests cannot run here, or undefined when they can. */
export function webgpuUnavailable(): string | undefined {
  const icd = process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD;
  if (!existsSync(icd)) return `the Vulkan ICD ${icd} is missing (apt-get install chromium, which ships SwiftShader's ICD)`;
  process.env.VK_ICD_FILENAMES = icd;
  return undefined;
}

/** Call at the top of a test file: returns true to skip, printing why; throws under CI=true. */
export function skipWebgpuTests(file: string): boolean {
  const why = webgpuUnavailable();
  if (why === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`${file}: webgpu tests cannot run: ${why}`);
  console.warn(`${file}: SKIPPED, webgpu tests cannot run: ${why}`);
  return true;
}

/** Forces the webgpu backend (as ATSTUDIO_BACKEND=webgpu does); returns the choice. */
export async function useWebgpu() {
  const { selectBackend } = await import('../../core/backend/select.js');
  const choice = await selectBackend({ force: 'webgpu', env: {} });
  if (tf.getBackend() !== 'webgpu') throw new Error(`expected the webgpu backend, got ${tf.getBackend()}`);
  return choice;
}
