/**
 * ONC's error vocabulary. A 400 or 401 answer carries `{"errors":[{errorCode, errorMessage, parameter}]}`; the codes
 * and messages below are the ones the dataProductDelivery documentation lists (seeds/004).
 */

export interface OncErrorEntry {
  errorCode: number;
  errorMessage: string;
  /** The offending parameter; several names are joined with `/` (ONC's own convention). */
  parameter: string;
}

export interface OncErrorBody {
  errors: OncErrorEntry[];
}

export const POSSIBLE_SEARCH_COMBINATIONS =
  'possible parameter combinations are: locationCode, deviceCategoryCode; locationCode, deviceCategoryCode, ' +
  'propertyCode; locationCode, propertyCode; deviceCode; deviceCode, propertyCode';

const entry = (errorCode: number, errorMessage: string, parameter: string): OncErrorEntry => ({
  errorCode,
  errorMessage,
  parameter,
});

/** Constructors for every error the simulator emits, named after what went wrong. */
export const oncError = {
  invalidValue: (parameter: string) => entry(127, 'Invalid parameter value', parameter),
  missing: (...parameters: string[]) => entry(128, 'Missing parameter', parameters.join('/')),
  unknownParameter: (parameter: string) => entry(129, 'Invalid parameter name', parameter),
  searchTypeUndetermined: () => entry(128, 'Requested type can not be determined', POSSIBLE_SEARCH_COMBINATIONS),
  startAfterEnd: () =>
    entry(
      23,
      'Invalid Time Range, Start Time is greater than End Time or start time is not provided',
      'dateFrom/dateTo',
    ),
  startInFuture: () => entry(25, 'Invalid Time Range, Start Time is in the future.', 'dateFrom/dateTo'),
  endNotAfterStart: () =>
    entry(127, 'End parameter value must be greater than begin parameter value', 'dateFrom/dateTo'),
  noData: () => entry(33, 'No data found for data search with given parameters', 'dateFrom/dateTo'),
  noSiteDevice: () => entry(33, 'No site devices found for this device in the given time range.', 'deviceCode'),
  badProductFormat: () =>
    entry(39, 'dataProductCode and extension not a valid dataProductFormat', 'dataProductCode/extension'),
  productNotAvailable: (parameter: 'deviceCategoryCode' | 'deviceCode' | 'propertyCode') =>
    entry(71, `Supplied ${parameter} does not have corresponding dataProductCode and extension.`, parameter),
  restricted: (organization: string, latestDate: string) =>
    entry(
      71,
      `Data restricted by ${organization}. To access, get written permission via ONC Data Team (data@oceannetworks.ca). ` +
        `The latest date available is ${latestDate}`,
      'dateTo',
    ),
  invalidRequestId: () => entry(127, 'Invalid search header ID', 'dpRequestId'),
  alreadyRun: () => entry(127, 'Search header has already run', 'dpRequestId'),
  invalidRunId: () => entry(127, 'Invalid data product run ID', 'dpRunId'),
  indexNotPositive: () => entry(127, 'Index must be greater than 0', 'index'),
  noMetadataFile: () => entry(127, 'Metadata file not valid for data product', 'index'),
  unknownArchiveFile: () => entry(96, 'Archive file not found: no file with this name in the archive', 'filename'),
  noArchivedFiles: () => entry(127, 'No archived files found for the given parameters', 'dateFrom/dateTo'),
  noDeployments: () => entry(127, 'No deployments found for the given parameters', 'dateFrom/dateTo'),
} as const;

/** Errors as one line of text, for messages (`127 Invalid parameter value (locationCode); …`). */
export const oncErrorText = (errors: readonly OncErrorEntry[]): string =>
  errors.map((e) => `${e.errorCode} ${e.errorMessage} (${e.parameter})`).join('; ');
