import type { RunInfo } from '@onc-orders/onc-client';
import { sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { findOrder, runOfProduct, runsOfProduct } from '../db/repository.js';
import { prepared } from '../db/prepared.js';
import { updateById } from '../db/update-by-id.js';
import { runs, type ProductRow } from '../db/schema.js';
import { leaseEnded } from '../state/leases.js';
import { transitionProduct } from '../state/transition.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import { insertPendingFile } from '../db/insert-pending-file.js';

function insertRunStatement(db: AppDatabase) {
  return prepared(db, 'insertRun', () =>
    db
      .insert(runs)
      .values({
        productId: sql.placeholder('productId'),
        ordinal: sql.placeholder('ordinal'),
        dpRunId: sql.placeholder('dpRunId'),
        status: sql.placeholder('status'),
        fileCount: sql.placeholder('fileCount'),
        updatedAt: sql.placeholder('updatedAt'),
      })
      .prepare(),
  );
}

/**
 * Saves ONC's runs of a product, matched by their position in ONC's answer. A re-ordered product gets new dpRunIds
 * for the same positions, so its files (keyed by position and index) carry over.
 */
export function recordRuns(db: AppDatabase, productId: number, oncRuns: readonly RunInfo[]): void {
  inWriteTransaction(db, (tx) => {
    oncRuns.forEach((run, ordinal) => {
      const values = {
        dpRunId: run.dpRunId,
        status: run.status,
        fileCount: run.fileCount ?? null,
        updatedAt: Date.now(),
      };
      const existing = runOfProduct(tx, productId, ordinal);
      if (!existing) {
        insertRunStatement(tx).run({ productId, ordinal, ...values });
        return;
      }
      // `status` reports no file count: keep the one `run` gave for the same run.
      const fileCount = run.fileCount ?? (existing.dpRunId === run.dpRunId ? existing.fileCount : null);
      updateById(tx, 'runs', existing.id, { ...values, fileCount });
    });
  });
}

/**
 * Every run is complete: create a row per expected file (all indices when ONC told the count, otherwise index 1, and
 * each success adds the next until ONC answers 204/404), plus the metadata file, and move the product to downloading,
 * in one transaction. Files already complete (a re-ordered product) are left alone.
 */
export function createFilesAndStartDownloading(db: AppDatabase, product: ProductRow, reason: string): void {
  const order = findOrder(db, product.orderId);
  if (!order) return;
  inWriteTransaction(db, (tx) => {
    for (const run of runsOfProduct(tx, product.id)) {
      const indices: string[] = [];
      const count = run.fileCount ?? 0;
      for (let index = 1; index <= Math.max(1, count); index += 1) indices.push(String(index));
      if (order.includeMetadataFile) indices.push('meta');
      for (const fileIndex of indices) {
        insertPendingFile(tx, { orderId: product.orderId, productId: product.id, runOrdinal: run.ordinal, fileIndex });
      }
    }
    // Only the run or poll job holding the product's lease comes here, and this is its last write on the product.
    transitionProduct(tx, product.id, 'downloading', {
      reason,
      onlyFrom: ['requested', 'running'],
      patch: leaseEnded,
    });
  });
}
