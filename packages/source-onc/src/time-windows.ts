import {
  addIsoDuration,
  formatOncDate,
  OncValidationError,
  parseIsoDuration,
  resolveTimeRange,
  type IsoDuration,
} from '@onc-orders/onc-client';
import { OrderSpecError } from '@onc-orders/jobs';

// How an ONC order's date range is cut into windows, one product each (data products and archived files alike).

export interface SplitRange {
  from: Date;
  to: Date;
  step: IsoDuration;
}

/** The order's date range and window length, when it is split; refused with the spec field at fault. */
export function splitRange(
  split: string | undefined,
  filters: { dateFrom?: string | undefined; dateTo?: string | undefined },
): SplitRange | undefined {
  if (!split) return undefined;
  const { dateFrom, dateTo } = filters;
  if (!dateFrom || !dateTo) {
    throw new OrderSpecError([{ field: 'split', message: 'needs both filters.dateFrom and filters.dateTo' }]);
  }
  let range: { from: Date; to: Date };
  try {
    range = resolveTimeRange(dateFrom, dateTo);
  } catch (error) {
    if (error instanceof OncValidationError) {
      throw new OrderSpecError([{ field: `filters.${error.field ?? 'dateFrom'}`, message: error.message }]);
    }
    throw error;
  }
  const step = parseIsoDuration(split);
  if (addIsoDuration(range.from, step) <= range.from) {
    throw new OrderSpecError([{ field: 'split', message: 'must be a positive duration' }]);
  }
  return { ...range, step };
}

/**
 * How many windows the split makes, counted without building them: a one-second split over ten years is refused
 * with its real size (about 315 million) without allocating anything.
 */
export function countWindows({ from, to, step }: SplitRange): number {
  if (step.years === 0 && step.months === 0) {
    const stepMs = addIsoDuration(from, step).getTime() - from.getTime();
    return Math.ceil((to.getTime() - from.getTime()) / stepMs);
  }
  // Calendar steps vary in length; they are months or longer, so walking them is cheap.
  let count = 0;
  for (let start = from; start < to; start = addIsoDuration(start, step)) count += 1;
  return count;
}

export function timeWindows({ from, to, step }: SplitRange): Array<{ dateFrom: string; dateTo: string }> {
  const windows: Array<{ dateFrom: string; dateTo: string }> = [];
  for (let start = from; start < to;) {
    const next = addIsoDuration(start, step);
    const end = next < to ? next : to;
    windows.push({ dateFrom: formatOncDate(start), dateTo: formatOncDate(end) });
    start = end;
  }
  return windows;
}
