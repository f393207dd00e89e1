/**
 * How the simulated archivefile service behaves where the documents leave a choice open (onc-archive-files.md:
 * "unconfirmed: make the simulator able to do both"). Simulator-wide; changeable while it runs (`configure`).
 */

export interface ArchiveOptions {
  /**
   * Whether `next.parameters`, `next.url` and `queryUrl` carry the caller's token (unconfirmed; a client must strip
   * it before saving or logging them). Default true, the harder case.
   */
  echoToken: boolean;
  /**
   * How `next.parameters` asks for the following page: 'page' (the same query with `page` + 1) or 'dateFrom' (the
   * query with `dateFrom` moved to the first file not yet returned, `page` dropped and `dateTo` made absolute —
   * files sharing that start time are then listed again, so a client must key rows by file name). Default 'page'.
   */
  paging: 'page' | 'dateFrom';
  /** Rows per page when the query gives no `rowLimit`. Default 100000. */
  defaultRowLimit: number;
  /** A larger `rowLimit` is lowered to this. Default 100000. */
  maxRowLimit: number;
  /**
   * How a gz-compressed archive file (`compression: "gz"` in listings) is downloaded: 'decompressed' (the body is
   * the content, `uncompressedFileSize` bytes, as the official client's docstring says) or 'stored' (the gzip
   * stream as archived, `fileSize` bytes, Content-Type application/gzip). Default 'decompressed'.
   */
  gzipDownload: 'decompressed' | 'stored';
  /** Whether archive downloads honour Range; null follows the simulator-wide behaviour's `rangeSupport`. Default null. */
  rangeSupport: boolean | null;
  /** Size of every archive file's content, in bytes, instead of the catalogue's per-kind sizes; null keeps those. Default null. */
  fileSizeBytes: number | null;
  /** Warnings put in every listing's `messages` (besides the simulator's own about withheld files). Default []. */
  messages: readonly string[];
}

export const defaultArchiveOptions: Readonly<ArchiveOptions> = Object.freeze({
  echoToken: true,
  paging: 'page',
  defaultRowLimit: 100_000,
  maxRowLimit: 100_000,
  gzipDownload: 'decompressed',
  rangeSupport: null,
  fileSizeBytes: null,
  messages: [],
});

const positiveInt = (name: string, v: unknown) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new RangeError(`archive.${name} must be a positive integer, got ${String(v)}`);
};

const oneOf = (name: string, v: unknown, allowed: readonly unknown[]) => {
  if (!allowed.includes(v))
    throw new RangeError(`archive.${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
};

/** `patch` over `base`; `undefined` fields do not override. Throws on values that make no sense. */
export function mergeArchiveOptions(base: ArchiveOptions, patch: Partial<ArchiveOptions> | undefined): ArchiveOptions {
  const out: ArchiveOptions = { ...base };
  for (const [key, value] of Object.entries(patch ?? {}))
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  oneOf('echoToken', out.echoToken, [true, false]);
  oneOf('paging', out.paging, ['page', 'dateFrom']);
  oneOf('gzipDownload', out.gzipDownload, ['decompressed', 'stored']);
  oneOf('rangeSupport', out.rangeSupport, [true, false, null]);
  positiveInt('defaultRowLimit', out.defaultRowLimit);
  positiveInt('maxRowLimit', out.maxRowLimit);
  if (out.fileSizeBytes !== null && !(Number.isInteger(out.fileSizeBytes) && out.fileSizeBytes >= 0))
    throw new RangeError(`archive.fileSizeBytes must be null or a non-negative integer, got ${out.fileSizeBytes}`);
  if (!Array.isArray(out.messages) || !out.messages.every((m) => typeof m === 'string'))
    throw new RangeError('archive.messages must be a list of strings');
  return out;
}
