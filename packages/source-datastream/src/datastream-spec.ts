import { orderLabelSchema, printableText } from '@onc-orders/jobs';
import { z } from 'zod';
import { resources, selectableFields, type Resource } from './datastream-resources.js';
import { filterProblem } from './filter-check.js';

/** The `source` of a DataStream order. */
export const dataStreamSourceName = 'datastream';

/** A filter longer than this would not fit a sane URL (and the API caps its own links at 256 characters). */
export const maxFilterLength = 4_000;

export const partitionings = ['location', 'location-year', 'none'] as const;
export type Partitioning = (typeof partitionings)[number];

/** What a user submits: DataStream's own `$filter` and `$select`, how to cut the pull, and the file format. */
export const dataStreamSpecSchema = z
  .object({
    source: z.literal(dataStreamSourceName).describe('datastream: water-quality rows from DataStream (OData v4)'),
    resource: z
      .enum(resources)
      .default('Observations')
      .describe('Observations (the default), Records, Locations or Metadata'),
    filter: z
      .string()
      .min(1)
      .max(maxFilterLength)
      .regex(printableText, 'must not contain control characters')
      .optional()
      .describe(
        "DataStream's own $filter, sent as given (URL-encoded): in eq ne lt gt lte gte, and, or, parentheses, " +
          "quoted strings, e.g. \"DOI eq '10.25976/abcd-1234' and CharacteristicName in ('pH')\"",
      ),
    select: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(200)
      .optional()
      .describe("fields to $select, in the order of the CSV's columns; default every documented field"),
    partitionBy: z
      .enum(partitionings)
      .optional()
      .describe(
        'location (the default for Observations and Records): one pull per location the filter matches; ' +
          'location-year: one per location and year of its dataset; none: one pull (Locations and Metadata)',
      ),
    format: z.enum(['csv', 'jsonl']).default('csv').describe('csv (RFC 4180, the default) or jsonl (rows as received)'),
    label: orderLabelSchema,
  })
  .strict()
  .superRefine((spec, issues) => {
    if (spec.filter !== undefined) {
      const problem = filterProblem(spec.filter, spec.resource);
      if (problem) issues.addIssue({ code: 'custom', path: ['filter'], message: problem });
    }
    const allowed = selectableFields[spec.resource];
    for (const [index, field] of (spec.select ?? []).entries()) {
      if (!allowed.includes(field))
        issues.addIssue({
          code: 'custom',
          path: ['select', index],
          message: `${spec.resource} has no field '${field}'; it selects ${allowed.join(', ')}`,
        });
      else if (spec.select?.indexOf(field) !== index)
        issues.addIssue({ code: 'custom', path: ['select', index], message: `'${field}' is selected twice` });
    }
    if (spec.partitionBy && spec.partitionBy !== 'none' && !partitionable(spec.resource))
      issues.addIssue({
        code: 'custom',
        path: ['partitionBy'],
        message: `${spec.resource} is pulled whole: partitionBy must be none`,
      });
  });

export type DataStreamSpecInput = z.input<typeof dataStreamSpecSchema>;
export type DataStreamSpec = z.output<typeof dataStreamSpecSchema>;

/** Only the row resources are cut into partitions: Locations and Metadata are small and have no location of their own. */
export function partitionable(resource: Resource): boolean {
  return resource === 'Observations' || resource === 'Records';
}

/** How the order is cut: as asked, or by location for the row resources and whole for the others. */
export function partitioningOf(spec: DataStreamSpec): Partitioning {
  return spec.partitionBy ?? (partitionable(spec.resource) ? 'location' : 'none');
}
