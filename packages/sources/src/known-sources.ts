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
];
