import { SplitDeployment, startSimulatedProvider } from '@ailb/testkit';
import { percentile, runLoad, sampleStreams, type LoadResult } from './load.js';

/*
 * `npm run bench`: AILB in split mode (one gateway process, one worker process, real Redis) in front of
 * the simulated provider, against the simulated provider called directly. Loopback only, bounded in
 * time (about a minute and a half), and it stops everything it started.
 */
const MODEL = 'sim-small';
const SECONDS = 10;

const format = (result: LoadResult) =>
  `${result.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${result.p50.toFixed(2).padStart(6)} ms   p99 ${result.p99.toFixed(2).padStart(7)} ms   errors ${result.errors + result.non2xx}`;

async function main(): Promise<void> {
  const simulator = await startSimulatedProvider({ models: [MODEL] });
  const deployment = new SplitDeployment(`providers:\n  - { id: sim, type: openai, base_url: "${simulator.url}/v1", api_key: bench-key, models: [${MODEL}] }\n`, {
    AILB_WORKER_CONCURRENCY: '256',
  });
  try {
    const gateway = await deployment.startGateway();
    await deployment.startWorker();
    const gatewayUrl = `${gateway.url}/v1/chat/completions`;
    const directUrl = `${simulator.url}/v1/chat/completions`;

    console.log(`AILB benchmark — split mode over Redis, simulated provider, ${SECONDS}s per run, loopback only\n`);
    await runLoad(gatewayUrl, MODEL, { seconds: 2, connections: 10 }); // warm-up (JIT, connections)
    await runLoad(directUrl, MODEL, { seconds: 1, connections: 10 });

    const directFixed = await sampleStreams(directUrl, MODEL, 1000, 100, false);
    const gatewayFixed = await sampleStreams(gatewayUrl, MODEL, 1000, 100, false);
    const line = (sample: typeof directFixed) =>
      `p50 ${percentile(sample.totalMs, 0.5).toFixed(2).padStart(6)} ms   p99 ${percentile(sample.totalMs, 0.99).toFixed(2).padStart(7)} ms   failures ${sample.failures}`;
    console.log('Non-streaming, 1000 requests evenly spaced at 100 req/s');
    console.log(`  direct   ${line(directFixed)}`);
    console.log(`  gateway  ${line(gatewayFixed)}`);
    console.log(`  added latency p50 ${(percentile(gatewayFixed.totalMs, 0.5) - percentile(directFixed.totalMs, 0.5)).toFixed(2)} ms, p99 ${(percentile(gatewayFixed.totalMs, 0.99) - percentile(directFixed.totalMs, 0.99)).toFixed(2)} ms`);
    console.log(`  gateway-reported overhead (x-ailb-overhead-ms: gateway + queue, excluding the upstream call) p50 ${percentile(gatewayFixed.overheadHeaderMs, 0.5).toFixed(2)} ms   p99 ${percentile(gatewayFixed.overheadHeaderMs, 0.99).toFixed(2)} ms\n`);

    const directMax = await runLoad(directUrl, MODEL, { seconds: SECONDS, connections: 32 });
    const gatewayMax = await runLoad(gatewayUrl, MODEL, { seconds: SECONDS, connections: 32 });
    console.log('Non-streaming at maximum throughput (32 connections)');
    console.log(`  direct   ${format(directMax)}`);
    console.log(`  gateway  ${format(gatewayMax)}\n`);

    const directStream = await sampleStreams(directUrl, MODEL, 300, 50);
    const gatewayStream = await sampleStreams(gatewayUrl, MODEL, 300, 50);
    console.log('Streaming time to first token, 300 requests at 50 req/s');
    console.log(`  direct   p50 ${percentile(directStream.timeToFirstTokenMs, 0.5).toFixed(2)} ms   p99 ${percentile(directStream.timeToFirstTokenMs, 0.99).toFixed(2)} ms   failures ${directStream.failures}`);
    console.log(`  gateway  p50 ${percentile(gatewayStream.timeToFirstTokenMs, 0.5).toFixed(2)} ms   p99 ${percentile(gatewayStream.timeToFirstTokenMs, 0.99).toFixed(2)} ms   failures ${gatewayStream.failures}`);
    console.log(`  added TTFT p50 ${(percentile(gatewayStream.timeToFirstTokenMs, 0.5) - percentile(directStream.timeToFirstTokenMs, 0.5)).toFixed(2)} ms`);
    console.log(`  gateway-reported overhead p50 ${percentile(gatewayStream.overheadHeaderMs, 0.5).toFixed(2)} ms   p99 ${percentile(gatewayStream.overheadHeaderMs, 0.99).toFixed(2)} ms`);
  } finally {
    await deployment.close();
    await simulator.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
