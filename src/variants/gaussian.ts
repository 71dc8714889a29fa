/** Scalar densities shared by the variant families. */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log N(v; m, s²) = −(v − m)² / (2 s²) − log s − ½ log 2π. */
export function logNormal(v: number, m: number, s: number): number {
  const z = (v - m) / s;
  return -0.5 * z * z - Math.log(s) - HALF_LOG_2PI;
}

/** log of the uniform density on [low, high] at v: −log(high − low) inside, −Infinity outside. */
export function logUniform(v: number, low: number, high: number): number {
  return v >= low && v <= high ? -Math.log(high - low) : -Infinity;
}
