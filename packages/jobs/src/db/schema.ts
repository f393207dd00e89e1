import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { FileStatus } from '../state/file-status.js';
import type { OrderStatus } from '../state/order-status.js';
import type { ProductStatus } from '../state/product-status.js';

/**
 * The durable state of every order, whatever its source. Redis holds only queues, which can be rebuilt from these
 * tables; anything that must survive a crash (each source's saved state, each file's progress, the history) lives
 * here. Status columns are written only by the transition functions in `state/`, and typed by their state machine.
 */

const createdAt = () =>
  integer('created_at', { mode: 'number' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);
const updatedAt = () =>
  integer('updated_at', { mode: 'number' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** Which source's protocol the order speaks, e.g. "onc-data-products" (see `sources/`). */
    source: text('source').notNull().default('onc-data-products'),
    label: text('label'),
    status: text('status').$type<OrderStatus>().notNull(),
    /** The order's spec as JSON, normalised by its source (lists, defaults applied), with any restart's changes. */
    spec: text('spec').notNull(),
    /** The spec exactly as submitted (normalised): what a retried submission with the same Idempotency-Key matches. */
    submittedSpec: text('submitted_spec').notNull(),
    /**
     * What the source's first step for the whole order found (ONC: the discovery check; DataStream: the partitions),
     * as JSON; null until that step has run, so it runs once however often the order is restarted.
     */
    sourceState: text('source_state'),
    productCount: integer('product_count').notNull(),
    idempotencyKey: text('idempotency_key'),
    /** Bumped by restart so a restarted order's jobs get new ids while the old ones may still linger. */
    generation: integer('generation').notNull().default(0),
    /** Why the order failed as a whole (a product failed for good, or finishing it failed); null otherwise. */
    errorMessage: text('error_message'),
    /**
     * Where the order's end is announced, as JSON `{url, events}` (see webhooks/): the spec's `notify`, or the
     * deployment's WEBHOOK_URL when it named none; null when nobody is told.
     */
    notify: text('notify'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: integer('finished_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('orders_idempotency_key').on(t.idempotencyKey), index('orders_status').on(t.status, t.createdAt)],
);

export const products = sqliteTable(
  'products',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    source: text('source').notNull().default('onc-data-products'),
    /** Position in the order's expansion (0-based), stable across restarts. */
    ordinal: integer('ordinal').notNull(),
    /** What this one unit of work asks of its source, as JSON (ONC: its request filters). */
    params: text('params').notNull(),
    status: text('status').$type<ProductStatus>().notNull(),
    /** The source's saved state, as JSON: only the source reads it; the core persists it before acting on it. */
    state: text('state').notNull().default('{}'),
    /** Counts the steps of the source's conversation, so each step's job has an id of its own. */
    step: integer('step').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    reorders: integer('reorders').notNull().default(0),
    generation: integer('generation').notNull().default(0),
    errorCode: integer('error_code'),
    errorParameter: text('error_parameter'),
    errorMessage: text('error_message'),
    /** The service's latest word on this product, e.g. "Transferring (X.csv) to the FTP server". */
    note: text('note'),
    /**
     * Which job run is working on this row, until when. Redis can lose its locks (flushed, replaced) while a job is
     * in flight; this lease in SQLite still keeps a second copy of the job from working on the same row at once.
     */
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('products_order_ordinal').on(t.orderId, t.ordinal),
    index('products_status').on(t.status),
    // "Is any product of this order still open?" runs each time a product ends.
    index('products_order_status').on(t.orderId, t.status),
  ],
);

export const files = sqliteTable(
  'files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /**
     * The source's own name for the file, unique within the order (ONC data products: "product-3/run-1/file-2"). Two
     * products that list the same reference share one file: it is fetched once.
     */
    ref: text('ref').notNull(),
    status: text('status').$type<FileStatus>().notNull(),
    /** What the source needs to fetch the file again, as JSON (ONC: run position, index, the run it came from). */
    meta: text('meta').notNull().default('{}'),
    /** The name the server sent, untrusted and unsanitised, kept for the record. */
    remoteName: text('remote_name'),
    /** Path relative to DOWNLOAD_DIR, reserved before the rename so a crash after it can be recognised. */
    relativePath: text('relative_path'),
    size: integer('size'),
    sha256: text('sha256'),
    /** Rows in a file a source writes page by page (DataStream), once complete; null for downloaded files. */
    rows: integer('rows'),
    bytesDownloaded: integer('bytes_downloaded').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    goneCount: integer('gone_count').notNull().default(0),
    /** How many times this file was fetched in full: stays 1 unless a re-order was needed. */
    fetchCount: integer('fetch_count').notNull().default(0),
    lastError: text('last_error'),
    /** See products.leaseOwner. */
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('files_order_ref').on(t.orderId, t.ref),
    uniqueIndex('files_order_path').on(t.orderId, t.relativePath),
    index('files_status').on(t.status),
    index('files_product').on(t.productId),
  ],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    reason: text('reason'),
    at: integer('at', { mode: 'number' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('events_order').on(t.orderId, t.id)],
);

/**
 * The webhook outbox: one row per announcement of an order's end, written in the transaction that ends the order, so
 * none is lost to a crash, and sent by the workers until its receiver answers 2xx or the tries run out. An order
 * that is restarted and ends again gets a new row, with a new `webhookId`.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The Standard Webhooks `webhook-id`: the same on every try, so a receiver can drop a repeat. */
    webhookId: text('webhook_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** e.g. "order.completed". */
    eventType: text('event_type').notNull(),
    url: text('url').notNull(),
    /** The body, fixed when the order ended: every try sends the same bytes. */
    payload: text('payload').notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'number' }).notNull(),
    /** The last try's HTTP status, or why it got none. */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    /** Which worker is sending it, until when: two workers never send the same try. */
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until', { mode: 'number' }),
    deliveredAt: integer('delivered_at', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_webhook_id').on(t.webhookId),
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_order').on(t.orderId),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type FileRow = typeof files.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
