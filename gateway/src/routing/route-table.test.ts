import { describe, expect, it } from 'vitest';
import { buildRouteTable, RouteTable } from './route-table.js';

const target = (provider: string, model: string) => ({ provider, model, priority: 0, weight: 1 });

describe('buildRouteTable', () => {
  const models = new Map<string, string[] | undefined>([
    ['a', ['m1', 'm2']],
    ['b', ['m1']],
    ['c', undefined],
  ]);

  it('serves every listed model under its plain name (every deployment, config order) and as id/model', () => {
    const table = buildRouteTable(models, []);
    expect([...table.keys()]).toEqual(['m1', 'm2', 'a/m1', 'a/m2', 'b/m1']);
    expect(table.get('m1')).toEqual({ model: 'm1', targets: [target('a', 'm1'), target('b', 'm1')], fallbacks: [], explicit: false });
    expect(table.get('b/m1')!.targets).toEqual([target('b', 'm1')]);
  });

  it('lets a plain model name that contains a slash win over an equal qualified name', () => {
    const table = buildRouteTable(new Map([['x', ['y']], ['z', ['x/y']]]), []);
    expect(table.get('x/y')!.targets).toEqual([target('z', 'x/y')]);
  });

  it('adds routes from config and lets them replace a default of the same name', () => {
    const smart = { model: 'smart', strategy: 'failover' as const, targets: [target('a', 'm2')], fallbacks: ['m1'] };
    const override = { model: 'm1', targets: [target('b', 'm1')], fallbacks: [] };
    const table = buildRouteTable(models, [smart, override]);
    expect(table.get('smart')).toEqual({ ...smart, explicit: true });
    expect(table.get('m1')).toEqual({ ...override, explicit: true });
    expect(table.get('a/m1')!.explicit).toBe(false);
  });
});

describe('RouteTable', () => {
  const providers = [
    { id: 'a', type: 'openai' as const, api_key: 'k', models: ['m1', 'm2'], default_max_tokens: 4096 },
    { id: 'b', type: 'ollama' as const, base_url: 'http://127.0.0.1:1', default_max_tokens: 4096 },
  ];
  const lists = new Map<string, string[] | undefined>([
    ['a', ['m1', 'm2']],
    ['b', undefined],
  ]);

  it('changes while running: a new route serves on the next resolve, and removing it restores the default', () => {
    const table = new RouteTable(providers, []);
    expect(table.resolve(lists).get('m1')!.explicit).toBe(false);
    table.upsert({ model: 'm1', targets: [target('b', 'llama')], fallbacks: [] });
    expect(table.resolve(lists).get('m1')).toMatchObject({ explicit: true, targets: [target('b', 'llama')] });
    table.upsert({ model: 'smart', targets: [target('a', 'm2')], fallbacks: ['m1'] });
    expect(table.configured().map((route) => route.model)).toEqual(['m1', 'smart']);
    expect(table.remove('m1')).toBe(true);
    expect(table.resolve(lists).get('m1')!.explicit).toBe(false);
    expect(table.remove('nothing')).toBe(false);
    expect(table.version).toBe(3);
  });

  it('refuses routes that do not hold together, naming the key, and keeps the previous table', () => {
    const table = new RouteTable(providers, [{ model: 'smart', targets: [target('a', 'm1')], fallbacks: [] }]);
    expect(() => table.upsert({ model: 'x', targets: [target('nope', 'm1')], fallbacks: [] })).toThrow(expect.objectContaining({ code: 'invalid_value', param: 'routes[1].targets[0].provider' }));
    expect(() => table.replaceAll([{ model: 'y', targets: [target('a', 'm1')], fallbacks: ['ghost'] }])).toThrow(/routes\[0\]\.fallbacks\[0\]: unknown route "ghost"/);
    expect(table.configured().map((route) => route.model)).toEqual(['smart']);
    expect(table.version).toBe(0);
  });
});
