/**
 * Decides a parsed `$filter` against one set of filter-field values. A missing value (null) satisfies no
 * comparison, `ne` included, as in SQL. RegionId is a set (a location lies in a country, a province and a hub):
 * `eq` and `in` ask whether the set holds the value, `ne` whether it does not, and the ordering operators and
 * `endswith` whether any member satisfies them.
 */
import type { FactValue, FilterFacts } from './dataset.js';
import type { ComparisonOperator, FilterNode } from './filter-syntax.js';

function compare(fact: string | number, operator: ComparisonOperator, value: string | number): boolean {
  switch (operator) {
    case 'eq':
      return fact === value;
    case 'ne':
      return fact !== value;
    case 'lt':
      return fact < value;
    case 'gt':
      return fact > value;
    case 'le':
      return fact <= value;
    case 'ge':
      return fact >= value;
    default: {
      const never: never = operator;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

function test(fact: FactValue, each: (value: string | number) => boolean, negated = false): boolean {
  if (fact === null) return false;
  if (typeof fact === 'string' || typeof fact === 'number') return each(fact);
  return negated ? fact.every(each) : fact.some(each);
}

export function matchesFilter(node: FilterNode | null, facts: FilterFacts): boolean {
  if (node === null) return true;
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, facts) && matchesFilter(node.right, facts);
    case 'or':
      return matchesFilter(node.left, facts) || matchesFilter(node.right, facts);
    case 'compare':
      return test(facts[node.field], (f) => compare(f, node.operator, node.value), node.operator === 'ne');
    case 'in':
      return test(facts[node.field], (f) => node.values.includes(f));
    case 'endswith':
      return test(facts[node.field], (f) => typeof f === 'string' && f.endsWith(node.suffix));
    default: {
      const never: never = node;
      throw new Error(`unknown filter node ${JSON.stringify(never)}`);
    }
  }
}

/** Whether any of several value sets satisfies the filter (a dataset or location matches through its rows). */
export const anyMatches = (node: FilterNode | null, tuples: readonly FilterFacts[]): boolean =>
  tuples.some((facts) => matchesFilter(node, facts));
