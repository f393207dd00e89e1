/**
 * Turns one stored observation (a column index) into the JSON row `/Observations` or `/Records` serves. Everything
 * not kept in the columns — the value, detection limits, comments, laboratory — comes from a PRNG seeded by
 * (seed, Id), so a row is the same whenever and however often it is built.
 */
import type { Row, SimData, SimLocation } from './dataset.js';
import { chance, hashInts, intBetween, mulberry32, normal, pick, pickWeighted } from './prng.js';
import {
  ACTIVITY_MEDIA,
  ACTIVITY_TYPES,
  ACTIVITY_TYPE_INDEX,
  RESULT_COMMENTS,
  RESULT_STATUSES,
  RESULT_VALUE_TYPES,
} from './vocabulary.js';
import { dayOfYear, formatDate, formatTime, monthOf, shiftOffset } from './wall-clock.js';

/** The Observations row at column index `i`, every field, in the seed's order. */
export function observationRow(data: SimData, i: number): Row {
  const cols = data.observations;
  const id = cols.ids[i] ?? 0;
  const location = data.locations[cols.location[i] ?? 0] as SimLocation;
  const dataset = data.datasets[location.dataset];
  const spec = data.characteristics[cols.characteristic[i] ?? 0];
  if (!dataset || !spec) throw new RangeError(`no observation at index ${i}`);
  const random = mulberry32(hashInts(data.seed, id));
  const minute = cols.startMinute[i] ?? 0;
  const activity = cols.activityType[i] ?? 0;
  const lab = !spec.field;
  const logger = activity === ACTIVITY_TYPE_INDEX.dataLogger;

  const province = dataset.province;
  const month = monthOf(minute);
  const offset =
    province.daylightSaving && month >= 4 && month <= 10 ? shiftOffset(province.offset, 1) : province.offset;

  // A replicate is a second bottle from the same visit: same time, a slightly different value.
  let value: number | null = spec.draw(random, dayOfYear(minute));
  if (activity === ACTIVITY_TYPE_INDEX.fieldReplicate) value *= 1 + normal(random, 0, 0.03);
  let detection: string | null = null;
  let limit: number | null = null;
  if (spec.detectionLimit !== null && (value < spec.detectionLimit || chance(random, 0.02))) {
    detection = 'Not Detected';
    limit = spec.detectionLimit;
    value = null;
  } else if (chance(random, 0.002)) {
    // A result the sampler lost: no value and no detection condition (the schema forbids it, data has it).
    value = null;
  }
  if (value !== null) value = Number(value.toFixed(spec.decimals));

  const depth = logger ? 0.5 : chance(random, 0.6) ? Number((0.1 + random() * 1.9).toFixed(1)) : null;
  const ended = lab && chance(random, 0.05);
  const analysisDay = lab ? minute + intBetween(random, 1, 5) * 1440 : null;
  const analysisMinuteOfDay = intBetween(random, 600, 960);
  const comment = chance(random, 0.03) ? pick(random, RESULT_COMMENTS) : null;
  const valueType =
    spec.name === 'Dissolved oxygen saturation' ? 'Calculated' : pickWeighted(random, RESULT_VALUE_TYPES);

  return {
    Id: id,
    LocationId: location.id,
    DOI: dataset.doi,
    ActivityType: ACTIVITY_TYPES[activity] ?? null,
    ActivityMediaName: ACTIVITY_MEDIA[cols.media[i] ?? 0] ?? null,
    ActivityStartDate: formatDate(minute),
    ActivityStartTime: logger ? formatTime(minute, 0) : formatTime(minute),
    ActivityStartTimeZone: offset,
    ActivityEndDate: ended ? formatDate(minute + 20) : null,
    ActivityEndTime: ended ? formatTime(minute + 20) : null,
    ActivityEndTimeZone: ended ? offset : null,
    ActivityDepthHeightMeasure: depth,
    ActivityDepthHeightUnit: depth === null ? null : 'm',
    SampleCollectionEquipmentName: lab ? 'Water Bottle' : 'Probe/Sensor',
    CharacteristicName: spec.name,
    MethodSpeciation: spec.methodSpeciation,
    ResultSampleFraction: spec.sampleFraction,
    ResultValue: value,
    ResultUnit: spec.unit,
    ResultValueType: value === null ? null : valueType,
    ResultDetectionCondition: detection,
    ResultDetectionQuantitationLimitUnit: limit === null ? null : spec.unit,
    ResultDetectionQuantitationLimitMeasure: limit,
    ResultDetectionQuantitationLimitType: limit === null ? null : 'Method Detection Level',
    ResultStatusID: pickWeighted(random, RESULT_STATUSES),
    ResultComment: comment,
    ResultAnalyticalMethodID: lab || chance(random, 0.3) ? spec.methodId : null,
    ResultAnalyticalMethodContext: lab || chance(random, 0.3) ? spec.methodContext : null,
    ResultAnalyticalMethodName: lab ? spec.methodName : null,
    AnalysisStartDate: analysisDay === null ? null : formatDate(analysisDay),
    AnalysisStartTime:
      analysisDay === null ? null : formatTime(analysisDay - (analysisDay % 1440) + analysisMinuteOfDay),
    AnalysisStartTimeZone: analysisDay === null ? null : offset,
    LaboratoryName: lab ? location.laboratory : null,
    LaboratorySampleID: lab ? `L${String(id % 10_000_000).padStart(7, '0')}-${intBetween(random, 1, 9)}` : null,
    CreateTimestamp: dataset.createTimestamp,
  };
}

/** The Records row at column index `i`: the observation joined with its dataset and location, seed's order. */
export function recordRow(data: SimData, i: number): Row {
  const o = observationRow(data, i);
  const location = data.locations[data.observations.location[i] ?? 0] as SimLocation;
  const dataset = data.datasets[location.dataset];
  const l = location.row;
  return {
    Id: o['Id'],
    DOI: o['DOI'],
    DatasetName: dataset?.name ?? null,
    MonitoringLocationID: l['ID'],
    MonitoringLocationName: l['Name'],
    MonitoringLocationLatitude: l['Latitude'],
    MonitoringLocationLongitude: l['Longitude'],
    MonitoringLocationHorizontalCoordinateReferenceSystem: l['HorizontalCoordinateReferenceSystem'],
    MonitoringLocationHorizontalAccuracyMeasure: l['HorizontalAccuracyMeasure'],
    MonitoringLocationHorizontalAccuracyUnit: l['HorizontalAccuracyUnit'],
    MonitoringLocationVerticalMeasure: l['VerticalMeasure'],
    MonitoringLocationVerticalUnit: l['VerticalUnit'],
    MonitoringLocationType: l['MonitoringLocationType'],
    ActivityType: o['ActivityType'],
    ActivityMediaName: o['ActivityMediaName'],
    ActivityStartDate: o['ActivityStartDate'],
    ActivityStartTime: o['ActivityStartTime'],
    ActivityStartTimeZone: o['ActivityStartTimeZone'],
    ActivityEndDate: o['ActivityEndDate'],
    ActivityEndTime: o['ActivityEndTime'],
    ActivityEndTimeZone: o['ActivityEndTimeZone'],
    ActivityDepthHeightMeasure: o['ActivityDepthHeightMeasure'],
    ActivityDepthHeightUnit: o['ActivityDepthHeightUnit'],
    SampleCollectionEquipmentName: o['SampleCollectionEquipmentName'],
    CharacteristicName: o['CharacteristicName'],
    MethodSpeciation: o['MethodSpeciation'],
    ResultSampleFraction: o['ResultSampleFraction'],
    ResultValue: o['ResultValue'],
    ResultUnit: o['ResultUnit'],
    ResultValueType: o['ResultValueType'],
    ResultDetectionCondition: o['ResultDetectionCondition'],
    ResultDetectionQuantitationLimitMeasure: o['ResultDetectionQuantitationLimitMeasure'],
    ResultDetectionQuantitationLimitUnit: o['ResultDetectionQuantitationLimitUnit'],
    ResultDetectionQuantitationLimitType: o['ResultDetectionQuantitationLimitType'],
    ResultStatusID: o['ResultStatusID'],
    ResultComment: o['ResultComment'],
    ResultAnalyticalMethodID: o['ResultAnalyticalMethodID'],
    ResultAnalyticalMethodContext: o['ResultAnalyticalMethodContext'],
    ResultAnalyticalMethodName: o['ResultAnalyticalMethodName'],
    AnalysisStartDate: o['AnalysisStartDate'],
    AnalysisStartTime: o['AnalysisStartTime'],
    AnalysisStartTimeZone: o['AnalysisStartTimeZone'],
    LaboratoryName: o['LaboratoryName'],
    LaboratorySampleID: o['LaboratorySampleID'],
  };
}
