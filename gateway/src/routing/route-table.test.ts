import { describe, expect, it } from 'vitest';
import { buildRouteTable } from './route-table.js';

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
