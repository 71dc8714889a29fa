/**
 * Optional peer dependencies: the packages only the experiments (`ahop reproduce`, `ahop/experiments`),
 * the gpu.js backends (`ahop/gpu`) and the tfjs backend need. A library install of `ahop` leaves them out; code that
 * needs one loads it on use and, when it is missing, throws MissingPackageError naming the package
 * and the command that installs it (the CLI prints the message and exits 2).
 */
import { createRequire } from 'node:module';
import { AhopError } from './errors.ts';

/** Each optional package with the version range this package is tested with (package.json `peerDependencies`). */
export const OPTIONAL_PACKAGES = {
  'gpu.js': '^2.24.1',
  webgpu: '^0.3.10',
  mnist: '^1.1.0',
  vega: '^6.4.0',
  'vega-lite': '^6.4.3',
  'ml-logistic-regression': '^2.0.0',
  'ml-matrix': '^6.15.1',
  'ml-random-forest': '^2.1.0',
  '@tensorflow/tfjs-core': '^4.22.0',
  '@tensorflow/tfjs-backend-cpu': '^4.22.0',
  '@tensorflow/tfjs-backend-wasm': '^4.22.0',
  '@tensorflow/tfjs-layers': '^4.22.0',
} as const;
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** An optional package that `feature` needs is not installed. */
export class MissingPackageError extends AhopError {
  readonly install: string;
  constructor(
    readonly packageName: OptionalPackage,
    readonly feature: string,
  ) {
    const install = `npm install ${packageName}@${OPTIONAL_PACKAGES[packageName]}`;
    super(`${feature} needs the optional package "${packageName}", which is not installed: run \`${install}\``);
    this.install = install;
  }
}

const require = createRequire(import.meta.url);

/** Whether `name` resolves from here (without loading it). */
export function isInstalled(name: OptionalPackage): boolean {
  try {
    require.resolve(name);
    return true;
  } catch (e) {
    // Installed, but with no entry for require(): an ESM-only package (vega) is still there.
    return (e as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

/** Throws MissingPackageError for the first of `names` that is not installed. */
export function requirePackages(feature: string, names: readonly OptionalPackage[]): void {
  for (const name of names) if (!isInstalled(name)) throw new MissingPackageError(name, feature);
}

/** Loads a CommonJS optional package synchronously, or throws MissingPackageError. */
export function requireOptional<T>(name: OptionalPackage, feature: string): T {
  requirePackages(feature, [name]);
  return require(name) as T;
}

/** Loads an optional package (`load` is `() => import('name')`, so types follow), or throws MissingPackageError. */
export async function importOptional<T>(name: OptionalPackage, feature: string, load: () => Promise<T>): Promise<T> {
  requirePackages(feature, [name]);
  return load();
}

/** The optional packages `ahop reproduce` and `ahop/experiments` need. */
export const EXPERIMENT_PACKAGES: readonly OptionalPackage[] = ['mnist', 'vega', 'vega-lite', 'ml-logistic-regression', 'ml-matrix', 'ml-random-forest'];
