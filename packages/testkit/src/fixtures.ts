import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * One day of CTD data at Barkley Canyon Axis: filters the simulator's catalogue (like ONC) answers with data. Tests
 * vary the dates or codes from here.
 */
export const ctdAtBarkleyCanyon = {
  dataProductCode: 'TSSD',
  extension: 'csv',
  locationCode: 'BACAX',
  deviceCategoryCode: 'CTD',
  dateFrom: '2016-07-25',
  dateTo: '2016-07-26',
} as const;

/** The sha256 of a file on disk, hex. */
export async function sha256OfFile(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
