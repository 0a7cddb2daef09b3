import { SplitDeployment, startSimulatedProvider, type SimulatedProvider, type StartedProcess } from '@ailb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Durability: a worker SIGKILLed mid-request. Its job lock (2 s here) expires, another worker's stalled
 * check puts the job back, and that worker answers. A non-streaming client gets exactly one full answer;
 * a stream that had already started ends with an in-band error, never a cut answer marked complete.
 */
describe('a worker killed mid-request', () => {
  let simulator: SimulatedProvider;
  let deployment: SplitDeployment;
  let gatewayUrl: string;
  let current: StartedProcess;

  beforeAll(async () => {
    simulator = await startSimulatedProvider();
    deployment = new SplitDeployment(`providers:\n  - { id: oa, type: openai, base_url: "${simulator.url}/v1", api_key: sk-crash-test-key, models: [sim-small] }\n`, {
      AILB_WORKER_LOCK_MS: '2000',
      AILB_REQUEST_TIMEOUT_MS: '30000',
    });
    gatewayUrl = (await deployment.startGateway()).url;
    current = await deployment.startWorker();
  }, 60_000);

  afterAll(async () => {
    await deployment?.close();
    await simulator?.close();
  }, 30_000);

  /** Sends a request, and once the upstream call is under way kills the worker serving it. */
  async function askAndKill(content: string, stream: boolean): Promise<Response> {
    simulator.reset();
    const pending = fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-small', stream, messages: [{ role: 'user', content }] }),
    });
    // A stream has sent tokens to the worker (and on to the client); a whole answer is still being prepared.
    await simulator.waitFor((records) => records.some((record) => record.outcome === 'in_progress' && (!stream || record.tokensSent >= 1)), 10_000);
    // Kill first: starting a process can take seconds on a loaded machine, longer than the call.
    current.child.kill('SIGKILL');
    current = await deployment.startWorker();
    return pending;
  }

  it.each([1, 2])('non-streaming run %i: the request is re-run on another worker and answered once, in full', async (run) => {
    const question = `crash run ${run} [sim tps=3 tokens=12]`;
    const response = await askAndKill(question, false);
    expect(response.status).toBe(200);
    const completion = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(completion.choices[0]!.message.content).toBe('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12');
    expect(simulator.requests.map((record) => record.outcome)).toEqual(['aborted', 'completed']);
  }, 40_000);

  it('streaming: the client gets either the complete stream or an in-band error, never a cut stream with [DONE]', async () => {
    const response = await askAndKill('crash stream [sim tps=3 tokens=12]', true);
    expect(response.status).toBe(200);
    const events = (await response.text()).split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
    if (events.includes('[DONE]')) {
      // The worker died before relaying anything: the re-run's answer is the whole answer.
      expect(events.at(-1)).toBe('[DONE]');
      const text = events
        .slice(0, -1)
        .map((event) => (JSON.parse(event) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '')
        .join('');
      expect(text).toBe('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12');
    } else {
      // Part of the answer was relayed: it cannot be completed by a fresh one.
      expect((JSON.parse(events.at(-1)!) as { error: { code: string } }).error.code).toBe('reply_lost');
    }
  }, 40_000);

  it('a request whose workers die twice gets reply_lost at once, not at its deadline (30 s here)', async () => {
    simulator.reset();
    const startedAt = Date.now();
    const pending = fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-small', messages: [{ role: 'user', content: 'crash twice [sim tps=2 tokens=40]' }] }),
    });
    for (let run = 1; run <= 2; run++) {
      await simulator.waitFor((records) => records.length >= run && records[run - 1]!.outcome === 'in_progress', 15_000);
      current.child.kill('SIGKILL');
      current = await deployment.startWorker();
    }
    const response = await pending;
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('reply_lost');
    expect(Date.now() - startedAt).toBeLessThan(25_000);
  }, 40_000);
});
