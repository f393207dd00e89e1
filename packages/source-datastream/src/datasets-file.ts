import { TransientFailure } from '@onc-orders/jobs';
import type { DataStreamService } from './datastream-service.js';
import { maxTop } from './datastream-resources.js';
import { doiInFilter } from './list-partitions.js';
import { readAllPages } from './paged-read.js';
import { resourceUrl } from './partition-query.js';
import type { PartitionState } from './partition-state.js';

/** What DataStream's terms ask to accompany any use of the data: each dataset's citation, licence and DOI. */
export const citationFields = ['DOI', 'DatasetName', 'Citation', 'Licence', 'Version'] as const;

const doisPerCall = 40;

/**
 * `datasets.json`: the Metadata record (DOI, DatasetName, Citation, Licence, Version) of every DOI in the rows of the
 * partitions that were delivered, in DOI order. A DOI Metadata does not know is listed with nulls, so that it is
 * never dropped silently.
 */
export async function datasetsFile(
  service: DataStreamService,
  products: ReadonlyArray<{ state: PartitionState; status: string }>,
  signal: AbortSignal | undefined,
): Promise<{ name: string; content: string }> {
  const dois = [
    ...new Set(products.filter((product) => product.status === 'complete').flatMap((product) => product.state.dois)),
  ].sort();
  const found = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < dois.length; start += doisPerCall) {
    const url = resourceUrl(service.baseUrl, 'Metadata', [
      ['$select', citationFields.join(',')],
      ['$filter', doiInFilter(dois.slice(start, start + doisPerCall))],
      ['$top', String(maxTop)],
    ]);
    const listing = await readAllPages(service, url, signal);
    if (listing.kind === 'failed') throw new TransientFailure(`citations not read: ${listing.error.message}`);
    for (const row of listing.rows) if (typeof row['DOI'] === 'string') found.set(row['DOI'], row);
  }
  const datasets = dois.map((doi) => {
    const row = found.get(doi) ?? { DOI: doi };
    return Object.fromEntries(citationFields.map((field) => [field, row[field] ?? null]));
  });
  return { name: 'datasets.json', content: `${JSON.stringify(datasets, null, 2)}\n` };
}
