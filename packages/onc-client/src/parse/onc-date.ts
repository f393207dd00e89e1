const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** yyyy-MM-ddTHH:mm:ss.SSSZ in UTC, the form ONC documents for dateFrom/dateTo. */
export function formatOncDate(date: Date): string {
  return date.toISOString();
}

/**
 * The two absolute forms ONC accepts: "yyyy-MM-dd" (midnight UTC) and "yyyy-MM-ddTHH:mm:ss.SSSZ".
 * Impossible dates such as 2021-02-30 yield undefined instead of rolling over.
 */
export function parseOncDate(text: string): Date | undefined {
  const match = DATE_TIME.exec(text) ?? DATE_ONLY.exec(text);
  if (match === null) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips ? date : undefined;
}
