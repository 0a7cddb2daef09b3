/*
 * Reading Prometheus' text exposition format in tests: the series of a scrape, and sums over the ones
 * whose labels match.
 */

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of a scrape (comment lines skipped). */
export function parseSeries(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value.replace(/\\(.)/g, '$1');
    series.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}

/**
 * The sum of the samples named `name` whose labels include `labels`; a label given as `null` must be
 * absent. Throws when no series matches, so a renamed metric fails loudly instead of reading 0.
 */
export function total(series: readonly Series[], name: string, labels: Record<string, string | null> = {}): number {
  const matching = series.filter((item) => item.name === name && Object.entries(labels).every(([key, value]) => (value === null ? !(key in item.labels) : item.labels[key] === value)));
  if (matching.length === 0) throw new Error(`no series ${name}${JSON.stringify(labels)} in the scrape`);
  return matching.reduce((sum, item) => sum + item.value, 0);
}
