/** Names the pipeline writes itself into an order's folder; a downloaded file never takes one of them. */
export const reservedNames = new Set(['manifest.json']);

const maxNameBytes = 200;

/**
 * Turns a name sent by the server (untrusted: it may hold "..", "/", "\", an absolute path, control characters or
 * be empty) into a plain file name that stays inside the order's folder. Separators become "_" rather than being cut
 * away so "x/y.csv" keeps its information; leading dots are dropped so nothing is hidden or climbs a level.
 */
export function safeFileName(untrusted: string | undefined, fallback: string): string {
  let name = (untrusted ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[/\\]/g, '_')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s_-]+/, '')
    .replace(/[.\s]+$/, '')
    .trim();
  if (Buffer.byteLength(name) > maxNameBytes) name = truncateKeepingExtension(name);
  if (!name || reservedNames.has(name.toLowerCase())) name = fallback;
  return name;
}

function truncateKeepingExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = name.slice(0, name.length - extension.length);
  while (Buffer.byteLength(stem + extension) > maxNameBytes) stem = stem.slice(0, -1);
  return stem + extension;
}

/** "data.csv" → "data-2.csv": the n-th distinct file that wanted the same name in one order. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return `${name}-${n}`;
  return `${name.slice(0, dot)}-${n}${name.slice(dot)}`;
}
