import { isRecord } from '@onc-orders/onc-client';

/** Why a `dpo_*` option does not fit what discovery says the data product takes; undefined when it fits. */
export function optionProblem(name: string, value: string, product: Record<string, unknown>): string | undefined {
  const options = Array.isArray(product.dataProductOptions) ? product.dataProductOptions.filter(isRecord) : [];
  const bare = name.slice('dpo_'.length);
  const option = options.find((candidate) => candidate.option === bare);
  if (!option) {
    const names = options.map((candidate) => `dpo_${String(candidate.option)}`);
    return names.length > 0
      ? `is not an option of ${String(product.dataProductCode)}; its options are ${names.join(', ')}`
      : `is not an option of ${String(product.dataProductCode)}, which takes none`;
  }
  const allowed = Array.isArray(option.allowableValues) ? option.allowableValues.map(String) : [];
  if (allowed.includes(value)) return undefined;
  // With a range, the listed values are special ones beside it (e.g. -1000 for "automatic").
  const range = isRecord(option.allowableRange) ? option.allowableRange : undefined;
  if (!range) {
    return allowed.length > 0 ? `must be one of ${allowed.join(', ')}, not ${value}` : undefined;
  }
  const number = Number(value);
  const lower = Number(range.lowerBound);
  const upper = Number(range.upperBound);
  // Booleans sometimes arrive as the strings "true"/"false".
  const integersOnly = range.onlyIntegers === true || range.onlyIntegers === 'true';
  const unit = typeof range.unitOfMeasure === 'string' && range.unitOfMeasure ? ` ${range.unitOfMeasure}` : '';
  const span = `${Number.isFinite(lower) ? lower : '-∞'}..${Number.isFinite(upper) ? upper : '∞'}${unit}`;
  const besides = allowed.length > 0 ? ` (or one of ${allowed.join(', ')})` : '';
  if (value.trim() === '' || !Number.isFinite(number)) return `must be a number in ${span}${besides}, not ${value}`;
  if (integersOnly && !Number.isInteger(number)) return `must be a whole number in ${span}${besides}, not ${value}`;
  if ((Number.isFinite(lower) && number < lower) || (Number.isFinite(upper) && number > upper)) {
    return `must be in ${span}${besides}, not ${value}`;
  }
  return undefined;
}
