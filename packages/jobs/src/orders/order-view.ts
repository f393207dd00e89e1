import { and, count, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { filesOfOrder, filtersOf, findOrder, productsOfOrder } from '../db/repository.js';
import { orders, runs, events, type OrderRow } from '../db/schema.js';
import type { FileStatus } from '../state/file-status.js';
import type { OrderStatus } from '../state/order-status.js';
import type { ProductStatus } from '../state/product-status.js';

export interface FileView {
  id: number;
  path: string | null;
  size: number | null;
  sha256: string | null;
  status: FileStatus;
  index: string;
  run: number;
  /** The ONC run the file came from. */
  dpRunId: number | null;
  bytesDownloaded: number;
  attempts: number;
  error?: string;
}

export interface ProductView {
  ordinal: number;
  status: ProductStatus;
  filters: Record<string, string>;
  dpRequestId: number | null;
  /** `request` calls sent for this product; more than one only after a re-order or a crash mid-request. */
  requestsSent: number;
  /** Requests that may have been made on ONC and lost with a crashed worker (ONC has no idempotency key). */
  requestsLost: number;
  attempts: number;
  reorders: number;
  error?: { code: number | null; parameter: string | null; message: string };
  estimatedFileSizeBytes: number | null;
  estimatedProcessingSeconds: number | null;
  messages: string[];
  lastOncMessage: string | null;
  runs: Array<{ dpRunId: number; status: string; fileCount: number | null }>;
  files: FileView[];
}

export interface OrderSummary {
  id: string;
  label: string | null;
  status: OrderStatus;
  productCount: number;
  deleteFile: boolean;
  includeMetadataFile: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Why the order failed, when it did. */
  error?: string;
}

export interface OrderView extends OrderSummary {
  spec: unknown;
  progress: {
    products: Record<string, number>;
    files: Record<string, number>;
    filesTotal: number;
    filesComplete: number;
    bytesDownloaded: number;
  };
  products: ProductView[];
}

function summary(order: OrderRow): OrderSummary {
  return {
    id: order.id,
    label: order.label,
    status: order.status as OrderStatus,
    productCount: order.productCount,
    deleteFile: order.deleteFile,
    includeMetadataFile: order.includeMetadataFile,
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
    finishedAt: order.finishedAt ? new Date(order.finishedAt).toISOString() : null,
    ...(order.errorMessage ? { error: order.errorMessage } : {}),
  };
}

/** Map.groupBy arrived in Node 21; this runs on Node 20. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** An order as the API shows it: its products, runs and files, with paths relative to DOWNLOAD_DIR. */
export function getOrderView(db: AppDatabase, orderId: string): OrderView | undefined {
  const order = findOrder(db, orderId);
  if (!order) return undefined;
  const orderProducts = productsOfOrder(db, orderId);
  const orderFiles = filesOfOrder(db, orderId);
  const orderRuns = db
    .select()
    .from(runs)
    .where(sql`${runs.productId} IN (SELECT id FROM products WHERE order_id = ${orderId})`)
    .all();
  const filesByProduct = groupBy(orderFiles, (file) => file.productId);
  const runsByProduct = groupBy(orderRuns, (run) => run.productId);
  return {
    ...summary(order),
    spec: JSON.parse(order.spec) as unknown,
    progress: {
      products: tally(orderProducts.map((product) => product.status)),
      files: tally(orderFiles.map((file) => file.status)),
      filesTotal: orderFiles.length,
      filesComplete: orderFiles.filter((file) => file.status === 'complete').length,
      bytesDownloaded: orderFiles.reduce((sum, file) => sum + file.bytesDownloaded, 0),
    },
    products: orderProducts.map((product) => ({
      ordinal: product.ordinal,
      status: product.status as ProductStatus,
      filters: filtersOf(product),
      dpRequestId: product.dpRequestId,
      requestsSent: product.requestsSent,
      requestsLost: product.requestsLost,
      attempts: product.attempts,
      reorders: product.reorders,
      ...(product.errorMessage
        ? { error: { code: product.errorCode, parameter: product.errorParameter, message: product.errorMessage } }
        : {}),
      estimatedFileSizeBytes: product.estimatedFileSizeBytes,
      estimatedProcessingSeconds: product.estimatedProcessingSeconds,
      messages: JSON.parse(product.messages) as string[],
      lastOncMessage: product.lastOncMessage,
      runs: (runsByProduct.get(product.id) ?? [])
        .sort((a, b) => a.ordinal - b.ordinal)
        .map((run) => ({ dpRunId: run.dpRunId, status: run.status, fileCount: run.fileCount })),
      files: (filesByProduct.get(product.id) ?? []).map((file) => ({
        id: file.id,
        path: file.relativePath,
        size: file.size,
        sha256: file.status === 'complete' ? file.sha256 : null,
        status: file.status as FileStatus,
        index: file.fileIndex,
        run: file.runOrdinal,
        dpRunId: file.dpRunId,
        bytesDownloaded: file.bytesDownloaded,
        attempts: file.attempts,
        ...(file.lastError && file.status !== 'complete' ? { error: file.lastError } : {}),
      })),
    })),
  };
}

/** A page cursor that names no order: restarting from page 1 instead could make a client loop forever. */
export class UnknownCursorError extends Error {
  constructor(readonly cursor: string) {
    super(`cursor "${cursor}" names no order`);
    this.name = 'UnknownCursorError';
  }
}

/** Orders, newest first, optionally of one status; `cursor` is the id of the last order of the previous page. */
export function listOrders(
  db: AppDatabase,
  query: { status?: OrderStatus; limit: number; cursor?: string },
): { items: OrderSummary[]; nextCursor: string | null; total: number } {
  const statusFilter = query.status ? eq(orders.status, query.status) : undefined;
  const after = query.cursor ? findOrder(db, query.cursor) : undefined;
  if (query.cursor && !after) throw new UnknownCursorError(query.cursor);
  const pageFilter = after
    ? or(lt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), lt(orders.id, after.id)))
    : undefined;
  const rows = db
    .select()
    .from(orders)
    .where(and(statusFilter, pageFilter))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(query.limit + 1)
    .all();
  const total = db.select({ n: count() }).from(orders).where(statusFilter).get()?.n ?? 0;
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(summary),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    total,
  };
}

/** Every recorded transition, retry, re-order, cancel and restart of an order, oldest first. */
export function getOrderEvents(db: AppDatabase, orderId: string) {
  return db
    .select()
    .from(events)
    .where(eq(events.orderId, orderId))
    .orderBy(events.id)
    .all()
    .map((event) => ({
      at: new Date(event.at).toISOString(),
      entity: event.entity,
      entityId: event.entityId,
      kind: event.kind,
      from: event.fromStatus,
      to: event.toStatus,
      reason: event.reason,
    }));
}
