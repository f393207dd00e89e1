import { and, count, desc, eq, lt, or } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { filesOfOrder, findOrder, productsOfOrder } from '../db/repository.js';
import { events, orders, type FileRow, type OrderRow, type ProductRow } from '../db/schema.js';
import type { SourceRegistry } from '../sources/source-registry.js';
import type { OrderStatus } from '../state/order-status.js';
import type { FileView, OrderEvent, OrderSummary, OrderView, ProductView } from './order-view-schema.js';

/** How an order's source shows it: known even where the source is not configured (see SourceRegistry.viewOf). */
type View = NonNullable<ReturnType<SourceRegistry['viewOf']>>;

function summary(order: OrderRow, view: View | undefined): OrderSummary {
  return {
    id: order.id,
    source: order.source,
    label: order.label,
    status: order.status,
    productCount: order.productCount,
    ...view?.order(JSON.parse(order.spec) as unknown),
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
    finishedAt: order.finishedAt ? new Date(order.finishedAt).toISOString() : null,
    ...(order.errorMessage ? { error: order.errorMessage } : {}),
  };
}

/** Map.groupBy arrived in Node 21; this runs on Node 20. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
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

function fileView(file: FileRow, view: View | undefined, params: unknown, state: unknown): FileView {
  return {
    id: file.id,
    ref: file.ref,
    path: file.relativePath,
    size: file.size,
    sha256: file.status === 'complete' ? file.sha256 : null,
    status: file.status,
    ...(file.rows !== null ? { rows: file.rows } : {}),
    ...view?.file(JSON.parse(file.meta) as unknown, params, state),
    bytesDownloaded: file.bytesDownloaded,
    attempts: file.attempts,
    ...(file.lastError && file.status !== 'complete' ? { error: file.lastError } : {}),
  };
}

/** The product's status as its source's users know it (ONC: "requested", "running" while preparing). */
function shownStatus(product: ProductRow, view: View | undefined): string {
  return view?.productStatus?.(product.status, JSON.parse(product.state) as unknown) ?? product.status;
}

export function productView(
  product: ProductRow,
  productFiles: readonly FileRow[],
  view: View | undefined,
): ProductView {
  const params = JSON.parse(product.params) as unknown;
  const state = JSON.parse(product.state) as unknown;
  return {
    ordinal: product.ordinal,
    status: view?.productStatus?.(product.status, state) ?? product.status,
    ...view?.product(params, state, { note: product.note }),
    attempts: product.attempts,
    reorders: product.reorders,
    ...(product.errorMessage
      ? { error: { code: product.errorCode, parameter: product.errorParameter, message: product.errorMessage } }
      : {}),
    files: productFiles.map((file) => fileView(file, view, params, state)),
  };
}

/** An order as the API shows it: its products and files, with paths relative to DOWNLOAD_DIR. */
export function getOrderView(db: AppDatabase, sources: SourceRegistry, orderId: string): OrderView | undefined {
  const order = findOrder(db, orderId);
  if (!order) return undefined;
  const view = sources.viewOf(order.source);
  const orderProducts = productsOfOrder(db, orderId);
  const orderFiles = filesOfOrder(db, orderId);
  const filesByProduct = groupBy(orderFiles, (file) => file.productId);
  return {
    ...summary(order, view),
    spec: JSON.parse(order.spec) as unknown,
    progress: {
      products: tally(orderProducts.map((product) => shownStatus(product, view))),
      files: tally(orderFiles.map((file) => file.status)),
      filesTotal: orderFiles.length,
      filesComplete: orderFiles.filter((file) => file.status === 'complete').length,
      bytesDownloaded: orderFiles.reduce((sum, file) => sum + file.bytesDownloaded, 0),
    },
    products: orderProducts.map((product) => productView(product, filesByProduct.get(product.id) ?? [], view)),
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
  sources: SourceRegistry,
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
    items: page.map((order) => summary(order, sources.viewOf(order.source))),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    total,
  };
}

/** Every recorded transition, retry, re-order, cancel and restart of an order, oldest first. */
export function getOrderEvents(db: AppDatabase, orderId: string): OrderEvent[] {
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
