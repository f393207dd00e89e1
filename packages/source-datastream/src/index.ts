// DataStream (OData v4 water-quality data) behind the orchestrator's source port. Knows DataStream and the port;
// the core never sees a DataStream field.
export {
  dataStreamSettingsSchema,
  parseDataStreamSettings,
  dataStreamIsConfigured,
  dataStreamEnablingSetting,
  dataStreamDefaultBaseUrl,
  type DataStreamSettings,
} from './datastream-settings.js';
export { createDataStreamService, type DataStreamService } from './datastream-service.js';
export { createDataStreamSource, type DataStreamSource } from './datastream-source.js';
export {
  dataStreamSpecSchema,
  dataStreamSourceName,
  partitioningOf,
  type DataStreamSpec,
  type DataStreamSpecInput,
} from './datastream-spec.js';
export { dataStreamView, dataStreamViewSchema } from './datastream-view.js';
export { resources, selectableFields, filterFields, type Resource } from './datastream-resources.js';
export { checkFilter, filterProblem, FilterProblem } from './filter-check.js';
export { csvCell, csvLine, csvLines } from './csv-writer.js';
export type { PartitionParams, PartitionState, PartitionFileMeta } from './partition-state.js';
export type { DataStreamOrderView, DataStreamProductView, DataStreamFileView } from './datastream-view-types.js';
