import { and, count, desc, eq, gt, lt, or } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { filesOfProducts, findOrder, firstProductsOfOrder } from '../db/repository.js';
import type { FileRow, OrderRow, ProductRow } from '../db/schema.js';
import { tablesOf } from '../db/tables.js';
import type { SourceViews } from '../sources/source-views.js';
import type { OrderStatus } from '../state/order-status.js';
import { parseStoredNotify } from '../webhooks/notify-spec.js';
import { namesOfEventEntities } from './event-names.js';
import { orderProgress } from './order-progress.js';
import {
  maxProductsInView,
  productsInBigView,
  type FileView,
  type OrderEvent,
  type OrderSummary,
  type OrderView,
  type ProductView,
} from './order-view-schema.js';

/** How an order's source shows it: known even where the source is not configured (see SourceRegistry.viewOf). */
type View = NonNullable<ReturnType<SourceViews['viewOf']>>;

async function summary(db: AppDatabase, order: OrderRow, view: View | undefined): Promise<OrderSummary> {
  const progress = await orderProgress(db, order.id, view);
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
    progress,
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

/**
 * An order as the API shows it: its progress, and its products with their files (paths relative to DOWNLOAD_DIR) —
 * all of them up to `maxProductsInView`, the first `productsInBigView` of a bigger order, or as many as
 * `productLimit` asks (0: none, for a client that follows the progress alone).
 */
export async function getOrderView(
  db: AppDatabase,
  sources: SourceViews,
  orderId: string,
  options: { productLimit?: number } = {},
): Promise<OrderView | undefined> {
  const order = await findOrder(db, orderId);
  if (!order) return undefined;
  const view = sources.viewOf(order.source);
  const cap = order.productCount <= maxProductsInView ? maxProductsInView : productsInBigView;
  const limit = Math.min(cap, options.productLimit ?? cap);
  const shown = limit > 0 ? await firstProductsOfOrder(db, orderId, limit) : [];
  const shownFiles = await filesOfProducts(
    db,
    shown.map((product) => product.id),
  );
  const filesByProduct = groupBy(shownFiles, (file) => file.productId);
  return {
    ...(await summary(db, order, view)),
    spec: JSON.parse(order.spec) as unknown,
    notify: parseStoredNotify(order.notify),
    products: shown.map((product) => productView(product, filesByProduct.get(product.id) ?? [], view)),
    productsShown: shown.length,
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
export async function listOrders(
  db: AppDatabase,
  sources: SourceViews,
  query: { status?: OrderStatus; limit: number; cursor?: string },
): Promise<{ items: OrderSummary[]; nextCursor: string | null; total: number }> {
  const { orders } = tablesOf(db);
  const statusFilter = query.status ? eq(orders.status, query.status) : undefined;
  const after = query.cursor ? await findOrder(db, query.cursor) : undefined;
  if (query.cursor && !after) throw new UnknownCursorError(query.cursor);
  const pageFilter = after
    ? or(lt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), lt(orders.id, after.id)))
    : undefined;
  const rows = await db
    .select()
    .from(orders)
    .where(and(statusFilter, pageFilter))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(query.limit + 1);
  const [counted] = await db.select({ n: count() }).from(orders).where(statusFilter);
  const total = counted?.n ?? 0;
  const page = rows.slice(0, query.limit);
  return {
    items: await Promise.all(page.map((order) => summary(db, order, sources.viewOf(order.source)))),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    total,
  };
}

/**
 * An order's recorded transitions, retries, re-orders, cancels and restarts, oldest first: all of them, or a page of
 * `limit` after the event `after`. Each names its product by ordinal and its file by path, as the order view does.
 */
export async function getOrderEvents(
  db: AppDatabase,
  orderId: string,
  page: { after?: number; limit?: number } = {},
): Promise<OrderEvent[]> {
  const { events } = tablesOf(db);
  const query = db
    .select()
    .from(events)
    .where(and(eq(events.orderId, orderId), page.after !== undefined ? gt(events.id, page.after) : undefined))
    .orderBy(events.id);
  const rows = await (page.limit !== undefined ? query.limit(page.limit) : query);
  const { ordinals, fileNames } = await namesOfEventEntities(db, orderId, rows);
  const productIdOrdinal = (productId: number) => ordinals.get(String(productId));
  return rows.map((event) => {
    const file = event.entity === 'file' ? fileNames.get(event.entityId) : undefined;
    const product =
      event.entity === 'product' ? ordinals.get(event.entityId) : file && productIdOrdinal(file.productId);
    return {
      id: event.id,
      at: new Date(event.at).toISOString(),
      entity: event.entity,
      entityId: event.entityId,
      ...(product !== undefined ? { product } : {}),
      ...(file ? { file: file.path ?? file.ref } : {}),
      kind: event.kind,
      from: event.fromStatus,
      to: event.toStatus,
      reason: event.reason,
    };
  });
}
