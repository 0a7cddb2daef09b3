import { GatewayError } from '../../contracts/errors/gateway-error.js';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Formats a zod path the way OpenAI names params: `messages[0].content[1].type`. */
export function formatParam(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

/**
 * For a union, the branch that got furthest into the value explains the mistake best
 * (e.g. `content[0].type` rather than "expected string").
 */
function mostSpecific(issue: Issue): { issue: Issue; path: PropertyKey[] } {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    let best: { issue: Issue; path: PropertyKey[] } | undefined;
    for (const branch of issue.errors) {
      const first = branch[0];
      if (!first) continue;
      const candidate = mostSpecific(first);
      if (!best || candidate.path.length > best.path.length) best = candidate;
    }
    if (best) return { issue: best.issue, path: [...issue.path, ...best.path] };
  }
  return { issue, path: [...issue.path] };
}

const describeType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Turns the first zod issue of a request into an OpenAI-style 400 that names the offending param. */
export function validationError(error: z.ZodError, input: unknown): GatewayError {
  const { issue, path } = mostSpecific(error.issues[0]!);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const param = formatParam([...path, key]);
    return new GatewayError('unknown_parameter', `Unrecognized request argument supplied: ${param}`, { param });
  }
  // An issue at the root (e.g. a JSON array instead of an object) names the body, not a param.
  if (path.length === 0) {
    return new GatewayError('invalid_type', `Invalid request body: expected a JSON object, but got ${describeType(input)}.`);
  }
  const param = formatParam(path);
  const received = path.reduce<unknown>(
    (value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined),
    input,
  );
  switch (issue.code) {
    case 'invalid_type':
      if (received === undefined) return new GatewayError('missing_required_parameter', `Missing required parameter: '${param}'.`, { param });
      // JSON numbers beyond ±1.8e308 (`1e309`) parse to ±Infinity: a number, but not one zod accepts.
      if (typeof received === 'number' && !Number.isFinite(received)) {
        return new GatewayError('invalid_value', `Invalid value for '${param}': the number is out of range (it must be finite, within ±1.8e308).`, { param });
      }
      return new GatewayError('invalid_type', `Invalid type for '${param}': expected ${issue.expected}, but got ${describeType(received)}.`, { param });
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        return new GatewayError('invalid_value', `Invalid value for '${param}': ${issue.message}, got ${JSON.stringify(received)}.`, { param });
      }
      return new GatewayError('invalid_type', `Invalid type for '${param}': ${describeType(received)} is not accepted here.`, { param });
    case 'too_big':
      if (param === 'n') return new GatewayError('unsupported_value', `Unsupported value for 'n': only n=1 is supported.`, { param });
      return new GatewayError('invalid_value', `Invalid value for '${param}': ${issue.message}.`, { param });
    default:
      return new GatewayError('invalid_value', `Invalid value for '${param}': ${issue.message}.`, { param });
  }
}
