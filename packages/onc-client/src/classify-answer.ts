import { readErrorDetails } from './answer/error-details.js';
import { isRecord } from './answer/json-shape.js';
import { parseArchiveListing } from './answer/archive-listing.js';
import { parseDiscoveryRows } from './answer/discovery-rows.js';
import { parseRequestResult } from './answer/request-result.js';
import { parseRunList } from './answer/run-list.js';
import { leastAdvanced, normaliseRunStatus } from './answer/run-status.js';
import { parseStatusResult } from './answer/status-result.js';
import type { OncCallContext } from './call-context.js';
import { OncCancelledError } from './errors/onc-cancelled-error.js';
import { OncGoneError } from './errors/onc-gone-error.js';
import { OncProtocolError } from './errors/onc-protocol-error.js';
import { OncRejectedError } from './errors/onc-rejected-error.js';
import { OncRunFailedError } from './errors/onc-run-failed-error.js';
import { OncTransientError } from './errors/onc-transient-error.js';
import type { OncMethod } from './onc-method.js';
import type { DownloadedBody, OncOutcome, OncValueByMethod, RunInfo } from './outcome.js';
import { parseRetryAfter } from '@onc-orders/http-retry';

/** What came back, before interpretation. JSON bodies are parsed; a downloaded file stays a stream. */
export type AnswerBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'unparseable'; excerpt: string }
  | { kind: 'file'; file: DownloadedBody };

export interface OncAnswer {
  httpStatus: number;
  body: AnswerBody;
  /** The Retry-After header, if any. */
  retryAfter?: string;
}

type AnyOutcome = OncOutcome<OncValueByMethod[OncMethod]>;

function isDiscovery(method: OncMethod): boolean {
  return method === 'dataProducts' || method === 'locations' || method === 'devices' || method === 'deviceCategories';
}

function transient(context: OncCallContext, answer: OncAnswer, nowMs: number): AnyOutcome {
  const retryAfterMs = parseRetryAfter(answer.retryAfter, nowMs);
  const reason =
    answer.httpStatus === 429 ? 'too many requests' : answer.httpStatus === 408 ? 'request timeout' : 'server error';
  const error = new OncTransientError(context, reason, { httpStatus: answer.httpStatus, retryAfterMs });
  return retryAfterMs === undefined
    ? { kind: 'transient', httpStatus: answer.httpStatus, error }
    : { kind: 'transient', httpStatus: answer.httpStatus, retryAfterMs, error };
}

function rejected(context: OncCallContext, answer: OncAnswer, note?: string): AnyOutcome {
  const json = answer.body.kind === 'json' ? answer.body.value : undefined;
  const errors = readErrorDetails(json) ?? [];
  const error = new OncRejectedError(context, answer.httpStatus, errors, note);
  return { kind: 'rejected', httpStatus: answer.httpStatus, errors, error };
}

function jsonOf(context: OncCallContext, answer: OncAnswer): unknown {
  const { body } = answer;
  if (body.kind === 'json') return body.value;
  const reason = body.kind === 'unparseable' ? `a body that is not JSON: ${body.excerpt}` : `a ${body.kind} body`;
  throw new OncProtocolError(context, answer.httpStatus, `expected JSON, got ${reason}`);
}

/** The message/status pair ONC puts in 202 and cancelled-download bodies; absent fields become "". */
function progressNote(answer: OncAnswer): { status: string; message: string } {
  const json = answer.body.kind === 'json' ? answer.body.value : undefined;
  const record = isRecord(json) ? json : {};
  return {
    status: typeof record.status === 'string' ? record.status : '',
    message: typeof record.message === 'string' ? record.message : '',
  };
}

/** run answers: any run in "error" means the order cannot complete as asked, whatever the HTTP status said. */
function classifyRuns(context: OncCallContext, answer: OncAnswer, runs: RunInfo[]): AnyOutcome {
  const failed = runs.filter((run) => run.status === 'error');
  if (failed.length > 0) {
    const message = failed.map((run) => `dpRunId ${run.dpRunId}: ${run.rawStatus}`).join('; ');
    const error = new OncRunFailedError({ ...context, dpRunId: failed[0]!.dpRunId }, answer.httpStatus, message);
    return { kind: 'runFailed', httpStatus: answer.httpStatus, message, error };
  }
  if (answer.httpStatus === 200) return { kind: 'ok', httpStatus: 200, value: runs };
  const waitingOn = runs.filter((run) => run.status === 'queued' || run.status === 'running');
  const message = waitingOn.map((run) => `dpRunId ${run.dpRunId}: ${run.rawStatus}`).join('; ');
  const status = leastAdvanced(waitingOn.map((run) => run.status)) ?? 'running';
  return { kind: 'notReady', httpStatus: 202, status, message, value: runs };
}

function classifyDownload(context: OncCallContext, answer: OncAnswer): AnyOutcome {
  switch (answer.httpStatus) {
    case 200:
    case 206:
      if (answer.body.kind !== 'file') throw new OncProtocolError(context, answer.httpStatus, 'expected a file');
      return { kind: 'ok', httpStatus: answer.httpStatus, value: answer.body.file };
    case 202: {
      // A 202 can arrive after the run reported complete (file still on its way to the FTP server).
      const { status, message } = progressNote(answer);
      if (normaliseRunStatus(status) === 'error') {
        const error = new OncRunFailedError(context, 202, message);
        return { kind: 'runFailed', httpStatus: 202, message, error };
      }
      return { kind: 'notReady', httpStatus: 202, status, message };
    }
    case 204:
    case 404:
      return { kind: 'endOfFiles', httpStatus: answer.httpStatus };
    case 410:
      return { kind: 'gone', httpStatus: 410, error: new OncGoneError(context) };
    case 400: {
      const json = answer.body.kind === 'json' ? answer.body.value : undefined;
      if (readErrorDetails(json) !== undefined) return rejected(context, answer);
      return {
        kind: 'cancelled',
        httpStatus: 400,
        error: new OncCancelledError(context, progressNote(answer).message),
      };
    }
    default:
      return classifyUnexpected(context, answer);
  }
}

/** An archived file by name: ONC answers 400 with error 96 for a name its archive does not have (yet). */
function classifyArchiveDownload(context: OncCallContext, answer: OncAnswer): AnyOutcome {
  if (answer.httpStatus === 200 || answer.httpStatus === 206) {
    if (answer.body.kind !== 'file') throw new OncProtocolError(context, answer.httpStatus, 'expected a file');
    return { kind: 'ok', httpStatus: answer.httpStatus, value: answer.body.file };
  }
  if (answer.httpStatus === 404) return rejected(context, answer, 'not found (is baseUrl the ONC site root?)');
  return classifyUnexpected(context, answer);
}

function classifyJsonCall(context: OncCallContext, answer: OncAnswer): AnyOutcome {
  const { method } = context;
  // Discovery answers "nothing found" with 404 (deployments aside): an empty list, not a refusal.
  if (answer.httpStatus === 404 && isDiscovery(method)) return { kind: 'ok', httpStatus: 404, value: [] };
  if (answer.httpStatus === 200) {
    const json = jsonOf(context, answer);
    switch (method) {
      case 'archivefile/location':
      case 'archivefile/device':
        return { kind: 'ok', httpStatus: 200, value: parseArchiveListing(json, context) };
      case 'archivefile/download':
        return classifyArchiveDownload(context, answer);
      case 'dataProducts':
      case 'locations':
      case 'devices':
      case 'deviceCategories':
        return { kind: 'ok', httpStatus: 200, value: parseDiscoveryRows(json, context) };
      case 'request':
        return { kind: 'ok', httpStatus: 200, value: parseRequestResult(json, context, 200) };
      case 'status':
        return { kind: 'ok', httpStatus: 200, value: parseStatusResult(json, context, 200) };
      case 'run':
        return classifyRuns(context, answer, parseRunList(json, context, 200));
      case 'cancel':
      case 'restart':
        return { kind: 'ok', httpStatus: 200, value: parseRunList(json, context, 200) };
      case 'download':
        return classifyDownload(context, answer);
    }
  }
  if (answer.httpStatus === 202) {
    if (method === 'run') return classifyRuns(context, answer, parseRunList(jsonOf(context, answer), context, 202));
    return { kind: 'notReady', httpStatus: 202, ...progressNote(answer) };
  }
  if (answer.httpStatus === 404) return rejected(context, answer, 'not found (is baseUrl the ONC site root?)');
  return classifyUnexpected(context, answer);
}

function classifyUnexpected(context: OncCallContext, answer: OncAnswer): AnyOutcome {
  if (answer.httpStatus >= 400 && answer.httpStatus < 500) return rejected(context, answer);
  throw new OncProtocolError(context, answer.httpStatus, 'an HTTP status ONC does not use for this method');
}

/**
 * The one place that decides what an ONC answer means (see OutcomeKind). 5xx, 429 and 408 are transient for every
 * method; 401 and the other 4xx are rejections, except the download statuses ONC gives their own meaning.
 * Throws OncProtocolError when a success cannot be read (a 200 whose JSON is unparseable, a run without an id).
 */
export function classifyAnswer<M extends OncMethod>(
  method: M,
  answer: OncAnswer,
  context: Omit<OncCallContext, 'method'> = {},
  nowMs: number = Date.now(),
): OncOutcome<OncValueByMethod[M]> {
  const callContext: OncCallContext = { ...context, method };
  const { httpStatus } = answer;
  let outcome: AnyOutcome;
  if (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408) outcome = transient(callContext, answer, nowMs);
  else if (httpStatus === 401) outcome = rejected(callContext, answer);
  else if (method === 'download') outcome = classifyDownload(callContext, answer);
  else if (method === 'archivefile/download') outcome = classifyArchiveDownload(callContext, answer);
  else outcome = classifyJsonCall(callContext, answer);
  // Each method's branch above builds that method's value; TypeScript cannot follow M through the switch.
  return outcome as OncOutcome<OncValueByMethod[M]>;
}
