import type { AppDatabase, SourceViews } from '@onc-orders/jobs';
import { createReadAnswerer } from './answer-read.js';
import type { OrderReads } from './order-reads.js';

/**
 * Reads answered on the caller's thread, on its own connection: for an in-process API (the tests, a database in
 * memory) and for API_READ_THREADS=0. A big order's read then holds the event loop for as long as it takes.
 */
export function inlineOrderReads(db: AppDatabase, views: SourceViews): OrderReads {
  const answer = createReadAnswerer(db, views);
  return {
    read: (request) => answer(request),
    close: () => Promise.resolve(),
  };
}
