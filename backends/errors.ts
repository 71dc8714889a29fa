/** The error every backend family throws when it is asked for and cannot run here. */
import { AhopError } from '../src/errors.ts';

/** A backend was asked for and cannot run here; `missing` says what to install or set. */
export class BackendUnavailableError extends AhopError {
  constructor(
    readonly backend: string,
    readonly missing: string,
  ) {
    super(`backend "${backend}" is unavailable: ${missing}`);
  }
}
