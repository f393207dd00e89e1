import { cancelOrder, findOrder, restartOrder, type OrderControlDependencies } from '@onc-orders/jobs';
import { z } from 'zod';
import type { ApiServer } from '../api-server.js';
import type { RouteDependencies } from '../app-dependencies.js';
import { OrderNotFoundError } from '../errors/order-not-found-error.js';
import { errorBodySchema } from '../schemas/error-body-schema.js';
import { orderIdParamsSchema, orderViewSchema } from '../schemas/order-schemas.js';
import { sendJson } from './send-json.js';

const restartBodySchema = z
  .looseObject({
    deleteFile: z
      .boolean()
      .optional()
      .describe("ONC orders: changes the order's deleteFile setting for what is still to fetch"),
  })
  .describe("settings to change on restart, as the order's source allows")
  // fastify hands a POST without a body to validation as null.
  .nullish();

/** Stopping an order everywhere, and resuming a cancelled or failed one from where it stood. */
export function addOrderControlRoutes(app: ApiServer, deps: RouteDependencies): void {
  const control: OrderControlDependencies = {
    db: deps.db,
    queues: deps.queues,
    sources: deps.sources,
    redis: deps.redis,
    downloadDir: deps.config.downloadDir,
  };
  // The order exists: the control function just found it, and orders are never deleted.
  const viewOf = async (orderId: string) => {
    const json = await deps.reads.read({ read: 'order', orderId });
    if (json === null) throw new Error(`order ${orderId} disappeared`);
    return json;
  };
  const statusOf = async (orderId: string) => (await findOrder(deps.db, orderId))?.status;

  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        summary: 'Cancel an order',
        description: 'Complete files stay on disk; cancelling a cancelled order is a no-op that answers 200.',
        params: orderIdParamsSchema,
        response: { 200: orderViewSchema, 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const orderId = request.params.id;
      const outcome = await cancelOrder(control, orderId);
      switch (outcome) {
        case 'cancelled':
        case 'already-cancelled':
          return sendJson(reply, await viewOf(orderId));
        case 'already-finished': {
          const status = await statusOf(orderId);
          return reply.code(409).send({ error: `an order that is ${status} cannot be cancelled`, status });
        }
        case 'not-found':
          throw new OrderNotFoundError(orderId);
        default: {
          const unexpected: never = outcome;
          throw new Error(`unexpected cancel outcome: ${String(unexpected)}`);
        }
      }
    },
  );

  app.post(
    '/orders/:id/restart',
    {
      schema: {
        summary: 'Restart a cancelled or failed order',
        description: 'Only what is missing is done again; complete files stay.',
        params: orderIdParamsSchema,
        body: restartBodySchema,
        response: { 202: orderViewSchema, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const orderId = request.params.id;
      const outcome = await restartOrder(control, orderId, { changes: request.body ?? {} });
      switch (outcome) {
        case 'restarted':
          return sendJson(reply, await viewOf(orderId), 202);
        case 'not-restartable': {
          const status = await statusOf(orderId);
          return reply.code(409).send({ error: `an order that is ${status} cannot be restarted`, status });
        }
        case 'not-found':
          throw new OrderNotFoundError(orderId);
        default: {
          const unexpected: never = outcome;
          throw new Error(`unexpected restart outcome: ${String(unexpected)}`);
        }
      }
    },
  );
}
