export { OncError, type OncErrorFields } from './onc-error.js';
export { OncValidationError, type ValidationIssue } from './onc-validation-error.js';
export { OncRejectedError } from './onc-rejected-error.js';
export { OncTransientError } from './onc-transient-error.js';
export { OncGoneError } from './onc-gone-error.js';
export { OncRunFailedError } from './onc-run-failed-error.js';
export { OncCancelledError } from './onc-cancelled-error.js';
export { OncProtocolError } from './onc-protocol-error.js';
