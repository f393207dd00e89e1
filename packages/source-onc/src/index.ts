// Ocean Networks Canada behind the orchestrator's source port. Knows ONC (through @onc-orders/onc-client) and the
// port; the core never sees an ONC field.
export {
  oncSettingsSchema,
  parseOncSettings,
  oncIsConfigured,
  oncEnablingSetting,
  type OncSettings,
} from './onc-settings.js';
export { createOncService, type OncService } from './onc-service.js';
export {
  createDataProductsSource,
  dataProductsFailpoints,
  type DataProductsSource,
} from './data-products/data-products-source.js';
export {
  dataProductsSpecSchema,
  oncDataProductsSourceName,
  type DataProductsSpec,
  type DataProductsSpecInput,
} from './data-products/data-products-spec.js';
export { expandDataProducts } from './data-products/expand-data-products.js';
export { dataProductsView, dataProductsViewSchema } from './data-products/data-products-view.js';
export type { DataProductState, DataProductFileMeta, SavedRun } from './data-products/data-products-state.js';
export type {
  DataProductsOrderView,
  DataProductView,
  DataProductFileView,
} from './data-products/data-products-view-types.js';
export {
  createArchiveFilesSource,
  archiveFilesFailpoints,
  type ArchiveFilesSource,
} from './archive-files/archive-files-source.js';
export {
  archiveFilesSpecSchema,
  oncArchiveFilesSourceName,
  type ArchiveFilesSpec,
  type ArchiveFilesSpecInput,
} from './archive-files/archive-files-spec.js';
export { archiveFilesView, archiveFilesViewSchema } from './archive-files/archive-files-view.js';
export type {
  ArchiveFileMeta,
  ArchiveListingParams,
  ArchiveListingState,
} from './archive-files/archive-files-state.js';
