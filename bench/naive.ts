// The naive baseline of the bench: each admin job done the obvious way, by
// collecting rows and counting, filtering and sorting in JavaScript. Plain
// functions of a mutation ctx, run inside `t.run`, which enforces the same
// transaction limits as the real functions.
import type { Doc, Id } from "../convex/_generated/dataModel";
import type { MutationCtx } from "../convex/_generated/server";
import { withTriggers } from "../convex/functions";
import { isVerified } from "../convex/model/aggregates";
import type { CustomerStatistics } from "../convex/model/customerStats";
import {
  matchesSearch,
  parseSearchQuery,
} from "../convex/model/customerSearch";
import {
  toCustomerListItem,
  type CustomerListItem,
} from "../convex/model/customerViews";

const DAY = 24 * 60 * 60 * 1000;

/** The high-value threshold from every spender's total, sorted in JS. */
function highValueThreshold(customers: Doc<"customers">[]): number | null {
  const totals = customers
    .map((customer) => customer.stats.totalSpent)
    .filter((total) => total > 0)
    .sort((a, b) => b - a);
  return totals.length === 0 ? null : totals[Math.ceil(totals.length / 10) - 1];
}

/** Statistics by collecting the whole customers table and counting. */
export async function naiveStatistics(
  ctx: Pick<MutationCtx, "db">,
): Promise<CustomerStatistics> {
  const now = Date.now();
  const customers = await ctx.db.query("customers").collect();
  const threshold = highValueThreshold(customers);
  const since = (window: number) =>
    customers.filter((customer) => customer._creationTime >= now - window)
      .length;
  const active = customers.filter((customer) => customer.isActive).length;
  return {
    totalCustomers: customers.length,
    activeCustomers: active,
    inactiveCustomers: customers.length - active,
    newCustomersToday: since(DAY),
    newCustomersThisWeek: since(7 * DAY),
    newCustomersThisMonth: since(30 * DAY),
    highValueCustomers:
      threshold === null
        ? 0
        : customers.filter((customer) => customer.stats.totalSpent >= threshold)
            .length,
    verifiedCustomers: customers.filter(isVerified).length,
  };
}

export type NaiveListArgs = {
  status?: "active" | "inactive";
  searchQuery?: string;
  highValueOnly?: boolean;
  numItems: number;
};

/**
 * The first page of the customer list: collect every customer, filter, sort
 * (newest first, or highest spender first with highValueOnly), take numItems.
 */
export async function naiveListCustomers(
  ctx: Pick<MutationCtx, "db" | "storage">,
  args: NaiveListArgs,
): Promise<CustomerListItem[]> {
  const customers = await ctx.db.query("customers").collect();
  const threshold = args.highValueOnly ? highValueThreshold(customers) : null;
  if (args.highValueOnly && threshold === null) {
    return [];
  }
  const search = parseSearchQuery(args.searchQuery);
  const matching = customers.filter(
    (customer) =>
      (args.status === undefined ||
        customer.isActive === (args.status === "active")) &&
      (threshold === null || customer.stats.totalSpent >= threshold) &&
      (search === null || matchesSearch(customer, search)),
  );
  matching.sort((a, b) =>
    threshold !== null && a.stats.totalSpent !== b.stats.totalSpent
      ? b.stats.totalSpent - a.stats.totalSpent
      : b._creationTime - a._creationTime,
  );
  return Promise.all(
    matching
      .slice(0, args.numItems)
      .map((customer) => toCustomerListItem(ctx, customer)),
  );
}

/**
 * A customer's details: every order of the customer collected and sorted in
 * JS for the ten newest, every address collected, and each referenced store,
 * city and area read once per row that names it.
 */
export async function naiveCustomerDetails(
  ctx: Pick<MutationCtx, "db" | "storage">,
  customerId: Id<"customers">,
) {
  const customer = await ctx.db.get("customers", customerId);
  if (customer === null) {
    return null;
  }
  const orders = await ctx.db
    .query("orders")
    .withIndex("by_customerId", (q) => q.eq("customerId", customerId))
    .collect();
  orders.sort((a, b) => b._creationTime - a._creationTime);
  const recentOrders = [];
  for (const order of orders.slice(0, 10)) {
    const store = await ctx.db.get("stores", order.storeId);
    recentOrders.push({
      _id: order._id,
      orderNumber: order._id,
      status: order.status,
      totalAmount: order.totalAmount,
      storeName: store?.name ?? null,
      itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
    });
  }
  const addresses = await ctx.db
    .query("addresses")
    .withIndex("by_customerId_and_isDefault", (q) =>
      q.eq("customerId", customerId),
    )
    .collect();
  const resolved = [];
  for (const address of addresses) {
    const city = await ctx.db.get("cities", address.cityId);
    const area = await ctx.db.get("areas", address.areaId);
    resolved.push({
      _id: address._id,
      label: address.label,
      cityName: city?.name ?? null,
      areaName: area?.name ?? null,
      isDefault: address.isDefault,
    });
  }
  return {
    customer: await toCustomerListItem(ctx, customer),
    recentOrders,
    addresses: resolved,
  };
}

/**
 * A status change as a plain patch plus an audit row, with no derived data to
 * maintain. It writes around the triggers, so the bench calls it an even
 * number of times: the customer ends as it started and the aggregates stay
 * true.
 */
export async function naiveSetCustomerStatus(
  ctx: Pick<MutationCtx, "db">,
  adminUserId: string,
  customerId: Id<"customers">,
  isActive: boolean,
): Promise<void> {
  const customer = await ctx.db.get("customers", customerId);
  if (customer === null) {
    throw new Error(`No customer ${customerId}`);
  }
  await ctx.db.patch("customers", customerId, { isActive });
  await ctx.db.insert("auditLog", {
    adminUserId,
    action: isActive ? "customer.activated" : "customer.deactivated",
    customerId,
    previousIsActive: customer.isActive,
    isActive,
  });
}

/**
 * A bulk deletion in one transaction: every related row of every customer
 * collected and deleted, the counters they fed decremented, then the
 * customers (through the triggers, so the aggregates stay true for the rest
 * of the bench).
 */
export async function naiveBulkDelete(
  rawCtx: MutationCtx,
  customerIds: Id<"customers">[],
): Promise<{ customersDeleted: number; relatedDeleted: number }> {
  const ctx = withTriggers(rawCtx);
  let customersDeleted = 0;
  let relatedDeleted = 0;
  for (const customerId of new Set(customerIds)) {
    const customer = await ctx.db.get("customers", customerId);
    if (customer === null) {
      continue;
    }
    const addresses = await ctx.db
      .query("addresses")
      .withIndex("by_customerId_and_isDefault", (q) =>
        q.eq("customerId", customerId),
      )
      .collect();
    for (const row of addresses) {
      await ctx.db.delete("addresses", row._id);
    }
    const storeFollows = await ctx.db
      .query("storeFollows")
      .withIndex("by_customerId_and_storeId", (q) =>
        q.eq("customerId", customerId),
      )
      .collect();
    for (const row of storeFollows) {
      const store = await ctx.db.get("stores", row.storeId);
      if (store !== null) {
        await ctx.db.patch("stores", store._id, {
          followersCount: Math.max(0, store.followersCount - 1),
        });
      }
      await ctx.db.delete("storeFollows", row._id);
    }
    const following = await ctx.db
      .query("customerFollows")
      .withIndex("by_followerId_and_followingId", (q) =>
        q.eq("followerId", customerId),
      )
      .collect();
    for (const row of following) {
      const followed = await ctx.db.get("customers", row.followingId);
      if (followed !== null && followed._id !== customerId) {
        await ctx.db.patch("customers", followed._id, {
          followersCount: Math.max(0, followed.followersCount - 1),
        });
      }
      await ctx.db.delete("customerFollows", row._id);
    }
    const followers = await ctx.db
      .query("customerFollows")
      .withIndex("by_followingId", (q) => q.eq("followingId", customerId))
      .collect();
    for (const row of followers) {
      const follower = await ctx.db.get("customers", row.followerId);
      if (follower !== null && follower._id !== customerId) {
        await ctx.db.patch("customers", follower._id, {
          followingCustomersCount: Math.max(
            0,
            follower.followingCustomersCount - 1,
          ),
        });
      }
      await ctx.db.delete("customerFollows", row._id);
    }
    const likes = await ctx.db
      .query("productLikes")
      .withIndex("by_customerId_and_productId", (q) =>
        q.eq("customerId", customerId),
      )
      .collect();
    for (const row of likes) {
      const product = await ctx.db.get("products", row.productId);
      if (product !== null) {
        await ctx.db.patch("products", product._id, {
          likesCount: Math.max(0, product.likesCount - 1),
        });
      }
      await ctx.db.delete("productLikes", row._id);
    }
    const carts = await ctx.db
      .query("carts")
      .withIndex("by_customerId_and_storeId", (q) =>
        q.eq("customerId", customerId),
      )
      .collect();
    for (const row of carts) {
      await ctx.db.delete("carts", row._id);
    }
    const searches = await ctx.db
      .query("searchHistory")
      .withIndex("by_customerId", (q) => q.eq("customerId", customerId))
      .collect();
    for (const row of searches) {
      await ctx.db.delete("searchHistory", row._id);
    }
    relatedDeleted +=
      addresses.length +
      storeFollows.length +
      following.length +
      followers.length +
      likes.length +
      carts.length +
      searches.length;
    if (customer.avatarId !== undefined) {
      await ctx.storage.delete(customer.avatarId);
      relatedDeleted += 1;
    }
    await ctx.db.delete("customers", customerId);
    customersDeleted += 1;
  }
  return { customersDeleted, relatedDeleted };
}
