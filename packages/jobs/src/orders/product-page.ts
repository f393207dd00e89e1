import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { findOrder } from '../db/repository.js';
import { tablesOf } from '../db/tables.js';
import type { SourceViews } from '../sources/source-views.js';
import type { ProductStatus } from '../state/product-status.js';
import type { ProductView } from './order-view-schema.js';
import { groupBy, productView } from './order-view.js';

export interface ProductPageQuery {
  /** Only products in this core status (the one the database keeps, not a source's finer name for it). */
  status?: ProductStatus;
  /** `nextCursor` of the previous page: the ordinal of its last product. */
  cursor?: number;
  limit: number;
}

export interface ProductPage {
  items: ProductView[];
  nextCursor: number | null;
}

/**
 * One page of an order's products in ordinal order, each shown as in the order view (files included), so that an
 * order of any size can be read a bounded piece at a time. Undefined when there is no such order.
 */
export async function getProductPage(
  db: AppDatabase,
  sources: SourceViews,
  orderId: string,
  query: ProductPageQuery,
): Promise<ProductPage | undefined> {
  const { products, files } = tablesOf(db);
  const order = await findOrder(db, orderId);
  if (!order) return undefined;
  const view = sources.viewOf(order.source);
  // One row past the page tells whether another page follows, without counting.
  const rows = await db
    .select()
    .from(products)
    .where(
      and(
        eq(products.orderId, orderId),
        query.status ? eq(products.status, query.status) : undefined,
        query.cursor !== undefined ? gt(products.ordinal, query.cursor) : undefined,
      ),
    )
    .orderBy(asc(products.ordinal))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const pageFiles =
    page.length === 0
      ? []
      : await db
          .select()
          .from(files)
          .where(
            inArray(
              files.productId,
              page.map((product) => product.id),
            ),
          )
          .orderBy(asc(files.productId), asc(files.id));
  const filesByProduct = groupBy(pageFiles, (file) => file.productId);
  return {
    items: page.map((product) => productView(product, filesByProduct.get(product.id) ?? [], view)),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.ordinal ?? null) : null,
  };
}
