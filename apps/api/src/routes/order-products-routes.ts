import { getProductJobs, ProductStatus } from '@onc-orders/jobs';
import { z } from 'zod';
import type { ApiServer } from '../api-server.js';
import type { RouteDependencies } from '../app-dependencies.js';
import { OrderNotFoundError } from '../errors/order-not-found-error.js';
import { errorBodySchema } from '../schemas/error-body-schema.js';
import { orderIdParamsSchema } from '../schemas/order-schemas.js';
import { productPageSchema } from '../schemas/product-page-schema.js';
import { queueDashboardPath } from './queue-dashboard.js';
import { sendJson } from './send-json.js';

const productPageQuerySchema = z.object({
  status: z
    .enum(ProductStatus)
    .optional()
    .describe("only products in this status (the core's: a preparing ONC product shows as requested or running)"),
  cursor: z.coerce.number().int().min(0).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('products per page, at most 500'),
});

const productParamsSchema = orderIdParamsSchema.extend({
  ordinal: z.coerce.number().int().min(0).describe("the product's ordinal"),
});

const productJobsSchema = z
  .object({
    items: z.array(
      z.object({
        queue: z.string(),
        jobId: z.string(),
        kind: z.string().describe('prepare, download or cancelRemote'),
        state: z.string().describe("BullMQ's state of the job"),
        dashboardUrl: z.string().describe('the job on the queue dashboard'),
      }),
    ),
  })
  .describe("a product's jobs still held by the queues");

/** An order's products a page at a time, and where each one's jobs are on the queue dashboard. */
export function addOrderProductsRoutes(app: ApiServer, deps: RouteDependencies): void {
  app.get(
    '/orders/:id/products',
    {
      schema: {
        summary: "A page of an order's products, in ordinal order",
        params: orderIdParamsSchema,
        querystring: productPageQuerySchema,
        response: { 200: productPageSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const json = await deps.reads.read({ read: 'products', orderId: request.params.id, query: request.query });
      if (json === null) throw new OrderNotFoundError(request.params.id);
      return sendJson(reply, json);
    },
  );

  app.get(
    '/orders/:id/products/:ordinal/jobs',
    {
      schema: {
        summary: "A product's jobs on the queues, with links to the dashboard",
        description:
          "The steps of the product's conversation with its service and its downloads, in its current generation, " +
          'while the queues keep them (completed jobs for an hour, failed ones for a week).',
        params: productParamsSchema,
        response: { 200: productJobsSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { id, ordinal } = request.params;
      const jobs = await getProductJobs(deps.db, deps.queues, deps.sources, id, ordinal);
      if (!jobs) return reply.code(404).send({ error: `order ${id} has no product ${ordinal}` });
      return {
        items: jobs.map((job) => ({
          ...job,
          dashboardUrl: `${queueDashboardPath}/queue/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.jobId)}`,
        })),
      };
    },
  );
}
