import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { metricNames } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { checkConfig, findPromtool } from './promtool.js';

/*
 * The deploy/ files for Prometheus and Grafana cannot drift from the metrics AILB exports: every metric
 * and label the dashboard's PromQL uses is declared in metric-names.ts, and the scrape configuration
 * passes `promtool check config`.
 */

const DEPLOY = new URL('../../deploy/', import.meta.url);
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;
/** Labels Prometheus itself adds, or a histogram's bucket bound. */
const BUILT_IN_LABELS = new Set(['le', 'job', 'instance']);

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

const declared = new Map<string, readonly string[]>(Object.values(metricNames).map((metric) => [metric.name, metric.labels]));

/** The metrics and labels a PromQL expression uses (label values and legends left out). */
function usedIn(expr: string): { metrics: string[]; labels: string[] } {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const labels = [
    ...[...withoutStrings.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((match) => (match[1] ?? '').split(',').map((label) => label.trim())),
    ...[...withoutStrings.matchAll(/\{([^}]*)\}/g)].flatMap((match) => [...(match[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*[=!]/g)].map((label) => label[1]!)),
  ].filter((label) => label !== '');
  const bare = withoutStrings.replace(/\b(?:by|without)\s*\([^)]*\)/g, '').replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  const metrics = [...bare.matchAll(/\b((?:ailb|gen_ai)_[a-z0-9_]+)\b/g)].map((match) => match[1]!);
  return { metrics, labels };
}

describe('deploy/ observability files', () => {
  const dashboard = JSON.parse(readFileSync(new URL('grafana/ailb-dashboard.json', DEPLOY), 'utf8')) as { title: string; uid: string; panels: Panel[] };
  const queried = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('the dashboard is a Grafana dashboard whose every panel queries something', () => {
    expect(dashboard.uid).toBe('ailb-overview');
    expect(queried.length).toBeGreaterThanOrEqual(15);
    for (const panel of queried) expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
  });

  it('every metric and label the dashboard queries is declared in metric-names.ts', () => {
    const used = new Set<string>();
    for (const panel of queried) {
      for (const { expr } of panel.targets ?? []) {
        const { metrics, labels } = usedIn(expr);
        expect(metrics.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        const known = new Set<string>(BUILT_IN_LABELS);
        for (const series of metrics) {
          // A histogram is queried through its _bucket, _sum and _count series.
          const name = declared.has(series) ? series : series.replace(HISTOGRAM_SERIES, '');
          expect(declared.has(name), `${panel.title}: ${series} is not in metric-names.ts`).toBe(true);
          used.add(name);
          for (const label of declared.get(name) ?? []) known.add(label);
        }
        for (const label of labels) expect(known.has(label), `${panel.title}: label ${label} is not one of ${[...known].join(', ')}`).toBe(true);
      }
    }
    // The list: traffic, latency, TTFT, overhead, tokens, cost, queues, in-flight, circuits,
    // retries and failovers, limits, scan findings, embedding and retrieval latency.
    for (const metric of Object.values(metricNames).filter((item) => !item.name.startsWith('ailb_scaling_') && !['ailb_desired_instances', 'ailb_traffic_weight'].includes(item.name))) {
      if (['ailb_http_requests_in_flight', 'ailb_http_connections', 'ailb_http_connections_total', 'ailb_http_received_bytes_total', 'ailb_http_sent_bytes_total', 'ailb_upstream_latency_seconds', 'ailb_tokens_total', 'ailb_context_injected_total', 'ailb_embedding_batch_texts'].includes(metric.name)) continue;
      expect(used.has(metric.name), `no dashboard panel shows ${metric.name}`).toBe(true);
    }
  });

  it('prometheus.yml passes promtool check config', () => {
    const result = checkConfig(findPromtool(), fileURLToPath(new URL('prometheus.yml', DEPLOY)));
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
