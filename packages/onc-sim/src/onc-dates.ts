/**
 * ONC's `dateFrom` / `dateTo` parameters (seeds/004, "Accepted DateTime formats"):
 *  - `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` (the simulator also takes the seconds-only form and 1–3 fraction digits),
 *  - `yyyy-MM-dd` (midnight UTC),
 *  - an ISO 8601 duration `PnYnMnWnDTnHnMnS`, optionally signed, relative to the *other* end
 *    (`dateFrom=-P1DT1H` is one day and one hour before `dateTo`; `dateTo=PT12H30M` is 12½ hours after `dateFrom`).
 * Both ends as durations is refused.
 */
import { oncError, type OncErrorEntry } from './onc-errors.js';

export interface IsoDuration {
  sign: 1 | -1;
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  /** May carry a fraction. */
  seconds: number;
}

export type DateParam = { kind: 'instant'; ms: number } | { kind: 'duration'; duration: IsoDuration };

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DURATION =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | null {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  // Date.UTC rolls 2023-02-30 over into March; ONC refuses such a date, and so does the simulator.
  const sameFields =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return sameFields ? t : null;
}

/** Parses one date parameter; `null` when the text is in none of the accepted forms. */
export function parseDateParam(text: string): DateParam | null {
  let m = INSTANT.exec(text);
  if (m) {
    const ms = utc(num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6]), num((m[7] ?? '').padEnd(3, '0')));
    return ms === null ? null : { kind: 'instant', ms };
  }
  m = DAY.exec(text);
  if (m) {
    const ms = utc(num(m[1]), num(m[2]), num(m[3]));
    return ms === null ? null : { kind: 'instant', ms };
  }
  m = DURATION.exec(text);
  if (m && m.slice(2).some((part) => part !== undefined)) {
    return {
      kind: 'duration',
      duration: {
        sign: m[1] === '-' ? -1 : 1,
        years: num(m[2]),
        months: num(m[3]),
        weeks: num(m[4]),
        days: num(m[5]),
        hours: num(m[6]),
        minutes: num(m[7]),
        seconds: num(m[8]),
      },
    };
  }
  return null;
}

/** `base` moved by `duration` (calendar arithmetic in UTC for years and months). */
export function applyDuration(baseMs: number, duration: IsoDuration): number {
  const d = new Date(baseMs);
  const k = duration.sign;
  d.setUTCFullYear(d.getUTCFullYear() + k * duration.years, d.getUTCMonth() + k * duration.months);
  const fixedMs =
    (((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60_000 +
    duration.seconds * 1000;
  return d.getTime() + k * Math.round(fixedMs);
}

export type DateRangeResult = { ok: true; fromMs: number; toMs: number } | { ok: false; error: OncErrorEntry };

/**
 * Resolves the two date parameters into an interval and applies ONC's range checks
 * (23: start after end, 127: end not after start, 25: start in the future).
 */
export function resolveDateRange(dateFrom: string, dateTo: string, nowMs: number): DateRangeResult {
  const from = parseDateParam(dateFrom);
  if (!from) return { ok: false, error: oncError.invalidValue('dateFrom') };
  const to = parseDateParam(dateTo);
  if (!to) return { ok: false, error: oncError.invalidValue('dateTo') };

  let fromMs: number;
  let toMs: number;
  if (from.kind === 'duration') {
    if (to.kind === 'duration') return { ok: false, error: oncError.invalidValue('dateFrom/dateTo') };
    toMs = to.ms;
    fromMs = applyDuration(toMs, from.duration);
  } else {
    fromMs = from.ms;
    toMs = to.kind === 'duration' ? applyDuration(fromMs, to.duration) : to.ms;
  }

  if (fromMs > toMs) return { ok: false, error: oncError.startAfterEnd() };
  if (fromMs === toMs) return { ok: false, error: oncError.endNotAfterStart() };
  if (fromMs > nowMs) return { ok: false, error: oncError.startInFuture() };
  return { ok: true, fromMs, toMs };
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, the form ONC writes dates in. */
export const formatOncDate = (ms: number): string => new Date(ms).toISOString();

/** `20160727T000005Z`, the stamp ONC puts in file names. */
export const fileNameStamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** An interval with open ends: `fromMs` -Infinity and `toMs` Infinity when the parameter was absent. */
export type OpenRangeResult = { ok: true; fromMs: number; toMs: number } | { ok: false; errors: OncErrorEntry[] };

export interface OpenRangeRules {
  /** Names of the two parameters, e.g. `dateArchivedFrom` / `dateArchivedTo`. */
  fromName: string;
  toName: string;
  /** Whether a start in the future is error 25 (discovery) or simply finds nothing (archive listings). */
  futureStart: 'error' | 'allow';
}

/**
 * The optional date pair of the archive listings and the discovery services, in the formats data products take
 * (instants, days, ISO 8601 durations). A duration is relative to the other end, or to the clock when the other end
 * is absent. Errors: 127 for text in no accepted form (each end reported) or two durations, 23 for a start after
 * the end, 127 for equal ends, and 25 for a start in the future when the rules say so.
 */
export function resolveOpenDateRange(
  dateFrom: string | undefined,
  dateTo: string | undefined,
  nowMs: number,
  rules: OpenRangeRules,
): OpenRangeResult {
  const given = (text: string | undefined) => (text === undefined || text === '' ? null : text);
  const fromText = given(dateFrom);
  const toText = given(dateTo);
  const from = fromText === null ? null : parseDateParam(fromText);
  const to = toText === null ? null : parseDateParam(toText);
  const errors: OncErrorEntry[] = [];
  if (fromText !== null && !from) errors.push(oncError.invalidValue(rules.fromName));
  if (toText !== null && !to) errors.push(oncError.invalidValue(rules.toName));
  if (errors.length > 0) return { ok: false, errors };
  const both = `${rules.fromName}/${rules.toName}`;
  if (from?.kind === 'duration' && to?.kind === 'duration') return { ok: false, errors: [oncError.invalidValue(both)] };

  const instant = (p: DateParam | null): number | null => (p?.kind === 'instant' ? p.ms : null);
  let fromMs = instant(from);
  let toMs = instant(to);
  if (from?.kind === 'duration') fromMs = applyDuration(toMs ?? nowMs, from.duration);
  if (to?.kind === 'duration') toMs = applyDuration(fromMs ?? nowMs, to.duration);
  const lo = fromMs ?? -Infinity;
  const hi = toMs ?? Infinity;
  if (lo > hi) return { ok: false, errors: [{ ...oncError.startAfterEnd(), parameter: both }] };
  if (lo === hi) return { ok: false, errors: [{ ...oncError.endNotAfterStart(), parameter: both }] };
  if (rules.futureStart === 'error' && lo > nowMs)
    return { ok: false, errors: [{ ...oncError.startInFuture(), parameter: both }] };
  return { ok: true, fromMs: lo, toMs: hi };
}
