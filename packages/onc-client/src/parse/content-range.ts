/** "bytes 100-2047/2048" -> { start: 100, end: 2047, total: 2048 }; "bytes 100-2047/*" leaves total out. */
export function parseContentRange(
  header: string | undefined,
): { start: number; end: number; total?: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (match === null) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) return undefined;
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (total !== undefined && end >= total) return undefined;
  return total === undefined ? { start, end } : { start, end, total };
}
