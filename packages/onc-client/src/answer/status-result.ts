import type { OncCallContext } from '../call-context.js';
import { OncProtocolError } from '../errors/onc-protocol-error.js';
import type { RunInfo, StatusResult } from '../outcome.js';
import { isRecord, readInteger } from './json-shape.js';
import { normaliseRunStatus } from './run-status.js';

/**
 * A status answer: the search header (searchHdrId, searchHdrStatus) and its newSearches, whose searchId is the
 * dpRunId and taskStatus the run's state (null before the run is queued). This is how run ids are recovered when
 * the answer to `run` was lost.
 */
export function parseStatusResult(body: unknown, context: OncCallContext, httpStatus: number): StatusResult {
  if (!isRecord(body)) throw new OncProtocolError(context, httpStatus, 'expected a JSON object');
  const searches = body.newSearches ?? [];
  if (!Array.isArray(searches)) throw new OncProtocolError(context, httpStatus, 'newSearches is not a list');
  const runs = (searches as unknown[]).map((search, position): RunInfo => {
    const dpRunId = isRecord(search) ? readInteger(search.searchId) : undefined;
    if (!isRecord(search) || dpRunId === undefined) {
      throw new OncProtocolError(context, httpStatus, `newSearches[${position}] has no numeric searchId`);
    }
    const rawStatus = typeof search.taskStatus === 'string' ? search.taskStatus : '';
    return { dpRunId, status: normaliseRunStatus(rawStatus), rawStatus };
  });
  const result: StatusResult = {
    dpRequestId: readInteger(body.searchHdrId) ?? context.dpRequestId ?? 0,
    runs,
    raw: body,
  };
  if (typeof body.searchHdrStatus === 'string') result.headerStatus = body.searchHdrStatus;
  return result;
}
