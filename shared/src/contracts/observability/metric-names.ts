/**
 * Prometheus metric names and their bounded label sets, declared once. Labels never carry user ids,
 * prompts or unresolved model names: `model` is a configured public name or `unknown`.
 */
export const metricNames = {
  httpRequests: { name: 'ailb_http_requests_total', help: 'HTTP requests answered by the gateway', labels: ['route', 'status'] },
  httpRequestsInFlight: { name: 'ailb_http_requests_in_flight', help: 'HTTP requests received and not yet answered in full', labels: [] },
  httpConnections: { name: 'ailb_http_connections', help: 'Open client connections to the HTTP listener', labels: [] },
  httpConnectionsTotal: { name: 'ailb_http_connections_total', help: 'Client connections accepted by the HTTP listener', labels: [] },
  httpReceivedBytes: { name: 'ailb_http_received_bytes_total', help: 'Bytes read from client connections (headers and bodies)', labels: [] },
  httpSentBytes: { name: 'ailb_http_sent_bytes_total', help: 'Bytes written to client connections (headers and bodies)', labels: [] },
  chatResponse: { name: 'ailb_chat_response_seconds', help: 'From a chat request\'s arrival to the start of its answer (first token for streams)', labels: ['stream'] },
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
  desiredInstances: { name: 'ailb_desired_instances', help: 'Gateways the deployment should run, as computed by the last Scale call (AILB starts no processes: an autoscaler acts on this)', labels: [] },
  scalingMinInstances: { name: 'ailb_scaling_min_instances', help: 'Scale: min_instances', labels: [] },
  scalingMaxInstances: { name: 'ailb_scaling_max_instances', help: 'Scale: max_instances', labels: [] },
  scalingTargetCpuPercent: { name: 'ailb_scaling_target_cpu_percent', help: 'Scale: target_cpu_percent (0: not set)', labels: [] },
  scalingTargetMemoryPercent: { name: 'ailb_scaling_target_memory_percent', help: 'Scale: target_memory_percent (0: not set)', labels: [] },
  scalingTargetConnections: { name: 'ailb_scaling_target_connections', help: 'Scale: target_connections per gateway (0: not set)', labels: [] },
  scalingScaleUpThreshold: { name: 'ailb_scaling_scale_up_threshold', help: 'Scale: scale_up_threshold percent (0: not set)', labels: [] },
  scalingScaleDownThreshold: { name: 'ailb_scaling_scale_down_threshold', help: 'Scale: scale_down_threshold percent (0: not set)', labels: [] },
  scalingCooldownSeconds: { name: 'ailb_scaling_cooldown_seconds', help: 'Scale: cooldown_seconds', labels: [] },
  scalingAutoEnabled: { name: 'ailb_scaling_auto_enabled', help: 'Scale: auto_scaling_enabled (1 or 0)', labels: [] },
  trafficWeight: { name: 'ailb_traffic_weight', help: 'Blue/green weight per version (0-100; normalized over the versions that can take traffic)', labels: ['version'] },
  promptScanFindings: { name: 'ailb_prompt_scan_findings_total', help: 'Prompt scanner findings by kind (injection, smuggling, credential) and the action the policy took (log, redact, block)', labels: ['kind', 'action'] },
  rateLimitDecisions: { name: 'ailb_rate_limit_decisions_total', help: 'Requests a rate-limit rule applied to, by outcome: allowed, limited (429), error (the shared state failed; the request was let through)', labels: ['outcome'] },
  httpRequestDuration: { name: 'ailb_http_request_duration_seconds', help: 'HTTP request duration from arrival to the last byte of the answer, by route pattern and status', labels: ['route', 'status'] },
  cost: { name: 'ailb_cost_usd_total', help: 'Cost of served requests in US dollars, as priced by the ledger', labels: ['model', 'provider'] },
  genAiTokenUsage: { name: 'gen_ai_client_token_usage', help: 'Tokens per upstream call as reported by the provider (OpenTelemetry gen_ai.client.token.usage)', labels: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_token_type'] },
  genAiRequestDuration: { name: 'gen_ai_server_request_duration_seconds', help: 'Upstream call duration per attempt, to the last token (OpenTelemetry gen_ai.server.request.duration); error_type set on failed attempts', labels: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'error_type'] },
  genAiTimeToFirstToken: { name: 'gen_ai_server_time_to_first_token_seconds', help: 'Time to the first output token of successful streamed upstream calls (OpenTelemetry gen_ai.server.time_to_first_token)', labels: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'] },
  chatQueueDepth: { name: 'ailb_chat_queue_jobs', help: 'Jobs in the chat queue (version lanes included) by state', labels: ['state'] },
  chatQueueLag: { name: 'ailb_chat_queue_lag_seconds', help: 'How long the oldest waiting chat job has waited', labels: [] },
  chatQueueWait: { name: 'ailb_chat_queue_wait_seconds', help: 'Time chat jobs waited in the queue, from enqueue by a gateway to pickup by a worker', labels: ['priority'] },
  targetInFlight: { name: 'ailb_target_attempts_in_flight', help: 'Upstream attempts this worker is running now, per target', labels: ['provider', 'model'] },
  circuitState: { name: 'ailb_circuit_state', help: 'Circuit breaker of each target as shared by the cluster: 0 closed, 1 half-open, 2 open', labels: ['provider', 'model'] },
  retries: { name: 'ailb_retries_total', help: 'Attempts retried on the same target after a retryable failure', labels: ['provider', 'reason'] },
  failovers: { name: 'ailb_failovers_total', help: 'Moves from a failed target to the next target of the plan', labels: ['provider', 'reason'] },
  hedges: { name: 'ailb_hedges_total', help: 'Attempts started in parallel because a target produced no first token within hedge_after_ms, by the slow target', labels: ['provider'] },
  streamContinuations: { name: 'ailb_stream_continuations_total', help: 'Streams that broke after sending output and were handed to the next target to continue, by the target that broke', labels: ['provider', 'reason'] },
  streamMalformedEvents: { name: 'ailb_stream_malformed_events_total', help: 'Unreadable stream events skipped (a single one in an otherwise valid stream)', labels: ['provider'] },
} as const;

/**
 * prom-client's default gauges whose names end in `_total`, a suffix Prometheus reserves for counters
 * (`promtool check metrics` flags them): removed after `collectDefaultMetrics`; the same numbers are
 * exported without the suffix (`ailb_nodejs_active_handles`, …).
 */
export const misnamedDefaultMetrics = ['ailb_nodejs_active_handles_total', 'ailb_nodejs_active_requests_total', 'ailb_nodejs_active_resources_total'] as const;

/** The name of every metric AILB exports (what dashboards and alerts may use). */
export type MetricName = (typeof metricNames)[keyof typeof metricNames]['name'];
