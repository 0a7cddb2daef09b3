/**
 * Prometheus metric names and their bounded label sets, declared once. Labels never carry user ids,
 * prompts or unresolved model names: `model` is a configured public name or `unknown`.
 */
export const metricNames = {
  httpRequests: { name: 'ailb_http_requests_total', help: 'HTTP requests answered by the gateway', labels: ['route', 'status'] },
  chatRequests: { name: 'ailb_chat_requests_total', help: 'Chat completion requests by outcome', labels: ['model', 'provider', 'stream', 'outcome'] },
  chatOverhead: { name: 'ailb_chat_overhead_seconds', help: 'Gateway and queue time added to the upstream call', labels: ['stream'] },
  upstreamLatency: { name: 'ailb_upstream_latency_seconds', help: 'Upstream call latency (first token for streams)', labels: ['provider', 'stream'] },
  tokens: { name: 'ailb_tokens_total', help: 'Tokens reported by providers', labels: ['provider', 'kind'] },
  contextRetrieval: { name: 'ailb_context_retrieval_seconds', help: 'Time chat requests waited for memory and RAG context', labels: ['outcome'] },
  contextInjected: { name: 'ailb_context_injected_total', help: 'Remembered turns and knowledge-base chunks put into chat requests', labels: ['kind'] },
  contextDegraded: { name: 'ailb_context_degraded_total', help: 'Chat requests answered without the memory or RAG context they asked for (embedder down or slow)', labels: [] },
  embeddingLatency: { name: 'ailb_embedding_seconds', help: 'Time to embed one batch of texts (queries or bulk work)', labels: ['model', 'priority'] },
  embeddingBatchSize: { name: 'ailb_embedding_batch_texts', help: 'Texts per embedding call', labels: ['model', 'priority'] },
  embedderQueueDepth: { name: 'ailb_embedder_queue_jobs', help: 'Jobs in an embedder queue by state', labels: ['queue', 'state'] },
  embedderQueueLag: { name: 'ailb_embedder_queue_lag_seconds', help: 'How long the oldest waiting job of an embedder queue has waited', labels: ['queue'] },
} as const;
