/**
 * Validation of JSON input against a zod schema, reported with the project's typed errors. The
 * schema objects are the single description of each format: they check input at run time and
 * generate the JSON Schemas in schemas/ (`npm run schemas`). The first problem found is reported,
 * with the path of the offending input (`variant.components[1].variant.sigma[2]`).
 */
import type { z } from 'zod';
import { DomainError, ParseError, ShapeError, type AhopError } from '../errors.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** `where` followed by the path: numbers as `[i]`, keys as `.key`. */
export function formatPath(where: string, path: Path): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}.${String(k)}`), where);
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return typeof v;
}

function isArrayIssue(issue: Issue): boolean {
  return (issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'array';
}

/** One issue as a typed error: a missing field or a wrong kind of document is a ParseError, a wrong length a ShapeError, a bad number a DomainError. */
function toError(issue: Issue, input: unknown, where: string, base: Path = []): AhopError {
  const path = [...base, ...issue.path];
  const at = formatPath(where, path);
  const got = valueAt(input, path);
  if (got === undefined && issue.code !== 'unrecognized_keys' && path.length > 0) {
    return new ParseError(`${at} is missing (${formatPath(where, path.slice(0, -1))} needs the field "${String(path[path.length - 1])}")`);
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return new ParseError(`${at} has unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`);
    }
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        const options = 'options' in issue && Array.isArray(issue.options) ? ` (one of ${issue.options.join(', ')})` : '';
        return new ParseError(`${at} must be a known value${options}, got ${describe(got)}`);
      }
      // A scalar-or-vector field: report the branch that matches the input's kind (number or array).
      const branch = issue.errors.find((errs) => errs.length > 0 && !(errs[0].code === 'invalid_type' && errs[0].path.length === 0));
      if (branch !== undefined) return toError(branch[0], input, where, path);
      const expected = issue.errors.map((errs) => (errs[0]?.code === 'invalid_type' ? errs[0].expected : 'value'));
      const error = expected.includes('array') ? ShapeError : DomainError;
      return new error(`${at} must be a ${expected.join(' or an ')}, got ${describe(got)}`);
    }
    case 'invalid_type':
      if (issue.expected === 'array' || issue.expected === 'tuple') return new ShapeError(`${at} must be an array, got ${describe(got)}`);
      if (issue.expected === 'number' || issue.expected === 'int') {
        return new DomainError(`${at} must be a finite number, got ${describe(got)}`);
      }
      return new ParseError(`${at} must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, got ${describe(got)}`);
    case 'too_small':
    case 'too_big':
      if (isArrayIssue(issue)) return new ShapeError(`${at} ${issue.message.replace(/^Too (small|big): expected array to have /, 'must have ')}, got length ${Array.isArray(got) ? got.length : '?'}`);
      return new DomainError(`${at} must be ${issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}, got ${describe(got)}`);
    case 'invalid_value':
      return new ParseError(`${at} must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe(got)}`);
    default:
      return new DomainError(`${at}: ${issue.message}`);
  }
}

/**
 * Parses `value` with `schema`; on failure throws the first issue as a ParseError, ShapeError or
 * DomainError whose message starts with the path of the bad input under `where`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { parseWith } from './parse.ts';
 * if (parseWith(z.strictObject({ sigma: z.number() }), { sigma: 1 }, 'variant').sigma !== 1) throw new Error('a valid value passes');
 * let message = '';
 * try { parseWith(z.strictObject({ sigma: z.number() }), { sigma: 1, s: 2 }, 'variant'); } catch (e) { message = (e as Error).message; }
 * if (!message.includes('"s"')) throw new Error('an unknown field is named');
 * ```
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw toError(r.error.issues[0], value, where);
}
