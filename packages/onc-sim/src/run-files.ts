/**
 * The files a run produces: ONC-style names (`<Location>_<device>_<from>_<to>.<ext>`, one time segment per file),
 * sizes and content seeds. Names and content depend only on the request's filters, the run's ordinal within the
 * request and the file's index — never on ids — so ordering the same product again yields identical files, and
 * `expectedFiles` can say what any order of those filters serves.
 */
import { drawFromRange, filesForRun, type Behaviour } from './behaviour.js';
import { extensionInfo, type Catalogue } from './catalogue.js';
import type { FileSpec } from './file-content.js';
import { fileNameStamp } from './onc-dates.js';
import type { ResolvedSearch } from './search.js';

export interface RunFiles {
  /** Data files; index i (1-based) is `files[i - 1]`. */
  files: FileSpec[];
  /** The metadata file (`index=meta`), or null when the product has none. */
  meta: FileSpec | null;
}

const compact = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '');

/** The filters as one stable string: sorted `name=value` pairs joined by `&` (token and method left out). */
export function canonicalFilters(filters: Readonly<Record<string, string>>): string {
  return Object.keys(filters)
    .filter((k) => k !== 'token' && k !== 'method')
    .sort()
    .map((k) => `${k}=${filters[k] ?? ''}`)
    .join('&');
}

export function buildRunFiles(
  catalogue: Catalogue,
  filters: Readonly<Record<string, string>>,
  search: ResolvedSearch,
  behaviour: Behaviour,
  runOrdinal: number,
): RunFiles {
  const seed = `${canonicalFilters(filters)}|run ${runOrdinal}`;
  const device = search.devices[runOrdinal % search.devices.length];
  if (!device) throw new Error('buildRunFiles: a resolved search always has at least one device');
  const location = catalogue.locations.find((l) => l.locationCode === device.locationCode);
  const place = compact(location?.locationName ?? device.locationCode);
  const repeat = runOrdinal >= search.devices.length ? `_part${runOrdinal + 1}` : '';
  const base = `${place}_${device.deviceCode}${repeat}`;

  const count = filesForRun(behaviour, runOrdinal, seed);
  const span = (search.toMs - search.fromMs) / Math.max(count, 1);
  const mimeType = extensionInfo(search.extension).mimeType;
  const files: FileSpec[] = [];
  for (let i = 0; i < count; i++) {
    const from = Math.round(search.fromMs + i * span);
    const to = Math.round(search.fromMs + (i + 1) * span) - 1000;
    const generated = `${base}_${fileNameStamp(from)}_${fileNameStamp(Math.max(to, from))}.${search.extension}`;
    const name = behaviour.fileNames?.[i] ?? generated;
    const sizeBytes = behaviour.fileSizeRange
      ? drawFromRange(behaviour.fileSizeRange, `${seed}|${i + 1}|size`)
      : behaviour.fileSizeBytes;
    files.push({ name, sizeBytes, mimeType, seed: `${seed}|${i + 1}` });
  }
  const meta: FileSpec | null = behaviour.metadataFile
    ? {
        name: `${base}_${fileNameStamp(search.fromMs)}_${fileNameStamp(search.toMs)}_META.txt`,
        sizeBytes: 1024,
        mimeType: 'text/plain',
        seed: `${seed}|meta`,
      }
    : null;
  return { files, meta };
}
