// How the bench measures a call: documents read and index ranges from the
// transaction metrics around the call, time from performance.now(), the
// median over several calls, and failures (such as a transaction limit)
// kept as the row's result.
import type { EmbeddedBackend } from "../tools/embeddedBackend";
import { TransactionMetricsTracker } from "../node_modules/convex-test/dist/transactionMetrics.js";

export type Sample<T> = {
  documentsRead: number;
  databaseQueries: number;
  ms: number;
  value: T;
};

export type Measurement<T> =
  | {
      ok: true;
      documentsRead: number;
      databaseQueries: number;
      medianMs: number;
      calls: number;
      value: T;
      note?: string;
    }
  | { ok: false; error: string; medianMs: number; calls: number };

type Accessor = Pick<EmbeddedBackend, "run">;
type RunCtx = Parameters<Parameters<EmbeddedBackend["run"]>[0]>[0];

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Keep the limit's own words, not the link to the docs after them.
  return message.split("\n")[0].replace(/ This is a Convex limit: \S+$/, "");
}

/**
 * Runs `work` in one transaction of `accessor` (a t.run, so with the
 * transaction limits) and measures what it costs. A failure aborts the
 * transaction, so nothing it wrote is kept.
 */
export async function measureInTransaction<T>(
  accessor: Accessor,
  work: (ctx: RunCtx) => Promise<T>,
): Promise<Sample<T>> {
  return accessor.run(async (ctx) => {
    const before = await ctx.meta.getTransactionMetrics();
    const start = performance.now();
    const value = await work(ctx);
    const ms = performance.now() - start;
    const after = await ctx.meta.getTransactionMetrics();
    return {
      documentsRead: after.documentsRead.used - before.documentsRead.used,
      databaseQueries: after.databaseQueries.used - before.databaseQueries.used,
      ms,
      value,
    };
  });
}

/**
 * Repeats a measured call `calls` times (each call gets its index) and keeps
 * the most documents and index ranges any call used, the median time, and
 * the last value. The first failure ends the repeats and becomes the result.
 */
export async function repeat<T>(
  calls: number,
  measureOnce: (call: number) => Promise<Sample<T>>,
): Promise<Measurement<T>> {
  const samples: Sample<T>[] = [];
  const times: number[] = [];
  for (let call = 0; call < calls; call++) {
    const start = performance.now();
    try {
      samples.push(await measureOnce(call));
    } catch (error) {
      times.push(performance.now() - start);
      return {
        ok: false,
        error: errorMessage(error),
        medianMs: median(times),
        calls: call + 1,
      };
    }
  }
  return {
    ok: true,
    documentsRead: Math.max(...samples.map((sample) => sample.documentsRead)),
    databaseQueries: Math.max(
      ...samples.map((sample) => sample.databaseQueries),
    ),
    medianMs: median(samples.map((sample) => sample.ms)),
    calls,
    value: samples[samples.length - 1].value,
  };
}

type Metrics = { documentsRead: number; databaseQueries: number };
type TrackerInternals = {
  _layers: { metrics: Metrics }[];
  commit(): void;
  rollback(): void;
};

let recording: Metrics[] | null = null;
let trackerPatched = false;

/**
 * An action runs no transaction of its own, so its cost is that of the
 * queries and mutations it calls. This records the metrics of every
 * top-level transaction that ends (commits or rolls back) while `work` runs,
 * by wrapping convex-test's metrics tracker: its layer stack holds exactly
 * one layer when a top-level transaction ends.
 */
export async function recordTransactions<T>(
  work: () => Promise<T>,
): Promise<{ value: T; transactions: Metrics[] }> {
  if (!trackerPatched) {
    trackerPatched = true;
    const prototype =
      TransactionMetricsTracker.prototype as unknown as TrackerInternals;
    for (const method of ["commit", "rollback"] as const) {
      const original = prototype[method];
      prototype[method] = function (this: TrackerInternals) {
        if (recording !== null && this._layers.length === 1) {
          const { documentsRead, databaseQueries } = this._layers[0].metrics;
          recording.push({ documentsRead, databaseQueries });
        }
        original.call(this);
      };
    }
  }
  recording = [];
  try {
    const value = await work();
    return { value, transactions: recording };
  } finally {
    recording = null;
  }
}
