/**
 * The simulated world as the server holds it: datasets (one per DOI), monitoring locations, and observations kept
 * as columns (typed arrays) rather than objects, so hundreds of thousands of rows cost a few megabytes. A row is
 * turned into JSON only when a page is served (see observation-rows.ts).
 *
 * Observations are also indexed by *group*: the rows of one location that share media, characteristic, start year
 * and activity group type. Every filter field is constant within a group, so a `$filter` is decided once per group,
 * never per row, and a page is served by seeking into the matching groups' row lists.
 */
import type { FilterField } from './resources.js';
import type { Characteristic, Province } from './vocabulary.js';

/** One value of a filter field, as filters see it; null when the thing has no such value. */
export type FactValue = string | number | readonly string[] | null;

/** The filter fields' values for one group of rows (or one location, or one dataset). */
export type FilterFacts = Readonly<Record<FilterField, FactValue>>;

/** A JSON row as served, before `$select`. */
export type Row = Record<string, unknown>;

export interface SimDataset {
  index: number;
  /** Metadata's Id: a UUID; Metadata is ordered and paged by it. */
  id: string;
  doi: string;
  name: string;
  organizationCode: string;
  province: Province;
  createTimestamp: string;
  /** The `/Metadata` row, every field. */
  metadata: Row;
  /** Indices into {@link SimData.locations}, ascending. */
  locations: number[];
  /** What a Metadata filter is tried against: a dataset matches when any of these does. */
  filterTuples: FilterFacts[];
}

export interface SimLocation {
  index: number;
  /** Locations' Id and Observations' LocationId. */
  id: number;
  dataset: number;
  /** The `/Locations` row, every field. */
  row: Row;
  regionIds: readonly string[];
  /** Indices into CHARACTERISTICS measured here, in visit order. */
  characteristics: readonly number[];
  /** Index into ACTIVITY_MEDIA. */
  media: number;
  /** Some lab samples here are of sediment. */
  sediment: boolean;
  /** A continuous logger (field probes only, frequent readings) rather than visits. */
  logger: boolean;
  laboratory: string;
  /** Indices into {@link SimData.groups}. */
  groups: number[];
  /** What a Locations filter is tried against: the location matches when any of these does. */
  filterTuples: FilterFacts[];
}

export interface ObservationGroup {
  index: number;
  location: number;
  facts: FilterFacts;
  /** Indices into the observation columns, ascending (so ascending by Id). */
  rows: Int32Array;
}

/** Observations as columns; index i across all arrays is one row. Rows are in ascending Id order. */
export interface ObservationColumns {
  count: number;
  ids: Float64Array;
  location: Uint16Array;
  /** Local wall-clock start time, minutes since 1970-01-01T00:00 (read with UTC getters). */
  startMinute: Int32Array;
  characteristic: Uint8Array;
  activityType: Uint8Array;
  media: Uint8Array;
  group: Uint32Array;
}

export interface SimData {
  seed: number;
  datasets: SimDataset[];
  /** Ascending by Id. */
  locations: SimLocation[];
  observations: ObservationColumns;
  groups: ObservationGroup[];
  characteristics: readonly Characteristic[];
}
