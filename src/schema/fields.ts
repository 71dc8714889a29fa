/**
 * Field schemas shared by the JSON formats: finite numbers, vectors and matrices, and the
 * scalar-or-vector shape of per-dimension parameters (σ, bias). zod's number() already refuses
 * NaN and ±Infinity.
 */
import { z } from 'zod';

export const finite = () => z.number();
export const positive = () => z.number().positive();
export const vector = () => z.array(z.number()).min(1);
export const positiveVector = () => z.array(z.number().positive()).min(1);
export const matrix = () => z.array(vector()).min(1);

/** A per-dimension parameter: one number for every dimension, or a vector of length d. */
export const scalarOrVector = (what: string) =>
  z.union([finite(), vector()]).describe(`${what}: a number (the same for every dimension) or an array of d numbers (one per dimension)`);

/** A per-dimension positive parameter (σ): a number > 0, or a vector of length d of numbers > 0. */
export const positiveScalarOrVector = (what: string) =>
  z.union([positive(), positiveVector()]).describe(`${what}: a number > 0 (the same for every dimension) or an array of d numbers > 0 (one per dimension)`);
