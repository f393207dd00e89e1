import { orderLabelSchema, printableText } from '@onc-orders/jobs';
import { z } from 'zod';

/** ONC's codes are short words ("BACAX", "CRIP.C1", "SBECTD16p6002"); anything longer is a mistake or an attack. */
export const maxCodeLength = 64;
/** Option values and dates are short too; a bound keeps a hostile value from becoming a 100 KB URL. */
export const maxFilterValueLength = 200;

// Printable ASCII without spaces: what every ONC code and extension is made of.
const codeCharacters = /^[\x21-\x7e]+$/;

/** An ONC code or extension: 1 to 64 printable ASCII characters, no spaces. */
export const code = z
  .string()
  .min(1)
  .max(maxCodeLength)
  .regex(codeCharacters, 'must be printable ASCII without spaces or control characters, as ONC codes are');

/** A free-text filter value (a date, a dpo_* option): printable and bounded. */
export const filterText = z
  .string()
  .min(1)
  .max(maxFilterValueLength)
  .regex(printableText, 'must not contain control characters');

/** One filter value that ONC takes as a single code; the order may list several and get one product per code. */
export const codeOrCodes = z.union([code, z.array(code).min(1)]);

/** An ISO 8601 duration that cuts an order's date range into windows, one product each. */
export const splitSchema = z
  .string()
  .regex(
    /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
    'must be an ISO 8601 duration such as P1D or PT6H',
  )
  .optional();

/** The `source` of an ONC data products order: the default, so a spec that names no source is one. */
export const oncDataProductsSourceName = 'onc-data-products';

/**
 * What a user submits. `filters` are ONC's request filters; the four code filters may be lists, and `split` cuts
 * dateFrom..dateTo into windows: the order is the cartesian product of the listed codes and the windows.
 */
export const dataProductsSpecSchema = z
  .object({
    source: z
      .literal(oncDataProductsSourceName)
      .optional()
      .describe('onc-data-products (the default): ONC data products, ordered with request, run and download'),
    filters: z
      .object({
        dataProductCode: code.describe('ONC data product code, e.g. "TSSD"'),
        extension: code.describe('file extension, exact and case-sensitive, e.g. "csv"'),
        locationCode: codeOrCodes.optional(),
        deviceCategoryCode: codeOrCodes.optional(),
        deviceCode: codeOrCodes.optional(),
        propertyCode: codeOrCodes.optional(),
        dateFrom: filterText.optional().describe('yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss.SSSZ or an ISO 8601 duration'),
        dateTo: filterText.optional(),
      })
      .catchall(z.union([filterText, z.number(), z.boolean()]))
      .describe('ONC request filters; any dpo_* data product option is passed through'),
    split: splitSchema.describe('one data product per window of this length between dateFrom and dateTo'),
    includeMetadataFile: z.boolean().default(true),
    deleteFile: z.boolean().default(true).describe("false keeps the files on ONC's servers after download"),
    label: orderLabelSchema,
  })
  .strict();

export type DataProductsSpecInput = z.input<typeof dataProductsSpecSchema>;
export type DataProductsSpec = z.output<typeof dataProductsSpecSchema>;
