import {
  toGatewayError,
  type FileBatch,
  type KnowledgeOperation,
  type StoredFile,
  type VectorStore,
  type VectorStoreFile,
} from '@ailb/shared';
import { InMemoryClusterState, InMemoryTraceStore, InProcessTransport, resolveKnowledge } from '@ailb/shared/runtime';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { testAppConfig } from './test-app-config.js';

/*
 * The gateway with a stand-in embedder on the in-process transport: it records every knowledge
 * operation it receives (and for which tenant) and answers as the test says; a thrown GatewayError is
 * answered as the embedder's catalog error.
 */

/** The upload limit of these tests (files.max_bytes); the smallest the config accepts is 1024. */
export const TEST_MAX_FILE_BYTES = 4096;

const config = testAppConfig({ knowledge: resolveKnowledge({}, { files: { max_bytes: TEST_MAX_FILE_BYTES } }) });

export interface StandInEmbedder {
  app: FastifyInstance;
  state: InMemoryClusterState;
  /** Every operation received, in order. */
  operations: KnowledgeOperation[];
  tenants: string[];
  /** How the embedder answers: the operation's value, or a thrown GatewayError. */
  answer: (operation: KnowledgeOperation) => unknown;
  close(): Promise<void>;
}

/** Builds the app and a live stand-in embedder (heartbeat `e1`). */
export async function startWithStandInEmbedder(): Promise<StandInEmbedder> {
  const transport = new InProcessTransport(pino({ level: 'silent' }));
  const state = new InMemoryClusterState(config.routing);
  const embedder = {
    operations: [] as KnowledgeOperation[],
    tenants: [] as string[],
    answer: (() => {
      throw new Error('the test did not say how the embedder answers');
    }) as StandInEmbedder['answer'],
  };
  await transport.consumer.consume(
    'knowledge',
    async (context) => {
      embedder.operations.push(context.job.operation);
      embedder.tenants.push(context.job.tenant);
      try {
        await context.reply({ kind: 'result', value: await embedder.answer(context.job.operation) });
      } catch (error) {
        await context.reply({ kind: 'error', attempts: [], error: toGatewayError(error).toData() });
      }
    },
    4,
  );
  await state.heartbeat('embedder', 'e1');
  const app = await buildApp({ config, producer: transport.producer, state, traces: new InMemoryTraceStore(), logger: pino({ level: 'silent' }) });
  return Object.assign(embedder, {
    app,
    state,
    close: async () => {
      await app.close();
      await transport.consumer.close();
    },
  });
}

/** Asserts a response body validates against one of the codec's OpenAPI-derived schemas. */
export function expectValid(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
}

/** A multipart/form-data body as a browser or SDK would send it. */
export async function multipartForm(entries: Array<[name: string, value: string | { filename: string; type?: string; content: string | Uint8Array }]>) {
  const form = new FormData();
  for (const [name, value] of entries) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.content], { type: value.type ?? '' }), value.filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

export const storedFile: StoredFile = { id: 'file-abc', tenant: 'default', filename: 'guide.md', bytes: 12, purpose: 'assistants', mediaType: 'text/markdown', createdAt: 1_700_000_000 };

const counts = { inProgress: 1, completed: 2, failed: 0, cancelled: 0, total: 3 };

export const vectorStore: VectorStore = {
  id: 'vs_1',
  tenant: 'default',
  name: 'docs',
  description: 'Product docs',
  createdAt: 1_700_000_000,
  lastActiveAt: 1_700_000_100,
  metadata: { team: 'support' },
  expiresAfterDays: 7,
  usageBytes: 2048,
  fileCounts: counts,
  status: 'in_progress',
  embeddingModel: 'use-lite',
  dimensions: 512,
};

export const vectorStoreFile: VectorStoreFile = {
  fileId: 'file-abc',
  vectorStoreId: 'vs_1',
  createdAt: 1_700_000_050,
  status: 'failed',
  lastError: { code: 'unsupported_file', message: 'No text found.' },
  chunking: { maxChunkTokens: 800, overlapTokens: 400 },
  attributes: { lang: 'en', version: 2, public: true },
  usageBytes: 0,
  batchId: null,
};

export const fileBatch: FileBatch = { id: 'vsfb_1', vectorStoreId: 'vs_1', createdAt: 1_700_000_060, status: 'in_progress', fileCounts: counts };
