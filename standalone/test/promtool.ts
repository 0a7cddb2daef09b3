import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Finds `promtool` (Prometheus' linter): on PATH, else in a cache extracted once from the Debian
 * `prometheus` package (`apt-get download` + `dpkg-deb -x`, no install). Fails loudly when neither
 * works: a metrics test that skipped its check would pass without checking anything.
 */

const CACHE = new URL('../../node_modules/.cache/ailb-promtool/', import.meta.url).pathname;
const CACHED = join(CACHE, 'usr', 'bin', 'promtool');

function onPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

function extract(): string {
  const work = mkdtempSync(join(tmpdir(), 'ailb-promtool-'));
  try {
    execFileSync('apt-get', ['download', 'prometheus'], { cwd: work, stdio: 'pipe', timeout: 120_000 });
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download prometheus produced no .deb');
    const unpacked = join(work, 'root');
    execFileSync('dpkg-deb', ['-x', join(work, deb), unpacked], { stdio: 'pipe', timeout: 120_000 });
    mkdirSync(join(CACHE, 'usr', 'bin'), { recursive: true });
    renameSync(join(unpacked, 'usr', 'bin', 'promtool'), CACHED);
    return CACHED;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The path of a working `promtool`; throws with the reason when none can be had. */
export function findPromtool(): string {
  const path = onPath() ?? (existsSync(CACHED) ? CACHED : undefined);
  if (path) return path;
  try {
    return extract();
  } catch (error) {
    throw new Error(`promtool is needed by this test and could not be found or extracted: install the Debian "prometheus" package or put promtool on PATH (${(error as Error).message})`);
  }
}

/** `promtool check metrics` on one scrape: its exit code and everything it printed (lint findings). */
export function checkMetrics(promtool: string, scrape: string): { status: number | null; output: string } {
  const result = spawnSync(promtool, ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** `promtool check config` on a Prometheus configuration file. */
export function checkConfig(promtool: string, file: string): { status: number | null; output: string } {
  const result = spawnSync(promtool, ['check', 'config', '--syntax-only', file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
