import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './gateway-metrics.js';

describe('GatewayMetrics', () => {
  const value = async (metrics: GatewayMetrics, name: string, labels: Record<string, string>) => {
    const metric = metrics.registry.getSingleMetric(name);
    if (!metric) throw new Error(`${name} is not registered`);
    const { values } = await metric.get();
    return values.find((item) => Object.entries(labels).every(([key, label]) => item.labels[key] === label))?.value;
  };

  it('adds the ledger cost per model and provider, in dollars', async () => {
    const metrics = new GatewayMetrics();
    metrics.recordCost('gpt-4o-mini', 'openai', 576_000);
    metrics.recordCost('gpt-4o-mini', 'openai', 1_424_000);
    metrics.recordCost('smart', 'claude', 3_000_000_000);
    expect(await value(metrics, 'ailb_cost_usd_total', { model: 'gpt-4o-mini', provider: 'openai' })).toBeCloseTo(0.002, 12);
    expect(await value(metrics, 'ailb_cost_usd_total', { model: 'smart', provider: 'claude' })).toBe(3);
  });

  it('ignores a free request (no series for a zero cost)', async () => {
    const metrics = new GatewayMetrics();
    metrics.recordCost('local', 'ollama', 0);
    expect(await value(metrics, 'ailb_cost_usd_total', { model: 'local' })).toBeUndefined();
  });

  it('exports no gauge named like a counter (promtool flags `_total` on gauges)', async () => {
    const text = await new GatewayMetrics().registry.metrics();
    const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((match) => match[1]);
    expect(gauges.length).toBeGreaterThan(0);
    expect(gauges.filter((name) => name?.endsWith('_total'))).toEqual([]);
  });
});
