import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSplitCluster, type SplitCluster } from './support/split-cluster.js';

/*
 * Token limits as deployed: two gateway processes and a worker over one Redis, in front of the
 * simulated provider (which reports usage). A token rule binds both gateways together exactly; each
 * request reserves its estimate and settles to the provider's reported usage, streamed or not — seen
 * from outside through the next request's x-ratelimit-remaining-tokens.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('token limits across gateways (split mode)', () => {
  let cluster: SplitCluster;
  const urls: string[] = [];

  beforeAll(async () => {
    cluster = await startSplitCluster(
      [
        'rate_limits:',
        // Ten reservations of 1,000-1,040 tokens fit, an eleventh never does; an hour refills 3 a second.
        '  - { id: small-tokens, target: "model:sim-small", tokens_per_hour: 10500 }',
        // 86,400 a day: one token a second, so settlements show up exactly (within the seconds a test takes).
        '  - { id: large-tokens, target: "model:sim-large", tokens_per_day: 86400, requests_per_day: 1000 }',
      ],
      { tokensPerSecond: 2000 },
    );
    urls.push(...cluster.gateways.map((gateway) => gateway.url));
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  const client = (index: number) => new OpenAI({ baseURL: `${urls[index % urls.length]}/v1`, apiKey: 'unused', maxRetries: 0 });

  it('admits exactly 10 of 40 concurrent requests over both gateways when 10 estimates fill the bucket', async () => {
    const ask = (index: number) =>
      client(index)
        .chat.completions.create({ model: 'sim-small', max_tokens: 1000, messages: [{ role: 'user', content: '[sim latency=1500 tokens=3] hello' }] })
        .then(
          () => 200,
          (error: unknown) => (error instanceof OpenAI.APIError ? error.status : 0),
        );
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, index) => ask(index)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30);
  });

  /** One sim-large request through gateway `index`: its headers, the usage it reported, its text. */
  async function large(index: number, stream: boolean) {
    const body = { model: 'sim-large', max_tokens: 1000, messages: [{ role: 'user' as const, content: '[sim tokens=7] settle me' }] };
    if (!stream) {
      const { data, response } = await client(index).chat.completions.create(body).withResponse();
      return { headers: response.headers, used: data.usage!.prompt_tokens + data.usage!.completion_tokens };
    }
    const { data, response } = await client(index).chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }).withResponse();
    let used = 0;
    for await (const chunk of data) if (chunk.usage) used = chunk.usage.prompt_tokens + chunk.usage.completion_tokens;
    return { headers: response.headers, used };
  }
  const remaining = (headers: Headers) => Number(headers.get('x-ratelimit-remaining-tokens'));

  it('settles each request to its reported usage, streamed or not, seen by the other gateway', async () => {
    const first = await large(0, false);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('86400');
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('1000');
    const estimate = 86_400 - remaining(first.headers);
    // The prompt counted by the tokenizer plus max_tokens 1000.
    expect(estimate).toBeGreaterThan(1000);
    expect(estimate).toBeLessThan(1040);
    expect(first.used).toBeGreaterThan(0);
    expect(first.used).toBeLessThan(estimate);
    // Settlement is not awaited by the answer: give it a moment.
    await sleep(300);
    const start = Date.now();
    // Through the other gateway, streamed: the first request now counts its usage, not its estimate.
    const second = await large(1, true);
    expect(second.used).toBe(first.used);
    const refilled = Math.ceil((Date.now() - start) / 1000) + 1;
    expect(remaining(second.headers)).toBeGreaterThanOrEqual(86_400 - first.used - estimate);
    expect(remaining(second.headers)).toBeLessThanOrEqual(86_400 - first.used - estimate + refilled);
    await sleep(300);
    // And the streamed one settled too.
    const third = await large(0, false);
    expect(remaining(third.headers)).toBeGreaterThanOrEqual(86_400 - 2 * first.used - estimate);
    expect(remaining(third.headers)).toBeLessThanOrEqual(86_400 - 2 * first.used - estimate + refilled + 1);
  });

  it('settles a streamed request whose client did not ask for usage (AILB asks upstream itself)', async () => {
    const before = await large(0, false);
    await sleep(300);
    const start = Date.now();
    const stream = await client(1).chat.completions.create({ model: 'sim-large', max_tokens: 1000, stream: true, messages: [{ role: 'user', content: '[sim tokens=7] settle me' }] });
    for await (const chunk of stream) expect(chunk.usage ?? undefined).toBeUndefined();
    await sleep(300);
    const after = await large(0, false);
    // From `before`'s reservation to `after`'s: `before` settled (estimate − usage back), the stream
    // reserved and settled (usage taken), `after` reserved its estimate — a fall of twice the usage,
    // less the seconds of refill.
    const drop = remaining(before.headers) - remaining(after.headers);
    const refilled = Math.ceil((Date.now() - start) / 1000) + 1;
    expect(drop).toBeLessThanOrEqual(2 * before.used);
    expect(drop).toBeGreaterThanOrEqual(2 * before.used - refilled);
  });
});
