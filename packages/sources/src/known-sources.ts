import type { SourceViewSchema } from '@onc-orders/jobs';
import { dataProductsSpecSchema, dataProductsViewSchema, oncDataProductsSourceName } from '@onc-orders/source-onc';
import { dataStreamSourceName, dataStreamSpecSchema, dataStreamViewSchema } from '@onc-orders/source-datastream';
import type { z } from 'zod';

/** What the API publishes of a source whether or not this deployment configures it: its spec and its view fields. */
export interface KnownSource {
  name: string;
  specSchema: z.ZodType;
  view: SourceViewSchema;
  productStatuses: readonly string[];
}

export const knownSources: readonly KnownSource[] = [
  {
    name: oncDataProductsSourceName,
    specSchema: dataProductsSpecSchema,
    view: dataProductsViewSchema,
    productStatuses: ['requested', 'running'],
  },
  // DataStream: partitions pulled page by page; its products show the core's statuses only.
  {
    name: dataStreamSourceName,
    specSchema: dataStreamSpecSchema,
    view: dataStreamViewSchema,
    productStatuses: [],
  },
];
