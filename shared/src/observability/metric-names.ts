/** Prometheus metric names and their bounded label sets, declared once for every process. */
export const metricNames = {
  httpRequests: { name: 'ailb_http_requests_total', help: 'HTTP requests answered by the gateway', labels: ['route', 'status'] },
  chatRequests: { name: 'ailb_chat_requests_total', help: 'Chat completion requests by outcome', labels: ['model', 'provider', 'stream', 'outcome'] },
  chatOverhead: { name: 'ailb_chat_overhead_seconds', help: 'Gateway and queue time added to the upstream call', labels: ['stream'] },
  upstreamLatency: { name: 'ailb_upstream_latency_seconds', help: 'Upstream call latency (first token for streams)', labels: ['provider', 'stream'] },
  upstreamAttempts: { name: 'ailb_upstream_attempts_total', help: 'Upstream attempts by outcome', labels: ['provider', 'outcome'] },
  tokens: { name: 'ailb_tokens_total', help: 'Tokens reported by providers', labels: ['provider', 'kind'] },
} as const;
