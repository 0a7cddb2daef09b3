import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const chatBody = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'Benchmark question with a few words' }] });

/** Drives a chat endpoint with autocannon; `rate` fixes requests/s (open loop), otherwise max throughput. */
export async function runLoad(url: string, model: string, options: { seconds: number; connections: number; rate?: number }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: chatBody(model),
    duration: options.seconds,
    connections: options.connections,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Percentile of a sample (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

export interface StreamSample {
  /** Request start to the last byte. */
  totalMs: number[];
  /** Request start to the first content token (streams) or to the whole body (non-streaming). */
  timeToFirstTokenMs: number[];
  overheadHeaderMs: number[];
  failures: number;
}

/**
 * Sends `count` requests evenly spaced at a fixed rate (open loop, unlike autocannon's per-connection
 * bursts) and measures time to the first content token; also collects
 * the gateway's own x-ailb-overhead-ms header when present.
 */
export async function sampleStreams(url: string, model: string, count: number, ratePerSecond: number, stream = true): Promise<StreamSample> {
  const sample: StreamSample = { totalMs: [], timeToFirstTokenMs: [], overheadHeaderMs: [], failures: 0 };
  const body = JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Benchmark question with a few words' }] });
  const pending: Array<Promise<void>> = [];
  for (let index = 0; index < count; index++) {
    pending.push(
      (async () => {
        const started = performance.now();
        try {
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body });
          const overhead = response.headers.get('x-ailb-overhead-ms');
          if (overhead !== null) sample.overheadHeaderMs.push(Number(overhead));
          const reader = response.body!.getReader();
          const decoder = new TextDecoder();
          let seen = '';
          let first: number | undefined;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            seen += decoder.decode(value, { stream: true });
            if (first === undefined && (seen.includes('"content":"H') || seen.includes('"content": "H') || !stream)) first = performance.now();
          }
          if (!response.ok || first === undefined) sample.failures++;
          else {
            sample.timeToFirstTokenMs.push(first - started);
            sample.totalMs.push(performance.now() - started);
          }
        } catch {
          sample.failures++;
        }
      })(),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000 / ratePerSecond));
  }
  await Promise.all(pending);
  return sample;
}
