import { OncValidationError } from '../errors/onc-validation-error.js';

/** An ISO 8601 duration such as "-P1DT1H" or "PT12H30M". Weeks are folded into days. */
export interface IsoDuration {
  sign: 1 | -1;
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

/** Like parseIsoDuration, but answers undefined for text that is not a duration. */
export function tryParseIsoDuration(text: string): IsoDuration | undefined {
  const trimmed = text.trim();
  const match = DURATION.exec(trimmed);
  if (match === null) return undefined;
  const [, sign, years, months, weeks, days, hours, minutes, seconds] = match;
  // "P", "PT" and "P1DT" match the pattern's optional parts but are not durations.
  if ([years, months, weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return undefined;
  if (/T$/i.test(trimmed)) return undefined;
  const count = (part: string | undefined): number => (part === undefined ? 0 : Number(part.replace(',', '.')));
  return {
    sign: sign === '-' ? -1 : 1,
    years: count(years),
    months: count(months),
    days: count(days) + 7 * count(weeks),
    hours: count(hours),
    minutes: count(minutes),
    seconds: count(seconds),
  };
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * `date` moved by `duration` (times `direction`), in UTC. Years and months move the calendar and clamp to the end of
 * a shorter month (Jan 31 + P1M = Feb 28/29, as java.time does); days, hours, minutes and seconds follow.
 */
export function addIsoDuration(date: Date, duration: IsoDuration, direction: 1 | -1 = 1): Date {
  const step = duration.sign * direction;
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + step * (duration.years * 12 + duration.months);
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, monthIndex));
  const shifted = new Date(date.getTime());
  shifted.setUTCFullYear(year, monthIndex, day);
  shifted.setUTCDate(shifted.getUTCDate() + step * duration.days);
  const clockMs = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return new Date(shifted.getTime() + step * Math.round(clockMs));
}

/** Parses "-P1DT1H", "PT12H30M", "P1Y2M3W4DT5H6M7.5S"; throws OncValidationError for anything else. */
export function parseIsoDuration(text: string): IsoDuration {
  const duration = tryParseIsoDuration(text);
  if (duration === undefined) {
    throw new OncValidationError([{ field: 'duration', message: `"${text}" is not an ISO 8601 duration` }]);
  }
  return duration;
}
