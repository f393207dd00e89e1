import type { SourceView } from '@onc-orders/jobs';
import { z } from 'zod';
import type { ArchiveFilesSpec } from './archive-files-spec.js';
import type { ArchiveFileMeta, ArchiveListingParams, ArchiveListingState } from './archive-files-state.js';

/** The fields an ONC archive order adds to the order views. */
export const archiveFilesViewSchema = {
  order: {},
  product: {
    listBy: z.enum(['location', 'device']).describe('archivefile/location or archivefile/device'),
    filters: z.record(z.string(), z.string()).describe("this window's listing parameters"),
    pagesListed: z.number().int(),
    filesListed: z.number().int().describe('names the listing gave, duplicates across pages included'),
    listingComplete: z.boolean(),
    messages: z.array(z.string()).describe("ONC's warnings from the listing (e.g. recent files withheld)"),
  },
  file: {
    filename: z.string().describe('the name ONC archived the file under'),
    listedSize: z.number().int().nullable().describe('fileSize as listed (compressed when compression says so)'),
    uncompressedSize: z.number().int().nullable(),
    compression: z.string().nullable(),
    dateFrom: z.string().nullable().describe('when the file starts'),
    deviceCode: z.string().nullable(),
  },
};

export const archiveFilesView: SourceView<
  ArchiveFilesSpec,
  ArchiveListingParams,
  ArchiveListingState,
  ArchiveFileMeta
> = {
  schema: archiveFilesViewSchema,
  order: () => ({}),
  productStatus: (status, state) => (status === 'preparing' && !state.done ? 'listing' : status),
  productStatuses: ['listing'],
  product: (params, state) => ({
    listBy: params.by,
    filters: params.query,
    pagesListed: state.pages,
    filesListed: state.listed,
    listingComplete: state.done,
    messages: state.messages,
  }),
  file: (meta) => ({
    filename: meta.filename,
    listedSize: meta.fileSize ?? null,
    uncompressedSize: meta.uncompressedFileSize ?? null,
    compression: meta.compression ?? null,
    dateFrom: meta.dateFrom ?? null,
    deviceCode: meta.deviceCode ?? null,
  }),
  manifestFile: (meta) => ({
    filename: meta.filename,
    ...(meta.fileSize !== undefined ? { listedSize: meta.fileSize } : {}),
    ...(meta.uncompressedFileSize !== undefined ? { uncompressedSize: meta.uncompressedFileSize } : {}),
  }),
  productTitle: (params) => {
    const { locationCode, deviceCategoryCode, deviceCode, dateFrom = '', dateTo = '' } = params.query;
    const where = deviceCode ?? `${locationCode ?? ''}/${deviceCategoryCode ?? ''}`;
    return `archive ${where} ${dateFrom}..${dateTo}`;
  },
  fileTitle: (meta) => meta.filename,
  fallbackFileName: (ordinal) => `archive-file-${ordinal}`,
};
