import type { OncMethod } from '../onc-method.js';

/** Typed facts an error carries so callers never have to parse its message. */
export interface OncErrorFields {
  method?: OncMethod;
  httpStatus?: number;
  errorCode?: number;
  parameter?: string;
  dpRequestId?: number;
  dpRunId?: number;
  index?: number | 'meta';
  cause?: unknown;
}

/**
 * Base of every error this package raises. Messages name the method, HTTP status, ONC errorCode/parameter and the
 * request/run ids; they never contain the token.
 */
export class OncError extends Error {
  override name = 'OncError';
  readonly method?: OncMethod;
  readonly httpStatus?: number;
  readonly errorCode?: number;
  readonly parameter?: string;
  readonly dpRequestId?: number;
  readonly dpRunId?: number;
  readonly index?: number | 'meta';
  /** True only when repeating the same call later can succeed (see OncTransientError). */
  readonly retryable: boolean = false;

  constructor(message: string, fields: OncErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.method = fields.method;
    this.httpStatus = fields.httpStatus;
    this.errorCode = fields.errorCode;
    this.parameter = fields.parameter;
    this.dpRequestId = fields.dpRequestId;
    this.dpRunId = fields.dpRunId;
    this.index = fields.index;
  }
}
