import { eq, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { writeColumns, type FilePatch, type OrderPatch, type ProductPatch } from '../db/update-by-id.js';
import { transitionInOneStatement, type StepPosition, type TransitionedTable } from '../db/pg-transition-statement.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import { dialectOf, tablesOf } from '../db/tables.js';
import { IllegalTransitionError } from './illegal-transition-error.js';
import { fileTransitions, type FileStatus } from './file-status.js';
import { orderTransitions, type OrderStatus } from './order-status.js';
import { productTransitions, type ProductStatus } from './product-status.js';
import { queueWebhookDelivery } from '../webhooks/webhook-outbox.js';

/**
 * The only code that writes status columns. Each change runs in an IMMEDIATE transaction (so two processes cannot both
 * read the old status and both move on), or on PostgreSQL as one statement that locks the row it reads, is checked
 * against the entity's transition table, and is recorded in `events` with its reason. Moving to the status an entity
 * already has is a no-op, which makes retried jobs harmless.
 */

export interface TransitionOptions<S extends string, P> {
  reason: string;
  /** Only move when the current status is one of these (stricter than the table); otherwise nothing changes. */
  onlyFrom?: readonly S[];
  /** Other columns written in the same transaction. */
  patch?: P;
}

export interface ProductTransitionOptions extends TransitionOptions<ProductStatus, ProductPatch> {
  /**
   * Only move while the product is at this step of this generation, as the step whose outcome moves it found it:
   * what moved it meanwhile (another step, a restart) is not overwritten, and nothing changes.
   */
  atStep?: StepPosition;
}

/** The options of any entity's transition, as the code shared by the three sees them. */
type AnyTransitionOptions<S extends string, P> = TransitionOptions<S, P> & { atStep?: StepPosition };

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

async function insertEvent(
  db: AppDatabase,
  values: {
    orderId: string;
    entity: string;
    entityId: string;
    kind: string;
    from: string | null;
    to: string | null;
    reason: string;
  },
): Promise<void> {
  const { events } = tablesOf(db);
  await prepared(db, 'insertEvent', () =>
    db.insert(events).values({
      orderId: sql.placeholder('orderId'),
      entity: sql.placeholder('entity'),
      entityId: sql.placeholder('entityId'),
      kind: sql.placeholder('kind'),
      fromStatus: sql.placeholder('from'),
      toStatus: sql.placeholder('to'),
      reason: sql.placeholder('reason'),
    }),
  ).execute(values);
}

async function record(
  db: AppDatabase,
  orderId: string,
  entity: string,
  id: string | number,
  from: string,
  to: string,
  reason: string,
): Promise<void> {
  await insertEvent(db, { orderId, entity, entityId: String(id), kind: 'transition', from, to, reason });
}

/** How one kind of entity is read and written; the checking and recording are the same for all three. */
interface EntityAccess<S extends string, P, Id extends string | number> {
  machine: Machine<S>;
  /** The row's status and order, and where a product stands in its steps (other entities have no steps). */
  read(tx: AppDatabase, id: Id): Promise<({ status: S; orderId: string } & Partial<StepPosition>) | undefined>;
  write(tx: AppDatabase, id: Id, values: P & { status: S; updatedAt: number }): Promise<void>;
  /** What else a change commits with it (an order's end: its webhook delivery). */
  afterChange?(tx: AppDatabase, id: Id, to: S): Promise<void>;
  /** The table, where PostgreSQL reads, writes and records a change in one statement (nothing else commits with it). */
  oneStatementTable?: TransitionedTable;
}

/** The statuses from which `to` is a change the table allows and the caller asked for. */
function statusesMovingTo<S extends string>(machine: Machine<S>, to: S, onlyFrom: readonly S[] | undefined): S[] {
  return (Object.keys(machine.transitions) as S[]).filter(
    (from) => from !== to && machine.transitions[from].includes(to) && (!onlyFrom || onlyFrom.includes(from)),
  );
}

/**
 * The same transition as one statement on PostgreSQL. It changes the row only from a status `decide` accepts, so
 * when `decide` then throws for an illegal change, nothing was written.
 */
function applyInOneStatement<S extends string, P, Id extends string | number>(
  db: AppDatabase,
  access: EntityAccess<S, P, Id>,
  table: TransitionedTable,
  id: Id,
  to: S,
  options: AnyTransitionOptions<S, P>,
): Promise<TransitionResult<S>> {
  return inWriteTransaction(db, async (tx) => {
    const row = await transitionInOneStatement(tx, {
      table,
      entity: access.machine.entity as 'product' | 'file',
      id: Number(id),
      to,
      movesFrom: statusesMovingTo(access.machine, to, options.onlyFrom),
      reason: options.reason,
      columns: { ...(options.patch as object), updatedAt: Date.now() },
      ...(options.atStep ? { atStep: options.atStep } : {}),
    });
    const from = row?.status as S | undefined;
    if (options.atStep && !(row && isAt(row, options.atStep))) return { changed: false, from: from ?? to };
    // The statement moves the row only from a status decide() accepts.
    const changed = decide(access.machine, id, from, to, options.onlyFrom);
    return { changed, from: from ?? to };
  });
}

function applyTransition<S extends string, P, Id extends string | number>(
  db: AppDatabase,
  access: EntityAccess<S, P, Id>,
  id: Id,
  to: S,
  options: AnyTransitionOptions<S, P>,
): Promise<TransitionResult<S>> {
  if (access.oneStatementTable && dialectOf(db) === 'postgres')
    return applyInOneStatement(db, access, access.oneStatementTable, id, to, options);
  const change = async (tx: AppDatabase): Promise<TransitionResult<S>> => {
    const row = await access.read(tx, id);
    const from = row?.status;
    // A product that is gone is not at the step either.
    if (options.atStep && !(row && isAt(row, options.atStep))) return { changed: false, from: row?.status ?? to };
    const changed = decide(access.machine, id, from, to, options.onlyFrom);
    if (changed && row) {
      await access.write(tx, id, { ...(options.patch as P), status: to, updatedAt: Date.now() });
      await record(tx, row.orderId, access.machine.entity, id, row.status, to, options.reason);
      await access.afterChange?.(tx, id, to);
    }
    // decide() throws for a missing row, so `from` is known here.
    return { changed, from: from ?? to };
  };
  return inWriteTransaction(db, change);
}

function isAt(row: Partial<StepPosition>, position: StepPosition): boolean {
  return row.step === position.step && row.generation === position.generation;
}

function first<T>(rows: readonly T[]): T | undefined {
  return rows[0];
}

/** The status of one row and the order it belongs to, the only read a transition needs. */
const statusQueries = {
  order: (tx: AppDatabase) => {
    const { orders } = tablesOf(tx);
    return tx
      .select({ status: orders.status, orderId: orders.id })
      .from(orders)
      .where(eq(orders.id, sql.placeholder('id')));
  },
  product: (tx: AppDatabase) => {
    const { products } = tablesOf(tx);
    return tx
      .select({
        status: products.status,
        orderId: products.orderId,
        step: products.step,
        generation: products.generation,
      })
      .from(products)
      .where(eq(products.id, sql.placeholder('id')));
  },
  file: (tx: AppDatabase) => {
    const { files } = tablesOf(tx);
    return tx
      .select({ status: files.status, orderId: files.orderId })
      .from(files)
      .where(eq(files.id, sql.placeholder('id')));
  },
};

const orderAccess: EntityAccess<OrderStatus, OrderPatch, string> = {
  machine: { entity: 'order', transitions: orderTransitions },
  read: async (tx, id) => first(await prepared(tx, 'readStatus:order', () => statusQueries.order(tx)).execute({ id })),
  write: async (tx, id, values) => {
    const { orders } = tablesOf(tx);
    await tx.update(orders).set(values).where(eq(orders.id, id));
  },
  // Every end of an order passes here (finalize, a failed order step, a whole-order refusal, a cancel), so none is
  // left unannounced.
  afterChange: (tx, id, to) => queueWebhookDelivery(tx, id, to),
};

const productAccess: EntityAccess<ProductStatus, ProductPatch, number> = {
  machine: { entity: 'product', transitions: productTransitions },
  read: async (tx, id) =>
    first(await prepared(tx, 'readStatus:product', () => statusQueries.product(tx)).execute({ id })),
  write: (tx, id, values) => writeColumns(tx, 'products', id, values),
  oneStatementTable: 'products',
};

const fileAccess: EntityAccess<FileStatus, FilePatch, number> = {
  machine: { entity: 'file', transitions: fileTransitions },
  read: async (tx, id) => first(await prepared(tx, 'readStatus:file', () => statusQueries.file(tx)).execute({ id })),
  write: (tx, id, values) => writeColumns(tx, 'files', id, values),
  oneStatementTable: 'files',
};

export function transitionOrder(
  db: AppDatabase,
  orderId: string,
  to: OrderStatus,
  options: TransitionOptions<OrderStatus, OrderPatch>,
): Promise<TransitionResult<OrderStatus>> {
  return applyTransition(db, orderAccess, orderId, to, options);
}

export function transitionProduct(
  db: AppDatabase,
  productId: number,
  to: ProductStatus,
  options: ProductTransitionOptions,
): Promise<TransitionResult<ProductStatus>> {
  return applyTransition(db, productAccess, productId, to, options);
}

export function transitionFile(
  db: AppDatabase,
  fileId: number,
  to: FileStatus,
  options: TransitionOptions<FileStatus, FilePatch>,
): Promise<TransitionResult<FileStatus>> {
  return applyTransition(db, fileAccess, fileId, to, options);
}

/** A history entry that is not a status change: a retry, a re-order, a cancel or restart request. */
export async function recordEvent(
  db: AppDatabase,
  orderId: string,
  entity: 'order' | 'product' | 'file',
  entityId: string | number,
  kind: string,
  reason: string,
): Promise<void> {
  await inWriteTransaction(db, (tx) =>
    insertEvent(tx, { orderId, entity, entityId: String(entityId), kind, from: null, to: null, reason }),
  );
}
