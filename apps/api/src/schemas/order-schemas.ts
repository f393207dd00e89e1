import { notifySchema, serviceErrorSchema, viewSchemasFor } from '@onc-orders/jobs';
import { knownSources } from '@onc-orders/sources';
import { z } from 'zod';
import { sampleOrder } from './sample-order.js';

// The response contract of the order routes, derived from the core's view schemas and each known source's fields,
// so what the API publishes in its OpenAPI document and what it serializes are the views themselves.

export const orderIdParamsSchema = z.object({ id: z.string().min(1).describe('order id') });

const views = viewSchemasFor(
  knownSources.map((source) => source.view),
  knownSources.flatMap((source) => source.productStatuses),
);

export const orderSummarySchema = views.summary;
export const orderViewSchema = views.order;
export const orderPageSchema = views.page;
export const orderEventSchema = views.event;

export const submittedOrderSchema = orderViewSchema
  .extend({
    queueing: z
      .enum(['done', 'pending'])
      .describe(
        "done: the order's first job is queued. pending: Redis did not answer in time; the order is stored and a " +
          'worker queues it once Redis is back (at its start, then every RECONCILE_INTERVAL_MS). Retrying the POST ' +
          'is not needed.',
      ),
  })
  .describe('the submitted order');

/**
 * An order spec, as each known source validates it; `source` picks one, and no `source` is an ONC data products
 * order. The precise check (naming each bad field) is the source's own, in `submitOrder`.
 */
const [firstSpec, ...otherSpecs] = knownSources.map((source) =>
  // `notify` is the core's, taken out before the source's schema sees the spec; it is shown beside each source's.
  source.specSchema instanceof z.ZodObject
    ? source.specSchema.extend({ notify: notifySchema.optional() })
    : source.specSchema,
);
if (!firstSpec) throw new Error('no source is known');
export const orderSpecBodySchema = (otherSpecs.length === 0 ? firstSpec : z.union([firstSpec, ...otherSpecs]))
  .describe('order spec')
  // What Swagger UI offers to try: the README's sample order, which the built-in simulator serves.
  .meta({ example: sampleOrder });

/** What POST /orders/check answers: the order's size and each distinct combination's verdict. */
export const orderCheckSchema = z
  .object({
    source: z.string(),
    products: z.number().int().describe('how many products the order would make'),
    checked: z
      .boolean()
      .describe("false: the service's catalogue could not be asked; its own validation still applies"),
    note: z.string().optional(),
    combinations: z.array(
      z.object({
        fields: z.record(z.string(), z.string()).describe('the codes that make the combination'),
        products: z.array(z.number().int()).describe("the order's products that share it, by ordinal"),
        verdict: z.enum(['accepted', 'refused', 'unchecked']),
        error: serviceErrorSchema.optional().describe('why it was refused: the field at fault and what is allowed'),
      }),
    ),
  })
  .describe('the check of an order');
