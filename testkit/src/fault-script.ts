import { isFaultName, type ActiveFault, type FaultOptions, type ScriptedFault } from './faults.js';

interface QueuedFault {
  fault: ScriptedFault['fault'];
  remaining: number;
  model: string | undefined;
  options: FaultOptions;
}

/** Ollama treats `name` and `name:latest` as the same model, so fault filters do too. */
export function normalizeModelName(model: string): string {
  return model.endsWith(':latest') ? model.slice(0, -':latest'.length) : model;
}

/**
 * The queue behind `script()`: each request takes the first queued fault whose model filter matches,
 * so faults apply in the order they were scripted.
 */
export class FaultScript {
  private readonly queue: QueuedFault[] = [];

  /** Validates every entry first, so a bad list queues nothing. */
  add(faults: unknown): number {
    if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
    const validated = faults.map((entry, index) => validateScriptedFault(entry, index));
    this.queue.push(...validated);
    return validated.length;
  }

  /** Removes and returns the fault for a request for `model`, or null when none matches. */
  take(model: string): ActiveFault | null {
    const wanted = normalizeModelName(model);
    const index = this.queue.findIndex((entry) => entry.model === undefined || normalizeModelName(entry.model) === wanted);
    const entry = this.queue[index];
    if (entry === undefined) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue.splice(index, 1);
    return { name: entry.fault, options: entry.options };
  }

  clear(): void {
    this.queue.length = 0;
  }
}

function validateScriptedFault(entry: unknown, index: number): QueuedFault {
  if (entry === null || typeof entry !== 'object') throw new TypeError(`faults[${index}] must be an object`);
  const { fault, count, model, options } = entry as Record<string, unknown>;
  if (!isFaultName(fault)) throw new TypeError(`faults[${index}].fault: unknown fault ${JSON.stringify(fault)}`);
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
    throw new TypeError(`faults[${index}].count must be a positive integer`);
  }
  if (model !== undefined && typeof model !== 'string') throw new TypeError(`faults[${index}].model must be a string`);
  return { fault, remaining: count ?? 1, model, options: validateOptions(options, index) };
}

function validateOptions(options: unknown, index: number): FaultOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`faults[${index}].options must be an object`);
  }
  const validated: FaultOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (typeof value !== 'number' && typeof value !== 'string') {
      throw new TypeError(`faults[${index}].options.${key} must be a number or a string`);
    }
    validated[key] = value;
  }
  return validated;
}
