/**
 * DataStream's four resources as its public API page (the seed) and the OpenAPI file of datastreamapp/api-docs
 * document them: the fields each one can `$select`, in the order the documents list them (which is the order of a
 * CSV file's columns when the order selects none), and the fields each one can `$filter` on.
 */

export const resources = ['Observations', 'Records', 'Locations', 'Metadata'] as const;
export type Resource = (typeof resources)[number];

/** The activity and result fields Observations and Records share, in the documents' order. */
const activityAndResult = [
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
];

const analysis = [
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
];

/**
 * Selectable fields. Observations: the seed's list, whose end the shared note cut off (CreateTimestamp is the
 * seed's, not the OpenAPI file's). The two lists order the detection-limit fields differently (Unit first on
 * Observations, Measure first on Records); both documents agree, so both orders are kept. Metadata: the seed's,
 * with `Id` and `TemporalExtent` from the OpenAPI file.
 */
export const selectableFields: Readonly<Record<Resource, readonly string[]>> = {
  Observations: [
    'Id',
    'LocationId',
    'DOI',
    ...activityAndResult,
    'ResultDetectionQuantitationLimitUnit',
    'ResultDetectionQuantitationLimitMeasure',
    'ResultDetectionQuantitationLimitType',
    ...analysis,
    'CreateTimestamp',
  ],
  Records: [
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
    ...activityAndResult,
    'ResultDetectionQuantitationLimitMeasure',
    'ResultDetectionQuantitationLimitUnit',
    'ResultDetectionQuantitationLimitType',
    ...analysis,
  ],
  Locations: [
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
  ],
  Metadata: [
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
  ],
};

/** Filter fields every resource shares (the seed's first eight), plus ActivityStartDateYear (the OpenAPI file's). */
const commonFilterFields = [
  'DOI',
  'LocationId',
  'ActivityMediaName',
  'ActivityGroupType',
  'CharacteristicName',
  'MonitoringLocationType',
  'ActivityStartYear',
  'RegionId',
  'ActivityStartDateYear',
];

const coordinates = ['LatitudeNormalized', 'LongitudeNormalized', 'Latitude', 'Longitude'];

/**
 * Filter fields: the seed's per resource, plus what the OpenAPI file adds (ActivityStartDateYear everywhere,
 * Latitude and Longitude on Metadata and Locations).
 */
export const filterFields: Readonly<Record<Resource, readonly string[]>> = {
  Observations: [...commonFilterFields, 'LatitudeNormalized', 'LongitudeNormalized'],
  Records: commonFilterFields,
  Locations: [...commonFilterFields, ...coordinates, 'Name'],
  Metadata: [...commonFilterFields, ...coordinates, 'DatasetName', 'CreateTimestamp'],
};

/** The most rows a page may ask for. */
export const maxTop = 10_000;
/** The smallest `$top` a timeout may bring a partition down to. */
export const minTimeoutTop = 100;
