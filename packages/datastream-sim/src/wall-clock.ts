/**
 * Local wall-clock times stored as whole minutes since 1970-01-01T00:00 and read back as calendar fields, so no
 * time-zone database is involved: an observation's date and time are what the sampler's watch said, and its
 * ActivityStartTimeZone says what offset that watch was on. Calendar fields come from integer arithmetic
 * (days → civil date), not Date objects, because every served row needs several of them.
 */

const MINUTES_PER_DAY = 1440;

interface CivilDate {
  year: number;
  month: number;
  day: number;
  dayOfYear: number;
  text: string;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Days since 1970-01-01 → year, month, day (Howard Hinnant's civil_from_days). */
function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month - 1] ?? 0;
  const dayOfYear = before + day + (leap && month > 2 ? 1 : 0);
  return { year, month, day, dayOfYear, text: `${year}-${two(month)}-${two(day)}` };
}

// Generated data spans a few decades: a few thousand distinct days, each worked out once.
const civilCache = new Map<number, CivilDate>();
function civil(minute: number): CivilDate {
  const days = Math.floor(minute / MINUTES_PER_DAY);
  let c = civilCache.get(days);
  if (!c) {
    c = civilFromDays(days);
    civilCache.set(days, c);
  }
  return c;
}

export const minutesAt = (year: number, month: number, day: number, minuteOfDay = 0): number =>
  Date.UTC(year, month - 1, day) / 60_000 + minuteOfDay;

export const startOfDay = (minute: number): number => Math.floor(minute / MINUTES_PER_DAY) * MINUTES_PER_DAY;

/** `YYYY-MM-DD`. */
export const formatDate = (minute: number): string => civil(minute).text;

/** `HH:MM`, or `HH:MM:SS` with seconds. */
export function formatTime(minute: number, seconds?: number): string {
  const ofDay = minute - startOfDay(minute);
  const hm = `${two(Math.floor(ofDay / 60))}:${two(ofDay % 60)}`;
  return seconds === undefined ? hm : `${hm}:${two(seconds)}`;
}

export const yearOf = (minute: number): number => civil(minute).year;

/** 1 for 1 January. */
export const dayOfYear = (minute: number): number => civil(minute).dayOfYear;

/** Month 1..12. */
export const monthOf = (minute: number): number => civil(minute).month;

/** An offset such as `-07:00` moved by `hours` (for daylight saving time). */
export function shiftOffset(offset: string, hours: number): string {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(offset);
  if (!m) throw new RangeError(`bad UTC offset ${offset}`);
  const sign = m[1] === '-' ? -1 : 1;
  const total = sign * (Number(m[2]) * 60 + Number(m[3])) + hours * 60;
  const abs = Math.abs(total);
  return `${total < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` for a UTC instant in ms. */
export const isoTimestamp = (ms: number): string => new Date(ms).toISOString();
