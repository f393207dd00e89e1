/**
 * @onc-orders/webcoos-sim — a faithful HTTP simulator of the WebCOOS API v1 (assets, inventory, elements) and of the
 * media host that serves its files, for tests (in process, ephemeral ports) and as the `webcoos-sim` command.
 */
export { WebcoosSimulator, startWebcoosSimulator, DEFAULT_WEBCOOS_TOKEN } from './simulator.js';
export type { WebcoosSimulatorOptions, ArchiveElement, ServiceInfo, InsertionHandle } from './simulator.js';
export { API_PATH, type ElementOrdering } from './api-handler.js';
export { DEFAULT_ELEMENT_FIELD_NAMES, type ElementFieldNames } from './api-documents.js';
export { DEFAULT_ASSETS, PRODUCTS, RAW_FEED, LIVE_STREAM_PRODUCT, BUCKET } from './catalogue.js';
export type { AssetSpec, ProductSlug, ElementKind } from './catalogue.js';
export { DEFAULT_STILL_BYTES, DEFAULT_VIDEO_BYTES, type ElementSizeQuery } from './element-archive.js';
export { DEFAULT_INVENTORY_COLUMNS, INVENTORY_COLUMNS, type InventoryColumn } from './inventory.js';
export type { Pagination } from './pagination.js';
export type { FaultAction, FaultCall, FaultHandle, FaultKind, FaultRule } from './faults.js';
export type { InsertAfterPageRule } from './listing-insertions.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { SimConfigPatch } from './sim-config.js';
export type { MediaAuthorizationPolicy } from './media-handler.js';
export type { CallStart, HostStats, RecordedCall, SimHost, SimStats } from './call-log.js';
export type { Instant } from './archive-time.js';
export { CONTROL_PREFIX } from './control-endpoints.js';
