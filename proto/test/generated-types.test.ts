import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { loadModuleServicePackage, MODULE_SERVICE_NAME, PROTO_ROOT } from '../src/index.js';

const checkedIn = join(PROTO_ROOT, 'src', 'generated');

function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files.sort();
}

describe('generated TypeScript types', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'ailb-proto-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('match what the .proto files generate (run `npm run proto:generate` when this fails)', () => {
    execFileSync(process.execPath, [join(PROTO_ROOT, 'scripts', 'generate-types.mjs'), fresh], { stdio: 'pipe' });
    const expected = listFiles(fresh);
    expect(listFiles(checkedIn)).toEqual(expected);
    for (const file of expected) {
      expect(readFileSync(join(checkedIn, file), 'utf8'), file).toBe(readFileSync(join(fresh, file), 'utf8'));
    }
  });

  it('load a service with every method of the contract', () => {
    const service = loadModuleServicePackage().marchproxy.ModuleService.service;
    expect(Object.keys(service)).toHaveLength(22);
    expect(service.StreamMetrics.responseStream).toBe(true);
    expect(service.GetStatus.path).toBe(`/${MODULE_SERVICE_NAME}/GetStatus`);
  });
});
