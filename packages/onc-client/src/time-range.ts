import { OncValidationError, type ValidationIssue } from './errors/onc-validation-error.js';
import { addIsoDuration, tryParseIsoDuration } from './parse/iso-duration.js';
import { parseOncDate } from './parse/onc-date.js';

const DATE_FORMS = 'yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss.SSSZ or an ISO 8601 duration such as -P1DT1H';

export type TimeRangeResolution = { ok: true; from: Date; to: Date } | { ok: false; issues: ValidationIssue[] };

/**
 * Works out the instants a dateFrom/dateTo pair stands for, reporting every problem instead of stopping at the
 * first. A duration is relative to the other end and keeps its sign: dateFrom=-P1D is one day before dateTo,
 * dateTo=PT12H is twelve hours after dateFrom.
 */
export function checkTimeRange(dateFrom: string, dateTo: string): TimeRangeResolution {
  const issues: ValidationIssue[] = [];
  const fromDate = parseOncDate(dateFrom);
  const toDate = parseOncDate(dateTo);
  const fromDuration = fromDate === undefined ? tryParseIsoDuration(dateFrom) : undefined;
  const toDuration = toDate === undefined ? tryParseIsoDuration(dateTo) : undefined;
  if (fromDate === undefined && fromDuration === undefined) {
    issues.push({ field: 'dateFrom', message: `"${dateFrom}" is not ${DATE_FORMS}` });
  }
  if (toDate === undefined && toDuration === undefined) {
    issues.push({ field: 'dateTo', message: `"${dateTo}" is not ${DATE_FORMS}` });
  }
  if (fromDuration !== undefined && toDuration !== undefined) {
    issues.push({ field: 'dateFrom/dateTo', message: 'dateFrom and dateTo cannot both be durations' });
  }
  if (issues.length > 0) return { ok: false, issues };

  const from = fromDate ?? addIsoDuration(toDate!, fromDuration!);
  const to = toDate ?? addIsoDuration(fromDate!, toDuration!);
  if (to.getTime() <= from.getTime()) {
    return {
      ok: false,
      issues: [
        {
          field: 'dateFrom/dateTo',
          message: `dateTo (${to.toISOString()}) must be after dateFrom (${from.toISOString()})`,
        },
      ],
    };
  }
  return { ok: true, from, to };
}

/**
 * The instants a dateFrom/dateTo pair stands for (yyyy-MM-dd, full ISO with milliseconds and Z, or a duration
 * relative to the other end). Throws OncValidationError, listing every issue, when the pair is not a valid range.
 */
export function resolveTimeRange(dateFrom: string, dateTo: string): { from: Date; to: Date } {
  const resolution = checkTimeRange(dateFrom, dateTo);
  if (!resolution.ok) throw new OncValidationError(resolution.issues);
  return { from: resolution.from, to: resolution.to };
}
