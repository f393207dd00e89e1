import { z } from 'zod';

/** One filter value that ONC takes as a single code; the order may list several and get one product per code. */
const codeOrCodes = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * What a user submits. `filters` are ONC's request filters; the four code filters may be lists, and `split` cuts
 * dateFrom..dateTo into windows: the order is the cartesian product of the listed codes and the windows.
 */
export const orderSpecSchema = z
  .object({
    filters: z
      .object({
        dataProductCode: z.string().min(1).describe('ONC data product code, e.g. "TSSD"'),
        extension: z.string().min(1).describe('file extension, exact and case-sensitive, e.g. "csv"'),
        locationCode: codeOrCodes.optional(),
        deviceCategoryCode: codeOrCodes.optional(),
        deviceCode: codeOrCodes.optional(),
        propertyCode: codeOrCodes.optional(),
        dateFrom: z.string().min(1).optional().describe('yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss.SSSZ or an ISO 8601 duration'),
        dateTo: z.string().min(1).optional(),
      })
      .catchall(z.union([z.string(), z.number(), z.boolean()]))
      .describe('ONC request filters; any dpo_* data product option is passed through'),
    split: z
      .string()
      .regex(
        /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
        'must be an ISO 8601 duration such as P1D or PT6H',
      )
      .optional()
      .describe('one data product per window of this length between dateFrom and dateTo'),
    includeMetadataFile: z.boolean().default(true),
    deleteFile: z.boolean().default(true).describe("false keeps the files on ONC's servers after download"),
    label: z.string().max(500).optional(),
  })
  .strict();

export type OrderSpecInput = z.input<typeof orderSpecSchema>;
export type OrderSpec = z.output<typeof orderSpecSchema>;
