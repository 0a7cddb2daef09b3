import type { ChatCall, Prompt, ScanPolicy } from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport } from '@ailb/shared/runtime';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, bench, describe } from 'vitest';
import { buildApp } from '../src/app.js';
import { ScanStage } from '../src/chat/scan-stage.js';
import { scanPrompt } from '../src/scanning/prompt-scanner.js';
import { NEGATIVE_EXAMPLES, POSITIVE_EXAMPLES } from './support/prompt-scan-examples.js';
import { testAppConfig } from './support/test-app-config.js';

/*
 * CPU per call of the prompt scanner on typical prompts (`npx vitest bench --run gateway/test/prompt-scanner.bench.ts`).
 * Not part of the test suite: numbers to report, no assertions.
 */

const paragraph =
  'We are migrating our billing service from a monolith to separate services. The invoices module reads customer records, applies discounts and taxes by region, and writes PDF files to object storage. ';
const user = (text: string): Prompt => [
  { role: 'system', content: 'You are a helpful assistant. Answer concisely and cite the files you used.' },
  { role: 'user', content: [{ type: 'text', text }] },
];
const short = user('What is the capital of France?');
const typical = user(`${paragraph.repeat(4)}\nHow should we split the invoices module, and what should the first service be?`);
const long = user(paragraph.repeat(40));
const conversation: Prompt = [
  { role: 'system', content: 'You are a senior engineer reviewing code.' },
  ...Array.from({ length: 6 }, (_, index): Prompt[number][] => [
    { role: 'user', content: [{ type: 'text', text: `${paragraph} Question ${index}: ${NEGATIVE_EXAMPLES[index]}` }] },
    { role: 'assistant', content: [{ type: 'text', text: paragraph.repeat(2) }] },
  ]).flat(),
];
const silent = pino({ level: 'silent' });
const stage = new ScanStage('log');
const call = (prompt: Prompt): ChatCall => ({ specificationVersion: 1, prompt });
const subject = (prompt: Prompt) => ({ call: call(prompt), log: silent, setHeaders: () => undefined });

describe('prompt scanner', () => {
  bench(`short prompt (${JSON.stringify(short).length} B)`, () => void scanPrompt(short));
  bench(`typical prompt (${JSON.stringify(typical).length} B)`, () => void scanPrompt(typical));
  bench(`long prompt (${JSON.stringify(long).length} B)`, () => void scanPrompt(long));
  bench(`13-message conversation (${JSON.stringify(conversation).length} B)`, () => void scanPrompt(conversation));
  bench('ScanStage.inspect, typical prompt, no findings', () => void stage.inspect(subject(typical)));
  bench('one positive example (with findings)', () => void scanPrompt(user(POSITIVE_EXAMPLES[0]!.text)));
});

/** A whole plain chat request through app.inject() and a stand-in worker, without and with scanning. */
describe('plain chat through the gateway (typical prompt, no findings)', () => {
  const apps = new Map<ScanPolicy, Promise<FastifyInstance>>();
  const transports: InProcessTransport[] = [];
  const appFor = (policy: ScanPolicy) => {
    let app = apps.get(policy);
    if (!app) {
      const transport = new InProcessTransport(silent);
      transports.push(transport);
      const config = testAppConfig({ scanning: { policy } });
      const state = new InMemoryClusterState(config.routing);
      app = (async () => {
        await transport.consumer.consume('chat', (context) =>
          context.reply({ kind: 'result', servedBy: { provider: 'p', model: 'm', upstreamMs: 0 }, attempts: [], result: { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: null, response: { modelId: 'm' } } }),
        4);
        await state.heartbeat('worker', 'worker-1');
        return buildApp({ config, producer: transport.producer, state, traces: new InMemoryTraceStore(), logger: silent });
      })();
      apps.set(policy, app);
    }
    return app;
  };
  afterAll(async () => {
    for (const app of apps.values()) await (await app).close();
    for (const transport of transports) await transport.consumer.close();
  });
  const payload = JSON.stringify({ model: 'm', messages: [{ role: 'system', content: typical[0]!.content }, { role: 'user', content: (typical[1]!.content[0] as { text: string }).text }] });
  const chat = (policy: ScanPolicy) => async () => {
    const response = await (await appFor(policy)).inject({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, payload });
    if (response.statusCode !== 200) throw new Error(response.body);
  };
  bench('scanning off', chat('off'), { time: 2000 });
  bench('scanning log', chat('log'), { time: 2000 });
  bench('scanning off (again, for noise)', chat('off'), { time: 2000 });
  bench('scanning log (again, for noise)', chat('log'), { time: 2000 });
});
