import type { OrderStatus, ProductPageQuery } from '@onc-orders/jobs';

/**
 * The API's reads of orders, each answered with the JSON the route sends. They are the API's heavy work: their cost
 * grows with the order (its progress is counted over all its products and files), and better-sqlite3 runs them
 * synchronously, so they run on read threads (read-threads.ts) rather than on the event loop that also answers
 * /healthz; `inlineOrderReads` answers them on the caller's thread, where there is no file to share.
 */
export type ReadRequest =
  | { read: 'order'; orderId: string; productLimit?: number }
  /** The order as POST /orders answers it: the view and whether its first job is queued. */
  | { read: 'submitted'; orderId: string; queueing: 'done' | 'pending' }
  | { read: 'products'; orderId: string; query: ProductPageQuery }
  | { read: 'events'; orderId: string; after?: number; limit: number }
  | { read: 'orders'; query: { status?: OrderStatus; limit: number; cursor?: string } }
  /** The order's summary and progress, without products or spec, as the order stream sends it. */
  | { read: 'summary'; orderId: string };

export interface ReadAnswers {
  /** null: no such order. */
  order: string | null;
  submitted: string | null;
  products: string | null;
  events: { json: string; lastId: number | null; more: boolean } | null;
  orders: { json: string } | { unknownCursor: string };
  summary: { json: string; status: OrderStatus } | null;
}

export type ReadKind = ReadRequest['read'];
export type ReadAnswer<R extends ReadRequest> = ReadAnswers[R['read']];

export interface OrderReads {
  read<R extends ReadRequest>(request: R): Promise<ReadAnswer<R>>;
  /** Lets go of the threads and their SQLite connections; reads still waiting are refused. */
  close(): Promise<void>;
}
