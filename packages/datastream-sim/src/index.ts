/**
 * @onc-orders/datastream-sim — a faithful HTTP simulator of DataStream's public OData v4 API (Metadata, Locations,
 * Observations, Records), for tests (in-process, ephemeral port) and as the `datastream-sim` command.
 */
export {
  DataStreamSimulator,
  startDataStreamSimulator,
  DEFAULT_DATASTREAM_API_KEY,
  type DataStreamSimulatorOptions,
  type SimulatorSummary,
} from './simulator.js';
export { DEFAULT_DATASET_SHAPE, MAX_OBSERVATIONS, type DatasetShape } from './generate-data.js';
export {
  DEFAULT_SERVICE_SETTINGS,
  type NextLinkPlacement,
  type ServiceSettings,
  type SettingsPatch,
} from './service-settings.js';
export { DEFAULT_RATE_LIMIT, type RateLimitSettings } from './rate-limiter.js';
export type { FaultAction, FaultCall, FaultHandle, FaultKind, FaultRule } from './faults.js';
export type { CallStats, RecordedCall, Refusal } from './call-log.js';
export type { GroundTruthOptions } from './control-endpoints.js';
export type { Row } from './dataset.js';
export {
  API_BASE_PATH,
  FILTER_FIELDS,
  RESOURCES,
  SELECTABLE_FIELDS,
  type FilterField,
  type Resource,
} from './resources.js';
export { DEFAULT_TOP, MAX_TOP, SUPPORTED_OPTIONS } from './query-options.js';
export { NOT_ENCODED_BODY } from './http-handler.js';
export { findUnencoded, type UnencodedCharacter } from './raw-query-encoding.js';
export { encodeQueryValue } from './next-link.js';
export { CHARACTERISTICS } from './vocabulary.js';
