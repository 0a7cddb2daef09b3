import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRepository, checkSource, importSpecifiers } from '../src/dependency-rule.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the rule of dependencies', () => {
  it('holds for the repository: services import only shared, shared imports nothing of ours', () => {
    expect(checkRepository(root)).toEqual([]);
  });

  it('finds static, dynamic and re-exporting imports', () => {
    const source = "import { a } from '@ailb/shared';\nexport * from './x.js';\nimport './side-effect.js';\nconst m = await import('@ailb/worker');";
    expect(importSpecifiers(source)).toEqual(['@ailb/shared', './x.js', './side-effect.js', '@ailb/worker']);
  });

  it('catches a service importing another service, the testkit, or a file outside its package', () => {
    const file = '/repo/gateway/src/app.ts';
    const source = "import { x } from '@ailb/worker';\nimport { y } from '@ailb/testkit/simulator';\nimport { z } from '../../worker/src/z.js';\nimport { ok } from '@ailb/shared/runtime';";
    expect(checkSource('gateway', '/repo/gateway', file, source).map((violation) => violation.specifier)).toEqual(['@ailb/worker', '@ailb/testkit/simulator', '../../worker/src/z.js']);
    expect(checkSource('shared', '/repo/shared', '/repo/shared/src/a.ts', "import '@ailb/gateway';")).toHaveLength(1);
  });
});
