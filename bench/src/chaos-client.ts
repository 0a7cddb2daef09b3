import { Agent, request } from 'node:http';

/*
 * The chaos run's client: sends one chat request to AILB and classifies what came back. The simulated
 * provider answers `[sim tokens=N]` with exactly `w1 … wN`, so a complete answer is recognisable and a
 * truncated one presented as complete is caught: every answer is `complete`, a clean `error` (an
 * OpenAI envelope, before or — for a stream — in-band after output) or `wrong` (a truncated success,
 * another text, a body that is neither). A request with no answer at all within its timeout is `lost`.
 */

export type Verdict = 'complete' | 'error' | 'wrong' | 'lost';

export interface Outcome {
  verdict: Verdict;
  status: number;
  /** The error code (clean errors), or what was wrong. */
  detail: string;
  retryAfter: string | undefined;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const expected = (tokens: number) => Array.from({ length: tokens }, (_unused, index) => `w${index + 1}`).join(' ');

/** A clean error body: OpenAI's envelope with a string message and code. */
function errorCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; code?: unknown } };
    return typeof body.error?.message === 'string' ? String(body.error.code ?? 'error') : undefined;
  } catch {
    return undefined;
  }
}

function classifyStream(text: string, tokens: number): { verdict: Verdict; detail: string } {
  const events = text.split('\n\n').map((event) => event.trim().replace(/^data: /, '')).filter(Boolean);
  const last = events.at(-1);
  let content = '';
  for (const event of events) {
    if (event === '[DONE]') continue;
    try {
      const chunk = JSON.parse(event) as { choices?: Array<{ delta?: { content?: string } }> };
      content += chunk.choices?.[0]?.delta?.content ?? '';
    } catch {
      return { verdict: 'wrong', detail: `unreadable event ${event.slice(0, 60)}` };
    }
  }
  if (last === '[DONE]') return content === expected(tokens) ? { verdict: 'complete', detail: '' } : { verdict: 'wrong', detail: `[DONE] after ${content.length} of ${expected(tokens).length} characters` };
  const code = last ? errorCode(last) : undefined;
  return code ? { verdict: 'error', detail: code } : { verdict: 'wrong', detail: 'stream ended without [DONE] or an error event' };
}

/** One chat request of `tokens` tokens at `tps` tokens per second; never rejects. */
export function chat(baseUrl: string, options: { stream: boolean; tokens: number; tps: number; timeoutMs: number }): Promise<Outcome> {
  const startedAt = performance.now();
  const url = new URL('/v1/chat/completions', baseUrl);
  const body = JSON.stringify({ model: 'sim-small', stream: options.stream, messages: [{ role: 'user', content: `[sim tokens=${options.tokens} tps=${options.tps}]` }] });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<Outcome, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, ms: performance.now() - startedAt });
    };
    const outgoing = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('error', () => finish({ verdict: 'wrong', status: response.statusCode ?? 0, detail: 'the answer broke off mid-body', retryAfter: undefined }));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const retryAfter = response.headers['retry-after'];
        if (status !== 200) {
          const code = errorCode(text);
          return finish(code ? { verdict: 'error', status, detail: code, retryAfter } : { verdict: 'wrong', status, detail: `status ${status} outside the envelope`, retryAfter });
        }
        if (options.stream) return finish({ status, retryAfter, ...classifyStream(text, options.tokens) });
        try {
          const content = (JSON.parse(text) as { choices?: Array<{ message?: { content?: string } }> }).choices?.[0]?.message?.content;
          finish(content === expected(options.tokens) ? { verdict: 'complete', status, detail: '', retryAfter } : { verdict: 'wrong', status, detail: 'another answer', retryAfter });
        } catch {
          finish({ verdict: 'wrong', status, detail: 'unreadable body', retryAfter });
        }
      });
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish({ verdict: 'lost', status: 0, detail: `no answer within ${options.timeoutMs} ms`, retryAfter: undefined });
    }, options.timeoutMs);
    outgoing.on('error', (error) => finish({ verdict: 'lost', status: 0, detail: error.message, retryAfter: undefined }));
    outgoing.end(body);
  });
}

/** Tally of outcomes: verdict → detail → count. */
export function tally(outcomes: readonly Outcome[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const { verdict, detail, status } of outcomes) {
    const key = verdict === 'complete' ? 'ok' : `${status} ${detail}`;
    (counts[verdict] ??= {})[key] = (counts[verdict]![key] ?? 0) + 1;
  }
  return counts;
}

export function closeClient(): void {
  agent.destroy();
}
