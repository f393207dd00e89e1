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

/**
 * Two two-day windows of a CTD that stopped recording on 2015-09-17T12:59:52Z (with `split: 'P2D'`): the first has
 * data, the second does not, which ONC answers with errorCode 33.
 */
export const ctdWindowsEndingInNodata = {
  filters: {
    dataProductCode: 'TSSD',
    extension: 'csv',
    deviceCode: 'SBECTD16p6002',
    dateFrom: '2015-09-16',
    dateTo: '2015-09-20',
  },
  split: 'P2D',
} as const;

/** The sha256 of a file on disk, hex. */
export async function sha256OfFile(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
