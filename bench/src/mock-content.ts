/*
 * What the mock upstream answers, shared by the mock (to send it) and the harness (to check that an
 * answer that came through a gateway really is the mock's, not an error dressed as a 200).
 */

export const MOCK_MODEL = 'bench-model';
/** The assistant text of every answer. */
export const MOCK_CONTENT = 'Hello from the bench mock upstream.';
/** The streamed answer: 8 content chunks that join to MOCK_CONTENT. */
export const MOCK_STREAM_PIECES = ['Hello', ' from', ' the', ' bench', ' mock', ' up', 'stream', '.'];

/** The chat request body every load generator sends (small, like a short chat turn). */
export function chatRequestBody(stream: boolean): string {
  const messages = [{ role: 'user', content: 'Benchmark question with a few words' }];
  return JSON.stringify(stream ? { model: MOCK_MODEL, messages, stream: true, stream_options: { include_usage: true } } : { model: MOCK_MODEL, messages });
}
