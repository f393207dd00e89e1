/**
 * @onc-orders/onc-sim — a faithful HTTP simulator of ONC's dataProductDelivery service (request, status, run,
 * download, cancel, restart), for tests (in-process, ephemeral port) and as the `onc-sim` command.
 */
export { OncSimulator, startOncSimulator, DEFAULT_SIM_TOKEN } from './simulator.js';
export type { OncSimulatorOptions, RunSnapshot, FileSnapshot, RequestSnapshot, ExpectedFile } from './simulator.js';
export { defaultBehaviour, type Behaviour, type RequestError } from './behaviour.js';
export { defaultCatalogue } from './catalogue.js';
export type {
  Catalogue,
  CatalogueDataProduct,
  CatalogueDevice,
  CatalogueDeviceCategory,
  CatalogueLocation,
  CatalogueProperty,
} from './catalogue.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export type { FaultAction, FaultCall, FaultHandle, FaultKind, FaultRule } from './faults.js';
export type { ChaosOptions } from './chaos.js';
export { mulberry32 } from './chaos.js';
export type { SimConfigPatch } from './control-endpoints.js';
export { REDACTED, type CallStats, type RecordedCall } from './call-log.js';
export { ONC_METHODS, type OncMethod } from './methods/method-names.js';
export type { OncErrorBody, OncErrorEntry } from './onc-errors.js';
export { RUN_STATUS, type RunStatus } from './run-timeline.js';
export type { FileIndex } from './sim-state.js';
export { fileContent, fileSha256, type FileSpec } from './file-content.js';
export { SERVICE_PATH } from './http-handler.js';
