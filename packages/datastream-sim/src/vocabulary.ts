/**
 * The controlled vocabularies the generated data draws from. Terms follow the DataStream schema (itself WQX-based)
 * where the documents name them ('pH', 'Temperature, water', 'hub.atlantic', 'Surface Water' …); the rest are
 * plausible stand-ins. Several terms contain commas, quotes, apostrophes, newlines or accents on purpose, so a
 * client's CSV writer and its URL encoding are exercised by ordinary data.
 */
import { normal, type Random } from './prng.js';

export interface Characteristic {
  name: string;
  unit: string;
  /** Measured in the field by a probe (true) or in a laboratory on a sample (false). */
  field: boolean;
  /** A value for a sample taken on this day of the year (1..366). */
  draw: (random: Random, dayOfYear: number) => number;
  decimals: number;
  sampleFraction: string | null;
  methodSpeciation: string | null;
  /** The method detection level, for laboratory results that can be "Not Detected". */
  detectionLimit: number | null;
  methodId: string;
  methodContext: string;
  methodName: string;
}

const atLeast = (min: number, value: number): number => (value < min ? min : value);
const seasonal = (dayOfYear: number): number => -Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365);

export const CHARACTERISTICS: readonly Characteristic[] = [
  {
    name: 'Temperature, water',
    unit: 'deg C',
    field: true,
    draw: (r, doy) => atLeast(0, 10 + 10 * seasonal(doy) + normal(r, 0, 1.5)),
    decimals: 1,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: null,
    methodId: 'SM 2550 B',
    methodContext: 'APHA',
    methodName: 'Temperature, laboratory and field methods',
  },
  {
    name: 'pH',
    unit: 'None',
    field: true,
    draw: (r) => Math.min(9.5, Math.max(5.5, normal(r, 7.6, 0.45))),
    decimals: 2,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: null,
    methodId: '4500-H+ B',
    methodContext: 'APHA',
    methodName: 'pH value, electrometric method',
  },
  {
    name: 'Dissolved oxygen (DO)',
    unit: 'mg/L',
    field: true,
    draw: (r, doy) => atLeast(0.5, 10 - 2.5 * seasonal(doy) + normal(r, 0, 0.8)),
    decimals: 2,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: null,
    methodId: '4500-O G',
    methodContext: 'APHA',
    methodName: 'Oxygen (dissolved), membrane electrode method',
  },
  {
    name: 'Dissolved oxygen saturation',
    unit: '%',
    field: true,
    draw: (r) => atLeast(10, normal(r, 96, 8)),
    decimals: 1,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: null,
    methodId: '4500-O G',
    methodContext: 'APHA',
    methodName: 'Oxygen (dissolved), membrane electrode method',
  },
  {
    name: 'Specific conductance',
    unit: 'uS/cm',
    field: true,
    draw: (r) => atLeast(5, Math.exp(normal(r, 5.6, 0.6))),
    decimals: 0,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: null,
    methodId: '2510 B',
    methodContext: 'APHA',
    methodName: 'Conductivity, laboratory method',
  },
  {
    name: 'Turbidity',
    unit: 'NTU',
    field: true,
    draw: (r) => atLeast(0.1, Math.exp(normal(r, 1.2, 1))),
    decimals: 2,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: null,
    methodId: '2130 B',
    methodContext: 'APHA',
    methodName: 'Turbidity, nephelometric method',
  },
  {
    name: 'Salinity',
    unit: 'ppt',
    field: true,
    draw: (r) => atLeast(0, normal(r, 12, 9)),
    decimals: 2,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: null,
    methodId: '2520 B',
    methodContext: 'APHA',
    methodName: 'Salinity, electrical conductivity method',
  },
  {
    name: 'Total Phosphorus, mixed forms',
    unit: 'mg/L',
    field: false,
    draw: (r) => Math.exp(normal(r, -3.6, 0.9)),
    decimals: 4,
    sampleFraction: 'Total',
    methodSpeciation: 'as P',
    detectionLimit: 0.002,
    methodId: '4500-P E',
    methodContext: 'APHA',
    methodName: 'Phosphorus, ascorbic acid method',
  },
  {
    name: 'Nitrate',
    unit: 'mg/L',
    field: false,
    draw: (r) => Math.exp(normal(r, -2, 1.2)),
    decimals: 3,
    sampleFraction: 'Dissolved',
    methodSpeciation: 'as N',
    detectionLimit: 0.005,
    methodId: 'EPA 353.2',
    methodContext: 'USEPA',
    methodName: 'Nitrate-nitrite nitrogen by automated colorimetry',
  },
  {
    name: 'Escherichia coli',
    unit: 'MPN/100mL',
    field: false,
    draw: (r) => Math.round(Math.exp(normal(r, 3, 1.5))),
    decimals: 0,
    sampleFraction: null,
    methodSpeciation: null,
    detectionLimit: 1,
    methodId: '9223 B',
    methodContext: 'APHA',
    methodName: 'Enzyme substrate test (Colilert)',
  },
  {
    name: 'Chloride',
    unit: 'mg/L',
    field: false,
    draw: (r) => Math.exp(normal(r, 2.3, 1.1)),
    decimals: 2,
    sampleFraction: 'Dissolved',
    methodSpeciation: null,
    detectionLimit: 0.1,
    methodId: '4110 B',
    methodContext: 'APHA',
    methodName: 'Ion chromatography with chemical suppression',
  },
  {
    name: 'Lead',
    unit: 'ug/L',
    field: false,
    draw: (r) => Math.exp(normal(r, -2.5, 1.3)),
    decimals: 3,
    sampleFraction: 'Total',
    methodSpeciation: null,
    detectionLimit: 0.05,
    methodId: 'EPA 200.8',
    methodContext: 'USEPA',
    methodName: 'Trace elements by ICP/MS',
  },
];

export const CHARACTERISTIC_INDEX = {
  temperature: 0,
  pH: 1,
} as const;

/** Activity types; the simulator derives ActivityGroupType from them (see {@link activityGroupTypeOf}). */
export const ACTIVITY_TYPES = [
  'Field Msr/Obs',
  'Field Msr/Obs-Portable Data Logger',
  'Sample-Routine',
  'Quality Control Sample-Field Replicate',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_TYPE_INDEX = {
  fieldObservation: 0,
  dataLogger: 1,
  routineSample: 2,
  fieldReplicate: 3,
} as const;

/** The broad kind of an activity: the filter field ActivityGroupType, which no resource selects. */
export function activityGroupTypeOf(activityType: ActivityType): string {
  if (activityType.startsWith('Field Msr/Obs')) return 'Field Msr/Obs';
  if (activityType.startsWith('Quality Control')) return 'Quality Control';
  return 'Sample';
}

export const ACTIVITY_MEDIA = ['Surface Water', 'Groundwater', 'Ocean Water', 'Surface Water Sediment'] as const;
export const MEDIA_INDEX = { surfaceWater: 0, groundwater: 1, oceanWater: 2, sediment: 3 } as const;

export interface MonitoringLocationKind {
  type: string;
  /** Index into ACTIVITY_MEDIA of the media its samples are. */
  media: number;
  /** Waterbody names for this kind of place. */
  waterbodies: readonly string[];
}

export const MONITORING_LOCATION_KINDS: readonly (readonly [MonitoringLocationKind, number])[] = [
  [
    {
      type: 'River/Stream',
      media: MEDIA_INDEX.surfaceWater,
      waterbodies: [
        'Kettle Creek',
        'Rivière des Prairies',
        "O'Leary Brook",
        'Little Red Deer River',
        'Sturgeon River',
        'Rivière Saint-François',
        'Mill Creek',
        'Spirit River',
        'Beaver Creek',
        "Rivière L'Assomption",
        'Salmon River',
      ],
    },
    6,
  ],
  [
    {
      type: 'Lake',
      media: MEDIA_INDEX.surfaceWater,
      waterbodies: [
        'Lac Saint-Pierre',
        "Lac d'Argent",
        'Pigeon Lake',
        'Wabamun Lake',
        'Lac La Ronge',
        'Long Lake',
        'Lake of Bays',
      ],
    },
    3,
  ],
  [
    {
      type: 'Estuary',
      media: MEDIA_INDEX.oceanWater,
      waterbodies: ['Petitcodiac Estuary', 'Fraser Estuary', 'Baie des Chaleurs'],
    },
    1,
  ],
  [{ type: 'Ocean', media: MEDIA_INDEX.oceanWater, waterbodies: ['Mahone Bay', 'Burrard Inlet'] }, 0.5],
  [
    {
      type: 'Wetland Undifferentiated',
      media: MEDIA_INDEX.surfaceWater,
      waterbodies: ['Cranberry Marsh', 'Tantramar Marsh'],
    },
    0.5,
  ],
  [{ type: 'Well', media: MEDIA_INDEX.groundwater, waterbodies: ['Community Well', 'Observation Well'] }, 0.5],
];

/** Where a station sits on its waterbody; several carry commas, quotes or a dash on purpose. */
export const STATION_SUFFIXES: readonly string[] = [
  ' at Highway 4',
  ', upstream of culvert',
  ' near "the old mill"',
  ' – pont 2',
  ', station 3',
  ' at Main St. bridge',
  ' below the confluence',
  ', north shore',
  " at Smith's Landing",
  ', site "B"',
];

export interface Province {
  code: string;
  latitude: readonly [number, number];
  longitude: readonly [number, number];
  /** Standard-time UTC offset. */
  offset: string;
  /** Whether local clocks move an hour forward from April to October. */
  daylightSaving: boolean;
  /** The DataStream hub it belongs to, if any (by latitude for Alberta, which straddles two). */
  hub: (latitude: number) => string | null;
}

export const PROVINCES: readonly Province[] = [
  {
    code: 'bc',
    latitude: [48.5, 57],
    longitude: [-127, -116],
    offset: '-08:00',
    daylightSaving: true,
    hub: () => 'hub.pacific',
  },
  {
    code: 'ab',
    latitude: [49.1, 58],
    longitude: [-119, -110.5],
    offset: '-07:00',
    daylightSaving: true,
    hub: (lat) => (lat > 55 ? 'hub.mackenzie' : 'hub.lakewinnipeg'),
  },
  {
    code: 'sk',
    latitude: [49.1, 57],
    longitude: [-109, -102],
    offset: '-06:00',
    daylightSaving: false,
    hub: () => 'hub.lakewinnipeg',
  },
  {
    code: 'mb',
    latitude: [49.1, 56],
    longitude: [-101, -95.5],
    offset: '-06:00',
    daylightSaving: true,
    hub: () => 'hub.lakewinnipeg',
  },
  {
    code: 'on',
    latitude: [42.5, 47.5],
    longitude: [-83, -76],
    offset: '-05:00',
    daylightSaving: true,
    hub: () => 'hub.greatlakes',
  },
  { code: 'qc', latitude: [45.2, 49], longitude: [-75, -66], offset: '-05:00', daylightSaving: true, hub: () => null },
  {
    code: 'nb',
    latitude: [45.3, 47.8],
    longitude: [-67.5, -64.6],
    offset: '-04:00',
    daylightSaving: true,
    hub: () => 'hub.atlantic',
  },
  {
    code: 'ns',
    latitude: [43.7, 46.8],
    longitude: [-65.9, -60.2],
    offset: '-04:00',
    daylightSaving: true,
    hub: () => 'hub.atlantic',
  },
  {
    code: 'pe',
    latitude: [46.1, 46.9],
    longitude: [-64.3, -62.1],
    offset: '-04:00',
    daylightSaving: true,
    hub: () => 'hub.atlantic',
  },
  {
    code: 'nl',
    latitude: [47.1, 51.4],
    longitude: [-59, -53],
    offset: '-03:30',
    daylightSaving: true,
    hub: () => 'hub.atlantic',
  },
  {
    code: 'nt',
    latitude: [60.5, 67.5],
    longitude: [-133, -113],
    offset: '-07:00',
    daylightSaving: true,
    hub: () => 'hub.mackenzie',
  },
  {
    code: 'yt',
    latitude: [60.2, 65.5],
    longitude: [-139, -130],
    offset: '-07:00',
    daylightSaving: false,
    hub: () => null,
  },
];

/** The region a whole country is: every generated location is in Canada. */
export const COUNTRY_REGION = 'admin.2.ca';
export const provinceRegion = (code: string): string => `admin.4.ca.${code}`;

export const COORDINATE_SYSTEMS: readonly (readonly [string, number])[] = [
  ['WGS84', 7],
  ['NAD83', 2.5],
  ['NAD27', 0.5],
];

export interface Organization {
  name: string;
  /** Short code used in monitoring location IDs and e-mail domains. */
  code: string;
}

export const ORGANIZATIONS: readonly Organization[] = [
  { name: 'Kettle Creek Community Monitors', code: 'KCCM' },
  { name: 'Baie-des-Chaleurs Water Watch', code: 'BCWW' },
  { name: 'Slave River Guardians', code: 'SRG' },
  { name: 'Okanagan Lake Keepers', code: 'OLK' },
  { name: 'Red River Citizen Science Network', code: 'RRCSN' },
  { name: 'North Saskatchewan Watershed Stewards', code: 'NSWS' },
  { name: 'Tantramar Wetlands Collective', code: 'TWC' },
  { name: 'Société de conservation de la rivière Noire', code: 'SCRN' },
];

export const DATASET_TOPICS: readonly string[] = [
  'Community-based water quality monitoring',
  'Long-term lake monitoring, nearshore sites',
  'Stream temperature and dissolved oxygen, continuous',
  'Recreational water quality (bacteria), summer program',
  'Estuary "health check" survey',
  'Nutrients and major ions, tributaries',
];

export const LICENCES: readonly string[] = [
  'Open Data Commons Public Domain Dedication and License (PDDL) v1.0',
  'Creative Commons Attribution 4.0 International (CC BY 4.0)',
  'Open Government Licence - Canada',
  'Open Data Commons Attribution License (ODC-By) v1.0',
];

export const LABORATORIES: readonly string[] = [
  'ALS Environmental',
  'Bureau Veritas Laboratories',
  'Saskatchewan Research Council, Environmental Analytical Laboratories',
  'Laboratoire "EnviroLab" inc.',
];

/** Field notes; a few of each kind a CSV writer must quote: commas, double quotes, newlines (LF and CRLF). */
export const RESULT_COMMENTS: readonly string[] = [
  'Ice cover, sampled through a hole',
  'Reading "unstable", re-sampled after 5 min',
  'Cloudy after rain\nwater level high',
  "Sampler's note: near culvert, downstream side",
  'Duplicate of "QC-1"\r\nflagged for review',
  'Probe recalibrated',
  'Eau trouble; échantillon prélevé à 0,5 m',
];

export const RESULT_STATUSES: readonly (readonly [string, number])[] = [
  ['Accepted', 80],
  ['Preliminary', 12],
  ['Validated', 8],
];

export const RESULT_VALUE_TYPES: readonly (readonly [string, number])[] = [
  ['Actual', 94],
  ['Estimated', 4],
  ['Calculated', 2],
];

export const PROGRESS_CODES: readonly string[] = ['onGoing', 'completed', 'historicalArchive'];
export const MAINTENANCE_FREQUENCIES: readonly string[] = ['annually', 'asNeeded', 'irregular', 'continual'];
