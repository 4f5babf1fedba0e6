// Permanent deletion of customers with all their related data, one bounded
// transaction at a time.
//
// A customer's related rows go first, in chunks, while the transaction has
// headroom; the customer row (and its avatar file) goes last. A customer with
// more rows than one transaction can hold is finished by the next call, and a
// customer row that still exists is itself the record of the work left. Every
// counter that a deleted row contributed to is decremented in the same
// transaction, so counters are true after every commit.
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Rows read and deleted per index read. */
const CHUNK_SIZE = 1000;
/** A transaction with room for fewer rows than this stops rather than take them. */
const MIN_CHUNK_SIZE = 100;
/** Related rows deleted per transaction, whatever the headroom says. */
const MAX_ROWS_PER_TRANSACTION = 8000;
/**
 * Each chunk is sized so that every transaction metric, counting the chunk's
 * worst case and the counter updates still to apply, stays under this share
 * of its limit; the rest is left for the aggregate updates of the customers
 * deleted in the transaction.
 */
const HEADROOM_SHARE = 0.75;
/** Byte metrics get a wider margin: a chunk's size in bytes is not known ahead. */
const BYTES_HEADROOM_SHARE = 0.5;
/** Metrics that count documents or index ranges. */
const COUNTED_METRICS = new Set([
  "documentsRead",
  "documentsWritten",
  "databaseQueries",
]);
/** At most, per counter update: read the document, patch it through the triggers (which read it twice more). */
const TARGET_COST = 4;
/** Per deleted row: one read, one write, one index range. */
const ROW_COST = 1;
/** A row that feeds counters may also bring a new counter update. */
const ROW_WITH_COUNTERS_COST = ROW_COST + TARGET_COST;

type CustomerCounter =
  "followersCount" | "followingCustomersCount" | "followingStoresCount";

/** Decrements owed to surviving documents, applied once per transaction. */
class CounterDecrements {
  customers = new Map<Id<"customers">, Map<CustomerCounter, number>>();
  stores = new Map<Id<"stores">, number>();
  products = new Map<Id<"products">, number>();

  customer(id: Id<"customers">, counter: CustomerCounter) {
    const counters = this.customers.get(id) ?? new Map();
    counters.set(counter, (counters.get(counter) ?? 0) + 1);
    this.customers.set(id, counters);
  }

  store(id: Id<"stores">) {
    this.stores.set(id, (this.stores.get(id) ?? 0) + 1);
  }

  product(id: Id<"products">) {
    this.products.set(id, (this.products.get(id) ?? 0) + 1);
  }

  /** Documents to read and patch when applied. */
  get targets(): number {
    return this.customers.size + this.stores.size + this.products.size;
  }

  async apply(ctx: Pick<MutationCtx, "db">) {
    for (const [id, counters] of this.customers) {
      const customer = await ctx.db.get("customers", id);
      if (customer !== null) {
        const patch: Partial<Record<CustomerCounter, number>> = {};
        for (const [counter, by] of counters) {
          patch[counter] = Math.max(0, customer[counter] - by);
        }
        await ctx.db.patch("customers", id, patch);
      }
    }
    for (const [id, by] of this.stores) {
      const store = await ctx.db.get("stores", id);
      if (store !== null) {
        await ctx.db.patch("stores", id, {
          followersCount: Math.max(0, store.followersCount - by),
        });
      }
    }
    for (const [id, by] of this.products) {
      const product = await ctx.db.get("products", id);
      if (product !== null) {
        await ctx.db.patch("products", id, {
          likesCount: Math.max(0, product.likesCount - by),
        });
      }
    }
  }
}

type RelatedSet = {
  /** The next rows of this set for the customer, up to `limit`. */
  next: (
    ctx: Pick<MutationCtx, "db">,
    customerId: Id<"customers">,
    limit: number,
  ) => Promise<{ _id: Id<RelatedTable> }[]>;
  table: RelatedTable;
  /** Records what deleting `row` takes off the counters. */
  onDelete?: (row: never, decrements: CounterDecrements) => void;
};
type RelatedTable =
  | "addresses"
  | "storeFollows"
  | "customerFollows"
  | "productLikes"
  | "carts"
  | "searchHistory";

function relatedSet<T extends RelatedTable>(set: {
  table: T;
  next: (
    ctx: Pick<MutationCtx, "db">,
    customerId: Id<"customers">,
    limit: number,
  ) => Promise<Doc<T>[]>;
  onDelete?: (row: Doc<T>, decrements: CounterDecrements) => void;
}): RelatedSet {
  return set as unknown as RelatedSet;
}

/** Everything that belongs to a customer, besides its avatar file. */
const RELATED_SETS: RelatedSet[] = [
  relatedSet({
    table: "addresses",
    next: (ctx, customerId, limit) =>
      ctx.db
        .query("addresses")
        .withIndex("by_customerId_and_isDefault", (q) =>
          q.eq("customerId", customerId),
        )
        .take(limit),
  }),
  relatedSet({
    table: "storeFollows",
    next: (ctx, customerId, limit) =>
      ctx.db
        .query("storeFollows")
        .withIndex("by_customerId_and_storeId", (q) =>
          q.eq("customerId", customerId),
        )
        .take(limit),
    onDelete: (follow, decrements) => {
      decrements.store(follow.storeId);
      decrements.customer(follow.customerId, "followingStoresCount");
    },
  }),
  relatedSet({
    table: "customerFollows",
    next: (ctx, customerId, limit) =>
      ctx.db
        .query("customerFollows")
        .withIndex("by_followerId_and_followingId", (q) =>
          q.eq("followerId", customerId),
        )
        .take(limit),
    onDelete: countCustomerFollow,
  }),
  relatedSet({
    table: "customerFollows",
    next: (ctx, customerId, limit) =>
      ctx.db
        .query("customerFollows")
        .withIndex("by_followingId", (q) => q.eq("followingId", customerId))
        .take(limit),
    onDelete: countCustomerFollow,
  }),
  relatedSet({
    table: "productLikes",
    next: (ctx, customerId, limit) =>
      ctx.db
        .query("productLikes")
        .withIndex("by_customerId_and_productId", (q) =>
          q.eq("customerId", customerId),
        )
        .take(limit),
    onDelete: (like, decrements) => decrements.product(like.productId),
  }),
  relatedSet({
    table: "carts",
    next: (ctx, customerId, limit) =>
      ctx.db
        .query("carts")
        .withIndex("by_customerId_and_storeId", (q) =>
          q.eq("customerId", customerId),
        )
        .take(limit),
  }),
  relatedSet({
    table: "searchHistory",
    next: (ctx, customerId, limit) =>
      ctx.db
        .query("searchHistory")
        .withIndex("by_customerId", (q) => q.eq("customerId", customerId))
        .take(limit),
  }),
];

function countCustomerFollow(
  follow: Doc<"customerFollows">,
  decrements: CounterDecrements,
) {
  decrements.customer(follow.followerId, "followingCustomersCount");
  decrements.customer(follow.followingId, "followersCount");
}

/** How much one transaction may still delete. */
class TransactionBudget {
  rowsDeleted = 0;

  constructor(
    private ctx: Pick<MutationCtx, "meta">,
    private decrements: CounterDecrements,
  ) {}

  /**
   * How many rows the next chunk may take, at `rowCost` each; 0 when this
   * transaction should stop.
   */
  async nextChunkSize(rowCost: number): Promise<number> {
    const rowsLeft = MAX_ROWS_PER_TRANSACTION - this.rowsDeleted;
    let size = Math.min(CHUNK_SIZE, rowsLeft);
    const metrics = await this.ctx.meta.getTransactionMetrics();
    for (const [metric, { used, remaining }] of Object.entries(metrics)) {
      const limit = used + remaining;
      if (COUNTED_METRICS.has(metric)) {
        const owed = TARGET_COST * this.decrements.targets;
        // Less one range for the chunk's own index read.
        const room = HEADROOM_SHARE * limit - used - owed - 1;
        size = Math.min(size, Math.floor(room / rowCost));
      } else if (used > BYTES_HEADROOM_SHARE * limit) {
        size = 0;
      }
    }
    return size > 0 && size >= Math.min(MIN_CHUNK_SIZE, rowsLeft) ? size : 0;
  }
}

/** Deletes the customer's related rows; false if the budget ran out first. */
async function deleteRelatedRows(
  ctx: Pick<MutationCtx, "db">,
  customerId: Id<"customers">,
  budget: TransactionBudget,
  decrements: CounterDecrements,
): Promise<boolean> {
  for (const set of RELATED_SETS) {
    for (;;) {
      const limit = await budget.nextChunkSize(
        set.onDelete === undefined ? ROW_COST : ROW_WITH_COUNTERS_COST,
      );
      if (limit === 0) {
        return false;
      }
      const rows = await set.next(ctx, customerId, limit);
      for (const row of rows) {
        set.onDelete?.(row as never, decrements);
        await ctx.db.delete(set.table, row._id);
      }
      budget.rowsDeleted += rows.length;
      if (rows.length < limit) {
        break;
      }
    }
  }
  return true;
}

/** Deletes the avatar file if it is still stored; the number of files removed. */
async function deleteAvatar(
  ctx: Pick<MutationCtx, "db" | "storage">,
  customer: Doc<"customers">,
): Promise<number> {
  if (customer.avatarId === undefined) {
    return 0;
  }
  const file = await ctx.db.system.get("_storage", customer.avatarId);
  if (file === null) {
    return 0;
  }
  await ctx.storage.delete(customer.avatarId);
  return 1;
}

export type BatchDeletionResult = {
  customersDeleted: number;
  /** Related rows and avatar files removed. */
  relatedDeleted: number;
  deletedCustomerIds: Id<"customers">[];
  /** Ids not reached or not finished in this transaction, in order. */
  pendingCustomerIds: Id<"customers">[];
};

/**
 * Deletes as much of the given customers as one transaction holds, in order.
 * Unknown ids (never existed, or already deleted) are skipped and counted
 * nowhere. Call again with `pendingCustomerIds` until it is empty.
 */
export async function deleteCustomersWithinBudget(
  ctx: Pick<MutationCtx, "db" | "storage" | "meta">,
  customerIds: Id<"customers">[],
): Promise<BatchDeletionResult> {
  const decrements = new CounterDecrements();
  const budget = new TransactionBudget(ctx, decrements);
  const deletedCustomerIds: Id<"customers">[] = [];
  let pendingCustomerIds: Id<"customers">[] = [];
  let filesDeleted = 0;
  for (const [position, customerId] of customerIds.entries()) {
    const customer = await ctx.db.get("customers", customerId);
    if (customer === null) {
      continue;
    }
    if (!(await deleteRelatedRows(ctx, customerId, budget, decrements))) {
      pendingCustomerIds = customerIds.slice(position);
      break;
    }
    filesDeleted += await deleteAvatar(ctx, customer);
    await ctx.db.delete("customers", customerId);
    deletedCustomerIds.push(customerId);
  }
  await decrements.apply(ctx);
  return {
    customersDeleted: deletedCustomerIds.length,
    relatedDeleted: budget.rowsDeleted + filesDeleted,
    deletedCustomerIds,
    pendingCustomerIds,
  };
}
