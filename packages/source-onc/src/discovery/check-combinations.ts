import type { CombinationVerdict, OrderCheck, OrderStartOutcome, ServiceError } from '@onc-orders/jobs';
import { DiscoveryUnreachable } from './ask-discovery.js';

export type Judgement = { verdict: 'accepted' } | { verdict: 'refused'; error: ServiceError };

/** The order's products grouped by the fields a check looks at: each distinct combination is asked about once. */
export function groupByFields<P>(
  products: ReadonlyArray<{ ordinal: number; params: P }>,
  fieldsOf: (params: P) => Record<string, string>,
): Array<{ fields: Record<string, string>; products: number[] }> {
  const groups = new Map<string, { fields: Record<string, string>; products: number[] }>();
  for (const product of products) {
    const fields = fieldsOf(product.params);
    const key = JSON.stringify(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
    const group = groups.get(key) ?? { fields, products: [] };
    group.products.push(product.ordinal);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Judges each combination in turn. The first sign that discovery cannot be asked ends the check: every combination
 * is then `unchecked`, and the order goes on with ONC's own validation of each request.
 */
export async function checkCombinations(
  groups: ReadonlyArray<{ fields: Record<string, string>; products: number[] }>,
  judge: (fields: Record<string, string>) => Promise<Judgement>,
): Promise<OrderCheck> {
  const combinations: CombinationVerdict[] = [];
  for (const group of groups) {
    try {
      combinations.push({ ...group, ...(await judge(group.fields)) });
    } catch (error) {
      if (!(error instanceof DiscoveryUnreachable)) throw error;
      return {
        checked: false,
        note: `ONC's discovery service could not be asked (${error.message})`,
        combinations: groups.map((each) => ({ ...each, verdict: 'unchecked' as const })),
      };
    }
  }
  return { checked: true, combinations };
}

function describe(fields: Record<string, string>): string {
  return Object.values(fields).join('/');
}

/** The order's first step from its check: refused combinations fail their products before anything is ordered. */
export function startFromCheck<P, S>(check: OrderCheck): OrderStartOutcome<P, S, unknown> {
  const refused = check.combinations.filter((combination) => combination.verdict === 'refused');
  const accepted = check.combinations.filter((combination) => combination.verdict === 'accepted').length;
  const events = check.checked
    ? [
        {
          kind: 'discovery-check',
          reason:
            `ONC's discovery service accepted ${accepted} of ${check.combinations.length} combination(s)` +
            refused.map((each) => `; refused ${describe(each.fields)}: ${each.error?.message ?? ''}`).join(''),
        },
      ]
    : [
        {
          kind: 'discovery-skipped',
          reason: `${check.note ?? 'discovery unreachable'}: the check was skipped; ONC's own validation still applies`,
        },
      ];
  return {
    kind: 'started',
    state: { checked: check.checked, refused: refused.length },
    end: refused.flatMap((combination) =>
      combination.products.map((ordinal) => ({
        ordinal,
        kind: 'rejected' as const,
        error: combination.error ?? { code: null, parameter: null, message: 'refused by discovery' },
      })),
    ),
    events,
  };
}
