import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The durable state of every order. Redis holds only queues, which can be rebuilt from these tables; anything that
 * must survive a crash (ONC's ids, each file's progress, the history) lives here. Status columns are written only by
 * the transition functions in `state/`.
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
    label: text('label'),
    status: text('status').notNull(),
    /** The submitted spec as JSON, normalised (lists, defaults applied). */
    spec: text('spec').notNull(),
    deleteFile: integer('delete_file', { mode: 'boolean' }).notNull(),
    includeMetadataFile: integer('include_metadata_file', { mode: 'boolean' }).notNull(),
    productCount: integer('product_count').notNull(),
    idempotencyKey: text('idempotency_key'),
    /** Bumped by restart so a restarted order's jobs get new ids while the old ones may still linger. */
    generation: integer('generation').notNull().default(0),
    /** Why the order failed as a whole (a product failed for good, or finishing it failed); null otherwise. */
    errorMessage: text('error_message'),
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
    /** Position in the order's expansion (0-based), stable across restarts. */
    ordinal: integer('ordinal').notNull(),
    filters: text('filters').notNull(),
    status: text('status').notNull(),
    dpRequestId: integer('dp_request_id'),
    /**
     * Set just before `request` is sent and cleared once its answer is recorded. ONC has no idempotency key, so a
     * crash in between may leave a request on ONC's side whose id we never learnt: finding this set without a
     * dpRequestId, the next attempt records that and counts it in `requestsLost`.
     */
    requestSentAt: integer('request_sent_at', { mode: 'number' }),
    /** `request` calls sent for this product, duplicates after a crash included. */
    requestsSent: integer('requests_sent').notNull().default(0),
    /** Requests that may have been made on ONC and lost with a crashed worker (see `requestSentAt`). */
    requestsLost: integer('requests_lost').notNull().default(0),
    /** Set just before `run` is called: a retry that finds it set recovers the runs through `status`. */
    runRequestedAt: integer('run_requested_at', { mode: 'number' }),
    attempts: integer('attempts').notNull().default(0),
    reorders: integer('reorders').notNull().default(0),
    generation: integer('generation').notNull().default(0),
    errorCode: integer('error_code'),
    errorParameter: text('error_parameter'),
    errorMessage: text('error_message'),
    estimatedFileSizeBytes: integer('estimated_file_size_bytes'),
    estimatedProcessingSeconds: integer('estimated_processing_seconds'),
    /** ONC's warnings and notes from `request` (JSON list of strings). */
    messages: text('messages').notNull().default('[]'),
    /** The latest status message from a 202, e.g. "Transferring (X.csv) to the FTP server". */
    lastOncMessage: text('last_onc_message'),
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

export const runs = sqliteTable(
  'runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** Position of the run in ONC's answer: files of a re-ordered product are matched to the new run by it. */
    ordinal: integer('ordinal').notNull(),
    dpRunId: integer('dp_run_id').notNull(),
    status: text('status').notNull(),
    fileCount: integer('file_count'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('runs_product_ordinal').on(t.productId, t.ordinal), uniqueIndex('runs_dp_run_id').on(t.dpRunId)],
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
    runOrdinal: integer('run_ordinal').notNull(),
    /** "1".."n" or "meta". */
    fileIndex: text('file_index').notNull(),
    status: text('status').notNull(),
    /** The run the file was actually fetched from (a re-ordered product's complete files keep their old run). */
    dpRunId: integer('dp_run_id'),
    /** The name ONC sent, untrusted and unsanitised, kept for the record. */
    remoteName: text('remote_name'),
    /** Path relative to DOWNLOAD_DIR, reserved before the rename so a crash after it can be recognised. */
    relativePath: text('relative_path'),
    size: integer('size'),
    sha256: text('sha256'),
    bytesDownloaded: integer('bytes_downloaded').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    goneCount: integer('gone_count').notNull().default(0),
    /** How many times this file was fetched in full from ONC: stays 1 unless a re-order was needed. */
    fetchCount: integer('fetch_count').notNull().default(0),
    lastError: text('last_error'),
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
    uniqueIndex('files_product_run_index').on(t.productId, t.runOrdinal, t.fileIndex),
    uniqueIndex('files_order_path').on(t.orderId, t.relativePath),
    index('files_status').on(t.status),
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

export type OrderRow = typeof orders.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type FileRow = typeof files.$inferSelect;
export type EventRow = typeof events.$inferSelect;
