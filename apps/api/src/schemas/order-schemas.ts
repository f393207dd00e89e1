import { FileStatus, OrderStatus, ProductStatus } from '@onc-orders/jobs';
import { z } from 'zod';

// The response contract of the order routes. Other tools read these shapes, so they are declared here (and published
// in the OpenAPI document) rather than left to whatever the pipeline's view functions happen to return.

export const orderIdParamsSchema = z.object({ id: z.string().min(1).describe('order id') });

const timestamp = z.string().describe('ISO 8601 instant');

export const orderSummarySchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  status: z.enum(OrderStatus),
  productCount: z.number().int(),
  deleteFile: z.boolean(),
  includeMetadataFile: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  finishedAt: timestamp.nullable(),
  error: z.string().optional().describe('why the order failed, when it did'),
});

const fileViewSchema = z.object({
  id: z.number().int().describe("the file's id, as named in the order's events"),
  path: z.string().nullable().describe('relative to DOWNLOAD_DIR; null until the file name is known'),
  dpRunId: z.number().int().nullable().describe('the ONC run the file came from'),
  size: z.number().int().nullable().describe('bytes'),
  sha256: z.string().nullable().describe('hex digest, once the file is complete'),
  status: z.enum(FileStatus),
  index: z.string().describe("ONC's file index within the run"),
  run: z.number().int().describe('ordinal of the run the file belongs to'),
  bytesDownloaded: z.number().int(),
  attempts: z.number().int(),
  error: z.string().optional(),
});

const productViewSchema = z.object({
  ordinal: z.number().int(),
  status: z.enum(ProductStatus),
  filters: z.record(z.string(), z.string()).describe('the ONC filters of this one product'),
  dpRequestId: z.number().int().nullable(),
  requestsSent: z.number().int().describe('`request` calls sent for this product (re-orders and crashes included)'),
  requestsLost: z
    .number()
    .int()
    .describe('requests that may have been made on ONC and lost with a crashed worker (ONC has no idempotency key)'),
  attempts: z.number().int(),
  reorders: z.number().int(),
  error: z
    .object({ code: z.number().int().nullable(), parameter: z.string().nullable(), message: z.string() })
    .optional(),
  estimatedFileSizeBytes: z.number().nullable(),
  estimatedProcessingSeconds: z.number().nullable(),
  messages: z.array(z.string()),
  lastOncMessage: z.string().nullable(),
  runs: z.array(z.object({ dpRunId: z.number().int(), status: z.string(), fileCount: z.number().int().nullable() })),
  files: z.array(fileViewSchema),
});

export const orderViewSchema = orderSummarySchema
  .extend({
    spec: z.unknown().describe('the order spec as accepted, defaults filled in'),
    progress: z.object({
      products: z.record(z.string(), z.number().int()).describe('product count per status'),
      files: z.record(z.string(), z.number().int()).describe('file count per status'),
      filesTotal: z.number().int(),
      filesComplete: z.number().int(),
      bytesDownloaded: z.number().int(),
    }),
    products: z.array(productViewSchema),
  })
  .describe('order');

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

export const orderPageSchema = z.object({
  items: z.array(orderSummarySchema).describe('newest first'),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  total: z.number().int().describe('orders matching the status filter'),
});

export const orderEventSchema = z.object({
  at: timestamp,
  entity: z.string().describe('order, product or file'),
  entityId: z.string(),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string().nullable(),
});
