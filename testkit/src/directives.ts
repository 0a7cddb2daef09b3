import { isFaultName, type FaultName, type FaultOptions } from './faults.js';

/**
 * Per-request overrides written in the last user message, e.g.
 * `[sim latency=200 tps=50 tokens=12 fault=cut after=2 retry_after=3]`. Any subset of keys works, in
 * any order. The directive stays in the message, so the echoed answer contains it too.
 */
export interface Directive {
  /** `latency=MS`: overrides the server's `latencyMs`. */
  latencyMs?: number;
  /** `tps=N`: overrides the server's `tokensPerSecond`. */
  tokensPerSecond?: number;
  /** `tokens=N`: the answer is exactly `w1 w2 ... wN`. */
  tokens?: number;
  /** `fault=NAME`: a fault for this request; it takes precedence over scripted faults. */
  fault?: FaultName;
  /** A `fault=` value that names no fault; the request is answered with a 400 saying so. */
  unknownFault?: string;
  /** Every other `key=value` (`after`, `retry_after`, `delay`, `overloaded`, ...) for the fault. */
  faultOptions: FaultOptions;
}

const DIRECTIVE_PATTERN = /\[sim((?:\s+[A-Za-z_]+=[^\s\]]*)*)\s*\]/;
const PAIR_PATTERN = /([A-Za-z_]+)=([^\s\]]*)/g;

/** Reads the first `[sim ...]` directive in a text; an empty directive when there is none. */
export function parseDirective(text: string): Directive {
  const directive: Directive = { faultOptions: {} };
  const match = DIRECTIVE_PATTERN.exec(text);
  if (!match) return directive;
  for (const [, rawKey = '', value = ''] of (match[1] ?? '').matchAll(PAIR_PATTERN)) {
    const key = rawKey.toLowerCase();
    const number = Number(value);
    const isNumber = value !== '' && Number.isFinite(number) && number >= 0;
    if (key === 'latency' && isNumber) directive.latencyMs = number;
    else if (key === 'tps' && isNumber) directive.tokensPerSecond = number;
    else if (key === 'tokens' && isNumber) directive.tokens = Math.floor(number);
    else if (key === 'fault') {
      if (isFaultName(value)) directive.fault = value;
      else directive.unknownFault = value;
    } else directive.faultOptions[key] = isNumber ? number : value;
  }
  return directive;
}
