import type { StateStoreLocation } from '@onc-orders/jobs';
import type { ReadKind, ReadRequest, ReadAnswers } from './order-reads.js';

/** What the API's event loop sends a read thread when it starts it. */
export interface ReadThreadData {
  location: StateStoreLocation;
}

export interface ReadMessage {
  id: number;
  request: ReadRequest;
}

/**
 * What a thread sends back: that it has opened the database and takes reads, then for each read its answer or the
 * message of what the read threw (errors do not cross threads whole).
 */
export type ReadReply = { ready: true } | { id: number; answer: ReadAnswers[ReadKind] } | { id: number; error: string };
