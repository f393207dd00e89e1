import type { OrderCheck } from '@onc-orders/jobs';
import type { OncFilters } from '@onc-orders/onc-client';
import type { OncService } from '../onc-service.js';
import { askDiscovery, refusal } from './ask-discovery.js';
import { checkCombinations, groupByFields, type Judgement } from './check-combinations.js';
import { distinctValues } from './discovery-fields.js';
import { optionProblem } from './option-check.js';

const codeFields = ['locationCode', 'deviceCategoryCode', 'deviceCode', 'propertyCode'] as const;

/** What decides whether ONC offers a data product: the codes, the product, its extension and its options. */
function checkedFields(filters: OncFilters): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (name === 'dataProductCode' || name === 'extension' || name.startsWith('dpo_')) fields[name] = value;
    else if ((codeFields as readonly string[]).includes(name)) fields[name] = value;
  }
  return fields;
}

function codesOf(fields: Record<string, string>): Record<string, string> {
  const codes: Record<string, string> = {};
  for (const name of codeFields) if (fields[name] !== undefined) codes[name] = fields[name];
  return codes;
}

/**
 * Whether ONC offers this data product, with this extension, for these codes, and takes its `dpo_*` options: asked
 * of `dataProducts`; a product it does not offer is asked about again without the extension (and then without the
 * product) to name what it does offer.
 */
async function judgeDataProduct(
  service: OncService,
  fields: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<Judgement> {
  const codes = codesOf(fields);
  const where = Object.values(codes).join('/');
  const dataProductCode = fields['dataProductCode'] ?? '';
  const extension = fields['extension'] ?? '';
  const offered = await askDiscovery(service, 'dataProducts', { ...codes, dataProductCode, extension }, signal);
  if (offered.kind === 'refused') return { verdict: 'refused', error: offered.error };
  const product = offered.rows.find((row) => row.dataProductCode === dataProductCode && row.extension === extension);
  if (!product) {
    const asProduct = await askDiscovery(service, 'dataProducts', { ...codes, dataProductCode }, signal);
    if (asProduct.kind === 'rows' && asProduct.rows.length > 0) {
      const extensions = distinctValues(asProduct.rows, 'extension');
      return refusal(
        'filters.extension',
        `ONC offers ${dataProductCode} for ${where} as ${extensions.join(', ')}, not "${extension}" (extensions are case-sensitive)`,
      );
    }
    const any = await askDiscovery(service, 'dataProducts', codes, signal);
    const products = any.kind === 'rows' ? distinctValues(any.rows, 'dataProductCode') : [];
    return refusal(
      'filters.dataProductCode',
      products.length > 0
        ? `ONC offers no ${dataProductCode} for ${where}; it offers ${products.join(', ')}`
        : `ONC offers no data products for ${where}`,
    );
  }
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith('dpo_')) continue;
    const problem = optionProblem(name, value, product);
    if (problem) return refusal(`filters.${name}`, problem);
  }
  return { verdict: 'accepted' };
}

/** Checks every distinct combination of a data products order against ONC's discovery service, once each. */
export function checkDataProducts(
  service: OncService,
  products: ReadonlyArray<{ ordinal: number; params: OncFilters }>,
  signal: AbortSignal | undefined,
): Promise<OrderCheck> {
  return checkCombinations(groupByFields(products, checkedFields), (fields) =>
    judgeDataProduct(service, fields, signal),
  );
}
