import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/*
 * The rule of dependencies (README, Layout): a service (gateway, worker, embedder) imports `@ailb/shared`
 * and the generated gRPC types of `@ailb/proto`, and nothing else of ours; `shared` and `proto` import
 * nothing of ours; testkit and bench are tools no service or
 * shared code imports. Checked on production sources (tests beside the code may use the testkit) and on
 * each package's runtime `dependencies`.
 */

/** What each package may import of ours at run time. */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  shared: [],
  proto: [],
  gateway: ['@ailb/shared', '@ailb/proto'],
  worker: ['@ailb/shared', '@ailb/proto'],
  embedder: ['@ailb/shared', '@ailb/proto'],
  standalone: ['@ailb/shared', '@ailb/gateway', '@ailb/worker', '@ailb/embedder', '@ailb/testkit'],
};

/** One import that breaks the rule. */
export interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

const IMPORT_PATTERN = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** The module specifiers a TypeScript source imports or re-exports (static and dynamic). */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(IMPORT_PATTERN)].map((match) => match[1]!);
}

/** The package name of an `@ailb/...` specifier (`@ailb/shared/runtime` → `@ailb/shared`). */
const packageOf = (specifier: string) => specifier.split('/').slice(0, 2).join('/');

/**
 * Checks one source file of package `packageName` at `file` (inside `packageRoot`): `@ailb/*` imports
 * must be allowed, and relative imports must stay inside the package.
 */
export function checkSource(packageName: string, packageRoot: string, file: string, source: string): Violation[] {
  const allowed = ALLOWED_IMPORTS[packageName] ?? [];
  const violations: Violation[] = [];
  for (const specifier of importSpecifiers(source)) {
    if (specifier.startsWith('@ailb/')) {
      const target = packageOf(specifier);
      if (target !== `@ailb/${packageName}` && !allowed.includes(target)) violations.push({ file, specifier, reason: `${packageName} may not import ${target}` });
    } else if (specifier.startsWith('.')) {
      const resolved = resolve(dirname(file), specifier);
      if (relative(packageRoot, resolved).startsWith('..')) violations.push({ file, specifier, reason: `${packageName} reaches outside its package` });
    }
  }
  return violations;
}

function productionSources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : productionSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every violation in the repository at `root`: sources of the ruled packages and their `dependencies`. */
export function checkRepository(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const packageName of Object.keys(ALLOWED_IMPORTS)) {
    const packageRoot = join(root, packageName);
    let manifest: { dependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      continue; // a package that does not exist yet (the embedder) has nothing to break
    }
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (dependency.startsWith('@ailb/') && !(ALLOWED_IMPORTS[packageName] ?? []).includes(dependency)) {
        violations.push({ file: `${packageName}${sep}package.json`, specifier: dependency, reason: `${packageName} may not depend on ${dependency}` });
      }
    }
    for (const file of productionSources(join(packageRoot, 'src'))) {
      violations.push(...checkSource(packageName, packageRoot, file, readFileSync(file, 'utf8')));
    }
  }
  return violations;
}
