import type { Source } from '@onc-orders/jobs';
import { datasetsFile } from './datasets-file.js';
import type { DataStreamService } from './datastream-service.js';
import { dataStreamSourceName, dataStreamSpecSchema, partitioningOf, type DataStreamSpec } from './datastream-spec.js';
import { dataStreamView } from './datastream-view.js';
import { listPartitions } from './list-partitions.js';
import {
  initialPartitionState,
  type PartitionFileMeta,
  type PartitionParams,
  type PartitionState,
} from './partition-state.js';
import { pullStep } from './pull-step.js';

export type DataStreamSource = Source<DataStreamSpec, PartitionParams, PartitionState, PartitionFileMeta>;

const wholePull: PartitionParams = { locationId: null, year: null, doi: null };

/**
 * DataStream behind the source port. The order's first step lists its partitions (locations, and years); each
 * partition is a product that pulls its rows page by page into one file (the core's `rows` outcome), following the
 * next link; at the end, `datasets.json` cites every dataset the rows came from. Nothing is downloaded as a file.
 */
export function createDataStreamSource(service: DataStreamService): DataStreamSource {
  return {
    name: dataStreamSourceName,
    service: service.limits,
    specSchema: dataStreamSpecSchema,
    labelOf: (spec) => spec.label,
    // Partitions are the service's to say: they are listed by the first step, not at submit.
    expand: (spec) =>
      partitioningOf(spec) === 'none' ? [{ params: wholePull, state: initialPartitionState(service.pageSize) }] : [],
    startOrder: (order, context) => listPartitions(service, order.spec, context.signal),
    prepare: (product, context) => pullStep(service, product, context),
    finishOrder: async (order, context) => [await datasetsFile(service, order.products, context.signal)],
    copyOf: () => 'rows',
    fetch: () => Promise.reject(new Error('DataStream partitions write their rows themselves; nothing is fetched')),
    afterGone: () => 'fail',
    reorderState: () => initialPartitionState(service.pageSize),
    hasRemoteWork: () => false,
    // The partial file of a cancelled or failed pull was dropped: it is pulled again from its first page.
    resume: () => ({ from: 'start', state: initialPartitionState(service.pageSize) }),
    view: dataStreamView,
  };
}
