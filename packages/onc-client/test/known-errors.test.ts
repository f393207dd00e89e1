import { describe, expect, it } from 'vitest';
import { isAlreadyRun, isMissingMetadataFile, noDataError } from '../src/index.js';

const entry = (errorCode: number, errorMessage = 'x', parameter = 'p') => ({ errorCode, errorMessage, parameter });

describe("ONC's error codes a client acts on", () => {
  it('takes a 400 for no data only when that is what ONC says first', () => {
    expect(noDataError([entry(33, 'No data')])?.errorMessage).toBe('No data');
    // A real mistake beside it makes the answer a refusal, not an empty product.
    expect(noDataError([entry(127, 'bad location', 'locationCode'), entry(33)])).toBeUndefined();
    expect(noDataError([])).toBeUndefined();
  });

  it('knows a second run by its code and its words, and a missing metadata file by its code', () => {
    expect(isAlreadyRun([entry(127, 'Search header has already run', 'dpRequestId')])).toBe(true);
    expect(isAlreadyRun([entry(127, 'Invalid dpRequestId', 'dpRequestId')])).toBe(false);
    expect(isMissingMetadataFile([entry(127)])).toBe(true);
    expect(isMissingMetadataFile([entry(128)])).toBe(false);
  });
});
