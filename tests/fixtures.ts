// Domain fixtures for tests: admins, customers and their related rows,
// written the way the rest of the app writes them (customers through the
// trigger-wrapped ctx, counters kept true).
import type { Doc, Id } from "../convex/_generated/dataModel";
import type { MutationCtx } from "../convex/_generated/server";
import { withTriggers } from "../convex/functions";
import type { TestBackend } from "./testBackend";

type CustomerFields = Omit<Doc<"customers">, "_id" | "_creationTime">;
type CustomerOverrides = Partial<
  Omit<CustomerFields, "stats" | "preferences">
> & {
  stats?: Partial<CustomerFields["stats"]>;
  preferences?: Partial<CustomerFields["preferences"]>;
};

let sequence = 0;

export function customerFields(
  overrides: CustomerOverrides = {},
): CustomerFields {
  sequence += 1;
  const { stats, preferences, ...rest } = overrides;
  return {
    userId: `user_${sequence}`,
    name: `Customer ${sequence}`,
    phoneNumberVerified: false,
    emailVerified: false,
    isActive: true,
    isPrivate: false,
    followersCount: 0,
    followingCustomersCount: 0,
    followingStoresCount: 0,
    preferences: {
      preferredLanguage: "en",
      pushNotifications: true,
      emailNotifications: true,
      smsNotifications: false,
      ...preferences,
    },
    stats: { totalOrders: 0, totalSpent: 0, ...stats },
    ...rest,
  };
}

/** Runs `work` with a ctx whose writes run the module's triggers. */
export function runWithTriggers<T>(
  t: TestBackend,
  work: (ctx: MutationCtx) => Promise<T>,
): Promise<T> {
  return t.run((ctx) => work(withTriggers(ctx as unknown as MutationCtx)));
}

/** An active admin; returns the backend acting as that admin. */
export async function createAdmin(
  t: TestBackend,
  overrides: Partial<Omit<Doc<"admins">, "_id" | "_creationTime">> = {},
) {
  sequence += 1;
  const userId = overrides.userId ?? `admin_${sequence}`;
  await t.run((ctx) =>
    ctx.db.insert("admins", {
      userId,
      name: `Admin ${sequence}`,
      isActive: true,
      ...overrides,
    }),
  );
  return t.withIdentity({ subject: userId });
}

export function createCustomer(
  t: TestBackend,
  overrides: CustomerOverrides = {},
): Promise<Id<"customers">> {
  return runWithTriggers(t, (ctx) =>
    ctx.db.insert("customers", customerFields(overrides)),
  );
}

export function createStore(
  t: TestBackend,
  name = "Pizza Palace",
): Promise<Id<"stores">> {
  return t.run((ctx) => ctx.db.insert("stores", { name, followersCount: 0 }));
}

export function createProduct(
  t: TestBackend,
  storeId: Id<"stores">,
  name = "Margherita",
): Promise<Id<"products">> {
  return t.run((ctx) =>
    ctx.db.insert("products", { storeId, name, price: 10, likesCount: 0 }),
  );
}

/** A city with one area. */
export async function createPlace(
  t: TestBackend,
  city = "Dubai",
  area = "Al Nahda",
) {
  return t.run(async (ctx) => {
    const cityId = await ctx.db.insert("cities", { name: city });
    const areaId = await ctx.db.insert("areas", { cityId, name: area });
    return { cityId, areaId };
  });
}

async function increment<T extends "customers" | "stores" | "products">(
  ctx: MutationCtx,
  table: T,
  id: Id<T>,
  field:
    | "followersCount"
    | "followingCustomersCount"
    | "followingStoresCount"
    | "likesCount",
) {
  const doc = (await ctx.db.get(table, id)) as Record<string, number> | null;
  await ctx.db.patch(table, id, { [field]: (doc?.[field] ?? 0) + 1 } as never);
}

export function followStore(
  t: TestBackend,
  customerId: Id<"customers">,
  storeId: Id<"stores">,
) {
  return runWithTriggers(t, async (ctx) => {
    await ctx.db.insert("storeFollows", { customerId, storeId });
    await increment(ctx, "stores", storeId, "followersCount");
    await increment(ctx, "customers", customerId, "followingStoresCount");
  });
}

export function followCustomer(
  t: TestBackend,
  followerId: Id<"customers">,
  followingId: Id<"customers">,
) {
  return runWithTriggers(t, async (ctx) => {
    await ctx.db.insert("customerFollows", { followerId, followingId });
    await increment(ctx, "customers", followerId, "followingCustomersCount");
    await increment(ctx, "customers", followingId, "followersCount");
  });
}

export function likeProduct(
  t: TestBackend,
  customerId: Id<"customers">,
  productId: Id<"products">,
) {
  return runWithTriggers(t, async (ctx) => {
    await ctx.db.insert("productLikes", { customerId, productId });
    await increment(ctx, "products", productId, "likesCount");
  });
}
