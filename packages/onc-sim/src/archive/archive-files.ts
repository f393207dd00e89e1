/**
 * The archive's files, derived rather than stored: a device with an `archive` layout in the catalogue has one file
 * of each kind every `periodMs` while it is deployed, named `<deviceCode>_<yyyyMMdd'T'HHmmss.SSS'Z'><suffix>`
 * (`ICLISTENHF1234_20240601T000000.000Z.wav`). Everything else about a file — its size, when it was archived,
 * whether it arrived late — is drawn from its name by a hash, so a listing costs no storage, the same file always
 * looks the same, and a download can find a file from its name alone.
 *
 * Time rules, all against the simulator's clock:
 *  - a file exists once it is complete (dateTo ≤ now) and is listed once archived (archivedDate ≤ now);
 *  - archivedDate is dateTo + 30 s … 5 min, or, for the device's `lateFraction` of files, dateTo + lateMinMs …
 *    lateMaxMs: a listing made before then leaves the file out, a later one (or one with dateArchivedFrom) has it;
 *  - files less than `withholdRecentMs` old (by dateFrom) are left out of listings although archived.
 */
import type { Catalogue, CatalogueArchive, CatalogueArchiveFileKind, CatalogueDevice } from '../catalogue.js';
import type { FileSpec } from '../file-content.js';
import type { ArchiveOptions } from './archive-options.js';
import { storedGzipSize } from './gzip-stored.js';

/** One archive file, as a listing with returnOptions=all describes it. */
export interface ArchiveFile {
  filename: string;
  deviceCode: string;
  dataProductCode: string;
  dateFromMs: number;
  dateToMs: number;
  archivedMs: number;
  /** Bytes as archived (the gzip stream's size for a compressed file). */
  fileSize: number;
  /** Bytes of the content. */
  uncompressedFileSize: number;
  compression: 'gz' | null;
  mimeType: string;
  /** Whether listings leave it out although it is archived (too recent). */
  withheld: boolean;
}

/** Which files to walk through. */
export interface ArchiveSelection {
  devices: readonly CatalogueDevice[];
  /** Files with `fromMs` ≤ dateFrom < `toMs`. */
  fromMs: number;
  toMs: number;
  /** Files with `archivedFromMs` ≤ archivedDate < `archivedToMs`. */
  archivedFromMs: number;
  archivedToMs: number;
  /** Files whose name ends in `.<fileExtension>` (exactly, case-sensitive); null for all. */
  fileExtension: string | null;
  /** Files of this data product; null for all. */
  dataProductCode: string | null;
  nowMs: number;
  /** Also files that exist but are not archived yet, or are withheld (ground truth). Default false. */
  includePending?: boolean;
}

/** What a walk saw besides the files it yielded. */
export interface WalkNotes {
  /** Files left out because they are too recent. */
  withheld: number;
}

const NORMAL_DELAY_MIN_MS = 30_000;
const NORMAL_DELAY_SPAN_MS = 270_000;
const DEFAULT_LATE_MIN_MS = 3_600_000;
const DEFAULT_LATE_MAX_MS = 6 * 3_600_000;
const UINT32 = 2 ** 32;

/** `20240601T000000.000Z`, the stamp archive file names carry. */
export const archiveStamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '');

const STAMP = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z/g;

/** The extension a `fileExtension` filter compares with: the text after the name's last dot. */
export const extensionOf = (suffix: string): string => suffix.slice(suffix.lastIndexOf('.') + 1);

/** A 32-bit hash of a few integers: the per-file draws (size, delay, lateness) depend on the file alone. */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h ^= v | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    h ^= Math.floor(v / UINT32) | 0;
  }
  return h >>> 0;
}

/** The shortest and longest delays between a file's dateTo and its archivedDate, in ms. */
function delays(archive: CatalogueArchive) {
  const lateMin = archive.lateMinMs ?? DEFAULT_LATE_MIN_MS;
  const lateMax = Math.max(lateMin, archive.lateMaxMs ?? DEFAULT_LATE_MAX_MS);
  const someLate = (archive.lateFraction ?? 0) > 0;
  const normalMax = NORMAL_DELAY_MIN_MS + NORMAL_DELAY_SPAN_MS;
  return {
    lateMin,
    lateMax,
    minDelay: someLate ? Math.min(NORMAL_DELAY_MIN_MS, lateMin) : NORMAL_DELAY_MIN_MS,
    maxDelay: someLate ? Math.max(normalMax, lateMax) : normalMax,
  };
}

const named = (
  device: CatalogueDevice,
  kind: CatalogueArchiveFileKind,
  facts: Omit<ArchiveFile, 'filename'>,
): ArchiveFile => ({
  filename: `${device.deviceCode}_${archiveStamp(facts.dateFromMs)}${kind.suffix}`,
  ...facts,
});

interface Stream {
  device: CatalogueDevice;
  archive: CatalogueArchive;
  kind: CatalogueArchiveFileKind;
  kindIndex: number;
  /** Tie-breaker between files starting together: name order (see `compareKey`). */
  key: string;
  /** Start of the next candidate file, ms; Infinity when done. */
  next: number;
  /** First start past the stream's range. */
  end: number;
}

export class ArchiveFiles {
  readonly #catalogue: Catalogue;
  readonly #options: () => ArchiveOptions;

  constructor(catalogue: Catalogue, options: () => ArchiveOptions) {
    this.#catalogue = catalogue;
    this.#options = options;
  }

  /**
   * The selection's files in listing order: by dateFrom, then by name, after skipping the first `skip` of them.
   * Lazy: a caller that stops after a page pays for that page; skipped files are never named, so a deep page costs
   * little more than a shallow one.
   */
  *walk(selection: ArchiveSelection, notes: WalkNotes = { withheld: 0 }, skip = 0): Generator<ArchiveFile> {
    const streams = this.#streams(selection);
    let toSkip = skip;
    for (;;) {
      let best: Stream | null = null;
      for (const s of streams)
        if (s.next < s.end && (!best || s.next < best.next || (s.next === best.next && s.key < best.key))) best = s;
      if (!best) return;
      const start = best.next;
      best.next += best.kind.periodMs;
      const facts = this.#facts(best.device, best.archive, best.kind, best.kindIndex, start, selection.nowMs);
      if (facts.archivedMs < selection.archivedFromMs || facts.archivedMs >= selection.archivedToMs) continue;
      if (!selection.includePending) {
        if (facts.archivedMs > selection.nowMs) continue;
        if (facts.withheld) {
          notes.withheld++;
          continue;
        }
      }
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      yield named(best.device, best.kind, facts);
    }
  }

  /** The newest file of the selection (by dateFrom, then name), walking each stream backwards. */
  latest(selection: ArchiveSelection): ArchiveFile | null {
    let best: ArchiveFile | null = null;
    for (const s of this.#streams(selection)) {
      const first = s.next;
      for (let start = s.end - s.kind.periodMs; start >= first; start -= s.kind.periodMs) {
        const file = named(
          s.device,
          s.kind,
          this.#facts(s.device, s.archive, s.kind, s.kindIndex, start, selection.nowMs),
        );
        const listed =
          file.archivedMs >= selection.archivedFromMs &&
          file.archivedMs < selection.archivedToMs &&
          (selection.includePending || (file.archivedMs <= selection.nowMs && !file.withheld));
        if (!listed) continue;
        if (
          !best ||
          file.dateFromMs > best.dateFromMs ||
          (file.dateFromMs === best.dateFromMs && file.filename > best.filename)
        )
          best = file;
        break;
      }
    }
    return best;
  }

  /** The archived file with this exact name, or null (unknown name, or not archived yet by `nowMs`). */
  find(filename: string, nowMs: number): ArchiveFile | null {
    // A device code may itself hold digits and underscores: try every stamp-shaped part of the name.
    for (const m of filename.matchAll(STAMP)) {
      const deviceCode = filename.slice(0, m.index);
      const device = this.#catalogue.devices.find((d) => d.deviceCode === deviceCode);
      const archive = device?.archive;
      if (!device || !archive) continue;
      const suffix = filename.slice((m.index ?? 0) + m[0].length);
      const kindIndex = archive.kinds.findIndex((k) => k.suffix === suffix);
      const kind = archive.kinds[kindIndex];
      if (!kind) continue;
      const start = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
      if (
        Number.isNaN(start) ||
        archiveStamp(start) !== filename.slice((m.index ?? 0) + 1, (m.index ?? 0) + m[0].length)
      )
        continue;
      const offset = archive.offsetMs ?? 0;
      if ((((start - offset) % kind.periodMs) + kind.periodMs) % kind.periodMs !== 0) continue;
      const { first, end } = this.#span(device, kind, -Infinity, Infinity, nowMs);
      if (start < first || start >= end) continue;
      const facts = this.#facts(device, archive, kind, kindIndex, start, nowMs);
      return facts.archivedMs <= nowMs ? named(device, kind, facts) : null;
    }
    return null;
  }

  /** What a download of the file serves, given the gzip option. */
  spec(file: ArchiveFile): FileSpec {
    const seed = `archive|${file.filename}`;
    if (file.compression === 'gz' && this.#options().gzipDownload === 'stored')
      return {
        name: file.filename,
        sizeBytes: file.fileSize,
        mimeType: 'application/gzip',
        seed,
        gzipOf: { sizeBytes: file.uncompressedFileSize },
      };
    return { name: file.filename, sizeBytes: file.uncompressedFileSize, mimeType: file.mimeType, seed };
  }

  #streams(selection: ArchiveSelection): Stream[] {
    const streams: Stream[] = [];
    for (const device of selection.devices) {
      const archive = device.archive;
      if (!archive) continue;
      archive.kinds.forEach((kind, kindIndex) => {
        if (selection.fileExtension !== null && extensionOf(kind.suffix) !== selection.fileExtension) return;
        if (selection.dataProductCode !== null && kind.dataProductCode !== selection.dataProductCode) return;
        // archivedDate lies between dateTo + the shortest and dateTo + the longest delay: the archived-date bounds
        // narrow the starts worth looking at (a dateArchivedFrom of yesterday need not walk eleven years).
        const { minDelay, maxDelay } = delays(archive);
        const fromMs = Math.max(selection.fromMs, selection.archivedFromMs - kind.periodMs - maxDelay);
        const toMs = Math.min(selection.toMs, selection.archivedToMs - kind.periodMs - minDelay);
        const { first, end } = this.#span(device, kind, fromMs, toMs, selection.nowMs);
        if (first < end)
          streams.push({
            device,
            archive,
            kind,
            kindIndex,
            key: `${device.deviceCode}_${kind.suffix}`,
            next: first,
            end,
          });
      });
    }
    return streams;
  }

  /** Starts of the device's files of this kind within [fromMs, toMs) that are complete by `nowMs`: [first, end). */
  #span(device: CatalogueDevice, kind: CatalogueArchiveFileKind, fromMs: number, toMs: number, nowMs: number) {
    const offset = device.archive?.offsetMs ?? 0;
    const period = kind.periodMs;
    const lo = Math.max(fromMs, Date.parse(device.dataFrom));
    const hi = Math.min(toMs, device.dataTo === null ? Infinity : Date.parse(device.dataTo), nowMs - period + 1);
    const align = (t: number) => offset + Math.ceil((t - offset) / period) * period;
    const first = align(lo);
    const end = Number.isFinite(hi) ? align(hi) : first;
    return { first, end: Math.max(first, end) };
  }

  /** Everything about a file but its name (cheap: no date formatting). */
  #facts(
    device: CatalogueDevice,
    archive: CatalogueArchive,
    kind: CatalogueArchiveFileKind,
    kindIndex: number,
    start: number,
    nowMs: number,
  ): Omit<ArchiveFile, 'filename'> {
    const n = Math.round((start - (archive.offsetMs ?? 0)) / kind.periodMs);
    const draw = (salt: number) => mix(device.deviceId, kindIndex, n, salt);
    const dateToMs = start + kind.periodMs;
    const late = draw(1) / UINT32 < (archive.lateFraction ?? 0);
    const { lateMin, lateMax } = delays(archive);
    const delay = late
      ? lateMin + (draw(2) % (lateMax - lateMin + 1))
      : NORMAL_DELAY_MIN_MS + (draw(3) % (NORMAL_DELAY_SPAN_MS + 1));
    const override = this.#options().fileSizeBytes;
    const size = override ?? kind.minBytes + (draw(4) % (Math.max(kind.maxBytes - kind.minBytes, 0) + 1));
    const compression = kind.compression ?? null;
    return {
      deviceCode: device.deviceCode,
      dataProductCode: kind.dataProductCode,
      dateFromMs: start,
      dateToMs,
      archivedMs: dateToMs + delay,
      fileSize: compression === 'gz' ? storedGzipSize(size) : size,
      uncompressedFileSize: size,
      compression,
      mimeType: kind.mimeType,
      withheld: nowMs - start < (archive.withholdRecentMs ?? 0),
    };
  }
}
