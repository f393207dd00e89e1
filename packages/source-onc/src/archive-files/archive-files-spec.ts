import { orderLabelSchema } from '@onc-orders/jobs';
import { z } from 'zod';
import { code, codeOrCodes, filterText, splitSchema } from '../data-products/data-products-spec.js';

export const oncArchiveFilesSourceName = 'onc-archive-files';

/**
 * An order for ONC's archived files: the files one or more locations' device categories (or devices) archived
 * between two dates, listed with `archivefile` and downloaded by name. Codes may be lists; `split` cuts the range
 * into windows; the order is one product per combination of codes and window.
 */
export const archiveFilesSpecSchema = z
  .object({
    source: z
      .literal(oncArchiveFilesSourceName)
      .describe("onc-archive-files: ONC's archived instrument files, listed with archivefile and downloaded by name"),
    filters: z
      .object({
        locationCode: codeOrCodes.optional().describe('with deviceCategoryCode: list by location'),
        deviceCategoryCode: codeOrCodes.optional(),
        deviceCode: codeOrCodes.optional().describe('instead of locationCode + deviceCategoryCode: list by device'),
        dateFrom: filterText.describe('files starting on or after; yyyy-MM-dd, ISO 8601 date-time or a duration'),
        dateTo: filterText.describe('files starting before'),
        fileExtension: code.optional().describe("ONC's own filter on the file name's extension, e.g. wav"),
        dataProductCode: code.optional().describe('e.g. AD for audio'),
        dateArchivedFrom: filterText.optional().describe('files archived on or after (to pick up late files)'),
        dateArchivedTo: filterText.optional(),
      })
      .strict()
      .superRefine((filters, context) => {
        const byLocation = filters.locationCode !== undefined || filters.deviceCategoryCode !== undefined;
        if (filters.deviceCode !== undefined && byLocation) {
          context.addIssue({
            code: 'custom',
            path: ['deviceCode'],
            message: 'give either deviceCode or locationCode with deviceCategoryCode, not both',
          });
        } else if (filters.deviceCode === undefined) {
          for (const field of ['locationCode', 'deviceCategoryCode'] as const) {
            if (filters[field] === undefined) {
              context.addIssue({
                code: 'custom',
                path: [field],
                message: 'is required (or give deviceCode instead of locationCode and deviceCategoryCode)',
              });
            }
          }
        }
      }),
    split: splitSchema.describe('one product per window of this length between dateFrom and dateTo'),
    label: orderLabelSchema,
  })
  .strict();

export type ArchiveFilesSpecInput = z.input<typeof archiveFilesSpecSchema>;
export type ArchiveFilesSpec = z.output<typeof archiveFilesSpecSchema>;
