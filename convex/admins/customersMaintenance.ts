// Operator tools for the derived data behind the admin API. Internal only:
// run them with `npx convex run`, never from a client.
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalAction } from "../_generated/server";
import { internalMutation } from "../functions";
import {
  aggregateNames,
  namespacesOf,
  pruneAggregatePage,
  repairCustomersPage,
} from "../model/derivedData";

const aggregateNameValidator = v.union(
  ...aggregateNames.map((name) => v.literal(name)),
);

/**
 * Makes the search text and every aggregate consistent with `customers`:
 * first each customer is put where it belongs, then every aggregate item
 * that no longer matches a customer is removed. Idempotent and batched:
 * `npx convex run admins/customersMaintenance:rebuildDerivedData`.
 */
export const rebuildDerivedData = internalAction({
  args: {},
  returns: v.object({
    customersChecked: v.number(),
    searchTextsUpdated: v.number(),
    aggregateItemsRemoved: v.number(),
  }),
  handler: async (ctx) => {
    const summary = {
      customersChecked: 0,
      searchTextsUpdated: 0,
      aggregateItemsRemoved: 0,
    };
    let cursor: string | null = null;
    for (;;) {
      const step: {
        continueCursor: string;
        isDone: boolean;
        customersChecked: number;
        searchTextsUpdated: number;
      } = await ctx.runMutation(
        internal.admins.customersMaintenance.repairCustomers,
        { cursor },
      );
      summary.customersChecked += step.customersChecked;
      summary.searchTextsUpdated += step.searchTextsUpdated;
      if (step.isDone) break;
      cursor = step.continueCursor;
    }
    for (const aggregate of aggregateNames) {
      for (const namespace of namespacesOf(aggregate)) {
        let itemCursor: string | undefined;
        for (;;) {
          const step: {
            cursor: string;
            isDone: boolean;
            itemsRemoved: number;
          } = await ctx.runMutation(
            internal.admins.customersMaintenance.pruneAggregate,
            { aggregate, namespace, cursor: itemCursor },
          );
          summary.aggregateItemsRemoved += step.itemsRemoved;
          if (step.isDone) break;
          itemCursor = step.cursor;
        }
      }
    }
    return summary;
  },
});

export const repairCustomers = internalMutation({
  args: { cursor: v.union(v.string(), v.null()) },
  returns: v.object({
    continueCursor: v.string(),
    isDone: v.boolean(),
    customersChecked: v.number(),
    searchTextsUpdated: v.number(),
  }),
  handler: (ctx, { cursor }) => repairCustomersPage(ctx, cursor),
});

export const pruneAggregate = internalMutation({
  args: {
    aggregate: aggregateNameValidator,
    namespace: v.union(v.number(), v.boolean()),
    cursor: v.optional(v.string()),
  },
  returns: v.object({
    cursor: v.string(),
    isDone: v.boolean(),
    itemsRemoved: v.number(),
  }),
  handler: (ctx, args) => pruneAggregatePage(ctx, args),
});
