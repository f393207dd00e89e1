import { checkOrder, OrderStatus, submitOrder, UnknownCursorError } from '@onc-orders/jobs';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiServer } from '../api-server.js';
import type { RouteDependencies } from '../app-dependencies.js';
import { OrderNotFoundError } from '../errors/order-not-found-error.js';
import { errorBodySchema } from '../schemas/error-body-schema.js';
import {
  orderCheckSchema,
  orderEventSchema,
  orderIdParamsSchema,
  orderPageSchema,
  orderSpecBodySchema,
  orderViewSchema,
  submittedOrderSchema,
} from '../schemas/order-schemas.js';
import '../route-config.js';
import { sendJson } from './send-json.js';

const submitHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('a retried POST with the same key and spec returns the order created the first time'),
});

const eventsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional().describe('the `id` of the last event of the previous page'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000).describe('events per page, at most 10,000'),
});

const viewQuerySchema = z.object({
  productLimit: z.coerce
    .number()
    .int()
    .min(0)
    .max(500)
    .optional()
    .describe('at most this many products in the answer (0: none, for progress alone)'),
});

const listQuerySchema = z.object({
  status: z.enum(OrderStatus).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('orders per page, at most 500'),
  cursor: z.string().min(1).optional().describe('`nextCursor` of the previous page'),
});

type RouteToValidate = Parameters<typeof validatorCompiler>[0];

/** The zod validator for every part of a request but its body, which is handed on as it came. */
function validateAllButBody<S>(route: FastifyRouteSchemaDef<S>) {
  if (route.httpPart === 'body') return (data: unknown) => ({ value: data });
  // fastify types a route-level compiler's schema as the route's whole schema object; it is handed one part's.
  return validatorCompiler(route as unknown as RouteToValidate);
}

/** Submitting orders and reading them: the order, a page of orders, an order's history. */
export function addOrderRoutes(app: ApiServer, deps: RouteDependencies): void {
  app.post(
    '/orders',
    {
      schema: {
        summary: 'Submit an order',
        description:
          'Validates the spec, expands it into data products and stores them before anything is queued. ' +
          'Nothing is written when the answer is 400. The answer never waits long for Redis: when Redis is down ' +
          'or slow, the order is stored all the same and answered 201 with `queueing: "pending"`; a worker ' +
          'queues it once Redis answers again (at its start, then every RECONCILE_INTERVAL_MS).',
        headers: submitHeadersSchema,
        body: orderSpecBodySchema,
        response: { 200: submittedOrderSchema, 201: submittedOrderSchema, 400: errorBodySchema, 409: errorBodySchema },
      },
      config: { invalidInputError: 'invalid order' },
      // The body is checked by its own source's schema in submitOrder, which names each bad field; the union above
      // is what the OpenAPI document shows. The headers are checked here as usual.
      validatorCompiler: validateAllButBody,
    },
    async (request, reply) => {
      const { orderId, created, queueing } = await submitOrder(
        {
          db: deps.db,
          queues: deps.queues,
          sources: deps.sources,
          maxProductsPerOrder: deps.config.maxProductsPerOrder,
          defaultWebhookUrl: deps.defaultWebhookUrl,
          ...(deps.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: deps.enqueueTimeoutMs } : {}),
        },
        request.body,
        { idempotencyKey: request.headers['idempotency-key'] },
      );
      const json = await deps.reads.read({ read: 'submitted', orderId, queueing });
      if (json === null) throw new Error(`order ${orderId} was accepted but cannot be read back`);
      return sendJson(reply.header('location', `/orders/${orderId}`), json, created ? 201 : 200);
    },
  );

  app.post(
    '/orders/check',
    {
      schema: {
        summary: 'Check an order without ordering anything',
        description:
          'Validates and expands the spec as POST /orders would (the same 400s), then asks the service its ' +
          'source talks to whether each distinct combination of codes is offered (ONC: its discovery services: ' +
          'dataProducts with the product, extension and dpo_* options; locations, devices, deviceCategories). ' +
          'Nothing is stored or queued. When the catalogue cannot be asked, `checked` is false and every ' +
          'combination is `unchecked`.',
        body: orderSpecBodySchema,
        response: { 200: orderCheckSchema, 400: errorBodySchema },
      },
      config: { invalidInputError: 'invalid order' },
      validatorCompiler: validateAllButBody,
    },
    (request) =>
      checkOrder(
        { sources: deps.sources, maxProductsPerOrder: deps.config.maxProductsPerOrder, logger: deps.logger },
        request.body,
      ),
  );

  app.get(
    '/orders',
    {
      schema: {
        summary: 'List orders, newest first',
        querystring: listQuerySchema,
        response: { 200: orderPageSchema, 400: errorBodySchema },
      },
    },
    async (request, reply) => {
      const answer = await deps.reads.read({ read: 'orders', query: request.query });
      if ('unknownCursor' in answer) throw new UnknownCursorError(answer.unknownCursor);
      return sendJson(reply, answer.json);
    },
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        summary: 'An order with its progress, and its products with their files',
        description:
          'Every product for orders of up to 500 products; the first 100 of a bigger one (`productsShown` says how ' +
          'many; page through them all with GET /orders/:id/products). `productLimit` asks for fewer.',
        params: orderIdParamsSchema,
        querystring: viewQuerySchema,
        response: { 200: orderViewSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { productLimit } = request.query;
      const json = await deps.reads.read({
        read: 'order',
        orderId: request.params.id,
        ...(productLimit !== undefined ? { productLimit } : {}),
      });
      if (json === null) throw new OrderNotFoundError(request.params.id);
      return sendJson(reply, json);
    },
  );

  app.get(
    '/orders/:id/events',
    {
      schema: {
        summary: "An order's recorded transitions, retries, re-orders, cancels and restarts, oldest first",
        description:
          'A page of `limit` events (default 1000) after the event `after`; when more follow, the `link` header ' +
          'names the next page (rel="next"). Each event names its product by ordinal and its file by path.',
        params: orderIdParamsSchema,
        querystring: eventsQuerySchema,
        response: { 200: z.array(orderEventSchema), 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { after, limit } = request.query;
      const page = await deps.reads.read({
        read: 'events',
        orderId: request.params.id,
        ...(after !== undefined ? { after } : {}),
        limit,
      });
      if (page === null) throw new OrderNotFoundError(request.params.id);
      if (page.more && page.lastId !== null) {
        void reply.header(
          'link',
          `</orders/${encodeURIComponent(request.params.id)}/events?after=${page.lastId}&limit=${limit}>; rel="next"`,
        );
      }
      return sendJson(reply, page.json);
    },
  );
}
