// A speed-up for convex-test's in-memory database, which answers every query
// by walking the ids of all documents in all tables. This keeps, per table,
// the set of committed ids, so a query walks only its own table. What queries
// return, in which order, and the transaction metrics are unchanged.
import { AsyncLocalStorage } from "node:async_hooks";

type Layer = Record<string, unknown>;
type DatabaseFake = {
  _documents: Record<string, unknown>;
  _writes: Layer[];
  get(table: string, id: string): unknown;
  commit(commitTs?: unknown): void;
  _iterateDocs(table: string, callback: (doc: unknown) => void): void;
};

const tableOf = (id: string) => id.replace(/^[0-9]+/, "");
const committedIds = new WeakMap<DatabaseFake, Map<string, Set<string>>>();

function idsByTable(db: DatabaseFake): Map<string, Set<string>> {
  let tables = committedIds.get(db);
  if (tables === undefined) {
    tables = new Map();
    for (const id of Object.keys(db._documents)) {
      idsOf(tables, tableOf(id)).add(id);
    }
    committedIds.set(db, tables);
  }
  return tables;
}

function idsOf(tables: Map<string, Set<string>>, table: string): Set<string> {
  let ids = tables.get(table);
  if (ids === undefined) {
    ids = new Set();
    tables.set(table, ids);
  }
  return ids;
}

const patched = new WeakSet<object>();

/** Installs the per-table id sets on the class of `db`, once. */
export function indexTablesOf(db: DatabaseFake): void {
  const prototype = Object.getPrototypeOf(db) as DatabaseFake;
  if (patched.has(prototype)) {
    return;
  }
  patched.add(prototype);
  const commit = prototype.commit;
  prototype.commit = function (this: DatabaseFake, commitTs?: unknown) {
    const outermost = this._writes.length === 1 ? this._writes[0] : null;
    commit.call(this, commitTs);
    const tables = committedIds.get(this);
    if (outermost !== null && tables !== undefined) {
      for (const [id, write] of Object.entries(outermost)) {
        const ids = idsOf(tables, tableOf(id));
        if (write === null) {
          ids.delete(id);
        } else {
          ids.add(id);
        }
      }
    }
  };
  prototype._iterateDocs = function (this: DatabaseFake, table, callback) {
    const ids = new Set(idsOf(idsByTable(this), table));
    for (const layer of this._writes) {
      for (const id of Object.keys(layer)) {
        if (tableOf(id) === table) {
          ids.add(id);
        }
      }
    }
    for (const id of ids) {
      const doc = this.get(table, id);
      if (doc !== null) {
        callback(doc);
      }
    }
  };
}

/**
 * convex-test keeps its databases private; the first time it enters a
 * backend's context, this finds the root database there and indexes its
 * class. For the demo and the bench, which run outside the test runner.
 */
export function indexTablesOnFirstUse(): void {
  const run = AsyncLocalStorage.prototype.run;
  AsyncLocalStorage.prototype.run = function (
    this: AsyncLocalStorage<unknown>,
    store: unknown,
    ...rest: never[]
  ) {
    const db = (store as { components?: Record<string, { db?: DatabaseFake }> })
      ?.components?.[""]?.db;
    if (db !== undefined) {
      indexTablesOf(db);
      AsyncLocalStorage.prototype.run = run;
    }
    return (run as (...args: unknown[]) => unknown).call(this, store, ...rest);
  } as typeof run;
}
