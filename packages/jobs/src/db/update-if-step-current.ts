import { and, eq, sql } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import type { ProductRow } from './schema.js';
import { tablesOf } from './tables.js';
import { patchColumns, type ProductPatch } from './update-by-id.js';

/**
 * Writes a step's columns on its product only while the product is where the step found it (the same status, step
 * and generation: see stepIsCurrent), as one conditional UPDATE prepared once per set of columns, and resolves to
 * whether it did. The condition is checked on the row's newest version as it is written, so nothing that moved the
 * product meanwhile (a cancel, a restart, another step) is overwritten. Values must be plain, as for updateById.
 */
export async function updateIfStepCurrent(
  db: AppDatabase,
  found: Pick<ProductRow, 'id' | 'status' | 'step' | 'generation'>,
  values: ProductPatch,
): Promise<boolean> {
  const patch = patchColumns(values);
  const statement = prepared(db, `updateIfStepCurrent:${patch.key}`, () => {
    const { products } = tablesOf(db);
    return db
      .update(products)
      .set(patch.set())
      .where(
        and(
          eq(products.id, sql.placeholder('__id')),
          eq(products.status, sql.placeholder('__status')),
          eq(products.step, sql.placeholder('__step')),
          eq(products.generation, sql.placeholder('__generation')),
        ),
      )
      .returning({ id: products.id });
  });
  const written = await statement.execute({
    ...patch.values,
    __id: found.id,
    __status: found.status,
    __step: found.step,
    __generation: found.generation,
  });
  return written.length === 1;
}
