// Where getCustomerStatistics reads its documents: each of its aggregate
// reads (convex/model/customerStats.ts) measured on its own, in the order the
// function makes them.
import { components } from "../convex/_generated/api";
import {
  CREATION_TIME_SHARDS,
  customersByCreationTime,
  customersBySpent,
} from "../convex/model/aggregates";
import { getHighValueThreshold } from "../convex/model/customerStats";
import type { EmbeddedBackend } from "../tools/embeddedBackend";
import { measureInTransaction } from "./measure";

const DAY = 24 * 60 * 60 * 1000;
const WINDOWS = [
  ["24h", DAY],
  ["7d", 7 * DAY],
  ["30d", 30 * DAY],
] as const;

export type StepCost = {
  step: string;
  documentsRead: number;
  databaseQueries: number;
};

export async function statisticsBreakdown(
  t: Pick<EmbeddedBackend, "run">,
): Promise<StepCost[]> {
  const steps: [string, Parameters<typeof measureInTransaction>[1]][] = [];
  for (const isActive of [true, false]) {
    steps.push([
      `status count + verified sum (isActive ${isActive})`,
      (ctx) =>
        ctx.runQuery(components.customersByStatus.btree.aggregateBetween, {
          namespace: isActive,
        }),
    ]);
  }
  const now = Date.now();
  for (const [label, window] of WINDOWS) {
    for (let shard = 0; shard < CREATION_TIME_SHARDS; shard++) {
      steps.push([
        `sign-ups in the last ${label}, shard ${shard}`,
        (ctx) =>
          customersByCreationTime.count(ctx, {
            namespace: shard,
            bounds: { lower: { key: now - window, inclusive: true } },
          }),
      ]);
    }
  }
  steps.push([
    "all 12 window counts in one countBatch (as the function does)",
    (ctx) =>
      customersByCreationTime.countBatch(
        ctx,
        WINDOWS.flatMap(([, window]) =>
          Array.from({ length: CREATION_TIME_SHARDS }, (_, shard) => ({
            namespace: shard,
            bounds: { lower: { key: now - window, inclusive: true } },
          })),
        ),
      ),
  ]);
  steps.push([
    "spenders count",
    (ctx) => customersBySpent.count(ctx, { namespace: true }),
  ]);
  steps.push([
    "high-value threshold (spenders count + at)",
    (ctx) => getHighValueThreshold(ctx),
  ]);
  const threshold = await t.run((ctx) => getHighValueThreshold(ctx));
  steps.push([
    "high-value count (count from the threshold up)",
    (ctx) =>
      customersBySpent.count(ctx, {
        namespace: true,
        bounds:
          threshold === null
            ? undefined
            : { lower: { key: threshold, inclusive: true } },
      }),
  ]);
  const costs: StepCost[] = [];
  for (const [step, work] of steps) {
    const sample = await measureInTransaction(t, work);
    costs.push({
      step,
      documentsRead: sample.documentsRead,
      databaseQueries: sample.databaseQueries,
    });
  }
  return costs;
}
