import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { MalformedEvents } from '../malformed-events.js';
import { openAIStreamError, type OpenAIErrorContext } from './map-openai-error.js';
import type { OpenAIWireChunk } from './openai-stream-parts.js';

/**
 * Reads an OpenAI server-sent event stream into chunk objects, as the official SDK does: each `data:`
 * is one JSON chunk, `[DONE]` ends the stream, a chunk carrying `error` (or an `error` event) is the
 * server failing mid-stream and throws its classified error. Data that is not JSON is skipped once
 * (`onMalformedEvent` is told); a second such event in a row throws a SyntaxError (a malformed answer). SSE framing (lines split across network chunks, comments, CRLF) is
 * the parser's job: `eventsource-parser`, the spec-compliant parser the SDKs' ecosystem uses.
 */
export async function* readOpenAIEvents(body: AsyncIterable<Buffer | string>, context: OpenAIErrorContext, onMalformedEvent?: () => void): AsyncGenerator<OpenAIWireChunk, void, undefined> {
  const malformed = new MalformedEvents(onMalformedEvent);
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    parser.feed(typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true }));
    for (const event of events.splice(0)) {
      if (event.data === '[DONE]') return;
      let chunk: OpenAIWireChunk & { error?: unknown };
      try {
        chunk = JSON.parse(event.data) as OpenAIWireChunk & { error?: unknown };
      } catch (error) {
        // An error event is the server failing, readable or not; other unreadable data is skipped once.
        if (event.event === 'error') throw openAIStreamError(context, event.data);
        if (malformed.skip()) continue;
        throw error;
      }
      malformed.read();
      if (event.event === 'error' || (chunk !== null && typeof chunk === 'object' && chunk.error !== undefined && chunk.error !== null)) {
        throw openAIStreamError(context, chunk?.error ?? chunk);
      }
      yield chunk;
    }
  }
}
