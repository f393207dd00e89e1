/**
 * The four resources and their fields: what each one can `$select` (in the order rows carry them) and what each
 * one can `$filter` on. Selectable fields come from the public API page (the seed) and the OpenAPI file of
 * datastreamapp/api-docs; filter fields from the seed, plus the few the OpenAPI file adds (`ActivityStartDateYear`,
 * `Latitude`, `Longitude`) and `Id` on Locations (the older README and the R client, which filters Locations by Id).
 */

export const RESOURCES = ['Metadata', 'Locations', 'Observations', 'Records'] as const;
export type Resource = (typeof RESOURCES)[number];

export const isResource = (name: string): name is Resource => (RESOURCES as readonly string[]).includes(name);

export const METADATA_FIELDS = [
  'Id',
  'DOI',
  'Version',
  'DatasetName',
  'DataStewardEmail',
  'DataCollectionOrganization',
  'DataUploadOrganization',
  'ProgressCode',
  'MaintenanceFrequencyCode',
  'Abstract',
  'DataCollectionInformation',
  'DataProcessing',
  'FundingSources',
  'DataSourceURL',
  'OtherDataSources',
  'Citation',
  'Licence',
  'Disclaimer',
  'TopicCategoryCode',
  'Keywords',
  'CreateTimestamp',
  'PublishedTimestamp',
  'TemporalExtent',
] as const;

export const LOCATION_FIELDS = [
  'Id',
  'DOI',
  'ID',
  'Name',
  'Latitude',
  'Longitude',
  'HorizontalCoordinateReferenceSystem',
  'HorizontalAccuracyMeasure',
  'HorizontalAccuracyUnit',
  'VerticalMeasure',
  'VerticalUnit',
  'MonitoringLocationType',
  'LatitudeNormalized',
  'LongitudeNormalized',
  'HorizontalCoordinateReferenceSystemNormalized',
] as const;

/** The activity and result fields Observations and Records share, in the seed's order. */
const ACTIVITY_AND_RESULT_FIELDS = [
  'ActivityType',
  'ActivityMediaName',
  'ActivityStartDate',
  'ActivityStartTime',
  'ActivityStartTimeZone',
  'ActivityEndDate',
  'ActivityEndTime',
  'ActivityEndTimeZone',
  'ActivityDepthHeightMeasure',
  'ActivityDepthHeightUnit',
  'SampleCollectionEquipmentName',
  'CharacteristicName',
  'MethodSpeciation',
  'ResultSampleFraction',
  'ResultValue',
  'ResultUnit',
  'ResultValueType',
  'ResultDetectionCondition',
] as const;

const ANALYSIS_FIELDS = [
  'ResultStatusID',
  'ResultComment',
  'ResultAnalyticalMethodID',
  'ResultAnalyticalMethodContext',
  'ResultAnalyticalMethodName',
  'AnalysisStartDate',
  'AnalysisStartTime',
  'AnalysisStartTimeZone',
  'LaboratoryName',
  'LaboratorySampleID',
] as const;

// The two lists order the detection-limit fields differently (Unit before Measure on Observations, the other way
// on Records); the seed and the OpenAPI file agree on both orders, so they are kept.
export const OBSERVATION_FIELDS = [
  'Id',
  'LocationId',
  'DOI',
  ...ACTIVITY_AND_RESULT_FIELDS,
  'ResultDetectionQuantitationLimitUnit',
  'ResultDetectionQuantitationLimitMeasure',
  'ResultDetectionQuantitationLimitType',
  ...ANALYSIS_FIELDS,
  'CreateTimestamp',
] as const;

export const RECORD_FIELDS = [
  'Id',
  'DOI',
  'DatasetName',
  'MonitoringLocationID',
  'MonitoringLocationName',
  'MonitoringLocationLatitude',
  'MonitoringLocationLongitude',
  'MonitoringLocationHorizontalCoordinateReferenceSystem',
  'MonitoringLocationHorizontalAccuracyMeasure',
  'MonitoringLocationHorizontalAccuracyUnit',
  'MonitoringLocationVerticalMeasure',
  'MonitoringLocationVerticalUnit',
  'MonitoringLocationType',
  ...ACTIVITY_AND_RESULT_FIELDS,
  'ResultDetectionQuantitationLimitMeasure',
  'ResultDetectionQuantitationLimitUnit',
  'ResultDetectionQuantitationLimitType',
  ...ANALYSIS_FIELDS,
] as const;

export const SELECTABLE_FIELDS: Readonly<Record<Resource, readonly string[]>> = {
  Metadata: METADATA_FIELDS,
  Locations: LOCATION_FIELDS,
  Observations: OBSERVATION_FIELDS,
  Records: RECORD_FIELDS,
};

/** How a filter field compares: as text, as a number, or as a set of texts (a location is in several regions). */
export type FilterFieldType = 'text' | 'number' | 'text-set';

export const FILTER_FIELD_TYPES = {
  Id: 'number',
  DOI: 'text',
  LocationId: 'number',
  ActivityMediaName: 'text',
  ActivityGroupType: 'text',
  CharacteristicName: 'text',
  MonitoringLocationType: 'text',
  ActivityStartYear: 'number',
  ActivityStartDateYear: 'number',
  RegionId: 'text-set',
  LatitudeNormalized: 'number',
  LongitudeNormalized: 'number',
  Latitude: 'number',
  Longitude: 'number',
  DatasetName: 'text',
  CreateTimestamp: 'text',
  Name: 'text',
} as const satisfies Record<string, FilterFieldType>;

export type FilterField = keyof typeof FILTER_FIELD_TYPES;

const SEED_COMMON = [
  'DOI',
  'LocationId',
  'ActivityMediaName',
  'ActivityGroupType',
  'CharacteristicName',
  'MonitoringLocationType',
  'ActivityStartYear',
  'RegionId',
] as const satisfies readonly FilterField[];

export const FILTER_FIELDS: Readonly<Record<Resource, readonly FilterField[]>> = {
  Metadata: [
    ...SEED_COMMON,
    'LatitudeNormalized',
    'LongitudeNormalized',
    'DatasetName',
    'CreateTimestamp',
    'ActivityStartDateYear',
    'Latitude',
    'Longitude',
  ],
  Locations: [
    ...SEED_COMMON,
    'LatitudeNormalized',
    'LongitudeNormalized',
    'Name',
    'ActivityStartDateYear',
    'Latitude',
    'Longitude',
    'Id',
  ],
  Observations: [...SEED_COMMON, 'LatitudeNormalized', 'LongitudeNormalized', 'ActivityStartDateYear'],
  Records: [...SEED_COMMON, 'ActivityStartDateYear'],
};

/** The path every resource hangs under, as on api.datastream.org. */
export const API_BASE_PATH = '/v1/odata/v4';
