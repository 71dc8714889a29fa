/**
 * Selects a TensorFlow.js backend for the A-Hop op and says plainly why when it cannot: a backend
 * that is asked for and missing throws TfjsBackendUnavailableError naming what is missing — never
 * a silent fallback to another backend.
 *
 * - cpu: @tensorflow/tfjs-backend-cpu (plain JavaScript, float32).
 * - wasm: @tensorflow/tfjs-backend-wasm (XNNPACK compiled to WebAssembly, float32; SIMD when the
 *   runtime has it). In Node the package reads its .wasm binary from its own dist/ folder.
 *
 * tfjs-node is not used: it downloads a native library at install time. tfjs-backend-cpu prints a
 * banner ("install our node backend …") through console.warn the first time it stores a tensor
 * in Node; `useTfjsBackend('cpu')` switches that one-shot banner off on the backend it selects
 * (tfjs's own switch for all its warnings, `tf.enableProdMode()`, would silence every other
 * tfjs warning too).
 */
import * as tf from '@tensorflow/tfjs-core';
import { AhopError } from '../src/errors.ts';

export const TFJS_BACKENDS = ['cpu', 'wasm'] as const;
export type TfjsBackendName = (typeof TFJS_BACKENDS)[number];

/**
 * Whether `name` is a tfjs backend this package drives (cpu, wasm).
 *
 * @example
 * ```ts
 * import { isTfjsBackendName } from 'ahop/tfjs';
 * if (!isTfjsBackendName('wasm') || isTfjsBackendName('webgl')) throw new Error('cpu and wasm only');
 * ```
 */
export function isTfjsBackendName(name: string): name is TfjsBackendName {
  return (TFJS_BACKENDS as readonly string[]).includes(name);
}

/** A tfjs backend was asked for and cannot run here; `missing` says what to install. */
export class TfjsBackendUnavailableError extends AhopError {
  constructor(
    readonly backend: string,
    readonly missing: string,
  ) {
    super(`backend "tfjs-${backend}" is unavailable: ${missing}`);
  }
}

const PACKAGE: Record<TfjsBackendName, string> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

async function registerBackend(name: TfjsBackendName): Promise<void> {
  if (tf.findBackendFactory(name) !== null) return;
  try {
    await import(PACKAGE[name]);
  } catch (e) {
    throw new TfjsBackendUnavailableError(
      name,
      `the npm package "${PACKAGE[name]}" (version ${tf.version_core}, matching @tensorflow/tfjs-core) did not load: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (tf.findBackendFactory(name) === null) {
    throw new TfjsBackendUnavailableError(
      name,
      `"${PACKAGE[name]}" loaded but registered no "${name}" backend with this copy of @tensorflow/tfjs-core (two copies of tfjs-core installed?)`,
    );
  }
}

/**
 * Makes `name` the active tfjs backend (registering its package on first use) and returns it.
 * Throws TfjsBackendUnavailableError when the package is missing or the backend fails to start.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { useTfjsBackend } from 'ahop/tfjs';
 * await useTfjsBackend('cpu');
 * if (tf.getBackend() !== 'cpu') throw new Error('the active backend is cpu');
 * ```
 */
export async function useTfjsBackend(name: string): Promise<TfjsBackendName> {
  if (!isTfjsBackendName(name)) {
    throw new TfjsBackendUnavailableError(name, `unknown tfjs backend; choose one of ${TFJS_BACKENDS.join(', ')}`);
  }
  await registerBackend(name);
  let ok: boolean;
  let why = '';
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    ok = false;
    why = `: ${(e as Error).message.split('\n')[0]}`;
  }
  if (!ok || tf.getBackend() !== name) {
    const need = name === 'wasm' ? 'WebAssembly support and the .wasm files of @tensorflow/tfjs-backend-wasm (see setWasmPaths)' : 'a working tfjs-backend-cpu';
    throw new TfjsBackendUnavailableError(name, `tfjs could not initialise it (needs ${need})${why}`);
  }
  if (name === 'cpu') {
    // The banner is printed on the backend's first write when `firstUse` is still set.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  return name;
}
