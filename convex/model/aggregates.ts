// The three aggregates over `customers` behind the admin statistics. Triggers
// (convex/functions.ts) keep them in step with every write; rebuildDerivedData
// repairs them after writes that went around the triggers.
import { TableAggregate } from "@convex-dev/aggregate";
import { components } from "../_generated/api";
import type { DataModel, Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/**
 * Sign-ups arrive in `_creationTime` order, so an unsharded aggregate on it
 * would put every insert at the same edge of one tree, and concurrent sign-ups
 * would conflict. Each customer goes to one of a few trees by its id (ids are
 * random), and a window count adds one count per tree.
 */
export const CREATION_TIME_SHARDS = 2;

function creationTimeShard(customerId: string): number {
  let hash = 0;
  for (let i = 0; i < customerId.length; i++) {
    hash = (hash * 31 + customerId.charCodeAt(i)) >>> 0;
  }
  return hash % CREATION_TIME_SHARDS;
}

type Customer = Doc<"customers">;

/**
 * The shape the three aggregates share: a tree per namespace (a shard, or a
 * flag), a number key or none, and a summand.
 */
export type CustomerAggregate = TableAggregate<{
  Namespace: number | boolean;
  Key: number | null;
  DataModel: DataModel;
  TableName: "customers";
}>;

const creationTimeItem = {
  namespace: (customer: Customer) => creationTimeShard(customer._id),
  sortKey: (customer: Customer) => customer._creationTime,
  sumValue: (_customer: Customer) => 0,
};
export const customersByCreationTime: CustomerAggregate = new TableAggregate(
  components.customersByCreationTime,
  creationTimeItem,
);

/**
 * For the high-value threshold: spenders (totalSpent > 0) ranked by total in
 * their own tree, so counting them needs no bounds.
 */
const spentItem = {
  namespace: (customer: Customer) => customer.stats.totalSpent > 0,
  sortKey: (customer: Customer) => customer.stats.totalSpent,
  sumValue: (_customer: Customer) => 0,
};
export const customersBySpent: CustomerAggregate = new TableAggregate(
  components.customersBySpent,
  spentItem,
);

/**
 * For the status and verification counts: one tree per isActive value, whose
 * count is the customers and whose sum is the verified ones among them.
 */
const statusItem = {
  namespace: (customer: Customer) => customer.isActive,
  sortKey: (_customer: Customer) => null,
  sumValue: (customer: Customer) => (isVerified(customer) ? 1 : 0),
};
export const customersByStatus: CustomerAggregate = new TableAggregate(
  components.customersByStatus,
  statusItem,
);

export function isVerified(
  customer: Pick<Customer, "phoneNumberVerified" | "emailVerified">,
): boolean {
  return customer.phoneNumberVerified || customer.emailVerified;
}

export const customerAggregates: CustomerAggregate[] = [
  customersByCreationTime,
  customersBySpent,
  customersByStatus,
];

type CustomerChange =
  | { operation: "insert"; oldDoc: null; newDoc: Customer }
  | { operation: "update"; oldDoc: Customer; newDoc: Customer }
  | { operation: "delete"; oldDoc: Customer; newDoc: null };

/**
 * Applies one change to `customers` to every aggregate. A new customer cannot
 * be in an aggregate yet, so it is inserted outright (half the work of an
 * idempotent insert). Updates that leave an aggregate's item alone (counter
 * changes, profile edits) skip it, so bulk counter updates cost no aggregate
 * writes; updates and deletes tolerate an item that is missing, so data
 * written around the triggers never blocks a write.
 */
export async function applyCustomerChangeToAggregates(
  ctx: MutationCtx,
  change: CustomerChange,
): Promise<void> {
  for (const aggregate of customerAggregates) {
    switch (change.operation) {
      case "insert":
        await aggregate.insert(ctx, change.newDoc);
        break;
      case "update":
        if (!sameAggregateItem(aggregate, change.oldDoc, change.newDoc)) {
          await aggregate.replaceOrInsert(ctx, change.oldDoc, change.newDoc);
        }
        break;
      case "delete":
        await aggregate.deleteIfExists(ctx, change.oldDoc);
        break;
    }
  }
}

/** Puts a customer in every aggregate it is missing from (for repairs). */
export async function ensureCustomerInAggregates(
  ctx: MutationCtx,
  customer: Customer,
): Promise<void> {
  for (const aggregate of customerAggregates) {
    await aggregate.insertIfDoesNotExist(ctx, customer);
  }
}

const itemOf = new Map<
  CustomerAggregate,
  {
    namespace: (customer: Customer) => number | boolean;
    sortKey: (customer: Customer) => number | null;
    sumValue: (customer: Customer) => number;
  }
>([
  [customersByCreationTime, creationTimeItem],
  [customersBySpent, spentItem],
  [customersByStatus, statusItem],
]);

/** Where a customer sits in an aggregate: its tree, key and summand. */
export function aggregateItem(
  aggregate: CustomerAggregate,
  customer: Customer,
) {
  const item = itemOf.get(aggregate)!;
  return {
    namespace: item.namespace(customer),
    key: item.sortKey(customer),
    sumValue: item.sumValue(customer),
  };
}

function sameAggregateItem(
  aggregate: CustomerAggregate,
  oldDoc: Customer,
  newDoc: Customer,
): boolean {
  return (
    JSON.stringify(aggregateItem(aggregate, oldDoc)) ===
    JSON.stringify(aggregateItem(aggregate, newDoc))
  );
}
