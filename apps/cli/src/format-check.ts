import type { OrderCheckReport } from '@onc-orders/jobs';

/** The check as a person reads it: the order's size, then one line per combination with its verdict and why. */
export function formatCheck(check: OrderCheckReport): string {
  const lines = [
    `${check.source}: ${check.products} product(s), ${check.combinations.length} distinct combination(s)` +
      (check.checked ? '' : ` — not checked: ${check.note ?? 'the catalogue could not be asked'}`),
  ];
  for (const combination of check.combinations) {
    const codes = Object.entries(combination.fields)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    const why = combination.error ? `: ${combination.error.message}` : '';
    lines.push(`  ${combination.verdict} (${combination.products.length} product(s)) ${codes}${why}`);
  }
  return `${lines.join('\n')}\n`;
}
