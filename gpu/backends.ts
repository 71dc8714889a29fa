/**
 * Loads a gpu.js backend and says plainly why when it cannot: a backend that is asked for and
 * missing throws BackendUnavailableError naming what is missing — never a silent fallback.
 *
 * - cpu: gpu.js's JavaScript backend (always there).
 * - webasm: gpu.js's WebAssembly backend (f32x4 SIMD); needs WebAssembly (Node has it).
 * - webgpu: gpu.js's WGSL backend over Dawn, the npm package `webgpu` (≥ 0.3; gpu.js 2.24 asks for
 *   0.2.9, whose binary needs a newer libstdc++ than Debian 12 has, so package.json pins a newer
 *   one through `overrides`). Without a GPU, Dawn runs on Mesa's software OpenGL ES (llvmpipe)
 *   through EGL's surfaceless platform in compatibility mode; gpu.js reaches it through a
 *   `navigator.gpu` shim installed here.
 * - headlessgl: gpu.js's WebGL 1 backend over the optional npm package `gl` (a native build) —
 *   it needs an X display (run under `xvfb-run -a`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BackendUnavailableError } from '../backends/errors.ts';
import { isInstalled, MissingPackageError } from '../src/optional.ts';

export const GPU_BACKENDS = ['cpu', 'webasm', 'webgpu', 'headlessgl'] as const;
export type GpuBackendName = (typeof GPU_BACKENDS)[number];

export function isGpuBackendName(name: string): name is GpuBackendName {
  return (GPU_BACKENDS as readonly string[]).includes(name);
}

/** The subset of gpu.js's kernel object the scorer uses. */
export interface GpuKernel {
  (...args: unknown[]): unknown;
  /** The kernel object that actually runs (gpu.js swaps it on a fallback). */
  readonly kernel: { readonly constructor: { readonly mode: string }; fallbackReason?: string | null };
  setOutput(output: number[]): GpuKernel;
  destroy(): void;
}

export interface KernelSettings {
  output: number[];
  pipeline: boolean;
}

/** A gpu.js instance bound to one backend. */
export interface LoadedBackend {
  readonly name: GpuBackendName;
  /** What executes the kernels, in words (for webgpu the adapter Dawn picked). */
  readonly device: string;
  createKernel(source: string, settings: KernelSettings): GpuKernel;
  /**
   * Largest size of one dimension of a kernel's output: GL backends keep outputs in textures
   * (MAX_TEXTURE_SIZE, 16384 here), webgpu dispatches 8×8 workgroups (≤ 65535 per dimension).
   */
  readonly maxOutputDim: number;
  /** An Input (flat typed array with its gpu.js dimensions [x, y, z]). */
  input(values: Float32Array, size: number[]): unknown;
  /**
   * The backend that really executed a kernel's last run, read from the kernel object gpu.js
   * actually ran: its class's `mode` ('cpu', 'webasm', 'webgpu'), except that every GL kernel class
   * says 'gpu', so those are told apart by class (headlessgl, webgl2, webgl).
   */
  executedMode(kernel: GpuKernel): string;
  destroy(): Promise<void>;
}

interface GpuInstance {
  createKernel(source: string, settings: Record<string, unknown>): GpuKernel;
  destroy(): unknown;
}
interface GpuJsModule {
  GPU: { new (settings: { mode: string }): GpuInstance; readonly isWebAssemblySupported: boolean };
  input(value: Float32Array, size: number[]): unknown;
  WebGPUContext: { destroy(): Promise<void> };
  HeadlessGLKernel: { readonly isSupported: boolean; readonly features: { readonly maxTextureSize: number } };
  WebGL2Kernel: unknown;
  WebGLKernel: unknown;
}
let gpuJsModule: GpuJsModule | null = null;

/** gpu.js, loaded on first use (it takes a few hundred ms; the CLI's reference path never pays it). */
async function gpuJs(): Promise<GpuJsModule> {
  if (gpuJsModule === null) {
    // An optional package: a library install of ahop leaves it out.
    if (!isInstalled('gpu.js')) throw new MissingPackageError('gpu.js', 'the gpu.js backends (ahop/gpu, --backend cpu|webasm|webgpu|headlessgl)');
    const m = (await import('gpu.js')) as unknown as { default?: GpuJsModule } & GpuJsModule;
    gpuJsModule = m.default ?? m;
  }
  return gpuJsModule;
}

function wrap(gpu: GpuJsModule, name: GpuBackendName, device: string, instance: GpuInstance, destroy: () => Promise<void>): LoadedBackend {
  return {
    name,
    device,
    maxOutputDim: name === 'headlessgl' ? gpu.HeadlessGLKernel.features.maxTextureSize : name === 'webgpu' ? 65535 * 8 : 2 ** 30,
    createKernel(source, settings) {
      return instance.createKernel(source, {
        ...settings,
        // gpu.js 2.24.1's cpu backend reuses a pipeline kernel's output arrays across calls without
        // resizing them when dynamicOutput changes the size (stale or missing rows); with nothing
        // to keep on a device, cpu kernels return fresh arrays instead.
        pipeline: name === 'cpu' ? false : settings.pipeline,
        // shapes change between calls (the kernels are cached by code, not by size)
        dynamicOutput: true,
        dynamicArguments: true,
        // float32 everywhere; highp on the GL backends
        precision: 'single',
        tactic: 'precision',
        // every generated loop has a literal bound of at most MAX_LOOP; this only guards
        loopMaxIterations: 1024,
        immutable: false,
      });
    },
    // gpu.js 2.24.1's cpu backend indexes an Input argument with the OUTPUT's width when
    // dynamicArguments is on (cpu/function-node.js), so on cpu the same data goes in as nested
    // row views (no copy), which it indexes correctly.
    input: (values, size) => (name === 'cpu' ? nestedViews(values, size) : gpu.input(values, size)),
    executedMode(kernel) {
      const ran: unknown = kernel.kernel.constructor;
      const mode = kernel.kernel.constructor.mode;
      if (mode !== 'gpu') return mode;
      if (ran === gpu.HeadlessGLKernel) return 'headlessgl';
      if (ran === gpu.WebGL2Kernel) return 'webgl2';
      if (ran === gpu.WebGLKernel) return 'webgl';
      return 'gpu (unknown GL kernel)';
    },
    destroy,
  };
}

/** Rows of a flat array as subarray views: [x] → the array, [x, y] → y rows, [x, y, z] → z × y rows. */
function nestedViews(values: Float32Array, size: number[]): Float32Array | Float32Array[] | Float32Array[][] {
  const [x, y = 1, z = 1] = size;
  const rows = (offset: number) => Array.from({ length: y }, (_, r) => values.subarray(offset + r * x, offset + (r + 1) * x));
  if (size.length <= 1) return values.subarray(0, x);
  if (size.length === 2) return rows(0);
  return Array.from({ length: z }, (_, p) => rows(p * x * y));
}

// ---------- webgpu through Dawn ----------

interface DawnAdapter {
  readonly info?: { readonly description?: string; readonly device?: string; readonly vendor?: string };
}
interface DawnGpu {
  requestAdapter(options?: Record<string, unknown>): Promise<DawnAdapter | null>;
}
interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

let webgpuReady: Promise<string> | null = null;

/**
 * Dawn's EGL and headless-gl's GLX (both Mesa underneath) cannot live in one process: once gl has
 * made a context, Dawn finds no adapter, and the other order dies of an X error. Remembered on
 * the process (not this module) so that re-evaluated modules still see it.
 */
const NATIVE_GL = Symbol.for('ahop.gpu.native-gl');
type NativeGl = 'dawn' | 'headless-gl';
function claimNativeGl(backend: GpuBackendName, want: NativeGl): void {
  const holder = globalThis as { [NATIVE_GL]?: NativeGl };
  const have = holder[NATIVE_GL];
  if (have !== undefined && have !== want) {
    throw new BackendUnavailableError(
      backend,
      `${have === 'dawn' ? 'Dawn (webgpu)' : 'headless-gl'} is already loaded in this process, and the two cannot share one (Mesa's EGL and GLX clash); use a separate process`,
    );
  }
  holder[NATIVE_GL] = want;
}

function describe(adapter: DawnAdapter, how: string): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.device, info.description].filter((s): s is string => typeof s === 'string' && s !== '');
  return `Dawn ${how}: ${parts.join(', ') || 'unnamed adapter'}`;
}

/**
 * Finds a Dawn adapter and installs `navigator.gpu` for gpu.js. Tries, in order: the flags in
 * AHOP_WEBGPU_FLAGS if set (comma-separated Dawn instance flags, e.g. `backend=vulkan`); Dawn's
 * default backend (Vulkan on Linux: a real GPU); then OpenGL ES in compatibility mode (Mesa's
 * llvmpipe through EGL surfaceless when there is no GPU).
 */
async function setUpWebGpu(): Promise<string> {
  claimNativeGl('webgpu', 'dawn');
  if (!isInstalled('webgpu')) throw new MissingPackageError('webgpu', 'the webgpu backend');
  let dawn: DawnModule;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (e) {
    throw new BackendUnavailableError(
      'webgpu',
      `the npm package "webgpu" (Dawn, version 0.3 or newer) did not load: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  // EGL reads this when Dawn's OpenGL ES backend opens it: without a display, only the
  // surfaceless platform has a (software) driver.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const env = process.env.AHOP_WEBGPU_FLAGS;
  const attempts: { flags: string[]; options: Record<string, unknown>; how: string }[] =
    env !== undefined && env !== ''
      ? [
          { flags: env.split(','), options: {}, how: `with ${env}` },
          { flags: env.split(','), options: { featureLevel: 'compatibility' }, how: `with ${env} (compatibility)` },
        ]
      : [
          // Dawn's default on Linux is Vulkan; without the Vulkan loader it only prints a warning.
          ...(hasVulkanLoader() ? [{ flags: [], options: {}, how: 'default backend' }] : []),
          { flags: ['backend=opengles'], options: { featureLevel: 'compatibility' }, how: 'OpenGL ES (compatibility)' },
        ];
  const tried: string[] = [];
  for (const attempt of attempts) {
    let instance: DawnGpu;
    let adapter: DawnAdapter | null;
    try {
      instance = dawn.create(attempt.flags);
      adapter = await instance.requestAdapter(attempt.options);
    } catch (e) {
      tried.push(`${attempt.how}: ${(e as Error).message}`);
      continue;
    }
    if (adapter === null) {
      tried.push(`${attempt.how}: no adapter`);
      continue;
    }
    const shim = {
      requestAdapter: (options?: Record<string, unknown>) => instance.requestAdapter({ ...options, ...attempt.options }),
      getPreferredCanvasFormat: () => 'rgba8unorm',
    };
    const nav = (globalThis as { navigator?: object }).navigator;
    if (nav === undefined) {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu: shim }, configurable: true, writable: true });
    } else {
      Object.defineProperty(nav, 'gpu', { value: shim, configurable: true, writable: true });
    }
    return describe(adapter, attempt.how);
  }
  throw new BackendUnavailableError(
    'webgpu',
    `Dawn found no adapter (${tried.join('; ')}); without a GPU it needs Mesa's EGL and GLES drivers ` +
      '(Debian: apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri) and EGL_PLATFORM=surfaceless',
  );
}

function hasVulkanLoader(): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== ''),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  return process.platform !== 'linux' || dirs.some((d) => existsSync(`${d}/libvulkan.so.1`));
}

// ---------- loader ----------

/** Loads a backend, or throws BackendUnavailableError saying what is missing. */
export async function loadBackend(name: GpuBackendName): Promise<LoadedBackend> {
  const gpu = await gpuJs();
  switch (name) {
    case 'cpu': {
      const instance = new gpu.GPU({ mode: 'cpu' });
      return wrap(gpu, name, 'JavaScript (gpu.js cpu kernels)', instance, async () => void instance.destroy());
    }
    case 'webasm': {
      if (!gpu.GPU.isWebAssemblySupported) throw new BackendUnavailableError(name, 'this JavaScript runtime has no WebAssembly');
      const instance = new gpu.GPU({ mode: 'webasm' });
      return wrap(gpu, name, 'WebAssembly with f32x4 SIMD (gpu.js webasm kernels)', instance, async () => void instance.destroy());
    }
    case 'webgpu': {
      webgpuReady ??= setUpWebGpu();
      let device: string;
      try {
        device = await webgpuReady;
      } catch (e) {
        webgpuReady = null;
        throw e;
      }
      const instance = new gpu.GPU({ mode: 'webgpu' });
      return wrap(gpu, name, device, instance, async () => {
        instance.destroy();
      });
    }
    case 'headlessgl': {
      const require = createRequire(import.meta.url);
      try {
        require.resolve('gl');
      } catch {
        throw new BackendUnavailableError(
          name,
          'the optional npm package "gl" (headless-gl) is not installed; it is a native build ' +
            '(docs/gpu.md: AHOP_GPU_SETUP_HEADLESSGL=1 bash .ci/gpu-setup.sh for the build tools and Xvfb, ' +
            'then npm install gl@8.1.6 with its install script allowed) and runs under xvfb-run -a',
        );
      }
      claimNativeGl(name, 'headless-gl');
      if (!gpu.HeadlessGLKernel.isSupported) {
        throw new BackendUnavailableError(
          name,
          'the npm package "gl" is installed but created no WebGL context: either it is not built (this project denies its ' +
            'install script, "allowScripts": { "gl": false }, to keep a 4-minute native build out of npm ci; docs/gpu.md says how ' +
            'to build it) or there is no X display (run under xvfb-run -a)',
        );
      }
      const instance = new gpu.GPU({ mode: 'headlessgl' });
      return wrap(gpu, name, 'headless-gl (WebGL 1 over the X server\'s OpenGL)', instance, async () => void instance.destroy());
    }
  }
}

/** Releases the process-wide WebGPU device (so Node can exit); a later webgpu load makes a new one. */
export async function releaseWebGpuDevice(): Promise<void> {
  if (gpuJsModule !== null) await gpuJsModule.WebGPUContext.destroy();
}
