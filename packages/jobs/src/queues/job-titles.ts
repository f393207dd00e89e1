import type { FileRow, ProductRow } from '../db/schema.js';
import { filtersOf } from '../db/repository.js';

/** Short day-or-time text for a dashboard title: "2016-07-25" for midnight, otherwise up to the minute. */
function shortDate(text: string | undefined): string {
  if (!text) return '';
  return text.replace(/T00:00:00(\.000)?Z$/, '').replace(/:\d\d(\.\d+)?Z$/, 'Z');
}

/** A product as an operator reads it on the dashboard: where, what and when, and which order it belongs to. */
export function productTitle(product: ProductRow): string {
  const filters = filtersOf(product);
  const where = [filters['locationCode'], filters['deviceCode'], filters['deviceCategoryCode'], filters['propertyCode']]
    .filter(Boolean)
    .join('/');
  const when = filters['dateFrom'] ? ` ${shortDate(filters['dateFrom'])}..${shortDate(filters['dateTo'])}` : '';
  return `${where} ${filters['dataProductCode']}.${filters['extension']}${when} [order ${product.orderId.slice(0, 8)} #${product.ordinal}]`;
}

export function fileTitle(product: ProductRow, file: FileRow): string {
  const which = file.fileIndex === 'meta' ? 'metadata' : `file ${file.fileIndex}`;
  return `${productTitle(product)} run ${file.runOrdinal + 1} ${which}`;
}
