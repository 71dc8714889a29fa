/**
 * The tolerance the float32 tfjs backends state in the conformance files they write, kept apart
 * from the op so that the backend registry (backends/tfjs.ts) can name it without loading tfjs.
 */
import type { Tolerance } from '../src/conformance/format.ts';

/** |got − expected| ≤ abs + rel·|expected| against the float64 reference (float32: u = 2⁻²⁴ ≈ 6e-8). */
export const TFJS_FLOAT32_TOLERANCE: Tolerance = { rel: 1e-4, abs: 1e-5 };
