// One read thread: answers the API's reads of orders on its own connection (read-only SQLite, or a small PostgreSQL
// pool), off the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openStateStoreForReads } from '@onc-orders/jobs';
import { knownSourceViews } from '@onc-orders/sources';
import { createReadAnswerer } from './answer-read.js';
import type { ReadMessage, ReadReply, ReadThreadData } from './read-thread-messages.js';

if (!parentPort) throw new Error('read-thread.js runs as a worker thread of the API');
const port = parentPort;
const { location } = workerData as ReadThreadData;
const database = await openStateStoreForReads(location);
const answer = createReadAnswerer(database.db, knownSourceViews());

port.on('message', ({ id, request }: ReadMessage) => void answerOne(id, request));

async function answerOne(id: ReadMessage['id'], request: ReadMessage['request']): Promise<void> {
  let reply: ReadReply;
  try {
    reply = { id, answer: await answer(request) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  port.postMessage(reply);
}
port.postMessage({ ready: true } satisfies ReadReply);
