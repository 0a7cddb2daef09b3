import { GatewayError } from '@ailb/shared';
import { formatParam } from '@ailb/shared/openai-chat';
import secureJson from 'secure-json-parse';

/*
 * AILB's JSON body parser, in place of Fastify's: the same JSON, plus the checks a gateway needs before
 * anything walks the body recursively. A body nested thousands deep parses fine (V8's JSON.parse is
 * iterative) but overflows the stack of every recursive step after it — validation, JSON.stringify
 * into the queue — so the nesting is bounded at the edge with a 400 that names where. Keys that can
 * rewrite prototypes in JavaScript (`__proto__`, `constructor.prototype`) get a 400 that says so,
 * instead of Fastify's "could not parse" for a body that is valid JSON.
 */

/** The nesting depth of `text` (objects and arrays; the root object is 1), or `limit + 1` as soon as it exceeds `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      // Skip the string, escapes included.
      for (index++; index < length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c) index++;
        else if (inner === 0x22) break;
      }
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return deepest;
}

type Path = Array<string | number>;

/** The path of the first container nested deeper than `limit` in `value` (breadth of one branch at a time, no recursion). */
function deepPath(value: unknown, limit: number): Path {
  const stack: Array<{ value: unknown; path: Path }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= limit) return path;
    const entries: Array<[string | number, unknown]> = Array.isArray(current) ? current.map((item, index) => [index, item]) : Object.entries(current);
    for (const [key, item] of entries) stack.push({ value: item, path: [...path, key] });
  }
  return [];
}

/** The path of a `__proto__` key, or of a `constructor` key whose object has `prototype` (found by secure-json-parse; this names where). */
function prototypeKeyPath(value: unknown): Path | undefined {
  const stack: Array<{ value: unknown; path: Path }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    for (const key of Object.keys(current)) {
      const item = (current as Record<string, unknown>)[key];
      if (key === '__proto__') return [...path, key];
      if (key === 'constructor' && item !== null && typeof item === 'object' && Object.hasOwn(item, 'prototype')) return [...path, key, 'prototype'];
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}

/** How much of a deep path to name as `param`: enough to find the field, not 64 segments. */
const PARAM_SEGMENTS = 4;

/** Parses a JSON request body; throws a catalog 400 naming the problem. */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.trim() === '') throw new GatewayError('invalid_json', 'The request body is empty; expected a JSON object.');
  const tooDeep = jsonDepth(text, maxDepth) > maxDepth;
  let value: unknown;
  let prototypeKey = false;
  try {
    // Fastify's own choice: JSON.parse, then a scan for prototype keys only when a precise pattern
    // (escaped spellings included) says the text may hold one.
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    // Valid JSON that secure-json-parse refused holds such a key; otherwise the JSON itself is bad.
    try {
      value = JSON.parse(text);
      prototypeKey = true;
    } catch (error) {
      const detail = error instanceof SyntaxError ? ` (${error.message})` : '';
      throw new GatewayError('invalid_json', `We could not parse the JSON body of your request${detail}. Send a valid JSON object.`);
    }
  }
  if (tooDeep) {
    const path = deepPath(value, maxDepth);
    const param = formatParam(path.slice(0, PARAM_SEGMENTS)) || null;
    const where = param === null ? 'The request body' : `'${param}'${path.length > PARAM_SEGMENTS ? ' (further down)' : ''}`;
    throw new GatewayError('invalid_value', `${where} is nested deeper than ${maxDepth} levels of objects and arrays, the most this server accepts (server.json_max_depth / AILB_JSON_MAX_DEPTH).`, param === null ? {} : { param });
  }
  if (prototypeKey) {
    const param = formatParam(prototypeKeyPath(value) ?? []);
    throw new GatewayError('invalid_value', `Invalid key at '${param}': keys named '__proto__', and 'constructor' objects with a 'prototype', are refused because they can rewrite object prototypes; rename the key.`, { param });
  }
  return value;
}
