import { upstreamTransportError } from '@ailb/shared';
import { MalformedEvents } from '../malformed-events.js';

/** A line that yields nothing (blank, or a malformed one skipped). */
const SKIPPED = Symbol('skipped');

/**
 * Parses a newline-delimited JSON body into one value per line. Network chunks do not respect line
 * (or even UTF-8 character) boundaries, so bytes are decoded in streaming mode and an incomplete line
 * waits for the next chunk. A final line without a trailing newline still counts.
 *
 * A line that is not JSON is skipped once (`onMalformedEvent` is told).
 *
 * @throws GatewayError `upstream_malformed_response` for a second such line in a row.
 */
export async function* parseNdjson(
  body: AsyncIterable<Uint8Array | string>,
  provider: string,
  onMalformedEvent?: () => void,
): AsyncGenerator<unknown, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  const malformed = new MalformedEvents(onMalformedEvent);
  let pending = '';
  const parseLine = (line: string): unknown => {
    try {
      const value: unknown = JSON.parse(line);
      malformed.read();
      return value;
    } catch {
      if (malformed.skip()) return SKIPPED;
      throw upstreamTransportError(provider, 'malformed', 'a stream line is not valid JSON');
    }
  };

  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      const value = line === '' ? SKIPPED : parseLine(line);
      if (value !== SKIPPED) yield value;
      newline = pending.indexOf('\n');
    }
  }
  const last = (pending + decoder.decode()).trim();
  const value = last === '' ? SKIPPED : parseLine(last);
  if (value !== SKIPPED) yield value;
}
