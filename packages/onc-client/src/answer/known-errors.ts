import type { OncErrorDetail } from '../onc-error-detail.js';

/** The errorCodes of ONC's 400 answers that a client acts on, from the dataProductDelivery documentation. */
export const OncErrorCode = {
  /** No data for the request's filters: not a failure, the product simply has nothing. */
  noData: 33,
  /** An invalid value; also "Search header has already run" for a second `run`. */
  invalidValue: 127,
  /** A parameter is missing, or the search type cannot be determined. */
  missingParameter: 128,
  /** An unknown parameter name. */
  unknownParameter: 129,
} as const;

/**
 * The no-data entry of a rejected `request` (errorCode 33), when that is what ONC says first: a refusal that names a
 * real mistake beside it is a refusal, not an empty product.
 */
export function noDataError(errors: readonly OncErrorDetail[]): OncErrorDetail | undefined {
  const [first] = errors;
  return first?.errorCode === OncErrorCode.noData ? first : undefined;
}

/** Whether a rejected `run` says the request was run already (127, "Search header has already run"). */
export function isAlreadyRun(errors: readonly OncErrorDetail[]): boolean {
  return errors.some(
    (error) => error.errorCode === OncErrorCode.invalidValue && /already run/i.test(error.errorMessage),
  );
}

/** Whether a rejected download of the metadata file says the run has none (127 on `index=meta`). */
export function isMissingMetadataFile(errors: readonly OncErrorDetail[]): boolean {
  return errors[0]?.errorCode === OncErrorCode.invalidValue;
}

/**
 * The no-data answer of a listing by location: ONC answers 400 with 127 on the date range (the official clients'
 * live tests), where a listing by device answers an empty list. A 127 that names a code is a real mistake.
 */
export function noArchivedFilesError(errors: readonly OncErrorDetail[]): OncErrorDetail | undefined {
  if (errors.length !== 1) return undefined;
  const [only] = errors;
  const onDates = only?.parameter?.includes('dateFrom') === true || only?.parameter?.includes('dateTo') === true;
  return only?.errorCode === OncErrorCode.invalidValue && onDates && /no .*found/i.test(only.errorMessage)
    ? only
    : undefined;
}

/** An archived file name the archive does not have (96, on download). */
export const unknownArchiveFileCode = 96;
