import type { SourceView } from '@onc-orders/jobs';
import { z } from 'zod';
import { partitioningOf, type DataStreamSpec } from './datastream-spec.js';
import {
  partitionFileName,
  partitionTitle,
  type PartitionFileMeta,
  type PartitionParams,
  type PartitionState,
} from './partition-state.js';

/** The fields a DataStream partition adds to the order views. */
export const dataStreamViewSchema = {
  order: {
    resource: z.string().describe('Observations, Records, Locations or Metadata'),
    partitionBy: z.string().describe('location, location-year or none'),
    format: z.string().describe('csv or jsonl'),
  },
  product: {
    locationId: z.number().int().nullable().describe('the location this partition pulls (null: not partitioned)'),
    year: z.number().int().nullable().describe('the activity start year it pulls, with location-year'),
    rows: z.number().int().describe('rows committed to its file so far'),
    pages: z.number().int().describe('pages committed so far'),
    top: z.number().int().describe('rows asked for per page ($top), lowered after timeouts and 413s'),
    dois: z.array(z.string()).describe('datasets its rows came from'),
  },
  file: {
    resource: z.string(),
    locationId: z.number().int().nullable(),
    year: z.number().int().nullable(),
    format: z.string(),
  },
};

export const dataStreamView: SourceView<DataStreamSpec, PartitionParams, PartitionState, PartitionFileMeta> = {
  schema: dataStreamViewSchema,
  order: (spec) => ({ resource: spec.resource, partitionBy: partitioningOf(spec), format: spec.format }),
  product: (params, state) => ({
    locationId: params.locationId,
    year: params.year,
    rows: state.rows,
    pages: state.pages,
    top: state.top,
    dois: state.dois,
  }),
  file: (meta) => ({ resource: meta.resource, locationId: meta.locationId, year: meta.year, format: meta.format }),
  manifestFile: (meta, _params, state) => ({ locationId: meta.locationId, year: meta.year, rows: state.rows }),
  productTitle: (params) => partitionTitle(params),
  fileTitle: (meta) => partitionFileName(meta),
  fallbackFileName: (_ordinal, meta) => partitionFileName(meta),
};
