import type { SourceView } from '@onc-orders/jobs';
import { z } from 'zod';
import type { DataProductsSpec } from './data-products-spec.js';
import type { DataProductFileMeta, DataProductParams, DataProductState } from './data-products-state.js';

/** The fields an ONC data product adds to the order views: the same names the API has always answered with. */
export const dataProductsViewSchema = {
  order: {
    deleteFile: z.boolean().describe("false: the files stay on ONC's servers after download"),
    includeMetadataFile: z.boolean().describe("whether each run's metadata file is fetched too"),
  },
  product: {
    filters: z.record(z.string(), z.string()).describe('the ONC filters of this one product'),
    dpRequestId: z.number().int().nullable(),
    requestsSent: z.number().int().describe('`request` calls sent for this product (re-orders and crashes included)'),
    requestsLost: z
      .number()
      .int()
      .describe('requests that may have been made on ONC and lost with a crashed worker (ONC has no idempotency key)'),
    estimatedFileSizeBytes: z.number().nullable(),
    estimatedProcessingSeconds: z.number().nullable(),
    messages: z.array(z.string()).describe("ONC's warnings and notes from `request`"),
    lastOncMessage: z.string().nullable().describe("ONC's latest status message, e.g. a 202's"),
    runs: z.array(z.object({ dpRunId: z.number().int(), status: z.string(), fileCount: z.number().int().nullable() })),
  },
  file: {
    index: z.string().describe("ONC's file index within the run (1..n, or meta)"),
    run: z.number().int().describe('position of the run the file belongs to, from 0'),
    dpRunId: z.number().int().nullable().describe('the ONC run the file came from'),
  },
};

/** Short day-or-time text for a dashboard title: "2016-07-25" for midnight, otherwise up to the minute. */
function shortDate(text: string | undefined): string {
  if (!text) return '';
  return text.replace(/T00:00:00(\.000)?Z$/, '').replace(/:\d\d(\.\d+)?Z$/, 'Z');
}

export const dataProductsView: SourceView<DataProductsSpec, DataProductParams, DataProductState, DataProductFileMeta> =
  {
    schema: dataProductsViewSchema,
    productStatuses: ['requested', 'running'],
    order: (spec) => ({ deleteFile: spec.deleteFile, includeMetadataFile: spec.includeMetadataFile }),
    // The steps of ONC's conversation, by the names ONC's users know: requested (it has a dpRequestId), running.
    productStatus: (status, state) => {
      if (status !== 'preparing' || state.dpRequestId === null) return status === 'preparing' ? 'pending' : status;
      return state.runs.length === 0 ? 'requested' : 'running';
    },
    expectedBytes: (_params, state) => state.estimatedFileSizeBytes,
    product: (params, state, facts) => ({
      filters: params,
      dpRequestId: state.dpRequestId,
      requestsSent: state.requestsSent,
      requestsLost: state.requestsLost,
      estimatedFileSizeBytes: state.estimatedFileSizeBytes,
      estimatedProcessingSeconds: state.estimatedProcessingSeconds,
      messages: state.messages,
      lastOncMessage: facts.note,
      runs: state.runs.map((run) => ({ dpRunId: run.dpRunId, status: run.status, fileCount: run.fileCount })),
    }),
    file: (meta) => ({ index: meta.index, run: meta.run, dpRunId: meta.dpRunId }),
    manifestFile: (meta, _params, state) => ({
      dpRequestId: state.dpRequestId,
      dpRunId: meta.dpRunId ?? state.runs[meta.run]?.dpRunId ?? null,
      index: meta.index,
    }),
    productTitle: (filters) => {
      const where = [
        filters['locationCode'],
        filters['deviceCode'],
        filters['deviceCategoryCode'],
        filters['propertyCode'],
      ]
        .filter(Boolean)
        .join('/');
      const when = filters['dateFrom'] ? ` ${shortDate(filters['dateFrom'])}..${shortDate(filters['dateTo'])}` : '';
      return `${where} ${filters['dataProductCode']}.${filters['extension']}${when}`;
    },
    fileTitle: (meta) => `run ${meta.run + 1} ${meta.index === 'meta' ? 'metadata' : `file ${meta.index}`}`,
    fallbackFileName: (ordinal, meta) =>
      `product-${ordinal}_run-${meta.run + 1}_${meta.index === 'meta' ? 'meta.txt' : `file-${meta.index}`}`,
  };
