// Repairs everything this module derives from `customers` (search text and
// the aggregates), for an app adopting the module or after writes that went
// around the triggers. Each step is one bounded transaction, and every step
// is idempotent, so a rebuild can be stopped and run again at any point.
import type { MutationCtx } from "../_generated/server";
import {
  aggregateItem,
  type CustomerAggregate,
  CREATION_TIME_SHARDS,
  ensureCustomerInAggregates,
  customersByCreationTime,
  customersBySpent,
  customersByStatus,
} from "./aggregates";
import { searchTextPatch } from "./customerSearch";

/**
 * Customers per transaction in the first pass: each costs three idempotent
 * aggregate inserts of a few dozen index reads, well within 4,096 ranges.
 */
export const CUSTOMERS_PER_STEP = 25;
/** Aggregate items per transaction in the second pass. */
export const AGGREGATE_ITEMS_PER_STEP = 200;

export const aggregateNames = [
  "byCreationTime",
  "bySpent",
  "byStatus",
] as const;
export type AggregateName = (typeof aggregateNames)[number];

const aggregatesByName: Record<AggregateName, CustomerAggregate> = {
  byCreationTime: customersByCreationTime,
  bySpent: customersBySpent,
  byStatus: customersByStatus,
};

/** The trees of an aggregate: one per shard, or one per flag value. */
export function namespacesOf(name: AggregateName): (number | boolean)[] {
  return name === "byCreationTime"
    ? Array.from({ length: CREATION_TIME_SHARDS }, (_, shard) => shard)
    : [true, false];
}

/**
 * First pass, one page of customers: brings each one's search text up to
 * date and makes sure every aggregate holds it at its current key.
 */
export async function repairCustomersPage(
  ctx: MutationCtx,
  cursor: string | null,
): Promise<{
  continueCursor: string;
  isDone: boolean;
  customersChecked: number;
  searchTextsUpdated: number;
}> {
  const { page, continueCursor, isDone } = await ctx.db
    .query("customers")
    .paginate({ cursor, numItems: CUSTOMERS_PER_STEP });
  let searchTextsUpdated = 0;
  for (const customer of page) {
    await ensureCustomerInAggregates(ctx, customer);
    const patch = searchTextPatch(customer);
    if (patch !== null) {
      await ctx.db.patch("customers", customer._id, patch);
      searchTextsUpdated += 1;
    }
  }
  return {
    continueCursor,
    isDone,
    customersChecked: page.length,
    searchTextsUpdated,
  };
}

/**
 * Second pass, one page of one tree of an aggregate: removes each item whose
 * customer is gone or now belongs elsewhere (the first pass has put it
 * there), and re-adds a customer whose item carried a stale summand.
 */
export async function pruneAggregatePage(
  ctx: MutationCtx,
  args: {
    aggregate: AggregateName;
    namespace: number | boolean;
    cursor?: string;
  },
): Promise<{ cursor: string; isDone: boolean; itemsRemoved: number }> {
  const aggregate: CustomerAggregate = aggregatesByName[args.aggregate];
  const { page, cursor, isDone } = await aggregate.paginate(ctx, {
    namespace: args.namespace,
    cursor: args.cursor,
    pageSize: AGGREGATE_ITEMS_PER_STEP,
  });
  let itemsRemoved = 0;
  for (const item of page) {
    const customer = await ctx.db.get("customers", item.id);
    const current =
      customer === null ? null : aggregateItem(aggregate, customer);
    if (
      current !== null &&
      current.namespace === args.namespace &&
      current.key === item.key &&
      current.sumValue === item.sumValue
    ) {
      continue;
    }
    await aggregate._deleteIfExists(ctx, args.namespace, item.key, item.id);
    itemsRemoved += 1;
    if (customer !== null) {
      await aggregate.insertIfDoesNotExist(ctx, customer);
    }
  }
  return { cursor, isDone, itemsRemoved };
}
