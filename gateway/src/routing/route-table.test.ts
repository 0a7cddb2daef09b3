import { describe, expect, it } from 'vitest';
import { buildRouteTable, RouteTable } from './route-table.js';

const target = (provider: string, model: string) => ({ provider, model, priority: 0, weight: 1 });
const route = (model: string, targets = [target('a', 'm1')], fallbacks: string[] = []) => ({ model, targets, fallbacks });

describe('buildRouteTable', () => {
  const models = new Map<string, string[] | undefined>([
    ['a', ['m1', 'm2']],
    ['b', ['m1']],
    ['c', undefined],
  ]);

  it('serves every listed model under its plain name (every deployment, config order) and as id/model', () => {
    const table = buildRouteTable(models, []);
    expect([...table.keys()]).toEqual(['m1', 'm2', 'a/m1', 'a/m2', 'b/m1']);
    expect(table.get('m1')).toEqual({ model: 'm1', targets: [target('a', 'm1'), target('b', 'm1')], fallbacks: [], source: 'default', priority: 0 });
    expect(table.get('b/m1')!.targets).toEqual([target('b', 'm1')]);
  });

  it('lets a plain model name that contains a slash win over an equal qualified name', () => {
    const table = buildRouteTable(new Map([['x', ['y']], ['z', ['x/y']]]), []);
    expect(table.get('x/y')!.targets).toEqual([target('z', 'x/y')]);
  });

  it('adds explicit routes, lets them replace a default of the same name, and leaves hidden names out', () => {
    const smart = { model: 'smart', strategy: 'failover' as const, targets: [target('a', 'm2')], fallbacks: ['m1'] };
    const override = { model: 'm1', targets: [target('b', 'm1')], fallbacks: [], source: 'grpc' as const, priority: 7 };
    const table = buildRouteTable(models, [smart, override], new Set(['a/m2']));
    expect(table.get('smart')).toEqual({ ...smart, source: 'config', priority: 0 });
    expect(table.get('m1')).toEqual(override);
    expect(table.get('a/m1')!.source).toBe('default');
    expect(table.has('a/m2')).toBe(false);
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
    expect(table.resolve(lists).get('m1')!.source).toBe('default');
    table.upsert({ model: 'm1', targets: [target('b', 'llama')], fallbacks: [] });
    expect(table.resolve(lists).get('m1')).toMatchObject({ source: 'config', targets: [target('b', 'llama')] });
    table.upsert({ model: 'smart', targets: [target('a', 'm2')], fallbacks: ['m1'] });
    expect(table.configured().map((entry) => entry.model)).toEqual(['m1', 'smart']);
    expect(table.remove('m1')).toBe(true);
    expect(table.resolve(lists).get('m1')!.source).toBe('default');
    expect(table.remove('nothing')).toBe(false);
    expect(table.version).toBe(3);
  });

  it('refuses routes that do not hold together, naming the key, and keeps the previous table', () => {
    const table = new RouteTable(providers, [route('smart')]);
    expect(() => table.upsert({ model: 'x', targets: [target('nope', 'm1')], fallbacks: [] })).toThrow(expect.objectContaining({ code: 'invalid_value', param: 'routes[1].targets[0].provider' }));
    expect(() => table.replaceAll([route('y', [target('a', 'm1')], ['ghost'])])).toThrow(/routes\[0\]\.fallbacks\[0\]: unknown route "ghost"/);
    expect(table.configured().map((entry) => entry.model)).toEqual(['smart']);
    expect(table.version).toBe(0);
  });

  it('lays overrides over the configured routes: replaced in place, added, deleted (a default too)', () => {
    const table = new RouteTable(providers, [route('smart'), route('cheap', [target('a', 'm2')])]);
    const skipped = table.setLayers(table.configRoutes(), [
      { model: 'cheap', priority: 3, route: route('cheap', [target('b', 'llama')]) },
      { model: 'smart', priority: 0 },
      { model: 'm2', priority: 0 },
      { model: 'late', priority: 0, route: route('late', [target('a', 'm2')], ['cheap']) },
    ]);
    expect(skipped).toEqual([]);
    const resolved = table.resolve(lists);
    expect(table.configured().map((entry) => [entry.model, entry.source, entry.priority])).toEqual([
      ['cheap', 'grpc', 3],
      ['late', 'grpc', 0],
    ]);
    expect(resolved.has('smart')).toBe(false);
    expect(resolved.has('m2')).toBe(false);
    expect(resolved.get('a/m2')!.source).toBe('default');
    expect(resolved.get('cheap')!.targets).toEqual([target('b', 'llama')]);
    // The tombstone also hides a route the configuration adds later under that name: overrides win.
    table.upsert(route('m2', [target('b', 'llama')]));
    expect(table.resolve(lists).has('m2')).toBe(false);
  });

  it('leaves out, the same way every time, overrides that no longer hold after a concurrent change', () => {
    const table = new RouteTable(providers, [route('base')]);
    const overrides = [
      { model: 'first', priority: 0, route: route('first', [target('a', 'm1')], ['base']) },
      { model: 'second', priority: 0, route: route('second', [target('a', 'm1')], ['first']) },
    ];
    expect(table.setLayers(table.configRoutes(), overrides)).toEqual([]);
    // The configuration drops `base` while `first` (set over gRPC) still falls back to it.
    const skipped = table.setLayers([], overrides);
    expect(skipped.map((entry) => entry.override.model)).toEqual(['first', 'second']);
    expect(skipped[0]!.problem).toBe('route "first" (set through UpdateRoutes).fallbacks[0]: unknown route "base" (name a route in routes: or a model listed in providers[].models)');
    expect(table.configured()).toEqual([]);
  });
});
