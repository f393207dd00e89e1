import { z } from 'zod';
import type { SourceViewSchema } from '../sources/source-port.js';
import { FileStatus } from '../state/file-status.js';
import { OrderStatus } from '../state/order-status.js';
import { ProductStatus } from '../state/product-status.js';
import { webhookEventTypes } from '../webhooks/notify-spec.js';

// The shape of the order views, defined once: the core's fields here, each source's beside them (its view schema).
// The API publishes and serializes with these, the CLI and the tests read the types derived from them.

const timestamp = z.string().describe('ISO 8601 instant');

export const serviceErrorSchema = z.object({
  code: z.number().int().nullable().describe("the service's own error code"),
  parameter: z.string().nullable().describe('the parameter it named'),
  message: z.string(),
});

export const fileViewBase = z.object({
  id: z.number().int().describe("the file's id, as named in the order's events"),
  ref: z.string().describe("the source's name for the file, unique within the order"),
  path: z.string().nullable().describe('relative to DOWNLOAD_DIR; null until the file name is known'),
  size: z.number().int().nullable().describe('bytes'),
  sha256: z.string().nullable().describe('hex digest, once the file is complete'),
  status: z.enum(FileStatus),
  rows: z.number().int().optional().describe('rows written so far, in a file its source writes page by page'),
  bytesDownloaded: z.number().int(),
  attempts: z.number().int(),
  error: z.string().optional(),
});

export const productViewBase = z.object({
  ordinal: z.number().int().describe("the product's position in the order, from 0"),
  status: z.string().describe("the product's status (the core's, or its source's finer name for it)"),
  attempts: z.number().int(),
  reorders: z.number().int(),
  error: serviceErrorSchema.optional(),
});

export const orderSummaryBase = z.object({
  id: z.string(),
  source: z.string().describe('the source the order speaks to, e.g. onc-data-products'),
  label: z.string().nullable(),
  status: z.enum(OrderStatus),
  productCount: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
  finishedAt: timestamp.nullable(),
  error: z.string().optional().describe('why the order failed, when it did'),
});

export const progressSchema = z.object({
  products: z.record(z.string(), z.number().int()).describe('product count per status'),
  files: z.record(z.string(), z.number().int()).describe('file count per status'),
  filesTotal: z.number().int().describe('real files: a look past the last file of a run (absent) is not one'),
  filesComplete: z.number().int(),
  bytesDownloaded: z.number().int(),
  bytesExpected: z
    .number()
    .int()
    .nullable()
    .describe("bytes of the whole order, when every open product's source can say (listed sizes, estimates)"),
  rate: z
    .object({
      windowSeconds: z.number().int(),
      filesPerSecond: z.number(),
      bytesPerSecond: z.number(),
    })
    .describe('files and bytes completed per second over the last window'),
  etaSeconds: z.number().int().nullable().describe('time left at that rate; 0 once nothing is open; null unknown'),
});

export type OrderProgress = z.infer<typeof progressSchema>;

export const notifyViewSchema = z
  .object({ url: z.string(), events: z.array(z.enum(webhookEventTypes)) })
  .nullable()
  .describe("the webhook told of the order's end (its spec's `notify`, or WEBHOOK_URL); null when none is");

export const orderEventSchema = z.object({
  id: z.number().int().describe('pass as `after` for the events that follow'),
  at: timestamp,
  entity: z.string().describe('order, product or file'),
  entityId: z.string(),
  product: z.number().int().optional().describe("the product's ordinal (a product's or a file's event)"),
  file: z.string().optional().describe("the file's path in DOWNLOAD_DIR, or its ref until it has one"),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string().nullable(),
});

/** Orders of up to this many products show them all in their view, as they always have. */
export const maxProductsInView = 500;
/** A bigger order's view shows this many, so it stays small (about 300 kB) whatever its size. */
export const productsInBigView = 100;

function optional(shape: z.ZodRawShape): z.ZodRawShape {
  return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, (field as z.ZodType).optional()]));
}

/**
 * The view schemas with the given sources' fields, for the API to publish and serialize with. Each source's fields
 * are optional, since a product has only its own source's. (A source's own typed view is its schema shapes over
 * the bases above.)
 */
export function viewSchemasFor(sources: readonly SourceViewSchema[], extraProductStatuses: readonly string[] = []) {
  const merged = (part: keyof SourceViewSchema): z.ZodRawShape =>
    Object.assign({}, ...sources.map((source) => optional(source[part]))) as z.ZodRawShape;
  const statuses = [...new Set([...Object.values(ProductStatus), ...extraProductStatuses])];
  const file = fileViewBase.extend(merged('file'));
  const product = productViewBase.extend({
    ...merged('product'),
    status: z.enum(statuses as [string, ...string[]]).describe("the product's status"),
    files: z.array(file),
  });
  const summary = orderSummaryBase.extend({ ...merged('order'), progress: progressSchema });
  const order = summary
    .extend({
      spec: z.unknown().describe('the order spec as accepted, defaults filled in'),
      notify: notifyViewSchema,
      products: z
        .array(product)
        .describe(
          `every product, for orders of up to ${maxProductsInView}; the first ${productsInBigView} of a bigger order (see productsShown and GET /orders/:id/products)`,
        ),
      productsShown: z.number().int().describe('how many of productCount are in `products`'),
    })
    .describe('order');
  const page = z.object({
    items: z.array(summary).describe('newest first'),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
    total: z.number().int().describe('orders matching the status filter'),
  });
  return { file, product, summary, order, page, event: orderEventSchema };
}

/** Fields a source adds to a view (see `SourceView`): any, when the source is not known statically. */
type SourceFields = Record<string, unknown>;

/** A file as the views show it: the core's fields, and its source's `F` (`SourceView.file`). */
export type FileView<F extends object = SourceFields> = z.infer<typeof fileViewBase> & F;
/** A product as the views show it: the core's fields, its source's `P`, and its files. */
export type ProductView<P extends object = SourceFields, F extends object = SourceFields> = z.infer<
  typeof productViewBase
> &
  P & { files: Array<FileView<F>> };
/** An order in a list: the core's fields, its progress, and its source's `O` (`SourceView.order`). */
export type OrderSummary<O extends object = SourceFields> = z.infer<typeof orderSummaryBase> & {
  progress: OrderProgress;
} & O;
export type OrderView<
  O extends object = SourceFields,
  P extends object = SourceFields,
  F extends object = SourceFields,
> = OrderSummary<O> & {
  spec: unknown;
  notify: z.infer<typeof notifyViewSchema>;
  products: Array<ProductView<P, F>>;
  productsShown: number;
};
export type OrderEvent = z.infer<typeof orderEventSchema>;
