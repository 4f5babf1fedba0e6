// One customer's admin view: profile, ten newest orders, saved addresses.
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { toCustomerProfile, type CustomerDetails } from "./customerViews";

export const RECENT_ORDERS_LIMIT = 10;
/** Addresses shown per customer; an address book is far smaller in practice. */
export const ADDRESSES_LIMIT = 100;

export async function getCustomerDetails(
  ctx: QueryCtx,
  customerId: Id<"customers">,
): Promise<CustomerDetails | null> {
  const customer = await ctx.db.get("customers", customerId);
  if (customer === null) {
    return null;
  }
  const [profile, recentOrders, addresses] = await Promise.all([
    toCustomerProfile(ctx, customer),
    getRecentOrders(ctx, customerId),
    getAddresses(ctx, customerId),
  ]);
  return { customer: profile, recentOrders, addresses };
}

async function getRecentOrders(ctx: QueryCtx, customerId: Id<"customers">) {
  const orders = await ctx.db
    .query("orders")
    .withIndex("by_customerId", (q) => q.eq("customerId", customerId))
    .order("desc")
    .take(RECENT_ORDERS_LIMIT);
  const storeNames = await namesById(
    ctx,
    "stores",
    orders.map((order) => order.storeId),
  );
  return orders.map((order) => ({
    _id: order._id,
    _creationTime: order._creationTime,
    orderNumber: order._id,
    status: order.status,
    totalAmount: order.totalAmount,
    storeName: storeNames.get(order.storeId) ?? null,
    itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
  }));
}

/** Default addresses first, then newest first. */
async function getAddresses(ctx: QueryCtx, customerId: Id<"customers">) {
  const byDefault = (isDefault: boolean, limit: number) =>
    ctx.db
      .query("addresses")
      .withIndex("by_customerId_and_isDefault", (q) =>
        q.eq("customerId", customerId).eq("isDefault", isDefault),
      )
      .order("desc")
      .take(limit);
  const defaults = await byDefault(true, ADDRESSES_LIMIT);
  const addresses = defaults.concat(
    await byDefault(false, ADDRESSES_LIMIT - defaults.length),
  );
  const [cityNames, areaNames] = await Promise.all([
    namesById(
      ctx,
      "cities",
      addresses.map((address) => address.cityId),
    ),
    namesById(
      ctx,
      "areas",
      addresses.map((address) => address.areaId),
    ),
  ]);
  return addresses.map((address: Doc<"addresses">) => ({
    _id: address._id,
    _creationTime: address._creationTime,
    label: address.label,
    fullAddress: address.fullAddress,
    cityName: cityNames.get(address.cityId) ?? null,
    areaName: areaNames.get(address.areaId) ?? null,
    ...(address.buildingNumber === undefined
      ? {}
      : { buildingNumber: address.buildingNumber }),
    isDefault: address.isDefault,
  }));
}

/** The `name` of each distinct referenced document that still exists. */
async function namesById<T extends "stores" | "cities" | "areas">(
  ctx: QueryCtx,
  table: T,
  ids: Id<T>[],
): Promise<Map<Id<T>, string>> {
  const names = new Map<Id<T>, string>();
  for (const id of new Set(ids)) {
    const doc = await ctx.db.get(table, id);
    if (doc !== null) {
      names.set(id, doc.name);
    }
  }
  return names;
}
