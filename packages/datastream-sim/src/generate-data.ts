/**
 * Draws the whole simulated world from one seed: datasets, their monitoring locations, and every observation's
 * place, time, characteristic and activity (the rest of each row is derived from its Id when served). Same shape,
 * same seed: the same Ids, the same rows, byte for byte, in every process.
 */
import type {
  FilterFacts,
  ObservationColumns,
  ObservationGroup,
  Row,
  SimData,
  SimDataset,
  SimLocation,
} from './dataset.js';
import { chance, hashInts, intBetween, mulberry32, pick, pickWeighted, shuffled, type Random } from './prng.js';
import {
  ACTIVITY_TYPES,
  ACTIVITY_TYPE_INDEX,
  ACTIVITY_MEDIA,
  CHARACTERISTICS,
  CHARACTERISTIC_INDEX,
  COORDINATE_SYSTEMS,
  COUNTRY_REGION,
  DATASET_TOPICS,
  LABORATORIES,
  LICENCES,
  MAINTENANCE_FREQUENCIES,
  MEDIA_INDEX,
  MONITORING_LOCATION_KINDS,
  ORGANIZATIONS,
  PROGRESS_CODES,
  PROVINCES,
  STATION_SUFFIXES,
  activityGroupTypeOf,
  provinceRegion,
  type Organization,
  type Province,
} from './vocabulary.js';
import { formatDate, isoTimestamp, minutesAt, startOfDay, yearOf } from './wall-clock.js';

export interface DatasetShape {
  /** Seed of the PRNG everything is drawn from (any integer). Default 1. */
  seed: number;
  /** Number of datasets (DOIs). Default 5. */
  datasets: number;
  /** Number of monitoring locations, spread over the datasets (each dataset gets one first). Default 40. */
  locations: number;
  /** Observations per location, drawn uniformly from [min, max] (both included). Default [5000, 15000]. */
  observationsPerLocation: readonly [number, number];
}

export const DEFAULT_DATASET_SHAPE: Readonly<DatasetShape> = {
  seed: 1,
  datasets: 5,
  locations: 40,
  observationsPerLocation: [5000, 15000],
};

/** Above this many observations in all, generation is refused (memory stays well under a gigabyte). */
export const MAX_OBSERVATIONS = 20_000_000;

function checkShape(shape: DatasetShape): void {
  const [min, max] = shape.observationsPerLocation;
  const problems: string[] = [];
  if (!Number.isSafeInteger(shape.seed)) problems.push(`seed must be an integer, got ${shape.seed}`);
  if (!(Number.isInteger(shape.datasets) && shape.datasets >= 1 && shape.datasets <= 1000))
    problems.push(`datasets must be an integer in 1..1000, got ${shape.datasets}`);
  if (!(Number.isInteger(shape.locations) && shape.locations >= 0 && shape.locations <= 65_535))
    problems.push(`locations must be an integer in 0..65535, got ${shape.locations}`);
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && max >= min))
    problems.push(`observationsPerLocation must be integers with 0 <= min <= max, got [${min}, ${max}]`);
  if (shape.locations * max > MAX_OBSERVATIONS)
    problems.push(`at most ${MAX_OBSERVATIONS} observations in all (locations × max observations per location)`);
  if (problems.length > 0) throw new RangeError(`dataset shape: ${problems.join('; ')}`);
}

const between = (random: Random, [low, high]: readonly [number, number]): number => low + random() * (high - low);
const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const chars = (random: Random, alphabet: string, n: number): string =>
  Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)] ?? 'x').join('');

/** A DOI of DataStream's form, `10.25976/` + 4 letters or digits, `-`, 2 letters or digits and 2 digits. */
function uniqueDoi(random: Random, taken: Set<string>): string {
  for (;;) {
    const doi = `10.25976/${chars(random, ALNUM, 4)}-${chars(random, ALNUM, 2)}${chars(random, '0123456789', 2)}`;
    if (!taken.has(doi)) {
      taken.add(doi);
      return doi;
    }
  }
}

function uuid(random: Random): string {
  const h = chars(random, HEX, 32);
  const variant = '89ab'[Math.floor(random() * 4)] ?? '8';
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface DatasetDraft {
  organization: Organization;
  province: Province;
  startYear: number;
  endYear: number;
  doi: string;
  id: string;
  name: string;
  createMs: number;
  publishedMs: number;
  version: string;
  licence: string;
  progress: string;
  maintenance: string;
  funded: boolean;
  hasSourceUrl: boolean;
}

function draftDataset(random: Random, organization: Organization, dois: Set<string>): DatasetDraft {
  const province = pick(random, PROVINCES);
  const startYear = intBetween(random, 2004, 2018);
  const endYear = Math.min(2024, startYear + intBetween(random, 2, 10));
  const doi = uniqueDoi(random, dois);
  const topic = pick(random, DATASET_TOPICS);
  const createMs = Date.UTC(Math.min(2024, startYear + 1), 0, 1) + intBetween(random, 0, 364) * 86_400_000;
  return {
    organization,
    province,
    startYear,
    endYear,
    doi,
    id: uuid(random),
    name: `${organization.name}, ${topic} (${startYear}–${endYear})`,
    createMs: createMs + intBetween(random, 0, 86_399_999),
    publishedMs: createMs + intBetween(random, 1, 20) * 86_400_000,
    version: `${intBetween(random, 1, 3)}.${intBetween(random, 0, 4)}.${intBetween(random, 0, 9)}`,
    licence: pick(random, LICENCES),
    progress: pick(random, PROGRESS_CODES),
    maintenance: pick(random, MAINTENANCE_FREQUENCIES),
    funded: chance(random, 0.7),
    hasSourceUrl: chance(random, 0.5),
  };
}

interface LocationDraft {
  dataset: number;
  id: number;
  row: Row;
  name: string;
  type: string;
  latitudeNormalized: number;
  longitudeNormalized: number;
  latitude: number;
  longitude: number;
  regionIds: string[];
  characteristics: number[];
  media: number;
  sediment: boolean;
  logger: boolean;
  laboratory: string;
  startYear: number;
  endYear: number;
  count: number;
}

const FIELD_CHARACTERISTICS = CHARACTERISTICS.flatMap((c, i) => (c.field ? [i] : []));
const LAB_CHARACTERISTICS = CHARACTERISTICS.flatMap((c, i) => (c.field ? [] : [i]));
const SALINITY = CHARACTERISTICS.findIndex((c) => c.name === 'Salinity');

function drawCharacteristics(random: Random, logger: boolean, marine: boolean): number[] {
  const chosen: number[] = [CHARACTERISTIC_INDEX.temperature];
  if (chance(random, 0.85)) chosen.push(CHARACTERISTIC_INDEX.pH);
  const optionalField = FIELD_CHARACTERISTICS.filter(
    (i) => i !== CHARACTERISTIC_INDEX.temperature && i !== CHARACTERISTIC_INDEX.pH && (i !== SALINITY || marine),
  );
  for (const i of optionalField) if (chance(random, logger ? 0.25 : 0.45)) chosen.push(i);
  if (!logger) for (const i of LAB_CHARACTERISTICS) if (chance(random, 0.35)) chosen.push(i);
  return chosen;
}

function draftLocation(
  random: Random,
  dataset: number,
  draft: DatasetDraft,
  id: number,
  ordinalInDataset: number,
  perLocation: readonly [number, number],
): LocationDraft {
  const kind = pickWeighted(random, MONITORING_LOCATION_KINDS);
  const province = draft.province;
  const latitude = round(between(random, province.latitude), 6);
  const longitude = round(between(random, province.longitude), 6);
  const crs = pickWeighted(random, COORDINATE_SYSTEMS);
  // NAD27 differs from WGS84 by tens of metres in Canada; NAD83 by about a metre. Normalised coordinates are WGS84.
  const latitudeNormalized = round(latitude + (crs === 'NAD27' ? 0.00012 : crs === 'NAD83' ? 0.000008 : 0), 6);
  const longitudeNormalized = round(longitude + (crs === 'NAD27' ? -0.00061 : crs === 'NAD83' ? 0.000011 : 0), 6);
  const hub = province.hub(latitude);
  const regionIds = [COUNTRY_REGION, provinceRegion(province.code), ...(hub ? [hub] : [])];
  const logger = chance(random, 0.12);
  const marine = kind.media === MEDIA_INDEX.oceanWater;
  const characteristics = drawCharacteristics(random, logger, marine);
  const hasLab = characteristics.some((i) => !CHARACTERISTICS[i]?.field);
  const sediment = hasLab && kind.media === MEDIA_INDEX.surfaceWater && chance(random, 0.2);
  const startYear = intBetween(random, draft.startYear, draft.endYear);
  const endYear = intBetween(random, startYear, draft.endYear);
  const name = `${pick(random, kind.waterbodies)}${pick(random, STATION_SUFFIXES)}`;
  const accuracy = chance(random, 0.6) ? pick(random, [1, 3, 5, 10]) : null;
  const vertical = chance(random, 0.5) ? round(between(random, [2, 900]), 1) : null;
  const row: Row = {
    Id: id,
    DOI: draft.doi,
    ID: `${draft.organization.code}-${String(ordinalInDataset + 1).padStart(2, '0')}`,
    Name: name,
    Latitude: latitude,
    Longitude: longitude,
    HorizontalCoordinateReferenceSystem: crs,
    HorizontalAccuracyMeasure: accuracy,
    HorizontalAccuracyUnit: accuracy === null ? null : 'm',
    VerticalMeasure: vertical,
    VerticalUnit: vertical === null ? null : 'm',
    MonitoringLocationType: kind.type,
    LatitudeNormalized: latitudeNormalized,
    LongitudeNormalized: longitudeNormalized,
    HorizontalCoordinateReferenceSystemNormalized: 'WGS84',
  };
  return {
    dataset,
    id,
    row,
    name,
    type: kind.type,
    latitude,
    longitude,
    latitudeNormalized,
    longitudeNormalized,
    regionIds,
    characteristics,
    media: kind.media,
    sediment,
    logger,
    laboratory: pick(random, LABORATORIES),
    startYear,
    endYear,
    count: intBetween(random, perLocation[0], perLocation[1]),
  };
}

/** One location's rows before Ids: start minute, characteristic, activity type and media, in time order. */
interface LocationRows {
  startMinute: Int32Array;
  characteristic: Uint8Array;
  activityType: Uint8Array;
  media: Uint8Array;
}

function drawLocationRows(random: Random, loc: LocationDraft): LocationRows {
  const n = loc.count;
  const out: LocationRows = {
    startMinute: new Int32Array(n),
    characteristic: new Uint8Array(n),
    activityType: new Uint8Array(n),
    media: new Uint8Array(n),
  };
  const perVisit = loc.characteristics.length;
  const visits = Math.ceil(n / perVisit);
  const first = minutesAt(loc.startYear, 1, 1, 8 * 60);
  const last = minutesAt(loc.endYear, 12, 31, 17 * 60);
  const step = (last - first) / Math.max(1, visits);
  let row = 0;
  for (let visit = 0; visit < visits && row < n; visit++) {
    let minute = first + Math.floor(visit * step);
    // Visits days apart happen in working hours; a logger reads at whatever minute it is due.
    if (step >= 1440 && !loc.logger) minute = startOfDay(minute) + 8 * 60 + intBetween(random, 0, 540);
    for (const characteristic of loc.characteristics) {
      if (row >= n) break;
      const spec = CHARACTERISTICS[characteristic];
      const lab = spec !== undefined && !spec.field;
      out.startMinute[row] = minute;
      out.characteristic[row] = characteristic;
      out.activityType[row] = loc.logger
        ? ACTIVITY_TYPE_INDEX.dataLogger
        : !lab
          ? ACTIVITY_TYPE_INDEX.fieldObservation
          : chance(random, 1 / 25)
            ? ACTIVITY_TYPE_INDEX.fieldReplicate
            : ACTIVITY_TYPE_INDEX.routineSample;
      out.media[row] = lab && loc.sediment && chance(random, 1 / 8) ? MEDIA_INDEX.sediment : loc.media;
      row++;
    }
  }
  return out;
}

function locationFacts(loc: LocationDraft, draft: DatasetDraft): FilterFacts {
  return {
    Id: loc.id,
    DOI: draft.doi,
    LocationId: loc.id,
    ActivityMediaName: null,
    ActivityGroupType: null,
    CharacteristicName: null,
    MonitoringLocationType: loc.type,
    ActivityStartYear: null,
    ActivityStartDateYear: null,
    RegionId: loc.regionIds,
    LatitudeNormalized: loc.latitudeNormalized,
    LongitudeNormalized: loc.longitudeNormalized,
    Latitude: loc.latitude,
    Longitude: loc.longitude,
    DatasetName: draft.name,
    CreateTimestamp: isoTimestamp(draft.createMs),
    Name: loc.name,
  };
}

function datasetOnlyFacts(draft: DatasetDraft): FilterFacts {
  return {
    Id: null,
    DOI: draft.doi,
    LocationId: null,
    ActivityMediaName: null,
    ActivityGroupType: null,
    CharacteristicName: null,
    MonitoringLocationType: null,
    ActivityStartYear: null,
    ActivityStartDateYear: null,
    RegionId: null,
    LatitudeNormalized: null,
    LongitudeNormalized: null,
    Latitude: null,
    Longitude: null,
    DatasetName: draft.name,
    CreateTimestamp: isoTimestamp(draft.createMs),
    Name: null,
  };
}

function metadataRow(draft: DatasetDraft, temporalExtent: [string, string] | null, keywords: string): Row {
  const org = draft.organization;
  const domain = `${org.code.toLowerCase()}.example.org`;
  const year = new Date(draft.publishedMs).getUTCFullYear();
  return {
    Id: draft.id,
    DOI: draft.doi,
    Version: draft.version,
    DatasetName: draft.name,
    DataStewardEmail: `data@${domain}`,
    DataCollectionOrganization: org.name,
    DataUploadOrganization: org.name,
    ProgressCode: draft.progress,
    MaintenanceFrequencyCode: draft.maintenance,
    Abstract:
      `Volunteers with ${org.name} monitor water quality at sites in ${provinceRegion(draft.province.code)}.\n` +
      `Measurements follow the "CABIN" field protocol, where applicable; see DataCollectionInformation.`,
    DataCollectionInformation: 'Grab samples and handheld multi-parameter probes.\nLoggers deployed May–October.',
    DataProcessing: 'Values outside sensor range removed; duplicates averaged, then flagged.',
    FundingSources: draft.funded ? 'Environment and Climate Change Canada, EcoAction Community Funding Program' : null,
    DataSourceURL: draft.hasSourceUrl ? `https://${domain}/data` : null,
    OtherDataSources: null,
    Citation: `${org.name}. ${year}. "${draft.name}" (dataset). Version ${draft.version}. DataStream. https://doi.org/${draft.doi}`,
    Licence: draft.licence,
    Disclaimer: 'Data are provided "as is", without warranty of any kind.',
    TopicCategoryCode: 'inlandWaters',
    Keywords: keywords,
    CreateTimestamp: isoTimestamp(draft.createMs),
    PublishedTimestamp: isoTimestamp(draft.publishedMs),
    TemporalExtent: temporalExtent,
  };
}

/** Builds the world for a shape. Deterministic: the same shape gives the same data. */
export function generateData(shape: DatasetShape): SimData {
  checkShape(shape);
  const random = mulberry32(hashInts(shape.seed, 0x5eed));

  const dois = new Set<string>();
  const organizations = shuffled(random, ORGANIZATIONS);
  const drafts = Array.from({ length: shape.datasets }, (_, d) =>
    draftDataset(random, organizations[d % organizations.length] as Organization, dois),
  );

  // Each dataset gets one location first, the rest at random; locations are numbered dataset by dataset.
  const owners = Array.from({ length: shape.locations }, (_, l) =>
    l < shape.datasets ? l : intBetween(random, 0, shape.datasets - 1),
  ).sort((a, b) => a - b);
  let nextLocationId = intBetween(random, 1000, 4999);
  const perDataset = new Array<number>(shape.datasets).fill(0);
  const locationDrafts = owners.map((d) => {
    const draft = drafts[d] as DatasetDraft;
    const ordinal = perDataset[d] ?? 0;
    perDataset[d] = ordinal + 1;
    const loc = draftLocation(random, d, draft, nextLocationId, ordinal, shape.observationsPerLocation);
    nextLocationId += intBetween(random, 1, 9);
    return loc;
  });

  const total = locationDrafts.reduce((sum, l) => sum + l.count, 0);
  const columns: ObservationColumns = {
    count: total,
    ids: new Float64Array(total),
    location: new Uint16Array(total),
    startMinute: new Int32Array(total),
    characteristic: new Uint8Array(total),
    activityType: new Uint8Array(total),
    media: new Uint8Array(total),
    group: new Uint32Array(total),
  };

  // Rows take Ids dataset by dataset (a dataset is uploaded at once), and within one in time order, so the
  // locations of a dataset interleave: a per-location pull has to seek, as against the real database.
  let nextId = intBetween(random, 1_000_000, 9_000_000);
  let offset = 0;
  const extents: ([number, number] | null)[] = drafts.map(() => null);
  for (let d = 0; d < shape.datasets; d++) {
    const members = locationDrafts.flatMap((l, index) => (l.dataset === d ? [index] : []));
    const parts = members.map((index) => drawLocationRows(random, locationDrafts[index] as LocationDraft));
    // Each location's rows are already in time order: merge them, earliest first, ties by location.
    const next = parts.map(() => 0);
    for (;;) {
      let best = -1;
      let bestMinute = Infinity;
      for (let p = 0; p < parts.length; p++) {
        const minute = (parts[p] as LocationRows).startMinute[next[p] ?? 0];
        if (minute !== undefined && minute < bestMinute) {
          best = p;
          bestMinute = minute;
        }
      }
      if (best < 0) break;
      const part = parts[best] as LocationRows;
      const r = next[best] ?? 0;
      next[best] = r + 1;
      columns.ids[offset] = nextId;
      columns.location[offset] = members[best] ?? 0;
      columns.startMinute[offset] = bestMinute;
      columns.characteristic[offset] = part.characteristic[r] ?? 0;
      columns.activityType[offset] = part.activityType[r] ?? 0;
      columns.media[offset] = part.media[r] ?? 0;
      const extent = extents[d];
      extents[d] = extent
        ? [Math.min(extent[0], bestMinute), Math.max(extent[1], bestMinute)]
        : [bestMinute, bestMinute];
      offset++;
      nextId += chance(random, 0.1) ? intBetween(random, 2, 20) : 1;
    }
  }

  // Groups: rows of one location with the same media, characteristic, start year and activity type.
  const groupOf = new Map<number, number>();
  const groupKeys: { location: number; media: number; characteristic: number; year: number; activity: number }[] = [];
  const groupSizes: number[] = [];
  for (let i = 0; i < total; i++) {
    const location = columns.location[i] ?? 0;
    const media = columns.media[i] ?? 0;
    const characteristic = columns.characteristic[i] ?? 0;
    const activity = columns.activityType[i] ?? 0;
    const year = yearOf(columns.startMinute[i] ?? 0);
    const key = (((location * 8 + media) * 32 + characteristic) * 256 + (year - 1900)) * 8 + activity;
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupKeys.length;
      groupOf.set(key, g);
      groupKeys.push({ location, media, characteristic, year, activity });
      groupSizes.push(0);
    }
    columns.group[i] = g;
    groupSizes[g] = (groupSizes[g] ?? 0) + 1;
  }
  const groupRows = groupSizes.map((size) => new Int32Array(size));
  const filled = new Array<number>(groupRows.length).fill(0);
  for (let i = 0; i < total; i++) {
    const g = columns.group[i] ?? 0;
    const rows = groupRows[g] as Int32Array;
    rows[filled[g] ?? 0] = i;
    filled[g] = (filled[g] ?? 0) + 1;
  }

  const baseFacts = locationDrafts.map((l) => locationFacts(l, drafts[l.dataset] as DatasetDraft));
  const groups: ObservationGroup[] = groupKeys.map((k, index) => ({
    index,
    location: k.location,
    rows: groupRows[index] as Int32Array,
    facts: {
      ...(baseFacts[k.location] as FilterFacts),
      ActivityMediaName: ACTIVITY_MEDIA[k.media] ?? null,
      ActivityGroupType: activityGroupTypeOf(ACTIVITY_TYPES[k.activity] ?? 'Field Msr/Obs'),
      CharacteristicName: CHARACTERISTICS[k.characteristic]?.name ?? null,
      ActivityStartYear: k.year,
      ActivityStartDateYear: k.year,
    },
  }));

  const groupsByLocation = locationDrafts.map((): number[] => []);
  for (const g of groups) groupsByLocation[g.location]?.push(g.index);

  const locations: SimLocation[] = locationDrafts.map((l, index) => {
    const own = groupsByLocation[index] ?? [];
    return {
      index,
      id: l.id,
      dataset: l.dataset,
      row: l.row,
      regionIds: l.regionIds,
      characteristics: l.characteristics,
      media: l.media,
      sediment: l.sediment,
      logger: l.logger,
      laboratory: l.laboratory,
      groups: own,
      filterTuples:
        own.length > 0 ? own.map((g) => (groups[g] as ObservationGroup).facts) : [baseFacts[index] as FilterFacts],
    };
  });

  const datasets: SimDataset[] = drafts.map((draft, index) => {
    const members = locations.filter((l) => l.dataset === index);
    const extent = extents[index];
    const keywords = [
      ...new Set(members.flatMap((l) => l.characteristics.map((c) => CHARACTERISTICS[c]?.name ?? ''))),
    ].join(', ');
    return {
      index,
      id: draft.id,
      doi: draft.doi,
      name: draft.name,
      organizationCode: draft.organization.code,
      province: draft.province,
      createTimestamp: isoTimestamp(draft.createMs),
      metadata: metadataRow(draft, extent ? [formatDate(extent[0]), formatDate(extent[1])] : null, keywords),
      locations: members.map((l) => l.index),
      filterTuples: members.length > 0 ? members.flatMap((l) => l.filterTuples) : [datasetOnlyFacts(draft)],
    };
  });

  return { seed: shape.seed, datasets, locations, observations: columns, groups, characteristics: CHARACTERISTICS };
}
