/**
 * Time as the WebCOOS API writes and reads it. Every instant is UTC milliseconds inside the simulator; the API shows
 * three spellings of it (element extents, inventory bins, record timestamps) and reads query times the way a
 * Django `DateTimeField` filter does.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** An instant as the simulator's callers may give it: ms since the epoch, a Date, or an ISO 8601 string. */
export type Instant = number | Date | string;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a `YYYY-MM-DD` day, in ms. Throws a RangeError for anything else. */
export function parseDay(day: string): number {
  const m = DAY.exec(day);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || dayKey(ms) !== day)
    throw new RangeError(`not a YYYY-MM-DD day: ${JSON.stringify(day)}`);
  return ms;
}

/** The UTC day an instant falls in, as `YYYY-MM-DD`. */
export const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Midnight UTC of the day an instant falls in. */
export const startOfDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** `2024-06-01T12:34:00Z`: element extents, service totals and file names (whole seconds, as the site shows). */
export const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** `2024-06-01T12:36:00.123000Z`: Django REST Framework's spelling of record timestamps (microseconds). */
export const isoMicros = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}000Z`;

/** `2024-06-01 00:00:00+00:00`: Python's `str()` of an aware datetime, as the inventory bins are written. */
export const pythonUtc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;

// A date, or a date and time with optional seconds, fraction and offset: what Django's forms.DateTimeField accepts
// in ISO form. A "+" in an offset that was not percent-encoded arrives as a space and does not match (as in Django).
const QUERY_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * A query parameter's time in ms, or null when Django would answer "Enter a valid date/time.". Times without an
 * offset are taken as UTC (the guess for the server's time zone).
 */
export function parseQueryTime(text: string): number | null {
  const m = QUERY_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset = 'Z'] = m;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(local);
  if (
    Number.isNaN(local) ||
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return null;
  const millis = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return local + millis - offsetMs(offset);
}

function offsetMs(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  return sign * (hours * 60 + minutes) * MINUTE_MS;
}

/** An {@link Instant} in ms. Throws a RangeError for an unreadable string or an invalid Date. */
export function instantMs(instant: Instant): number {
  const ms =
    typeof instant === 'number'
      ? instant
      : instant instanceof Date
        ? instant.getTime()
        : (parseQueryTime(instant) ?? NaN);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
}
