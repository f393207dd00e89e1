import type { Resource } from './datastream-resources.js';
import { maxTop } from './datastream-resources.js';

/** One partition of a pull, fixed when the order's first step lists them: a location (and year), or everything. */
export interface PartitionParams {
  /** The location pulled, or null for a pull that is not partitioned. */
  locationId: number | null;
  /** The activity start year pulled, with `location-year`. */
  year: number | null;
  /** The dataset the location belongs to, as /Locations said: cited when the rows carry no DOI of their own. */
  doi: string | null;
}

/**
 * What a partition's pull has committed. Saved with each page, after the page is on disk: the pull goes on from
 * `next` after any crash, and the file holds exactly the rows counted here.
 */
export interface PartitionState {
  /** The link to the page after the last one committed; null before the first page. */
  next: string | null;
  /** Rows asked for per page; halved after timeouts and 413s. */
  top: number;
  pages: number;
  rows: number;
  /** Every DOI the committed rows carried (or the location's, when they carry none). */
  dois: string[];
  /** A timeout (408/504) was retried once for the current page: another one halves `top`. */
  timeoutRetried: boolean;
  /** The last page is committed: the file only waits for its rename. */
  done: boolean;
}

/** What the file of a partition is. */
export interface PartitionFileMeta {
  resource: Resource;
  locationId: number | null;
  year: number | null;
  format: 'csv' | 'jsonl';
}

/** A partition before its first page, asking for `top` rows a page. */
export const initialPartitionState = (top: number = maxTop): PartitionState => ({
  next: null,
  top,
  pages: 0,
  rows: 0,
  dois: [],
  timeoutRetried: false,
  done: false,
});

/** `<resource>-<LocationId>[-<year>].<csv|jsonl>`, or `<resource>.<ext>` for a pull that is not partitioned. */
export function partitionFileName(meta: PartitionFileMeta): string {
  const parts: string[] = [meta.resource];
  if (meta.locationId !== null) parts.push(String(meta.locationId));
  if (meta.year !== null) parts.push(String(meta.year));
  return `${parts.join('-')}.${meta.format}`;
}

/** A partition's title on the dashboard: "location 12 2019". */
export function partitionTitle(params: PartitionParams): string {
  if (params.locationId === null) return 'whole pull';
  return params.year === null ? `location ${params.locationId}` : `location ${params.locationId} ${params.year}`;
}
