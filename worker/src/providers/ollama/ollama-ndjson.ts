import { upstreamTransportError } from '@ailb/shared';

/**
 * Parses a newline-delimited JSON body into one value per line. Network chunks do not respect line
 * (or even UTF-8 character) boundaries, so bytes are decoded in streaming mode and an incomplete line
 * waits for the next chunk. A final line without a trailing newline still counts.
 *
 * @throws GatewayError `upstream_malformed_response` for a line that is not JSON.
 */
export async function* parseNdjson(
  body: AsyncIterable<Uint8Array | string>,
  provider: string,
): AsyncGenerator<unknown, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  const parseLine = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw upstreamTransportError(provider, 'malformed', 'a stream line is not valid JSON');
    }
  };

  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== '') yield parseLine(line);
      newline = pending.indexOf('\n');
    }
  }
  const last = (pending + decoder.decode()).trim();
  if (last !== '') yield parseLine(last);
}
