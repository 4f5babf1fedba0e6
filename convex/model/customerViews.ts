// What the admin API returns for a customer: projections of the stored
// documents, with stats flattened and references resolved, and their
// validators.
import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { customerPreferencesValidator, orderStatusValidator } from "../schema";
import { isVerified } from "./aggregates";

const profileFields = {
  _id: v.id("customers"),
  _creationTime: v.number(),
  userId: v.string(),
  name: v.string(),
  username: v.optional(v.string()),
  avatarUrl: v.union(v.string(), v.null()),
  phoneNumber: v.optional(v.string()),
  phoneNumberVerified: v.boolean(),
  email: v.optional(v.string()),
  emailVerified: v.boolean(),
  isActive: v.boolean(),
  followersCount: v.number(),
  followingCustomersCount: v.number(),
  followingStoresCount: v.number(),
  totalOrders: v.number(),
  totalSpent: v.number(),
  lastOrderDate: v.union(v.number(), v.null()),
};

export const customerListItemValidator = v.object({
  ...profileFields,
  avatarId: v.optional(v.id("_storage")),
  isVerified: v.boolean(),
});
export type CustomerListItem = Infer<typeof customerListItemValidator>;

export const customerProfileValidator = v.object({
  ...profileFields,
  isPrivate: v.boolean(),
  preferences: customerPreferencesValidator,
});

export const recentOrderValidator = v.object({
  _id: v.id("orders"),
  _creationTime: v.number(),
  orderNumber: v.string(),
  status: orderStatusValidator,
  totalAmount: v.number(),
  storeName: v.union(v.string(), v.null()),
  itemCount: v.number(),
});

export const customerAddressValidator = v.object({
  _id: v.id("addresses"),
  _creationTime: v.number(),
  label: v.string(),
  fullAddress: v.string(),
  cityName: v.union(v.string(), v.null()),
  areaName: v.union(v.string(), v.null()),
  buildingNumber: v.optional(v.string()),
  isDefault: v.boolean(),
});

export const customerDetailsValidator = v.object({
  customer: customerProfileValidator,
  recentOrders: v.array(recentOrderValidator),
  addresses: v.array(customerAddressValidator),
});
export type CustomerDetails = Infer<typeof customerDetailsValidator>;

/** Optional fields are copied only when set, so they stay absent otherwise. */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

async function profileOf(
  ctx: Pick<QueryCtx, "storage">,
  customer: Doc<"customers">,
) {
  return {
    _id: customer._id,
    _creationTime: customer._creationTime,
    userId: customer.userId,
    name: customer.name,
    ...definedOnly({
      username: customer.username,
      phoneNumber: customer.phoneNumber,
      email: customer.email,
    }),
    avatarUrl:
      customer.avatarId === undefined
        ? null
        : await ctx.storage.getUrl(customer.avatarId),
    phoneNumberVerified: customer.phoneNumberVerified,
    emailVerified: customer.emailVerified,
    isActive: customer.isActive,
    followersCount: customer.followersCount,
    followingCustomersCount: customer.followingCustomersCount,
    followingStoresCount: customer.followingStoresCount,
    totalOrders: customer.stats.totalOrders,
    totalSpent: customer.stats.totalSpent,
    lastOrderDate: customer.stats.lastOrderDate ?? null,
  };
}

export async function toCustomerListItem(
  ctx: Pick<QueryCtx, "storage">,
  customer: Doc<"customers">,
): Promise<CustomerListItem> {
  return {
    ...(await profileOf(ctx, customer)),
    ...definedOnly({ avatarId: customer.avatarId }),
    isVerified: isVerified(customer),
  };
}

export async function toCustomerProfile(
  ctx: Pick<QueryCtx, "storage">,
  customer: Doc<"customers">,
): Promise<Infer<typeof customerProfileValidator>> {
  return {
    ...(await profileOf(ctx, customer)),
    isPrivate: customer.isPrivate,
    preferences: customer.preferences,
  };
}
