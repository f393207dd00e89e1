import {
  findOrder,
  getOrderEvents,
  getOrderView,
  getProductPage,
  listOrders,
  UnknownCursorError,
  type AppDatabase,
  type OrderView,
  type SourceViews,
} from '@onc-orders/jobs';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { productPageSchema } from '../schemas/product-page-schema.js';
import { orderEventSchema, orderPageSchema, orderViewSchema, submittedOrderSchema } from '../schemas/order-schemas.js';
import type { ReadAnswer, ReadAnswers, ReadKind, ReadRequest } from './order-reads.js';

/** The JSON fastify would send for `schema`: the same serializer the routes are compiled with. */
const jsonOf = (schema: z.ZodType, url: string) =>
  serializerCompiler({ schema, method: 'GET', url, httpStatus: '200' });

const json = {
  order: jsonOf(orderViewSchema, '/orders/:id'),
  submitted: jsonOf(submittedOrderSchema, '/orders'),
  products: jsonOf(productPageSchema, '/orders/:id/products'),
  events: jsonOf(z.array(orderEventSchema), '/orders/:id/events'),
  orders: jsonOf(orderPageSchema, '/orders'),
};

/** The order stream's snapshot: the summary and progress, without the products and the spec. */
function summaryOf(view: OrderView): string {
  const { products: _products, spec: _spec, ...summary } = view;
  return JSON.stringify(summary);
}

type Answerers = { [K in ReadKind]: (request: Extract<ReadRequest, { read: K }>) => Promise<ReadAnswers[K]> };

/**
 * Answers reads on `db`: the core's views, serialized as the routes send them. The read threads and
 * the inline reads both answer through this, so the two give the same bytes.
 */
export function createReadAnswerer(db: AppDatabase, views: SourceViews) {
  const answerers: Answerers = {
    order: async ({ orderId, productLimit }) => {
      const view = await getOrderView(db, views, orderId, productLimit !== undefined ? { productLimit } : {});
      return view ? json.order(view) : null;
    },
    submitted: async ({ orderId, queueing }) => {
      const view = await getOrderView(db, views, orderId);
      return view ? json.submitted({ ...view, queueing }) : null;
    },
    products: async ({ orderId, query }) => {
      const page = await getProductPage(db, views, orderId, query);
      if (!page) return null;
      return json.products({
        items: page.items,
        nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
      });
    },
    events: async ({ orderId, after, limit }) => {
      // One event past the page tells whether another page follows.
      const page = await getOrderEvents(db, orderId, { ...(after !== undefined ? { after } : {}), limit: limit + 1 });
      const events = page.slice(0, limit);
      // A new order has no events yet, so only an empty list needs the order looked up to tell 404 from [].
      if (events.length === 0 && !(await findOrder(db, orderId))) return null;
      return { json: json.events(events), lastId: events.at(-1)?.id ?? null, more: page.length > limit };
    },
    orders: async ({ query }) => {
      try {
        return { json: json.orders(await listOrders(db, views, query)) };
      } catch (error) {
        // A thread's errors reach the API as messages only: this one must stay a 400.
        if (error instanceof UnknownCursorError) return { unknownCursor: error.cursor };
        throw error;
      }
    },
    summary: async ({ orderId }) => {
      const view = await getOrderView(db, views, orderId, { productLimit: 0 });
      return view ? { json: summaryOf(view), status: view.status } : null;
    },
  };
  // TypeScript cannot follow `request.read` into the map: the entry it picks takes exactly this kind of request.
  return <R extends ReadRequest>(request: R): Promise<ReadAnswer<R>> =>
    (answerers[request.read] as unknown as (request: R) => Promise<ReadAnswer<R>>)(request);
}
