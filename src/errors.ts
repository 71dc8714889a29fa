/**
 * Typed errors raised at the public boundary. Each names the offending argument,
 * so a caller (or the CLI, which prints `message` and exits 2) can say what to fix.
 */
export class AhopError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An array has the wrong length, is ragged or empty, or two arrays disagree in size. */
export class ShapeError extends AhopError {}

/** A value lies outside its domain: NaN/±Infinity, σ ≤ 0, ρ ∉ [0,1), low ≥ high, weights not summing to 1. */
export class DomainError extends AhopError {}

/** A JSON document (model, variant spec, conformance file) is malformed, truncated or of the wrong type. */
export class ParseError extends AhopError {}
