import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { inKeyOrder, readByKey, type KeyedRead } from '../db/batched-reads.js';
import type { AppDatabase } from '../db/database.js';
import { databaseNowMs } from '../db/database-clock.js';
import { pgStatement, runPgStatement } from '../db/pg-statement.js';
import { prepared } from '../db/prepared.js';
import { tablesOf } from '../db/tables.js';
import { inOneStatement, inWriteTransaction } from '../db/write-transaction.js';

export type LeasedTable = 'products' | 'files';

function claimStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `claimLease:${table}`, () => {
    const target = tablesOf(db)[table];
    const now = databaseNowMs(db);
    return db
      .update(target)
      .set({ leaseOwner: sql`${sql.placeholder('owner')}`, leaseUntil: sql`${now} + ${sql.placeholder('ttlMs')}` })
      .where(
        and(
          eq(target.id, sql.placeholder('id')),
          or(isNull(target.leaseOwner), eq(target.leaseOwner, sql.placeholder('owner')), lt(target.leaseUntil, now)),
        ),
      )
      .returning({ id: target.id });
  });
}

function releaseStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `releaseLease:${table}`, () => {
    const target = tablesOf(db)[table];
    return db
      .update(target)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(target.id, sql.placeholder('id')), eq(target.leaseOwner, sql.placeholder('owner'))));
  });
}

/**
 * Takes (or renews) the lease on a product or file row for `ttlMs`. Returns false while another live job run holds
 * it. Expired leases (their worker died) are taken over. One conditional UPDATE, timed on the database's clock: the
 * hosts that race for a lease may disagree about the time, never about the database's.
 */
export async function claimLease(
  db: AppDatabase,
  table: LeasedTable,
  id: number,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  const claimed = await inWriteTransaction(db, (tx) => claimStatement(tx, table).execute({ owner, ttlMs, id }));
  return claimed.length === 1;
}

/** Who holds the lease on a row, if anyone; the rows a worker's jobs end in one turn are asked about together. */
function leaseHolderOf(table: LeasedTable): KeyedRead<number, string | null | undefined> {
  const many = pgStatement(
    `leaseHolder:${table}:many`,
    `select "id", "lease_owner" from "${table}" where "id" = any($1::integer[])`,
  );
  return {
    name: `leaseHolder:${table}`,
    one: async (db, id) => {
      const [holder] = await prepared(db, `leaseHolder:${table}`, () => {
        const target = tablesOf(db)[table];
        return db
          .select({ owner: target.leaseOwner })
          .from(target)
          .where(eq(target.id, sql.placeholder('id')));
      }).execute({ id });
      return holder?.owner;
    },
    many: async (db, keys) => {
      const rows = await runPgStatement<{ id: number; lease_owner: string | null }>(db, many, [keys]);
      return inKeyOrder(
        keys,
        rows,
        (row) => row.id,
        (row) => row.lease_owner,
      );
    },
  };
}

const leaseHolders = { products: leaseHolderOf('products'), files: leaseHolderOf('files') };

/**
 * Ends the lease if `owner` still holds it. The last write of a job often ended it already (a file recorded complete
 * drops its lease); looking first spares a write, and with it a turn at the database's one write lock. The write is
 * one conditional statement, which may be sent twice to the same effect (inOneStatement).
 */
export async function releaseLease(db: AppDatabase, table: LeasedTable, id: number, owner: string): Promise<void> {
  if ((await readByKey(db, leaseHolders[table], id)) !== owner) return;
  await inOneStatement(db, (tx) => releaseStatement(tx, table).execute({ id, owner }));
}

/**
 * Columns that end a job's lease in the job's own last write on its row (a transition's patch). After that write the
 * job only queues the next step, and ending the lease there spares a separate write for the release.
 */
export const leaseEnded = { leaseOwner: null, leaseUntil: null } as const;
