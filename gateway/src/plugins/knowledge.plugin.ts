import type { GatewayState, JobProducer, KnowledgeConfig } from '@ailb/shared';
import fp from 'fastify-plugin';
import { KnowledgeClient } from '../knowledge/knowledge-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The embedder, for knowledge bases, sessions and chat context. */
    knowledge: KnowledgeClient;
    /** Memory, RAG and files settings. */
    knowledgeConfig: KnowledgeConfig;
  }
}

export interface KnowledgePluginOptions {
  producer: JobProducer;
  state: GatewayState;
  config: KnowledgeConfig;
}

/** The embedder's client, shared by the Files/Vector Stores routes and the chat pipeline's context stage. */
export const knowledgePlugin = fp<KnowledgePluginOptions>(
  async (app, { producer, state, config }) => {
    app.decorate('knowledge', new KnowledgeClient({ producer, state, memoryTtlMs: config.memory.ttlSeconds * 1000 }));
    app.decorate('knowledgeConfig', config);
  },
  { name: 'ailb-knowledge' },
);
