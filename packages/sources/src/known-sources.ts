import type { SourceViewSchema } from '@onc-orders/jobs';
import {
  archiveFilesSpecSchema,
  archiveFilesViewSchema,
  dataProductsSpecSchema,
  dataProductsViewSchema,
  oncArchiveFilesSourceName,
  oncDataProductsSourceName,
} from '@onc-orders/source-onc';
import { webcoosSourceName, webcoosSpecSchema, webcoosViewSchema } from '@onc-orders/source-webcoos';
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
  {
    name: oncArchiveFilesSourceName,
    specSchema: archiveFilesSpecSchema,
    view: archiveFilesViewSchema,
    productStatuses: ['listing'],
  },
  // WebCOOS: coastal camera archives.
  {
    name: webcoosSourceName,
    specSchema: webcoosSpecSchema,
    view: webcoosViewSchema,
    productStatuses: ['listing'],
  },
  // DataStream: partitions pulled page by page; its products show the core's statuses only.
  {
    name: dataStreamSourceName,
    specSchema: dataStreamSpecSchema,
    view: dataStreamViewSchema,
    productStatuses: [],
  },
];
