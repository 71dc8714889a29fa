/** The CLI's exit codes. */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 3 } as const;
