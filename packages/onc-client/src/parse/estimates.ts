// ONC sends its estimates as strings: bare numbers ("11940760", "21"), numbers with units ("151 kB", "20 s",
// "3 min") or prose ("no estimated file size avalible."). Prose yields undefined rather than a guess.

const BYTES_PER_UNIT: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const SECONDS_PER_UNIT: Record<string, number> = {
  ms: 0.001,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
};

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const BARE_NUMBER = new RegExp(`^${NUMBER}$`);
const NUMBER_WITH_UNIT = new RegExp(`^(${NUMBER})\\s*([a-z]+)$`, 'i');
const QUANTITY = new RegExp(`(${NUMBER})\\s*([a-z]+)`, 'gi');

/** "11,940,760" is a number too; plain commas elsewhere are left alone and make the text unparseable. */
function withoutThousandsSeparators(text: string): string {
  return /^\d{1,3}(,\d{3})+(\.\d+)?(\s|[a-z]|$)/i.test(text) ? text.replace(/,/g, '') : text;
}

/** "11940760" -> 11940760, "151 kB" -> 151000, "1.5 MB" -> 1500000, "2 KiB" -> 2048; prose -> undefined. */
export function parseByteSize(text: string): number | undefined {
  const trimmed = withoutThousandsSeparators(text.trim());
  if (BARE_NUMBER.test(trimmed)) return Math.round(Number(trimmed));
  const match = NUMBER_WITH_UNIT.exec(trimmed);
  if (match === null) return undefined;
  const factor = BYTES_PER_UNIT[match[2]!.toLowerCase()];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}

/** "21" -> 21, "20 s" -> 20, "3 min" -> 180, "1 h" -> 3600, "1 min 30 s" -> 90; prose -> undefined. */
export function parseSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (BARE_NUMBER.test(trimmed)) return Number(trimmed);
  // Every character must belong to a "<number> <unit>" pair, or the text is prose that happens to hold a number.
  const leftover = trimmed.replace(QUANTITY, '').replace(/[\s,]|and/gi, '');
  if (trimmed === '' || leftover !== '') return undefined;
  let seconds = 0;
  for (const match of trimmed.matchAll(QUANTITY)) {
    const factor = SECONDS_PER_UNIT[match[2]!.toLowerCase()];
    if (factor === undefined) return undefined;
    seconds += Number(match[1]) * factor;
  }
  return seconds;
}
