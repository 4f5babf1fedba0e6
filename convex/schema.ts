// The marketplace tables this module reads and writes, with the indexes its
// queries need. Other parts of the app write the base fields; fields marked
// "derived" are maintained by this module's triggers and are always optional.
import { defineSchema, defineTable } from "convex/server";
import { v, type Infer } from "convex/values";

export const orderStatusValidator = v.union(
  v.literal("pending"),
  v.literal("confirmed"),
  v.literal("preparing"),
  v.literal("out_for_delivery"),
  v.literal("delivered"),
  v.literal("cancelled"),
);

export const customerPreferencesValidator = v.object({
  preferredLanguage: v.string(),
  pushNotifications: v.boolean(),
  emailNotifications: v.boolean(),
  smsNotifications: v.boolean(),
});

export const customerStatsValidator = v.object({
  totalOrders: v.number(),
  totalSpent: v.number(),
  /** Milliseconds since the epoch; absent until the first order. */
  lastOrderDate: v.optional(v.number()),
});

export const customerFields = {
  /** The auth identity's `subject`. */
  userId: v.string(),
  name: v.string(),
  username: v.optional(v.string()),
  avatarId: v.optional(v.id("_storage")),
  /** E.164, such as "+971501234567". */
  phoneNumber: v.optional(v.string()),
  phoneNumberVerified: v.boolean(),
  email: v.optional(v.string()),
  emailVerified: v.boolean(),
  isActive: v.boolean(),
  isPrivate: v.boolean(),
  /** customerFollows rows whose followingId is this customer. */
  followersCount: v.number(),
  /** customerFollows rows whose followerId is this customer. */
  followingCustomersCount: v.number(),
  /** storeFollows rows of this customer. */
  followingStoresCount: v.number(),
  preferences: customerPreferencesValidator,
  stats: customerStatsValidator,
  /**
   * Derived: every suffix of every word of name, username, email and phone
   * number, lowercased, for substring search. The customers trigger
   * (convex/functions.ts) keeps it equal to buildSearchText of
   * convex/model/customerSearch.ts.
   */
  searchText: v.optional(v.string()),
};
export const customerValidator = v.object(customerFields);
export type Customer = Infer<typeof customerValidator>;

export const auditActionValidator = v.union(
  v.literal("customer.activated"),
  v.literal("customer.deactivated"),
  v.literal("customers.deleted"),
);

export const bulkDeletionStatusValidator = v.union(
  v.literal("running"),
  v.literal("completed"),
  v.literal("failed"),
);

export const auditLogFields = {
  /** The acting admin's auth `subject`. */
  adminUserId: v.string(),
  action: auditActionValidator,
  /** Set for single-customer actions. */
  customerId: v.optional(v.id("customers")),
  reason: v.optional(v.string()),
  /** Status changes: the value before and after. */
  previousIsActive: v.optional(v.boolean()),
  isActive: v.optional(v.boolean()),
  /** Bulk deletions: what was asked and what was done. */
  requestedCustomerIds: v.optional(v.array(v.id("customers"))),
  deletedCustomerIds: v.optional(v.array(v.id("customers"))),
  customersDeleted: v.optional(v.number()),
  relatedDeleted: v.optional(v.number()),
  bulkDeletionId: v.optional(v.id("bulkDeletions")),
};

/**
 * One row per bulkDeleteCustomers call that had ids to process; its counts
 * are updated in the same transaction as each batch of deletions, so they
 * never run ahead of or behind what is committed.
 */
export const bulkDeletionFields = {
  adminUserId: v.string(),
  status: bulkDeletionStatusValidator,
  /** Ids as given, repeats included. */
  requestedCount: v.number(),
  requestedCustomerIds: v.array(v.id("customers")),
  /** Distinct ids: the denominator of the progress bar. */
  uniqueCount: v.number(),
  /** Distinct ids finished: deleted, or skipped as unknown. */
  processedCount: v.number(),
  customersDeleted: v.number(),
  relatedDeleted: v.number(),
  deletedCustomerIds: v.array(v.id("customers")),
  error: v.optional(v.string()),
  finishedAt: v.optional(v.number()),
};

export default defineSchema({
  admins: defineTable({
    /** The auth identity's `subject`; unique. */
    userId: v.string(),
    name: v.string(),
    email: v.optional(v.string()),
    isActive: v.boolean(),
  }).index("by_userId", ["userId"]),

  customers: defineTable(customerFields)
    .index("by_userId", ["userId"])
    // Newest first within a status: by_isActive_and_totalSpent sorts by spend.
    // eslint-disable-next-line @convex-dev/no-duplicate-indexes
    .index("by_isActive", ["isActive"])
    .index("by_totalSpent", ["stats.totalSpent"])
    .index("by_isActive_and_totalSpent", ["isActive", "stats.totalSpent"])
    .searchIndex("search_searchText", {
      searchField: "searchText",
      filterFields: ["isActive"],
    }),

  cities: defineTable({ name: v.string() }),
  areas: defineTable({ cityId: v.id("cities"), name: v.string() }).index(
    "by_cityId",
    ["cityId"],
  ),

  addresses: defineTable({
    customerId: v.id("customers"),
    label: v.string(),
    fullAddress: v.string(),
    cityId: v.id("cities"),
    areaId: v.id("areas"),
    buildingNumber: v.optional(v.string()),
    isDefault: v.boolean(),
  }).index("by_customerId_and_isDefault", ["customerId", "isDefault"]),

  stores: defineTable({
    name: v.string(),
    /** storeFollows rows of this store. */
    followersCount: v.number(),
  }),
  products: defineTable({
    storeId: v.id("stores"),
    name: v.string(),
    price: v.number(),
    /** productLikes rows of this product. */
    likesCount: v.number(),
  }).index("by_storeId", ["storeId"]),

  /** Kept when a customer is deleted: they are the stores' accounting records. */
  orders: defineTable({
    customerId: v.id("customers"),
    storeId: v.id("stores"),
    status: orderStatusValidator,
    totalAmount: v.number(),
    items: v.array(
      v.object({
        productId: v.id("products"),
        name: v.string(),
        quantity: v.number(),
        unitPrice: v.number(),
      }),
    ),
  }).index("by_customerId", ["customerId"]),

  storeFollows: defineTable({
    customerId: v.id("customers"),
    storeId: v.id("stores"),
  }).index("by_customerId_and_storeId", ["customerId", "storeId"]),
  customerFollows: defineTable({
    followerId: v.id("customers"),
    followingId: v.id("customers"),
  })
    .index("by_followerId_and_followingId", ["followerId", "followingId"])
    .index("by_followingId", ["followingId"]),
  productLikes: defineTable({
    customerId: v.id("customers"),
    productId: v.id("products"),
  }).index("by_customerId_and_productId", ["customerId", "productId"]),
  carts: defineTable({
    customerId: v.id("customers"),
    storeId: v.id("stores"),
    items: v.array(
      v.object({ productId: v.id("products"), quantity: v.number() }),
    ),
  }).index("by_customerId_and_storeId", ["customerId", "storeId"]),
  searchHistory: defineTable({
    customerId: v.id("customers"),
    query: v.string(),
  }).index("by_customerId", ["customerId"]),

  /**
   * One row per (audit entry, customer it concerns), so the audit trail of
   * one customer is an index range even for bulk deletions.
   */
  auditLogCustomers: defineTable({
    auditLogId: v.id("auditLog"),
    customerId: v.id("customers"),
  }).index("by_customerId", ["customerId"]),

  /** Append-only record of every admin action of this module. */
  auditLog: defineTable(auditLogFields),
  bulkDeletions: defineTable(bulkDeletionFields),
});
