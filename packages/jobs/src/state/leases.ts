import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { files, products } from '../db/schema.js';

export type LeasedTable = 'products' | 'files';

const tables = { products, files };

function claimStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `claimLease:${table}`, () => {
    const target = tables[table];
    return db
      .update(target)
      .set({ leaseOwner: sql`${sql.placeholder('owner')}`, leaseUntil: sql`${sql.placeholder('until')}` })
      .where(
        and(
          eq(target.id, sql.placeholder('id')),
          or(
            isNull(target.leaseOwner),
            eq(target.leaseOwner, sql.placeholder('owner')),
            lt(target.leaseUntil, sql.placeholder('now')),
          ),
        ),
      )
      .prepare();
  });
}

function releaseStatement(db: AppDatabase, table: LeasedTable) {
  return prepared(db, `releaseLease:${table}`, () => {
    const target = tables[table];
    return db
      .update(target)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(target.id, sql.placeholder('id')), eq(target.leaseOwner, sql.placeholder('owner'))))
      .prepare();
  });
}

/**
 * Takes (or renews) the lease on a product or file row for `ttlMs`. Returns false while another live job run holds
 * it. Expired leases (their worker died) are taken over.
 */
export function claimLease(db: AppDatabase, table: LeasedTable, id: number, owner: string, ttlMs: number): boolean {
  const now = Date.now();
  return claimStatement(db, table).run({ owner, until: now + ttlMs, id, now }).changes === 1;
}

export function releaseLease(db: AppDatabase, table: LeasedTable, id: number, owner: string): void {
  releaseStatement(db, table).run({ id, owner });
}
