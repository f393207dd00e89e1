/**
 * @onc-orders/onc-sim — a faithful HTTP simulator of ONC's dataProductDelivery service (request, status, run,
 * download, cancel, restart), its archivefile service (list by location or device, download) and its discovery
 * services (locations, devices, deviceCategories, properties, dataProducts, deployments), for tests (in-process,
 * ephemeral port) and as the `onc-sim` command.
 */
export { OncSimulator, startOncSimulator, DEFAULT_SIM_TOKEN } from './simulator.js';
export type {
  OncSimulatorOptions,
  RunSnapshot,
  FileSnapshot,
  RequestSnapshot,
  ExpectedFile,
  ArchiveFilesQuery,
  ArchiveFileTruth,
} from './simulator.js';
export { defaultArchiveOptions, type ArchiveOptions } from './archive/archive-options.js';
export { defaultDiscoveryOptions, type DiscoveryOptions } from './discovery/discovery-options.js';
export { defaultBehaviour, type Behaviour, type RequestError } from './behaviour.js';
export { defaultCatalogue } from './default-catalogue.js';
export type {
  Catalogue,
  CatalogueArchive,
  CatalogueArchiveFileKind,
  CatalogueDataProductOption,
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
export {
  ONC_METHODS,
  ARCHIVE_METHODS,
  DISCOVERY_METHODS,
  SIM_METHODS,
  type OncMethod,
  type ArchiveMethod,
  type DiscoveryMethod,
  type SimMethod,
  type SimService,
} from './methods/method-names.js';
export type { OncErrorBody, OncErrorEntry } from './onc-errors.js';
export { RUN_STATUS, type RunStatus } from './run-timeline.js';
export type { FileIndex } from './sim-state.js';
export { fileContent, fileSha256, type FileSpec } from './file-content.js';
export { SERVICE_PATH, ARCHIVE_PATH, LEGACY_ARCHIVE_PATH } from './http-handler.js';
