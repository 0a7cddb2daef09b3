import { upstreamTransportError } from '@ailb/shared';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { MalformedEvents } from '../malformed-events.js';
import { anthropicStreamError, type AnthropicErrorContext } from './map-anthropic-error.js';

/**
 * Reads Anthropic's server-sent event stream into its raw events, as the official SDK did: events
 * without an `event:` name and `ping`s are skipped, so is an event with empty data; `event: error` is
 * the server failing mid-stream and throws its classified error; data that is not JSON is skipped once
 * (`onMalformedEvent` is told), a second such event in a row throws `upstream_malformed_response`. An event left unterminated when the body ends is dropped, as the SDK
 * dropped it (the stream conversion then reports a truncated answer). SSE framing (lines split across
 * network chunks, CRLF, comments, a BOM) is `eventsource-parser`'s job.
 *
 * @param body - The response body; bytes are decoded as UTF-8, characters split across chunks included.
 */
export async function* readAnthropicEvents(
  body: AsyncIterable<Uint8Array | string>,
  context: AnthropicErrorContext,
  onMalformedEvent?: () => void,
): AsyncGenerator<RawMessageStreamEvent, void, undefined> {
  const malformed = new MalformedEvents(onMalformedEvent);
  const events: EventSourceMessage[] = [];
  // The parser calls back synchronously inside feed(); events are yielded after it returns.
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (events.length === 0) continue;
    for (const event of events.splice(0)) {
      if (event.event === undefined || event.event === 'ping') continue;
      if (event.event === 'error') throw anthropicStreamError(context, event.data);
      if (event.data === '') continue;
      const parsed = parseEvent(event.data);
      if (parsed === MALFORMED) {
        if (malformed.skip()) continue;
        throw upstreamTransportError(context.provider, 'malformed', 'the response is not valid JSON', [context.apiKey]);
      }
      malformed.read();
      yield parsed;
    }
  }
}

const MALFORMED = Symbol('malformed');

function parseEvent(data: string): RawMessageStreamEvent | typeof MALFORMED {
  try {
    return JSON.parse(data) as RawMessageStreamEvent;
  } catch {
    return MALFORMED;
  }
}
