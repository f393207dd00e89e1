// Typed client for Ocean Networks Canada's dataProductDelivery service (request -> run -> status -> download),
// its archivefile service (list, download by name) and its discovery services.
// Knows ONC and HTTP, nothing about queues or storage.
export { OncClient } from './onc-client.js';
export type { OncClientOptions, OncCallInfo } from './client-options.js';
export type { OncMethod, ArchiveMethod, DiscoveryMethod, DataProductMethod } from './onc-method.js';
export type { ArchiveListing, ArchiveFileEntry } from './answer/archive-listing.js';
export type { OncErrorDetail } from './onc-error-detail.js';
export type { OncCallContext } from './call-context.js';
export type {
  OutcomeKind,
  OncOutcome,
  OncFilters,
  RunStatus,
  RunInfo,
  RequestResult,
  StatusResult,
  DownloadRequest,
  DownloadedBody,
  OncValueByMethod,
  DiscoveryRows,
} from './outcome.js';
export { classifyAnswer, type OncAnswer, type AnswerBody } from './classify-answer.js';
export { classifyNetworkError } from './network-errors.js';
export { isRetryable } from './retry-policy.js';
export { backoffDelayMs, parseRetryAfter, type BackoffOptions } from '@onc-orders/http-retry';
export { validateFilters, type FilterValidation } from './validate-filters.js';
export { resolveTimeRange } from './time-range.js';
export { parseIsoDuration, addIsoDuration, type IsoDuration } from './parse/iso-duration.js';
export { formatOncDate, parseOncDate } from './parse/onc-date.js';
export { parseByteSize, parseSeconds } from './parse/estimates.js';
export { parseContentDisposition } from './parse/content-disposition.js';
export { parseContentRange } from './parse/content-range.js';
export { normaliseRunStatus } from './answer/run-status.js';
export {
  OncErrorCode,
  noDataError,
  isAlreadyRun,
  isMissingMetadataFile,
  noArchivedFilesError,
  unknownArchiveFileCode,
} from './answer/known-errors.js';
export { redactToken } from './redact-token.js';
export { buildCallUrl } from './call-url.js';
export * from './errors/index.js';
export { isRecord } from './answer/json-shape.js';
