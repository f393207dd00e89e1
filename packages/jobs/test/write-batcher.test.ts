import { join } from 'node:path';
import { makeTempDir } from '@onc-orders/testkit';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteBatcher, openDatabase, type AppDatabase, type SqliteDatabase } from '../src/index.js';

/** What another process sees of the scratch table: only committed rows. */
function committedRows(other: SqliteDatabase): number[] {
  return other.sqlite
    .prepare('SELECT n FROM scratch ORDER BY n')
    .all()
    .map((row) => (row as { n: number }).n);
}

function insert(tx: AppDatabase, n: number): void {
  tx.run(sql`INSERT INTO scratch (n) VALUES (${n})`);
}

describe('the write batcher (group commit per event-loop turn)', () => {
  let writer: SqliteDatabase;
  let other: SqliteDatabase;
  let removeDir: () => Promise<void>;
  beforeEach(async () => {
    const dir = await makeTempDir('write-batcher');
    removeDir = dir.remove;
    const path = join(dir.path, 'state.sqlite');
    writer = openDatabase(path);
    writer.sqlite.exec('CREATE TABLE scratch (n INTEGER NOT NULL)');
    other = openDatabase(path);
  });
  afterEach(async () => {
    writer.close();
    other.close();
    await removeDir();
  });

  it('commits the writes of one turn in one transaction, and resolves each only after the commit', async () => {
    const writes = createWriteBatcher(writer);
    const seenByLastWrite: { inTransaction: boolean; ownRows: number[]; othersRows: number[] } = {
      inTransaction: false,
      ownRows: [],
      othersRows: [],
    };
    const results = Promise.all([
      writes.write((tx) => {
        insert(tx, 1);
        return 'first';
      }),
      writes.write((tx) => {
        insert(tx, 2);
        return 'second';
      }),
      writes.write((tx) => {
        insert(tx, 3);
        seenByLastWrite.inTransaction = writer.sqlite.inTransaction;
        seenByLastWrite.ownRows = tx.all<{ n: number }>(sql`SELECT n FROM scratch ORDER BY n`).map((row) => row.n);
        seenByLastWrite.othersRows = committedRows(other);
        return 'third';
      }),
    ]);
    // Nothing is written before the turn ends.
    expect(committedRows(other)).toEqual([]);
    await expect(results).resolves.toEqual(['first', 'second', 'third']);
    // The third write ran inside the same open transaction as the first two: it saw their rows, another
    // connection did not yet.
    expect(seenByLastWrite).toEqual({ inTransaction: true, ownRows: [1, 2, 3], othersRows: [] });
    expect(committedRows(other)).toEqual([1, 2, 3]);
  });

  it('undoes a failing write alone: its promise rejects with its error, the others commit', async () => {
    const writes = createWriteBatcher(writer);
    const failing = new Error('refused halfway');
    const outcomes = await Promise.allSettled([
      writes.write((tx) => insert(tx, 1)),
      writes.write((tx) => {
        insert(tx, 2);
        throw failing;
      }),
      writes.write((tx) => insert(tx, 3)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(failing);
    expect(committedRows(other)).toEqual([1, 3]);
  });

  it('rejects every write of a batch whose transaction SQLite abandoned, and leaves none of them', async () => {
    const writes = createWriteBatcher(writer);
    const outcomes = await Promise.allSettled([
      writes.write((tx) => insert(tx, 1)),
      writes.write((tx) => {
        insert(tx, 2);
        // What SQLite itself does on some errors (a full disk, an I/O error): the whole transaction is gone.
        writer.sqlite.exec('ROLLBACK');
        throw new Error('disk full');
      }),
      writes.write((tx) => insert(tx, 3)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(committedRows(other)).toEqual([]);
    expect(writer.sqlite.inTransaction).toBe(false);
    // The batcher keeps working afterwards.
    await writes.write((tx) => insert(tx, 4));
    expect(committedRows(other)).toEqual([4]);
  });

  it('resolves a write only once COMMIT succeeded: a failed COMMIT rejects every write of the batch', async () => {
    // A deferred foreign key is checked at COMMIT, not when the row is written or its savepoint released.
    writer.sqlite.exec(
      'CREATE TABLE parent (id INTEGER PRIMARY KEY); ' +
        'CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    const writes = createWriteBatcher(writer);
    const outcomes = await Promise.allSettled([
      writes.write((tx) => insert(tx, 1)),
      writes.write((tx) => tx.run(sql`INSERT INTO child (parent_id) VALUES (99)`)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/i);
    expect(committedRows(other)).toEqual([]);
    expect(writer.sqlite.inTransaction).toBe(false);
  });

  it('starts a new batch for writes asked for after a batch committed', async () => {
    const writes = createWriteBatcher(writer);
    await writes.write((tx) => insert(tx, 1));
    expect(committedRows(other)).toEqual([1]);
    await writes.write((tx) => insert(tx, 2));
    expect(committedRows(other)).toEqual([1, 2]);
  });
});
