import { and, eq, inArray } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import type { EventRow } from '../db/schema.js';
import { tablesOf } from '../db/tables.js';

/** SQLite takes many more bound values, but chunks of this size keep each statement's plan cheap. */
const idsPerQuery = 500;

async function inChunks<T>(ids: readonly number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const found: T[] = [];
  for (let start = 0; start < ids.length; start += idsPerQuery)
    found.push(...(await read(ids.slice(start, start + idsPerQuery))));
  return found;
}

const idsOf = (events: readonly EventRow[], entity: string): number[] => [
  ...new Set(
    events
      .filter((event) => event.entity === entity)
      .map((event) => Number(event.entityId))
      .filter(Number.isSafeInteger),
  ),
];

/**
 * What a page of the history names its products and files by: each product's ordinal, each file's path (its ref
 * until it has one) and product. Only the page's own entities are read, so a page costs the same on an order of
 * 10,000 products as on one of ten.
 */
export async function namesOfEventEntities(db: AppDatabase, orderId: string, events: readonly EventRow[]) {
  const { products, files } = tablesOf(db);
  const fileRows = await inChunks(idsOf(events, 'file'), async (chunk) =>
    db
      .select({ id: files.id, path: files.relativePath, ref: files.ref, productId: files.productId })
      .from(files)
      .where(and(eq(files.orderId, orderId), inArray(files.id, chunk))),
  );
  const productIds = [...new Set([...idsOf(events, 'product'), ...fileRows.map((file) => file.productId)])];
  const productRows = await inChunks(productIds, async (chunk) =>
    db
      .select({ id: products.id, ordinal: products.ordinal })
      .from(products)
      .where(and(eq(products.orderId, orderId), inArray(products.id, chunk))),
  );
  return {
    ordinals: new Map(productRows.map((row) => [String(row.id), row.ordinal])),
    fileNames: new Map(fileRows.map((row) => [String(row.id), row])),
  };
}
