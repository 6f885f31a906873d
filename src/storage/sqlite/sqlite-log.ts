// The SQLite schema and every statement the SQLite store runs. All calls are synchronous
// (better-sqlite3); SqliteStore decides when they run (group commit, batched compaction).
//
// Layout: `log` is the append-only revision log, one row per write; a NULL value is a deletion.
// `latest` maps each live key to the revision of its current row, which makes get/list/count of
// the current state index lookups. `meta` keeps the highest revision ever assigned and the
// compacted revision, so neither goes backwards when compaction deletes the newest rows.
import Database from 'better-sqlite3';
import type { KeyValue, StoreEvent } from '../store.js';
import { prefixRangeEnd } from '../prefix-range-end.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  value TEXT,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER
);
CREATE INDEX IF NOT EXISTS log_key_revision ON log (key, revision);
CREATE TABLE IF NOT EXISTS latest (
  key TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

interface KvRow {
  key: string;
  value: string;
  create_revision: number;
  revision: number;
}

interface EventRow {
  revision: number;
  key: string;
  value: string | null;
  create_revision: number;
  prev_revision: number | null;
  prev_value: string | null;
  prev_create_revision: number | null;
}

/** A key range for the statements: keys >= prefix, > startAfter, < end. */
interface Range {
  readonly prefix: string;
  readonly startAfter?: string;
  readonly end?: string;
}

export interface RangeQuery {
  readonly prefix: string;
  readonly startAfter?: string;
}

export class SqliteLog {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(options: { path: string }) {
    this.#db = new Database(options.path);
    this.#db.pragma('journal_mode = WAL');
    // FULL: every COMMIT is fsynced, so an acknowledged write survives power loss, not just a crash.
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(SCHEMA);
  }

  /** Runs `body` in one IMMEDIATE transaction (COMMIT on return, ROLLBACK on throw). */
  transaction<T>(body: () => T): T {
    return this.#db.transaction(body).immediate();
  }

  meta(name: 'revision' | 'compacted'): number {
    const row = this.#stmt('SELECT value FROM meta WHERE name = ?').get(name) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  setMeta(name: 'revision' | 'compacted', value: number): void {
    this.#stmt('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value')
      .run(name, value);
  }

  maxLogRevision(): number {
    const row = this.#stmt('SELECT MAX(revision) AS revision FROM log').get() as { revision: number | null };
    return row.revision ?? 0;
  }

  get(key: string): KeyValue | undefined {
    const row = this.#stmt(
      'SELECT l.key, l.value, l.create_revision, l.revision FROM latest t JOIN log l ON l.revision = t.revision WHERE t.key = ?',
    ).get(key) as KvRow | undefined;
    return row === undefined ? undefined : toKeyValue(row);
  }

  /** Current state, ascending keys, at most `limit` rows. */
  listLatest(query: RangeQuery, limit: number): KeyValue[] {
    const range = toRange(query);
    const sql =
      'SELECT l.key, l.value, l.create_revision, l.revision FROM latest t JOIN log l ON l.revision = t.revision ' +
      `WHERE ${rangeSql('t.key', range)} ORDER BY t.key LIMIT @limit`;
    return (this.#stmt(sql).all({ ...rangeParams(range), limit }) as KvRow[]).map(toKeyValue);
  }

  /**
   * State as of `revision`: per key the newest row at or below it, unless that row is a deletion.
   * Walks the (key, revision) index in key order, so a page stops after `limit` keys.
   */
  listAt(query: RangeQuery, revision: number, limit: number): KeyValue[] {
    const range = toRange(query);
    const sql =
      'SELECT l.key, l.value, l.create_revision, l.revision FROM log l ' +
      `WHERE ${rangeSql('l.key', range)} AND l.revision <= @revision AND l.value IS NOT NULL ` +
      'AND NOT EXISTS (SELECT 1 FROM log n WHERE n.key = l.key AND n.revision > l.revision AND n.revision <= @revision) ' +
      'ORDER BY l.key LIMIT @limit';
    return (this.#stmt(sql).all({ ...rangeParams(range), revision, limit }) as KvRow[]).map(toKeyValue);
  }

  /** How many keys `listLatest` (no limit) would return. */
  countLatest(query: RangeQuery): number {
    const range = toRange(query);
    const row = this.#stmt(`SELECT COUNT(*) AS n FROM latest t WHERE ${rangeSql('t.key', range)}`)
      .get(rangeParams(range)) as { n: number };
    return row.n;
  }

  /** How many keys `listAt` (no limit) would return. */
  countAt(query: RangeQuery, revision: number): number {
    const range = toRange(query);
    const sql =
      `SELECT COUNT(*) AS n FROM log l WHERE ${rangeSql('l.key', range)} AND l.revision <= @revision AND l.value IS NOT NULL ` +
      'AND NOT EXISTS (SELECT 1 FROM log n WHERE n.key = l.key AND n.revision > l.revision AND n.revision <= @revision)';
    const row = this.#stmt(sql).get({ ...rangeParams(range), revision }) as { n: number };
    return row.n;
  }

  count(prefix: string): number {
    const range = toRange({ prefix });
    const row = this.#stmt(`SELECT COUNT(*) AS n FROM latest t WHERE ${rangeSql('t.key', range)}`)
      .get(rangeParams(range)) as { n: number };
    return row.n;
  }

  /** Up to `limit` events with revision > `afterRevision` under `prefix`, ascending. */
  eventsAfter(prefix: string, afterRevision: number, limit: number): StoreEvent[] {
    const range = toRange({ prefix });
    const sql =
      'SELECT l.revision, l.key, l.value, l.create_revision, l.prev_revision, ' +
      'p.value AS prev_value, p.create_revision AS prev_create_revision ' +
      'FROM log l LEFT JOIN log p ON p.revision = l.prev_revision ' +
      `WHERE l.revision > @after AND ${rangeSql('l.key', range)} ORDER BY l.revision LIMIT @limit`;
    return (this.#stmt(sql).all({ ...rangeParams(range), after: afterRevision, limit }) as EventRow[]).map(toEvent);
  }

  appendRow(row: { revision: number; key: string; value: string | null; createRevision: number; prevRevision: number | null }): void {
    this.#stmt('INSERT INTO log (revision, key, value, create_revision, prev_revision) VALUES (?, ?, ?, ?, ?)')
      .run(row.revision, row.key, row.value, row.createRevision, row.prevRevision);
    if (row.value === null) {
      this.#stmt('DELETE FROM latest WHERE key = ?').run(row.key);
    } else {
      this.#stmt('INSERT INTO latest (key, revision) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET revision = excluded.revision')
        .run(row.key, row.revision);
    }
  }

  /** The revision `count` rows after `afterRevision` (capped at `upTo`): the end of the next compaction batch. */
  batchEnd(afterRevision: number, upTo: number, count: number): number | undefined {
    const row = this.#stmt(
      'SELECT MAX(revision) AS revision FROM (SELECT revision FROM log WHERE revision > ? AND revision <= ? ORDER BY revision LIMIT ?)',
    ).get(afterRevision, upTo, count) as { revision: number | null };
    return row.revision ?? undefined;
  }

  /**
   * Deletes the rows in (from, to] that compaction at `target` makes useless: deletions, and rows
   * superseded by a newer row of the same key at or below `target`. The newest row at or below
   * the target of every live key stays, so it still serves as the current value and as the
   * previous value of that key's next event.
   */
  compactRange(from: number, to: number, target: number): number {
    return this.#stmt(
      'DELETE FROM log WHERE revision > ? AND revision <= ? AND (value IS NULL OR EXISTS ' +
        '(SELECT 1 FROM log n WHERE n.key = log.key AND n.revision > log.revision AND n.revision <= ?))',
    ).run(from, to, target).changes;
  }

  close(): void {
    this.#db.close();
  }

  #stmt(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function toRange(query: RangeQuery): Range {
  const end = prefixRangeEnd(query.prefix);
  return {
    prefix: query.prefix,
    ...(query.startAfter !== undefined ? { startAfter: query.startAfter } : {}),
    ...(end !== undefined ? { end } : {}),
  };
}

/** The WHERE fragment for a range; only the bounds that exist, so each shape is its own cached statement. */
function rangeSql(column: string, range: Range): string {
  const parts = [`${column} >= @prefix`];
  if (range.startAfter !== undefined) parts.push(`${column} > @startAfter`);
  if (range.end !== undefined) parts.push(`${column} < @end`);
  return parts.join(' AND ');
}

function rangeParams(range: Range): Record<string, string> {
  return { ...range };
}

function toKeyValue(row: KvRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.revision };
}

function toEvent(row: EventRow): StoreEvent {
  if (row.prev_revision === null) {
    if (row.value === null) throw new Error(`log row ${row.revision} deletes a key that had no value`);
    return { type: 'added', revision: row.revision, kv: toKeyValue(row as KvRow) };
  }
  if (row.prev_value === null || row.prev_create_revision === null) {
    // Compaction keeps the previous row of every retained row, so this means a corrupt log.
    throw new Error(`log row ${row.revision} refers to missing previous row ${row.prev_revision}`);
  }
  const prevKv: KeyValue = {
    key: row.key,
    value: row.prev_value,
    createRevision: row.prev_create_revision,
    modRevision: row.prev_revision,
  };
  if (row.value === null) {
    return { type: 'deleted', revision: row.revision, kv: { ...prevKv, modRevision: row.revision }, prevKv };
  }
  return { type: 'modified', revision: row.revision, kv: toKeyValue(row as KvRow), prevKv };
}
