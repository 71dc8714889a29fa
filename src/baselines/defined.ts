/**
 * Drops keys whose value is undefined, so `{ ...DEFAULTS, ...defined(options) }` keeps a default
 * when a caller passes `{ epochs: undefined }` (a plain spread would overwrite it with undefined).
 */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
