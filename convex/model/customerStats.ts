// The admin dashboard's customer statistics, read from the aggregates: each
// figure costs a few B-tree nodes, whatever the number of customers.
import { v, type Infer } from "convex/values";
import { components } from "../_generated/api";
import type { QueryCtx } from "../_generated/server";
import {
  CREATION_TIME_SHARDS,
  customersByCreationTime,
  customersBySpent,
} from "./aggregates";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Rolling windows of the growth figures. */
const GROWTH_WINDOWS = [DAY, 7 * DAY, 30 * DAY] as const;

export const customerStatisticsValidator = v.object({
  totalCustomers: v.number(),
  activeCustomers: v.number(),
  inactiveCustomers: v.number(),
  newCustomersToday: v.number(),
  newCustomersThisWeek: v.number(),
  newCustomersThisMonth: v.number(),
  highValueCustomers: v.number(),
  verifiedCustomers: v.number(),
});
export type CustomerStatistics = Infer<typeof customerStatisticsValidator>;

/**
 * High value means the top 10% of the n customers who spent anything: the
 * threshold is the total of the ceil(n / 10)-th highest spender, and every
 * customer at or above it counts (ties included). Null when nobody spent.
 */
export async function getHighValueThreshold(
  ctx: QueryCtx,
): Promise<number | null> {
  const spenders = await customersBySpent.count(ctx, { namespace: true });
  if (spenders === 0) {
    return null;
  }
  const { key } = await customersBySpent.at(ctx, -Math.ceil(spenders / 10), {
    namespace: true,
  });
  return key;
}

/** Customers with the given isActive, and how many of them are verified. */
function countStatus(ctx: QueryCtx, isActive: boolean) {
  return ctx.runQuery(components.customersByStatus.btree.aggregateBetween, {
    namespace: isActive,
  });
}

export async function getCustomerStatistics(
  ctx: QueryCtx,
): Promise<CustomerStatistics> {
  const now = Date.now();
  const [active, inactive] = await Promise.all([
    countStatus(ctx, true),
    countStatus(ctx, false),
  ]);
  const shardCounts = await customersByCreationTime.countBatch(
    ctx,
    GROWTH_WINDOWS.flatMap((window) =>
      Array.from({ length: CREATION_TIME_SHARDS }, (_, shard) => ({
        namespace: shard,
        bounds: { lower: { key: now - window, inclusive: true } },
      })),
    ),
  );
  const [today, thisWeek, thisMonth] = GROWTH_WINDOWS.map((_, window) =>
    shardCounts
      .slice(window * CREATION_TIME_SHARDS, (window + 1) * CREATION_TIME_SHARDS)
      .reduce((sum, count) => sum + count, 0),
  );
  const threshold = await getHighValueThreshold(ctx);
  const highValue =
    threshold === null
      ? 0
      : await customersBySpent.count(ctx, {
          namespace: true,
          bounds: { lower: { key: threshold, inclusive: true } },
        });
  return {
    totalCustomers: active.count + inactive.count,
    activeCustomers: active.count,
    inactiveCustomers: inactive.count,
    newCustomersToday: today,
    newCustomersThisWeek: thisWeek,
    newCustomersThisMonth: thisMonth,
    highValueCustomers: highValue,
    verifiedCustomers: active.sum + inactive.sum,
  };
}
