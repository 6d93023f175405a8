// Why Dawn found no GPU adapter, in words a user can act on. On Linux Dawn reaches the GPU through the
// Vulkan loader (libvulkan.so.1, Debian's libvulkan1) and a driver's ICD manifest (a JSON file naming the
// driver library; NVIDIA's driver installs its own, Mesa's are in mesa-vulkan-drivers). GPU machines
// often lack the loader: Dawn then prints "Couldn't load Vulkan" to stderr and returns no adapter.
import * as path from 'node:path';
import { loaderSearchDirs, parseLdconfigCache, type SystemProbe } from './cudaLibs.js';

export const VULKAN_LOADER = 'libvulkan.so.1';
/** Where the Vulkan loader looks for ICD manifests on Linux (besides $VK_ICD_FILENAMES / $VK_DRIVER_FILES). */
export const VULKAN_ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];
/** ICDs Dawn refuses or that only emulate a GPU. */
const SOFTWARE_ICD = /lvp|lavapipe|llvmpipe|swiftshader/i;

export interface VulkanCheck {
  loader?: string;
  icds: string[];
  /** The ICD files named by $VK_ICD_FILENAMES / $VK_DRIVER_FILES, when set. */
  fromEnv?: string[];
}

export function checkVulkan(probe: SystemProbe): VulkanCheck {
  let loader: string | undefined;
  const cache = probe.ldconfigCache();
  if (cache !== undefined) loader = parseLdconfigCache(cache, probe.arch).get(VULKAN_LOADER);
  if (loader === undefined) {
    loader = loaderSearchDirs(probe).map((d) => path.posix.join(d, VULKAN_LOADER)).find((f) => probe.exists(f));
  }
  const envList = probe.env.VK_DRIVER_FILES ?? probe.env.VK_ICD_FILENAMES;
  if (envList !== undefined && envList.trim() !== '') {
    const files = envList.split(':').filter((f) => f !== '');
    return { ...(loader ? { loader } : {}), icds: files.filter((f) => probe.exists(f)), fromEnv: files };
  }
  const icds = VULKAN_ICD_DIRS.flatMap((d) => (probe.listDir(d) ?? []).filter((f) => f.endsWith('.json')).map((f) => path.posix.join(d, f)));
  return { ...(loader ? { loader } : {}), icds };
}

/** The message for "requestAdapter() gave null". */
export function diagnoseNoAdapter(probe: SystemProbe): string {
  const head = 'no WebGPU adapter';
  if (probe.platform === 'darwin') return `${head}: Metal offered no GPU (WebGPU needs macOS 11 or later on a Metal-capable Mac)`;
  if (probe.platform === 'win32') return `${head}: Direct3D 12 offered no GPU (update the GPU driver; WebGPU needs a D3D12-capable GPU)`;
  if (probe.platform !== 'linux') return `${head} on ${probe.platform}`;
  const vk = checkVulkan(probe);
  if (vk.loader === undefined) {
    return `${head}: the Vulkan loader ${VULKAN_LOADER} is not installed (not in \`ldconfig -p\` nor the library folders): install libvulkan1 (Debian/Ubuntu) or vulkan-loader, and your GPU's Vulkan driver`;
  }
  if (vk.fromEnv !== undefined && vk.icds.length === 0) {
    return `${head}: ${VULKAN_LOADER} is installed, but the Vulkan driver manifest(s) named by VK_ICD_FILENAMES/VK_DRIVER_FILES (${vk.fromEnv.join(', ')}) do not exist`;
  }
  if (vk.icds.length === 0) {
    return `${head}: ${VULKAN_LOADER} is installed but no Vulkan driver (ICD) is: none in ${VULKAN_ICD_DIRS.join(', ')}. Install your GPU's Vulkan driver (NVIDIA's driver ships its ICD, nvidia_icd.json; AMD and Intel: mesa-vulkan-drivers)`;
  }
  const names = vk.icds.map((f) => path.posix.basename(f));
  const software = names.filter((n) => SOFTWARE_ICD.test(n));
  const note = software.length === names.length ? ' (only software drivers, which Dawn refused or which are too old for it)' : '';
  return `${head}: ${VULKAN_LOADER} and Vulkan drivers (${names.join(', ')}) are installed, but none offered a GPU Dawn accepts${note}; check that the GPU's driver is loaded (e.g. \`vulkaninfo --summary\`) and that this process can open /dev/dri or /dev/nvidia*`;
}
