/** The Observations fields as the public API page lists them, written out here independently of the source. */
export const OBSERVATION_FIELDS_FOR_TEST = (
  'Id,LocationId,DOI,ActivityType,ActivityMediaName,ActivityStartDate,ActivityStartTime,ActivityStartTimeZone,' +
  'ActivityEndDate,ActivityEndTime,ActivityEndTimeZone,ActivityDepthHeightMeasure,ActivityDepthHeightUnit,' +
  'SampleCollectionEquipmentName,CharacteristicName,MethodSpeciation,ResultSampleFraction,ResultValue,ResultUnit,' +
  'ResultValueType,ResultDetectionCondition,ResultDetectionQuantitationLimitUnit,' +
  'ResultDetectionQuantitationLimitMeasure,ResultDetectionQuantitationLimitType,ResultStatusID,ResultComment,' +
  'ResultAnalyticalMethodID,ResultAnalyticalMethodContext,ResultAnalyticalMethodName,AnalysisStartDate,' +
  'AnalysisStartTime,AnalysisStartTimeZone,LaboratoryName,LaboratorySampleID,CreateTimestamp'
).split(',');
