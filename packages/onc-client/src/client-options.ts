import type { Dispatcher } from 'undici';
import type { UrlStyle } from './call-url.js';
import { OncValidationError, type ValidationIssue } from './errors/onc-validation-error.js';
import type { OncMethod } from './onc-method.js';
import type { OutcomeKind } from './outcome.js';

export const DEFAULT_BASE_URL = 'https://data.oceannetworks.ca';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_BODY_TIMEOUT_MS = 120_000;

/** What onCall receives after every HTTP exchange that produced an outcome. */
export interface OncCallInfo {
  method: OncMethod;
  /** The URL called, with the token replaced by "REDACTED". */
  url: string;
  /** Absent when no response headers arrived (reset, refused, timed out). */
  httpStatus?: number;
  /** Why no response headers arrived, when none did: a timeout, or another network failure. */
  failure?: 'timeout' | 'network';
  /** Milliseconds from sending the call to having its outcome (for downloads: to the response headers). */
  ms: number;
  outcome: OutcomeKind;
}

export interface OncClientOptions {
  /** The user's ONC API token. Sent in the query string of every call; never logged or put in an error. */
  token: string;
  /** Site root (default 'https://data.oceannetworks.ca'); the client appends '/api/dataProductDelivery'. */
  baseUrl?: string;
  /** 'path' (default): /api/dataProductDelivery/request?...; 'method': /api/dataProductDelivery?method=request&... */
  urlStyle?: UrlStyle;
  /** Connect + response headers timeout per call, in ms (default 60_000). */
  timeoutMs?: number;
  /** Longest idle gap between two body chunks, in ms (default 120_000). */
  bodyTimeoutMs?: number;
  /** HTTP dispatcher to use; default: a keep-alive undici Agent owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  /** Awaited before every HTTP call, e.g. to take a fleet-wide rate-limit slot. Its rejection propagates. */
  beforeCall?: (method: OncMethod) => Promise<void>;
  /** Told about every call, for logging and metrics. Exceptions it throws are ignored. */
  onCall?: (info: OncCallInfo) => void;
}

export type ResolvedClientOptions = Required<
  Pick<OncClientOptions, 'token' | 'baseUrl' | 'urlStyle' | 'timeoutMs' | 'bodyTimeoutMs'>
> &
  Pick<OncClientOptions, 'dispatcher' | 'beforeCall' | 'onCall'>;

function isPositiveDuration(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

function checkBaseUrl(baseUrl: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http: or https: URL';
  if (parsed.search !== '' || parsed.hash !== '') return 'must be a site root without query or fragment';
  return undefined;
}

/** Fills in defaults and checks the options; throws OncValidationError (which never quotes the token). */
export function resolveClientOptions(options: OncClientOptions): ResolvedClientOptions {
  const resolved: ResolvedClientOptions = {
    token: options.token,
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    urlStyle: options.urlStyle ?? 'path',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    dispatcher: options.dispatcher,
    beforeCall: options.beforeCall,
    onCall: options.onCall,
  };
  const issues: ValidationIssue[] = [];
  if (typeof resolved.token !== 'string' || resolved.token.trim() === '') {
    issues.push({ field: 'token', message: 'must be a non-empty string' });
  }
  const baseUrlProblem = checkBaseUrl(resolved.baseUrl);
  if (baseUrlProblem !== undefined) issues.push({ field: 'baseUrl', message: baseUrlProblem });
  if (resolved.urlStyle !== 'path' && resolved.urlStyle !== 'method') {
    issues.push({ field: 'urlStyle', message: "must be 'path' or 'method'" });
  }
  if (!isPositiveDuration(resolved.timeoutMs))
    issues.push({ field: 'timeoutMs', message: 'must be a positive number' });
  if (!isPositiveDuration(resolved.bodyTimeoutMs)) {
    issues.push({ field: 'bodyTimeoutMs', message: 'must be a positive number' });
  }
  if (issues.length > 0) throw new OncValidationError(issues);
  return resolved;
}
