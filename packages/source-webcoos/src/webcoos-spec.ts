import { orderLabelSchema, printableText } from '@onc-orders/jobs';
import { z } from 'zod';

/** The `source` of a WebCOOS order. */
export const webcoosSourceName = 'webcoos';

/** Asset slugs are short words such as `currituck_hampton_inn`; a bound keeps a hostile one out of every URL. */
const assetSlug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be an asset slug: letters, digits, "_", "-" or "."');

const instant = z
  .string()
  .refine(
    (text) => parseInstant(text) !== undefined,
    'must be a date (2024-06-01) or an ISO 8601 instant with a zone (2024-06-01T00:00:00Z)',
  );

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A date (midnight UTC) or a zoned ISO instant; impossible dates such as 2024-02-30 are refused. */
export function parseInstant(text: string): Date | undefined {
  if (!DATE_ONLY.test(text) && !DATE_TIME.test(text)) return undefined;
  const date = new Date(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) return undefined;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  // Date rolls 2024-02-30 over to March; a zone offset may move the UTC day, so compare the local calendar date.
  const check = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0));
  return check.getUTCDate() === day && check.getUTCMonth() === (month ?? 1) - 1 ? date : undefined;
}

/**
 * What a user submits: the camera(s), the product, the time range and the window length; one product of the order
 * per asset and window.
 */
export const webcoosSpecSchema = z
  .object({
    source: z.literal(webcoosSourceName).describe('webcoos: coastal camera stills and video archives'),
    asset: z
      .union([assetSlug, z.array(assetSlug).min(1).max(100)])
      .describe('an asset (camera) slug, e.g. "currituck_hampton_inn", or a list of them')
      .refine((value) => !Array.isArray(value) || new Set(value).size === value.length, 'lists an asset twice'),
    product: z
      .string()
      .min(1)
      .max(100)
      .regex(printableText, 'must not contain control characters')
      .describe('a product slug or label, e.g. "video-archive", "one-minute-stills", "10-minute-stills"'),
    dateFrom: instant.describe('start, inclusive: 2024-06-01 or 2024-06-01T00:00:00Z'),
    dateTo: instant.describe('end, exclusive'),
    split: z
      .string()
      .regex(
        /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/,
        'must be an ISO 8601 duration such as P1D or PT6H',
      )
      .default('P1D')
      .describe('window length: one product per window between dateFrom and dateTo'),
    label: orderLabelSchema,
  })
  .strict()
  .superRefine((spec, context) => {
    const from = parseInstant(spec.dateFrom);
    const to = parseInstant(spec.dateTo);
    if (from && to && to <= from) {
      context.addIssue({ code: 'custom', path: ['dateTo'], message: 'must be after dateFrom' });
    }
  });

export type WebcoosSpecInput = z.input<typeof webcoosSpecSchema>;
export type WebcoosSpec = z.output<typeof webcoosSpecSchema>;

/** The assets of a spec, as a list. */
export const assetsOf = (spec: Pick<WebcoosSpec, 'asset'>): string[] =>
  Array.isArray(spec.asset) ? spec.asset : [spec.asset];
