import { cpus } from 'node:os';
import type { ChatValue, KnowledgeRuns, KnowledgeSection } from './knowledge-phases.js';
import type { RunRecord } from './phases.js';
import { table } from './report.js';
import { percentile, ratio } from './stats.js';

/*
 * The knowledge section's numbers (pure: recomputable from the JSON) and its table, one column per
 * AILB system that runs an embedder.
 */

export interface KnowledgeSummary {
  system: string;
  coldStartSeconds: number;
  uploadFilesPerSecond: number;
  ingestSeconds: number;
  createStoreMs: number;
  ingestComplete: boolean;
  filesPerSecond: number;
  chunksPerSecond: number;
  embeddedTextsPerSecond: number;
  /** Upload start to the last file ingested. */
  endToEndChunksPerSecond: number;
  /** CPU ms per chunk per process over the ingestion (the embedding model runs in a thread of `ailb` / `embedder`). */
  cpuPerChunk: Record<string, number>;
  /** CPU ms per search per process over the sequential searches. */
  cpuPerSearch: Record<string, number>;
  searchSequentialP50: number;
  searchSequentialP99: number;
  searchSequentialCount: number;
  topFromExpectedArticle: number;
  searchRateP50: number;
  searchRateP99: number;
  chatPlainP50: number;
  chatPlainP99: number;
  chatRagP50: number;
  chatRagP99: number;
  addedPlainP50: number;
  addedPlainP99: number;
  addedRagP50: number;
  addedRagP99: number;
  /** x-ailb-context values of the measured RAG answers. */
  ragHeaders: Record<string, number>;
  /** Share of RAG requests (warm-up included) whose upstream call carried `<ailb-context`. */
  ragContextDelivered: number;
  /** x-ailb-context values of the plain answers (none expected). */
  plainHeaders: Record<string, number>;
  /** Mock calls of the plain run that carried `<ailb-context` (0 expected). */
  plainContextCalls: number;
  foreignPercentMax: number;
  rssMiB: Record<string, number>;
  checks: Array<{ name: string; value: string; pass: boolean }>;
}

const fixed = (digits: number) => (value: number) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const tally = (values: Record<string, number>) =>
  Object.entries(values)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ×${count}`)
    .join(', ') || '—';
const share = (record: RunRecord<unknown>) => (100 * record.machine.foreignMs) / (record.machine.wallMs * cpus().length);
const LABELS: Record<string, string> = { embedded: 'AILB embedded', split: 'AILB split' };

function summarizeSystem(runs: KnowledgeRuns, direct: RunRecord<ChatValue>): KnowledgeSummary {
  const { upload, ingestion, searchSequential, searchRate, chatPlain, chatRag } = runs;
  const value = ingestion.value;
  const cpuPerChunk = Object.fromEntries(Object.entries(ingestion.cpuMs).filter(([role]) => role !== 'mock').map(([role, ms]) => [role, ms / value.chunks]));
  const p = (values: number[], fraction: number) => percentile(values, fraction);
  const directP50 = p(direct.value.latencyMs, 0.5);
  const directP99 = p(direct.value.latencyMs, 0.99);
  return {
    system: runs.system,
    coldStartSeconds: runs.coldStartSeconds,
    uploadFilesPerSecond: upload.value.files / upload.value.seconds,
    ingestSeconds: value.seconds,
    createStoreMs: value.createMs,
    ingestComplete: value.complete,
    filesPerSecond: value.counts.completed / value.seconds,
    chunksPerSecond: (value.chunks * value.counts.completed) / value.files / value.seconds,
    embeddedTextsPerSecond: (value.embeddedTexts * value.counts.completed) / value.files / value.seconds,
    endToEndChunksPerSecond: (value.chunks * value.counts.completed) / value.files / (value.seconds + upload.value.seconds),
    cpuPerChunk,
    cpuPerSearch: Object.fromEntries(Object.entries(searchSequential.cpuMs).filter(([role]) => role !== 'mock').map(([role, ms]) => [role, ms / searchSequential.requestsSent])),
    searchSequentialP50: p(searchSequential.value.latencyMs, 0.5),
    searchSequentialP99: p(searchSequential.value.latencyMs, 0.99),
    searchSequentialCount: searchSequential.value.latencyMs.length,
    topFromExpectedArticle: ratio(searchSequential.value.topFromExpectedArticle, searchSequential.value.latencyMs.length),
    searchRateP50: p(searchRate.value.latencyMs, 0.5),
    searchRateP99: p(searchRate.value.latencyMs, 0.99),
    chatPlainP50: p(chatPlain.value.latencyMs, 0.5),
    chatPlainP99: p(chatPlain.value.latencyMs, 0.99),
    chatRagP50: p(chatRag.value.latencyMs, 0.5),
    chatRagP99: p(chatRag.value.latencyMs, 0.99),
    addedPlainP50: p(chatPlain.value.latencyMs, 0.5) - directP50,
    addedPlainP99: p(chatPlain.value.latencyMs, 0.99) - directP99,
    addedRagP50: p(chatRag.value.latencyMs, 0.5) - directP50,
    addedRagP99: p(chatRag.value.latencyMs, 0.99) - directP99,
    ragHeaders: chatRag.value.headerTally,
    ragContextDelivered: ratio(chatRag.value.contextCalls, chatRag.requestsSent),
    plainHeaders: chatPlain.value.headerTally,
    plainContextCalls: chatPlain.value.contextCalls,
    checks: checks(runs),
    foreignPercentMax: Math.max(...[upload, ingestion, searchSequential, searchRate, chatPlain, chatRag].map(share)),
    rssMiB: runs.rssMiB,
  };
}

/** What must hold for the section's numbers to mean anything: everything ingested, context really used. */
function checks(runs: KnowledgeRuns): KnowledgeSummary['checks'] {
  const { ingestion, chatRag, chatPlain } = runs;
  const ragValues = Object.keys(chatRag.value.headerTally);
  return [
    { name: 'every file ingested (completed, none failed)', value: JSON.stringify(ingestion.value.counts), pass: ingestion.value.complete && ingestion.value.counts.completed === ingestion.value.files },
    { name: 'every RAG answer says x-ailb-context: rag=<n ≥ 1>', value: tally(chatRag.value.headerTally), pass: ragValues.length > 0 && ragValues.every((value) => /^rag=[1-9]\d*$/.test(value)) },
    { name: 'every RAG request reached the mock with <ailb-context', value: `${chatRag.value.contextCalls} of ${chatRag.requestsSent}`, pass: chatRag.value.contextCalls === chatRag.requestsSent },
    { name: 'no plain request carried context (header or message)', value: `${tally(chatPlain.value.headerTally)}; ${chatPlain.value.contextCalls} calls`, pass: chatPlain.value.contextCalls === 0 && Object.keys(chatPlain.value.headerTally).every((value) => value === '(none)') },
  ];
}

export function summarizeKnowledge(section: KnowledgeSection): KnowledgeSummary[] {
  return section.systems.map((runs) => summarizeSystem(runs, section.chatDirect));
}


export function renderKnowledge(section: KnowledgeSection, summaries: KnowledgeSummary[]): string {
  const { plan, corpus } = section;
  const ms = fixed(1);
  const roles = [...new Set(summaries.flatMap((summary) => Object.keys(summary.cpuPerChunk)))];
  const rssRoles = [...new Set(summaries.flatMap((summary) => Object.keys(summary.rssMiB)))];
  const row = (name: string, pick: (summary: KnowledgeSummary) => string) => [name, ...summaries.map(pick)];
  const directP50 = percentile(section.chatDirect.value.latencyMs, 0.5);
  const directP99 = percentile(section.chatDirect.value.latencyMs, 0.99);
  const rows = [
    row('cold start: 1-file store ingested + 1 search (s)', (s) => fixed(1)(s.coldStartSeconds)),
    row(`upload (POST /v1/files, ${plan.uploadConcurrency} at a time), files/s`, (s) => fixed(1)(s.uploadFilesPerSecond)),
    row('ingestion: store created → in_progress 0 (s)', (s) => `${fixed(1)(s.ingestSeconds)}${s.ingestComplete ? '' : ' (unfinished)'}`),
    row('  of which POST /v1/vector_stores answering (ms)', (s) => fixed(0)(s.createStoreMs)),
    row('ingestion chunks/s', (s) => fixed(2)(s.chunksPerSecond)),
    row('ingestion files/s', (s) => fixed(2)(s.filesPerSecond)),
    row('ingestion embedded texts/s (chunks + passages)', (s) => fixed(1)(s.embeddedTextsPerSecond)),
    row('upload + ingestion, chunks/s', (s) => fixed(2)(s.endToEndChunksPerSecond)),
    ...roles.map((role) => row(`CPU ms per chunk: ${role}`, (s) => fixed(0)(s.cpuPerChunk[role] ?? Number.NaN))),
    row('search p50 / p99, sequential (ms)', (s) => `${ms(s.searchSequentialP50)} / ${ms(s.searchSequentialP99)}`),
    row('  best result from the expected article', (s) => `${fixed(0)(100 * s.topFromExpectedArticle)}% of ${s.searchSequentialCount}`),
    ...roles.map((role) => row(`CPU ms per search (sequential): ${role}`, (s) => fixed(1)(s.cpuPerSearch[role] ?? Number.NaN))),
    row(`search p50 / p99 @${plan.searchRate}/s, open loop (ms)`, (s) => `${ms(s.searchRateP50)} / ${ms(s.searchRateP99)}`),
    row(`chat p50 / p99 @${plan.chatRate}/s, no RAG (ms)`, (s) => `${fixed(2)(s.chatPlainP50)} / ${fixed(2)(s.chatPlainP99)}`),
    row(`chat p50 / p99 @${plan.chatRate}/s, rag_collection (ms)`, (s) => `${fixed(2)(s.chatRagP50)} / ${fixed(2)(s.chatRagP99)}`),
    row('added p50 / p99 vs direct, no RAG (ms)', (s) => `${fixed(2)(s.addedPlainP50)} / ${fixed(2)(s.addedPlainP99)}`),
    row('added p50 / p99 vs direct, RAG (ms)', (s) => `${fixed(2)(s.addedRagP50)} / ${fixed(2)(s.addedRagP99)}`),
    row('RAG − no RAG, p50 / p99 (ms)', (s) => `${fixed(2)(s.chatRagP50 - s.chatPlainP50)} / ${fixed(2)(s.chatRagP99 - s.chatPlainP99)}`),
    row('RAG answers: x-ailb-context', (s) => tally(s.ragHeaders)),
    row('RAG requests whose upstream call had <ailb-context', (s) => `${fixed(1)(100 * s.ragContextDelivered)}%`),
    row('plain answers: x-ailb-context', (s) => tally(s.plainHeaders)),
    row('other processes, max % of CPU in a run', (s) => `${fixed(1)(s.foreignPercentMax)}%`),
    ...rssRoles.map((role) => row(`RSS after the section: ${role} (MiB)`, (s) => fixed(0)(s.rssMiB[role] ?? Number.NaN))),
  ];
  return [
    `Knowledge bases and RAG (${plan.copies} × ${corpus.files} Markdown files, ${fixed(1)(corpus.bytes / 1024)} KiB, ${corpus.chunks} chunks, ${corpus.passages} passages, ${corpus.embeddedTexts} embedded texts per copy; ${corpus.questions} held-out questions)`,
    table(['measurement', ...summaries.map((summary) => LABELS[summary.system] ?? summary.system)], rows),
    `direct (mock alone) @${plan.chatRate}/s: p50 ${fixed(2)(directP50)} ms, p99 ${fixed(2)(directP99)} ms. Chunk, passage and text counts come from the embedder's built chunker over the corpus.`,
    'CPU per chunk covers the whole ingestion window (embedding in the model thread, Chroma writes, the status polls every 250 ms); chroma is the Chroma server the embedder started.',
    '',
    'Knowledge checks',
    ...summaries.flatMap((summary) => summary.checks.map((check) => `  ${check.pass ? 'PASS' : 'MISS'}  ${(LABELS[summary.system] ?? summary.system).padEnd(14)} ${check.name.padEnd(56)} ${check.value}`)),
  ].join('\n');
}
