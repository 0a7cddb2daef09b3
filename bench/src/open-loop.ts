import { Agent, request } from 'node:http';
import { MOCK_CONTENT } from './mock-content.js';

/*
 * Child-process entry: an open-loop load generator. Requests are sent at evenly spaced scheduled times
 * whatever the answers do, and every latency is measured from the *scheduled* time, not from when the
 * request actually left: a stalled system cannot hide its stall by slowing the generator down
 * (no coordinated omission). Timer lateness (`sendLag`) is reported so it can be seen; it is the same
 * for every system and cancels out in "added latency" (system minus direct).
 *
 * Every answer is checked: status 200 and the mock's exact content (for streams: all chunks, and the
 * closing [DONE]); with `expect: 'search'`, a non-empty vector store search results page. It runs in its own process so its CPU is measured apart and its event loop is not
 * shared with the mock or the harness. Input: one JSON argument (OpenLoopOptions). Output: one JSON
 * line (OpenLoopResult) on stdout.
 */

export interface OpenLoopOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Request i sends bodies[i % length] instead of `body` (e.g. one question after another). */
  bodies?: string[];
  /** What an answer must be: the mock's chat answer (default) or a non-empty vector store search page. */
  expect?: 'chat' | 'search';
  /** Counts the values of this response header over the measured answers (e.g. x-ailb-context). */
  tallyHeader?: string;
  stream: boolean;
  /** Requests per second. */
  rate: number;
  /** Requests sent first at the same rate and left out of the result (JIT, connections, caches). */
  warmup: number;
  /** Measured requests. */
  count: number;
  timeoutMs: number;
}

export interface OpenLoopResult {
  msg: 'open-loop result';
  /** Non-streaming: scheduled send → whole answer. Streaming: scheduled send → first content token. */
  latencyMs: number[];
  /** Streaming only: scheduled send → end of the stream. */
  totalMs: number[];
  /** x-ailb-overhead-ms of each measured answer that had one. */
  overheadHeaderMs: number[];
  /** Measured answers per value of `tallyHeader` ('(none)' when absent). */
  headerTally: Record<string, number>;
  /** Actual send time minus scheduled time (timer lateness), measured requests. */
  sendLagMs: number[];
  failures: number;
  failureSamples: string[];
  /** CPU the generator used over the measured window. */
  cpuMs: number;
  /** CPU the generator process used in all (start-up and warm-up included). */
  processCpuMs: number;
  /** Wall time of the measured window. */
  seconds: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as OpenLoopOptions;
const target = new URL(options.url);
// Keep-alive and enough sockets that a slow answer never delays the next scheduled send.
const agent = new Agent({ keepAlive: true, maxSockets: 1024, scheduling: 'lifo' });
const bodies = options.bodies && options.bodies.length > 0 ? options.bodies : [options.body];
const headersOf = bodies.map((body) => ({ ...options.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }));
const total = options.warmup + options.count;
const interval = 1000 / options.rate;

const result: OpenLoopResult = { msg: 'open-loop result', latencyMs: [], totalMs: [], overheadHeaderMs: [], headerTally: {}, sendLagMs: [], failures: 0, failureSamples: [], cpuMs: 0, processCpuMs: 0, seconds: 0 };
let completed = 0;
let measuredStart: { wall: number; cpu: NodeJS.CpuUsage } | undefined;

function fail(reason: string): void {
  result.failures++;
  if (result.failureSamples.length < 5) result.failureSamples.push(reason.slice(0, 300));
}

/** Checks an SSE body incrementally; tells when the first non-empty content delta arrived. */
class StreamCheck {
  content = '';
  done = false;
  error = '';
  private pending = '';

  /** Feeds text; returns true when this text carried the first content. */
  feed(text: string): boolean {
    const hadContent = this.content.length > 0;
    this.pending += text;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trimEnd();
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') {
        this.done = true;
        continue;
      }
      try {
        const event = JSON.parse(data) as { choices?: Array<{ delta?: { content?: unknown } }>; error?: unknown };
        if (event.error !== undefined) this.error = JSON.stringify(event.error);
        const piece = event.choices?.[0]?.delta?.content;
        if (typeof piece === 'string') this.content += piece;
      } catch {
        this.error = `unparsable event: ${data.slice(0, 100)}`;
      }
    }
    return !hadContent && this.content.length > 0;
  }
}

function finish(): void {
  completed++;
  if (completed < total) return;
  const cpu = process.cpuUsage(measuredStart?.cpu);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  const all = process.cpuUsage();
  result.processCpuMs = (all.user + all.system) / 1000;
  result.seconds = measuredStart ? (performance.now() - measuredStart.wall) / 1000 : 0;
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

function send(index: number, scheduled: number): void {
  const measured = index >= options.warmup;
  if (index === options.warmup) measuredStart = { wall: scheduled, cpu: process.cpuUsage() };
  if (measured) result.sendLagMs.push(performance.now() - scheduled);
  let settled = false;
  const settle = (outcome: () => void) => {
    if (settled) return;
    settled = true;
    outcome();
    finish();
  };
  const outgoing = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: headersOf[index % bodies.length] }, (response) => {
    const overhead = response.headers['x-ailb-overhead-ms'];
    const tallied = options.tallyHeader ? String(response.headers[options.tallyHeader] ?? '(none)') : undefined;
    const check = options.stream ? new StreamCheck() : undefined;
    let text = '';
    let firstToken: number | undefined;
    response.setEncoding('utf8');
    response.on('data', (part: string) => {
      if (!check) text += part;
      else if (check.feed(part)) firstToken = performance.now();
      else if (response.statusCode !== 200) text += part;
    });
    response.on('error', (error) => settle(() => fail(`response error: ${error.message}`)));
    response.on('end', () => {
      const ended = performance.now();
      settle(() => {
        if (response.statusCode !== 200) return fail(`HTTP ${response.statusCode}: ${text}`);
        if (check) {
          if (check.error) return fail(`stream error: ${check.error}`);
          if (check.content !== MOCK_CONTENT || !check.done || firstToken === undefined) return fail(`incomplete stream: content ${JSON.stringify(check.content)}, [DONE] ${check.done}`);
        } else if (options.expect === 'search') {
          const problem = searchProblem(text);
          if (problem) return fail(problem);
        } else {
          let content: unknown;
          try {
            content = (JSON.parse(text) as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content;
          } catch {
            content = undefined;
          }
          if (content !== MOCK_CONTENT) return fail(`unexpected answer: ${text}`);
        }
        if (!measured) return;
        result.latencyMs.push(round((firstToken ?? ended) - scheduled));
        if (check) result.totalMs.push(round(ended - scheduled));
        if (typeof overhead === 'string' && overhead !== '') result.overheadHeaderMs.push(Number(overhead));
        if (tallied !== undefined) result.headerTally[tallied] = (result.headerTally[tallied] ?? 0) + 1;
      });
    });
  });
  outgoing.setTimeout(options.timeoutMs, () => outgoing.destroy(new Error(`no answer in ${options.timeoutMs} ms`)));
  outgoing.on('error', (error) => settle(() => fail(`request error: ${error.message}`)));
  outgoing.end(bodies[index % bodies.length]);
}

/** Why a search answer is not a non-empty `vector_store.search_results.page` (undefined when it is). */
function searchProblem(text: string): string | undefined {
  try {
    const page = JSON.parse(text) as { object?: unknown; data?: unknown[] };
    if (page.object === 'vector_store.search_results.page' && Array.isArray(page.data) && page.data.length > 0) return undefined;
  } catch {
    // reported below
  }
  return `unexpected search answer: ${text}`;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

// Scheduled times are fixed up front; each wake-up sends every request that is due, so a late timer
// makes requests late (recorded as lag) but never drops or postpones the schedule.
const start = performance.now() + 20;
let next = 0;
function tick(): void {
  const now = performance.now();
  while (next < total && start + next * interval <= now) {
    send(next, start + next * interval);
    next++;
  }
  if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
}
setTimeout(tick, 20);
// The whole run is bounded: schedule length plus one request timeout plus a margin.
setTimeout(() => {
  fail(`run did not finish: ${total - completed} requests outstanding`);
  completed = total - 1;
  finish();
}, (total / options.rate) * 1000 + options.timeoutMs + 5_000).unref();
