import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { events, files, orders, products } from '../db/schema.js';
import { IllegalTransitionError } from './illegal-transition-error.js';
import { fileTransitions, type FileStatus } from './file-status.js';
import { orderTransitions, type OrderStatus } from './order-status.js';
import { productTransitions, type ProductStatus } from './product-status.js';

/**
 * The only code that writes status columns. Each change runs in an IMMEDIATE transaction (so two processes cannot both
 * read the old status and both move on), is checked against the entity's transition table, and is recorded in
 * `events` with its reason. Moving to the status an entity already has is a no-op, which makes retried jobs harmless.
 */

export interface TransitionOptions<S extends string, P> {
  reason: string;
  /** Only move when the current status is one of these (stricter than the table); otherwise nothing changes. */
  onlyFrom?: readonly S[];
  /** Other columns written in the same transaction. */
  patch?: P;
}

export interface TransitionResult<S extends string> {
  changed: boolean;
  from: S;
}

interface Machine<S extends string> {
  entity: 'order' | 'product' | 'file';
  transitions: Record<S, readonly S[]>;
}

function decide<S extends string>(
  machine: Machine<S>,
  id: string | number,
  current: S | undefined,
  to: S,
  onlyFrom: readonly S[] | undefined,
): boolean {
  if (current === undefined) throw new IllegalTransitionError(machine.entity, id, undefined, to);
  if (current === to) return false;
  if (onlyFrom && !onlyFrom.includes(current)) return false;
  if (!machine.transitions[current].includes(to)) throw new IllegalTransitionError(machine.entity, id, current, to);
  return true;
}

function record(
  db: AppDatabase,
  orderId: string,
  entity: string,
  id: string | number,
  from: string,
  to: string,
  reason: string,
) {
  db.insert(events)
    .values({ orderId, entity, entityId: String(id), kind: 'transition', fromStatus: from, toStatus: to, reason })
    .run();
}

type OrderPatch = Partial<Omit<typeof orders.$inferInsert, 'id' | 'status'>>;
type ProductPatch = Partial<Omit<typeof products.$inferInsert, 'id' | 'status'>>;
type FilePatch = Partial<Omit<typeof files.$inferInsert, 'id' | 'status'>>;

export function transitionOrder(
  db: AppDatabase,
  orderId: string,
  to: OrderStatus,
  options: TransitionOptions<OrderStatus, OrderPatch>,
): TransitionResult<OrderStatus> {
  return db.transaction(
    (tx) => {
      const row = tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).get();
      const from = row?.status as OrderStatus | undefined;
      const changed = decide({ entity: 'order', transitions: orderTransitions }, orderId, from, to, options.onlyFrom);
      if (changed) {
        tx.update(orders)
          .set({ ...options.patch, status: to, updatedAt: Date.now() })
          .where(and(eq(orders.id, orderId)))
          .run();
        record(tx, orderId, 'order', orderId, from as string, to, options.reason);
      }
      return { changed, from: from as OrderStatus };
    },
    { behavior: 'immediate' },
  );
}

export function transitionProduct(
  db: AppDatabase,
  productId: number,
  to: ProductStatus,
  options: TransitionOptions<ProductStatus, ProductPatch>,
): TransitionResult<ProductStatus> {
  return db.transaction(
    (tx) => {
      const row = tx
        .select({ status: products.status, orderId: products.orderId })
        .from(products)
        .where(eq(products.id, productId))
        .get();
      const from = row?.status as ProductStatus | undefined;
      const changed = decide(
        { entity: 'product', transitions: productTransitions },
        productId,
        from,
        to,
        options.onlyFrom,
      );
      if (changed && row) {
        tx.update(products)
          .set({ ...options.patch, status: to, updatedAt: Date.now() })
          .where(eq(products.id, productId))
          .run();
        record(tx, row.orderId, 'product', productId, row.status, to, options.reason);
      }
      return { changed, from: from as ProductStatus };
    },
    { behavior: 'immediate' },
  );
}

export function transitionFile(
  db: AppDatabase,
  fileId: number,
  to: FileStatus,
  options: TransitionOptions<FileStatus, FilePatch>,
): TransitionResult<FileStatus> {
  return db.transaction(
    (tx) => {
      const row = tx
        .select({ status: files.status, orderId: files.orderId })
        .from(files)
        .where(eq(files.id, fileId))
        .get();
      const from = row?.status as FileStatus | undefined;
      const changed = decide({ entity: 'file', transitions: fileTransitions }, fileId, from, to, options.onlyFrom);
      if (changed && row) {
        tx.update(files)
          .set({ ...options.patch, status: to, updatedAt: Date.now() })
          .where(eq(files.id, fileId))
          .run();
        record(tx, row.orderId, 'file', fileId, row.status, to, options.reason);
      }
      return { changed, from: from as FileStatus };
    },
    { behavior: 'immediate' },
  );
}

/** A history entry that is not a status change: a retry, a re-order, a cancel or restart request. */
export function recordEvent(
  db: AppDatabase,
  orderId: string,
  entity: 'order' | 'product' | 'file',
  entityId: string | number,
  kind: string,
  reason: string,
): void {
  db.insert(events)
    .values({ orderId, entity, entityId: String(entityId), kind, reason })
    .run();
}
