import { getTableColumns } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import * as pgTables from './pg-schema.js';
import { pgStatement, runPgStatement, type PgStatement } from './pg-statement.js';

export type TransitionedTable = 'products' | 'files';

/** What the row was before the statement, and whether the statement moved it. */
export interface TransitionedRow extends Partial<StepPosition> {
  status: string;
  orderId: string;
  changed: boolean;
}

export interface TransitionStatement {
  table: TransitionedTable;
  entity: 'product' | 'file';
  id: number;
  to: string;
  /** The statuses it may move from: the transition table's and the caller's `onlyFrom` both allow them. */
  movesFrom: readonly string[];
  reason: string;
  /** Every other column written with the status. Values are plain numbers, text or null. */
  columns: Record<string, unknown>;
  /** A product's: move it only while it is at this step of this generation, as the step that moves it found it. */
  atStep?: StepPosition;
}

/** Where a product stands in its conversation with its service: which step, of which generation (restart). */
export interface StepPosition {
  step: number;
  generation: number;
}

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

const statements = new Map<string, PgStatement>();

/**
 * The statement for one table and one set of other columns, built once. The row is locked as an UPDATE would lock
 * it (`FOR NO KEY UPDATE`, which lets another transaction insert a row that refers to it), so its status cannot
 * change between the read and the write; a row changed after the snapshot of a REPEATABLE READ transaction is a
 * conflict, as with the UPDATE alone.
 */
function statementOf(table: TransitionedTable, keys: readonly string[], atStep: boolean): PgStatement {
  const key = `transition:${table}:${keys.join(',')}${atStep ? ':at-step' : ''}`;
  let statement = statements.get(key);
  if (statement === undefined) {
    const columns = getTableColumns(pgTables[table]) as Record<string, { name: string } | undefined>;
    const set = keys.map((name, index) => {
      const column = columns[name];
      if (!column) throw new Error(`${table} has no column ${name}`);
      return `${quoted(column.name)} = $${index + 7}`;
    });
    const target = quoted(table);
    const stepCondition = atStep ? ` and "step" = $${keys.length + 7} and "generation" = $${keys.length + 8}` : '';
    const stepColumns = atStep ? ', "step", "generation"' : '';
    const text = [
      `with prev as (select "status", "order_id"${stepColumns} from ${target} where "id" = $1 for no key update),`,
      `moved as (update ${target} set ${['"status" = $2::text', ...set].join(', ')}`,
      `  where "id" = $1 and (select "status" from prev) = any($3::text[])${stepCondition} returning "order_id"),`,
      `recorded as (insert into "events" ("order_id", "entity", "entity_id", "kind", "from_status", "to_status", "reason")`,
      `  select moved."order_id", $4::text, $5::text, 'transition', (select "status" from prev), $2::text, $6::text from moved)`,
      `select prev.*, exists (select 1 from moved) as "changed" from prev`,
    ].join('\n');
    statement = pgStatement(key, text);
    statements.set(key, statement);
  }
  return statement;
}

/**
 * A product's or file's transition on PostgreSQL in one statement: read the status, write the new one with the
 * other columns where the status allows it, and record the change in `events`, where the same on SQLite takes three
 * statements in its transaction. Each round trip to the server costs both processes a wake-up, so the core's
 * busiest writes cost one instead of three.
 */
export async function transitionInOneStatement(
  db: AppDatabase,
  statement: TransitionStatement,
): Promise<TransitionedRow | undefined> {
  const keys = Object.keys(statement.columns)
    .filter((name) => statement.columns[name] !== undefined)
    .sort();
  const rows = await runPgStatement<{
    status: string;
    order_id: string;
    changed: boolean;
    step?: number;
    generation?: number;
  }>(db, statementOf(statement.table, keys, statement.atStep !== undefined), [
    statement.id,
    statement.to,
    statement.movesFrom,
    statement.entity,
    String(statement.id),
    statement.reason,
    ...keys.map((name) => statement.columns[name]),
    ...(statement.atStep ? [statement.atStep.step, statement.atStep.generation] : []),
  ]);
  const row = rows[0];
  if (!row) return undefined;
  const position =
    row.step !== undefined && row.generation !== undefined ? { step: row.step, generation: row.generation } : {};
  return { status: row.status, orderId: row.order_id, changed: row.changed, ...position };
}
