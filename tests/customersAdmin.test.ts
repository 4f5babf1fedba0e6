// Functional tests of the Customers Admin API (convex/admins/customersAdmin.ts)
// against the seed document and issue 2: statistics, listing and search,
// details, status changes, bulk deletion, authorization and bad inputs.
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "../convex/_generated/api";
import type { Doc, Id } from "../convex/_generated/dataModel";
import * as customersAdmin from "../convex/admins/customersAdmin";
import {
  createAdmin,
  createCustomer,
  createPlace,
  createProduct,
  createStore,
  followCustomer,
  followStore,
  likeProduct,
  runWithTriggers,
} from "./fixtures";
import { createTestBackend, type TestBackend } from "./testBackend";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

type Caller = ReturnType<TestBackend["withIdentity"]>;
type ListPage = FunctionReturnType<
  typeof api.admins.customersAdmin.getAllCustomers
>;
type ListArgs = Omit<
  FunctionArgs<typeof api.admins.customersAdmin.getAllCustomers>,
  "paginationOpts"
>;

afterEach(() => {
  vi.useRealTimers();
});

async function setup(adminUserId = "admin_main") {
  const t = createTestBackend();
  const admin = await createAdmin(t, { userId: adminUserId });
  return { t, admin };
}

function statistics(caller: Caller) {
  return caller.query(api.admins.customersAdmin.getCustomerStatistics, {});
}

/** Walks getAllCustomers to its end; fails if it never ends. */
async function listAll(caller: Caller, args: ListArgs = {}, numItems = 2) {
  const items: ListPage["page"] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    if (pages > 200) {
      throw new Error("getAllCustomers never reported isDone");
    }
    const result: ListPage = await caller.query(
      api.admins.customersAdmin.getAllCustomers,
      { ...args, paginationOpts: { numItems, cursor } },
    );
    expect(result.page.length).toBeLessThanOrEqual(numItems);
    items.push(...result.page);
    if (result.isDone) {
      return items;
    }
    cursor = result.continueCursor;
  }
}

async function listIds(caller: Caller, args: ListArgs = {}, numItems = 2) {
  return (await listAll(caller, args, numItems)).map((item) => item._id);
}

function sorted<T extends string>(ids: T[]): T[] {
  return [...ids].sort();
}

function storeAvatar(t: TestBackend, content = "avatar-bytes") {
  return t.run((ctx) => ctx.storage.store(new Blob([content])));
}

function setAvatar(
  t: TestBackend,
  customerId: Id<"customers">,
  avatarId: Id<"_storage">,
) {
  return runWithTriggers(t, (ctx) =>
    ctx.db.patch("customers", customerId, { avatarId }),
  );
}

function deleteCustomerRow(t: TestBackend, customerId: Id<"customers">) {
  return runWithTriggers(t, (ctx) => ctx.db.delete("customers", customerId));
}

async function createOrder(
  t: TestBackend,
  customerId: Id<"customers">,
  storeId: Id<"stores">,
  quantities: number[],
  fields: Partial<Pick<Doc<"orders">, "status" | "totalAmount">> = {},
) {
  const productId = await createProduct(t, storeId);
  return await t.run((ctx) =>
    ctx.db.insert("orders", {
      customerId,
      storeId,
      status: fields.status ?? "delivered",
      totalAmount: fields.totalAmount ?? 10,
      items: quantities.map((quantity, index) => ({
        productId,
        name: `Item ${index}`,
        quantity,
        unitPrice: 5,
      })),
    }),
  );
}

function auditRows(t: TestBackend) {
  return t.run((ctx) => ctx.db.query("auditLog").collect());
}

/** Every counter of every document, recounted from the rows it counts. */
async function expectCountersTrue(t: TestBackend) {
  await t.run(async (ctx) => {
    const customerFollows = await ctx.db.query("customerFollows").collect();
    const storeFollows = await ctx.db.query("storeFollows").collect();
    const productLikes = await ctx.db.query("productLikes").collect();
    for (const customer of await ctx.db.query("customers").collect()) {
      expect({
        id: customer._id,
        followersCount: customer.followersCount,
        followingCustomersCount: customer.followingCustomersCount,
        followingStoresCount: customer.followingStoresCount,
      }).toEqual({
        id: customer._id,
        followersCount: customerFollows.filter(
          (f) => f.followingId === customer._id,
        ).length,
        followingCustomersCount: customerFollows.filter(
          (f) => f.followerId === customer._id,
        ).length,
        followingStoresCount: storeFollows.filter(
          (f) => f.customerId === customer._id,
        ).length,
      });
    }
    for (const store of await ctx.db.query("stores").collect()) {
      expect({ id: store._id, followersCount: store.followersCount }).toEqual({
        id: store._id,
        followersCount: storeFollows.filter((f) => f.storeId === store._id)
          .length,
      });
    }
    for (const product of await ctx.db.query("products").collect()) {
      expect({ id: product._id, likesCount: product.likesCount }).toEqual({
        id: product._id,
        likesCount: productLikes.filter((l) => l.productId === product._id)
          .length,
      });
    }
  });
}

/** Rows of each related table that still point at any of `customerIds`. */
async function relatedRowsOf(t: TestBackend, customerIds: Id<"customers">[]) {
  const ids = new Set<string>(customerIds);
  return await t.run(async (ctx) => {
    const count = <T extends { customerId: string }>(rows: T[]) =>
      rows.filter((row) => ids.has(row.customerId)).length;
    const follows = await ctx.db.query("customerFollows").collect();
    return {
      customers: (await ctx.db.query("customers").collect()).filter((c) =>
        ids.has(c._id),
      ).length,
      addresses: count(await ctx.db.query("addresses").collect()),
      storeFollows: count(await ctx.db.query("storeFollows").collect()),
      customerFollows: follows.filter(
        (f) => ids.has(f.followerId) || ids.has(f.followingId),
      ).length,
      productLikes: count(await ctx.db.query("productLikes").collect()),
      carts: count(await ctx.db.query("carts").collect()),
      searchHistory: count(await ctx.db.query("searchHistory").collect()),
      orders: count(await ctx.db.query("orders").collect()),
    };
  });
}

// ---------------------------------------------------------------------------

describe("getCustomerStatistics", () => {
  test("returns the eight counts of the seed for a mixed set of customers", async () => {
    const { t, admin } = await setup();
    await createCustomer(t, {
      phoneNumberVerified: true,
      stats: { totalSpent: 100, totalOrders: 2 },
    });
    await createCustomer(t, {
      emailVerified: true,
      stats: { totalSpent: 50, totalOrders: 1 },
    });
    await createCustomer(t, { phoneNumberVerified: true, emailVerified: true });
    await createCustomer(t, {
      isActive: false,
      stats: { totalSpent: 10, totalOrders: 1 },
    });
    await createCustomer(t, { isActive: false, phoneNumberVerified: true });
    await createCustomer(t, {});

    expect(await statistics(admin)).toEqual({
      totalCustomers: 6,
      activeCustomers: 4,
      inactiveCustomers: 2,
      newCustomersToday: 6,
      newCustomersThisWeek: 6,
      newCustomersThisMonth: 6,
      highValueCustomers: 1,
      verifiedCustomers: 4,
    });
  });

  test("returns zeros when there are no customers", async () => {
    const { admin } = await setup();
    expect(await statistics(admin)).toEqual({
      totalCustomers: 0,
      activeCustomers: 0,
      inactiveCustomers: 0,
      newCustomersToday: 0,
      newCustomersThisWeek: 0,
      newCustomersThisMonth: 0,
      highValueCustomers: 0,
      verifiedCustomers: 0,
    });
  });

  test("counts a customer as verified when its phone or its email is verified", async () => {
    const { t, admin } = await setup();
    await createCustomer(t, {});
    await createCustomer(t, { phoneNumberVerified: true });
    await createCustomer(t, { emailVerified: true });
    await createCustomer(t, { phoneNumberVerified: true, emailVerified: true });
    const unverified = await createCustomer(t, { isActive: false });
    expect(await statistics(admin)).toMatchObject({ verifiedCustomers: 3 });

    await runWithTriggers(t, (ctx) =>
      ctx.db.patch("customers", unverified, { emailVerified: true }),
    );
    expect(await statistics(admin)).toMatchObject({ verifiedCustomers: 4 });
  });

  describe("rolling growth windows", () => {
    const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

    async function createAt(t: TestBackend, time: number) {
      vi.setSystemTime(time);
      return await createCustomer(t, {});
    }

    async function setupAtStart() {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(NOW - 400 * DAY);
      return await setup();
    }

    test("counts customers created in the last 24 hours, 7 days and 30 days", async () => {
      const { t, admin } = await setupAtStart();
      await createAt(t, NOW - 90 * DAY);
      await createAt(t, NOW - 31 * DAY);
      await createAt(t, NOW - 20 * DAY);
      await createAt(t, NOW - 10 * DAY);
      await createAt(t, NOW - 5 * DAY);
      await createAt(t, NOW - 2 * DAY);
      await createAt(t, NOW - 23 * HOUR);
      await createAt(t, NOW - HOUR);
      await createAt(t, NOW - 1000);
      vi.setSystemTime(NOW);

      expect(await statistics(admin)).toMatchObject({
        totalCustomers: 9,
        newCustomersToday: 3,
        newCustomersThisWeek: 5,
        newCustomersThisMonth: 7,
      });
    });

    test("counts a customer created exactly at each window's start and not one created 1 ms earlier", async () => {
      const { t, admin } = await setupAtStart();
      await createAt(t, NOW - 30 * DAY - 1);
      await createAt(t, NOW - 30 * DAY);
      await createAt(t, NOW - 7 * DAY - 1);
      await createAt(t, NOW - 7 * DAY);
      await createAt(t, NOW - DAY - 1);
      await createAt(t, NOW - DAY);
      vi.setSystemTime(NOW);

      expect(await statistics(admin)).toMatchObject({
        totalCustomers: 6,
        newCustomersToday: 1,
        newCustomersThisWeek: 3,
        newCustomersThisMonth: 5,
      });
    });

    test("moves the windows with the clock", async () => {
      const { t, admin } = await setupAtStart();
      await createAt(t, NOW - 30 * DAY);
      await createAt(t, NOW - 7 * DAY);
      await createAt(t, NOW - DAY);
      vi.setSystemTime(NOW);
      expect(await statistics(admin)).toMatchObject({
        newCustomersToday: 1,
        newCustomersThisWeek: 2,
        newCustomersThisMonth: 3,
      });

      vi.setSystemTime(NOW + 1);
      expect(await statistics(admin)).toMatchObject({
        totalCustomers: 3,
        newCustomersToday: 0,
        newCustomersThisWeek: 1,
        newCustomersThisMonth: 2,
      });
    });
  });

  describe("high-value customers", () => {
    async function withSpending(totals: number[]) {
      const { t, admin } = await setup();
      for (const totalSpent of totals) {
        await createCustomer(t, { stats: { totalSpent, totalOrders: 1 } });
      }
      return (await statistics(admin)).highValueCustomers;
    }

    test("counts only the highest of ten spenders", async () => {
      expect(
        await withSpending([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
      ).toBe(1);
    });

    test("counts the top two of eleven spenders (k = ceil(n / 10))", async () => {
      expect(await withSpending([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toBe(2);
    });

    test("includes every customer tied with the k-th highest spender", async () => {
      expect(
        await withSpending([100, 100, 100, 50, 40, 30, 20, 10, 5, 1]),
      ).toBe(3);
      expect(await withSpending([100, 80, 80, 80, 10, 9, 8, 7, 6, 5, 4])).toBe(
        4,
      );
    });

    test("leaves customers who spent nothing out of n and out of the set", async () => {
      // With the 20 zero spenders in n, k would be 3 and the threshold 0.
      expect(await withSpending([5, ...Array<number>(20).fill(0)])).toBe(1);
      expect(
        await withSpending([
          10,
          20,
          30,
          40,
          50,
          60,
          70,
          80,
          90,
          100,
          ...Array<number>(5).fill(0),
        ]),
      ).toBe(1);
    });

    test("is zero when nobody has spent anything", async () => {
      expect(await withSpending([0, 0, 0])).toBe(0);
    });

    test("follows changes to a customer's spending", async () => {
      const { t, admin } = await setup();
      const ids: Id<"customers">[] = [];
      for (const totalSpent of [10, 20, 30]) {
        ids.push(
          await createCustomer(t, { stats: { totalSpent, totalOrders: 1 } }),
        );
      }
      expect(await statistics(admin)).toMatchObject({ highValueCustomers: 1 });
      await runWithTriggers(t, (ctx) =>
        ctx.db.patch("customers", ids[0], {
          stats: { totalOrders: 2, totalSpent: 30 },
        }),
      );
      expect(await statistics(admin)).toMatchObject({ highValueCustomers: 2 });
    });
  });
});

// ---------------------------------------------------------------------------

describe("getAllCustomers", () => {
  test("returns each item in the seed's shape, stats flattened and avatar resolved", async () => {
    const { t, admin } = await setup();
    const avatarId = await storeAvatar(t);
    const customerId = await createCustomer(t, {
      userId: "user_abc123",
      name: "Ahmed Ali",
      username: "ahmed_ali",
      phoneNumber: "+971501234567",
      phoneNumberVerified: true,
      email: "ahmed@example.com",
      emailVerified: true,
      followersCount: 25,
      followingCustomersCount: 12,
      followingStoresCount: 8,
      stats: { totalOrders: 45, totalSpent: 5620.5, lastOrderDate: 1_700_000 },
    });
    await setAvatar(t, customerId, avatarId);
    const avatarUrl = await t.run((ctx) => ctx.storage.getUrl(avatarId));
    expect(avatarUrl).toEqual(expect.any(String));
    const creationTime = await t.run(
      async (ctx) => (await ctx.db.get("customers", customerId))!._creationTime,
    );

    const { page, isDone } = await admin.query(
      api.admins.customersAdmin.getAllCustomers,
      { paginationOpts: { numItems: 20, cursor: null } },
    );
    expect(isDone).toBe(true);
    expect(page).toEqual([
      {
        _id: customerId,
        _creationTime: creationTime,
        userId: "user_abc123",
        name: "Ahmed Ali",
        username: "ahmed_ali",
        avatarId,
        avatarUrl,
        phoneNumber: "+971501234567",
        phoneNumberVerified: true,
        email: "ahmed@example.com",
        emailVerified: true,
        isActive: true,
        followersCount: 25,
        followingCustomersCount: 12,
        followingStoresCount: 8,
        totalOrders: 45,
        totalSpent: 5620.5,
        lastOrderDate: 1_700_000,
        isVerified: true,
      },
    ]);
  });

  test("leaves unset optional fields out and gives null for a missing avatar and last order", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, { name: "Plain Customer" });
    const [item] = await listAll(admin);
    expect(item).toMatchObject({
      _id: customerId,
      name: "Plain Customer",
      avatarUrl: null,
      lastOrderDate: null,
      totalOrders: 0,
      totalSpent: 0,
      isVerified: false,
    });
    for (const field of [
      "username",
      "avatarId",
      "phoneNumber",
      "email",
      "stats",
      "preferences",
      "searchText",
    ]) {
      expect(item).not.toHaveProperty(field);
    }
  });

  test("marks a customer verified when its phone or its email is verified", async () => {
    const { t, admin } = await setup();
    const none = await createCustomer(t, {});
    const phone = await createCustomer(t, { phoneNumberVerified: true });
    const email = await createCustomer(t, { emailVerified: true });
    const items = await listAll(admin);
    const verified = new Map(items.map((item) => [item._id, item.isVerified]));
    expect(Object.fromEntries(verified)).toEqual({
      [none]: false,
      [phone]: true,
      [email]: true,
    });
  });

  test("lists newest first and walks every page exactly once until isDone", async () => {
    const { t, admin } = await setup();
    const ids = [];
    for (let i = 0; i < 7; i++) {
      ids.push(await createCustomer(t, {}));
    }
    const pageSizes = [];
    let cursor: string | null = null;
    const seen = [];
    for (;;) {
      const result: ListPage = await admin.query(
        api.admins.customersAdmin.getAllCustomers,
        { paginationOpts: { numItems: 2, cursor } },
      );
      pageSizes.push(result.page.length);
      seen.push(...result.page.map((item) => item._id));
      if (result.isDone) {
        break;
      }
      cursor = result.continueCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    expect(pageSizes.slice(0, 3)).toEqual([2, 2, 2]);
    expect(pageSizes.reduce((a, b) => a + b, 0)).toBe(7);
  });

  test("filters by status", async () => {
    const { t, admin } = await setup();
    const active1 = await createCustomer(t, {});
    const inactive1 = await createCustomer(t, { isActive: false });
    const active2 = await createCustomer(t, {});
    const inactive2 = await createCustomer(t, { isActive: false });

    expect(await listIds(admin, { status: "active" })).toEqual([
      active2,
      active1,
    ]);
    expect(await listIds(admin, { status: "inactive" })).toEqual([
      inactive2,
      inactive1,
    ]);
    expect(await listIds(admin, {})).toEqual([
      inactive2,
      active2,
      inactive1,
      active1,
    ]);
  });

  test("lists with highValueOnly exactly the customers highValueCustomers counts, highest spend first", async () => {
    const { t, admin } = await setup();
    const spends = [40, 300, 10, 500, 300, 20, 60, 70, 80, 90, 100, 5, 0, 0];
    const ids: Record<string, number> = {};
    for (const totalSpent of spends) {
      const id = await createCustomer(t, {
        stats: { totalSpent, totalOrders: totalSpent > 0 ? 1 : 0 },
      });
      ids[id] = totalSpent;
    }
    // 12 spenders: k = 2, threshold 300, so the tie at 300 makes three.
    const items = await listAll(admin, { highValueOnly: true });
    expect(items.map((item) => item.totalSpent)).toEqual([500, 300, 300]);
    expect(sorted(items.map((item) => item._id))).toEqual(
      sorted(
        Object.entries(ids)
          .filter(([, spent]) => spent >= 300)
          .map(([id]) => id as Id<"customers">),
      ),
    );
    expect(await statistics(admin)).toMatchObject({
      highValueCustomers: items.length,
    });
  });

  test("lists nothing with highValueOnly when nobody has spent anything", async () => {
    const { t, admin } = await setup();
    await createCustomer(t, {});
    await createCustomer(t, {});
    const result = await admin.query(
      api.admins.customersAdmin.getAllCustomers,
      { highValueOnly: true, paginationOpts: { numItems: 10, cursor: null } },
    );
    expect(result).toMatchObject({ page: [], isDone: true });
  });

  describe("search", () => {
    async function searchFixture() {
      const { t, admin } = await setup();
      const ahmed = await createCustomer(t, {
        name: "Ahmed Ali",
        username: "ahmed_ali",
        email: "ahmed@example.com",
        phoneNumber: "+971501234567",
      });
      const sara = await createCustomer(t, {
        name: "Sara Khan",
        username: "sarak",
        email: "sara.khan@mail.net",
        phoneNumber: "+971559876543",
      });
      const mohammed = await createCustomer(t, {
        name: "Mohammed Ahmed",
        username: "mo_h",
        email: "mo@example.org",
        phoneNumber: "+447700900123",
      });
      const john = await createCustomer(t, { name: "John Smith" });
      return { t, admin, ahmed, sara, mohammed, john };
    }

    async function search(admin: Caller, searchQuery: string) {
      return sorted(await listIds(admin, { searchQuery }, 2));
    }

    test("matches a name case-insensitively", async () => {
      const { admin, ahmed, mohammed } = await searchFixture();
      expect(await search(admin, "ahmed")).toEqual(sorted([ahmed, mohammed]));
      expect(await search(admin, "AHMED")).toEqual(sorted([ahmed, mohammed]));
      expect(await search(admin, "sMiTh")).toHaveLength(1);
    });

    test("matches substrings in the middle of words", async () => {
      const { admin, mohammed, ahmed, sara } = await searchFixture();
      expect(await search(admin, "hamm")).toEqual([mohammed]);
      expect(await search(admin, "1234")).toEqual([ahmed]);
      expect(await search(admin, "ara")).toEqual([sara]);
    });

    test("matches substrings across punctuation in emails, usernames and phone numbers", async () => {
      const { admin, ahmed, sara } = await searchFixture();
      expect(await search(admin, "hmed@ex")).toEqual([ahmed]);
      expect(await search(admin, "+9715")).toEqual(sorted([ahmed, sara]));
      expect(await search(admin, "khan@mail.n")).toEqual([sara]);
      expect(await search(admin, "_ali")).toEqual([ahmed]);
    });

    test("matches a username that is in no other field", async () => {
      const { admin, sara } = await searchFixture();
      expect(await search(admin, "sarak")).toEqual([sara]);
    });

    test("matches a query of punctuation only against every field", async () => {
      const { admin, ahmed, sara, mohammed } = await searchFixture();
      expect(await search(admin, "@")).toEqual(sorted([ahmed, sara, mohammed]));
    });

    test("trims the query and requires every whitespace-separated term, each in any field", async () => {
      const { admin, ahmed, mohammed, sara } = await searchFixture();
      expect(await search(admin, "   sara   ")).toEqual([sara]);
      expect(await search(admin, "ahmed 4567")).toEqual([ahmed]);
      expect(await search(admin, "ahmed\texample.org")).toEqual([mohammed]);
      expect(await search(admin, "Ali  +971")).toEqual([ahmed]);
    });

    test("returns nothing when a term matches nothing", async () => {
      const { admin } = await searchFixture();
      expect(await search(admin, "ahmed zzz")).toEqual([]);
      expect(await search(admin, "xyz")).toEqual([]);
    });

    test("treats an empty or blank query as no search", async () => {
      const { admin, ahmed, sara, mohammed, john } = await searchFixture();
      const newestFirst = [john, mohammed, sara, ahmed];
      expect(await listIds(admin, { searchQuery: "" })).toEqual(newestFirst);
      expect(await listIds(admin, { searchQuery: "  \t " })).toEqual(
        newestFirst,
      );
    });

    test("finds customers whose searchable fields change after they are created", async () => {
      const { t, admin, john } = await searchFixture();
      await runWithTriggers(t, (ctx) =>
        ctx.db.patch("customers", john, { email: "johnny@corp.io" }),
      );
      expect(await search(admin, "nny@co")).toEqual([john]);
    });

    test("walks search results across short pages with each match exactly once", async () => {
      const { t, admin } = await setup();
      const matching = [];
      for (let i = 0; i < 9; i++) {
        const id = await createCustomer(t, {
          name: `Layla Number${i}`,
          email: i % 2 === 0 ? `layla${i}@example.com` : undefined,
        });
        if (i % 2 === 0) {
          matching.push(id);
        }
        await createCustomer(t, { name: `Other Person${i}` });
      }
      // Two terms: candidates for "layla", filtered on "@example".
      const ids = await listIds(admin, { searchQuery: "layla @example" }, 2);
      expect(sorted(ids)).toEqual(sorted(matching));
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  test("combines every status, search and highValueOnly filter as their intersection", async () => {
    const { t, admin } = await setup();
    const people: [string, boolean, number][] = [
      ["Ahmed Ali", true, 500],
      ["Sara Ahmed", false, 300],
      ["Omar Farouk", true, 300],
      ["Ahmed Hassan", true, 300],
      ["Layla Noor", false, 200],
      ["Mona Ahmed", true, 100],
      ["Yusuf Ali", false, 90],
      ["Rana Saleh", true, 80],
      ["Khalid Ahmed", false, 70],
      ["Huda Ali", true, 60],
      ["Zaid Omar", true, 50],
      ["Noor Ahmed", false, 40],
      ["Ali Baba", true, 0],
      ["Ahmed Zero", false, 0],
    ];
    for (const [name, isActive, totalSpent] of people) {
      await createCustomer(t, {
        name,
        email: `${name.toLowerCase().replace(" ", ".")}@example.com`,
        isActive,
        stats: { totalSpent, totalOrders: totalSpent > 0 ? 1 : 0 },
      });
    }
    const customers = await t.run((ctx) =>
      ctx.db.query("customers").order("desc").collect(),
    );
    // 12 spenders: k = 2, threshold 300 (three customers tie at it).
    const threshold = 300;
    const matches = (customer: Doc<"customers">, query: string) =>
      query
        .trim()
        .toLowerCase()
        .split(/\s+/)
        .filter((term) => term.length > 0)
        .every((term) =>
          [customer.name, customer.email].some((value) =>
            value?.toLowerCase().includes(term),
          ),
        );

    for (const status of [undefined, "active", "inactive"] as const) {
      for (const searchQuery of [undefined, "ahmed", "li", "ahmed .com"]) {
        for (const highValueOnly of [undefined, false, true]) {
          const args: ListArgs = { status, searchQuery, highValueOnly };
          const expected = customers.filter(
            (customer) =>
              (status === undefined ||
                customer.isActive === (status === "active")) &&
              (searchQuery === undefined || matches(customer, searchQuery)) &&
              (!highValueOnly || customer.stats.totalSpent >= threshold),
          );
          const items = await listAll(admin, args, 2);
          const ids = items.map((item) => item._id);
          expect({ args, ids: sorted(ids) }).toEqual({
            args,
            ids: sorted(expected.map((customer) => customer._id)),
          });
          expect(new Set(ids).size).toBe(ids.length);
          if (searchQuery === undefined && highValueOnly) {
            const spends = items.map((item) => item.totalSpent);
            expect(spends).toEqual([...spends].sort((a, b) => b - a));
          } else if (searchQuery === undefined) {
            expect({ args, ids }).toEqual({
              args,
              ids: expected.map((customer) => customer._id),
            });
          }
        }
      }
    }
  });

  describe("bad inputs", () => {
    test.each([0, -1, 1.5, 101])(
      "rejects numItems %s with INVALID_ARGUMENT naming paginationOpts.numItems",
      async (numItems) => {
        const { admin } = await setup();
        await expect(
          admin.query(api.admins.customersAdmin.getAllCustomers, {
            paginationOpts: { numItems, cursor: null },
          }),
        ).rejects.toMatchObject({
          data: {
            code: "INVALID_ARGUMENT",
            message: expect.stringContaining("paginationOpts.numItems"),
          },
        });
      },
    );

    test.each([0, -1, 1.5, 101])(
      "rejects numItems %s on the audit log and bulk deletion lists",
      async (numItems) => {
        const { admin } = await setup();
        const error = {
          data: {
            code: "INVALID_ARGUMENT",
            message: expect.stringContaining("paginationOpts.numItems"),
          },
        };
        const paginationOpts = { numItems, cursor: null };
        await expect(
          admin.query(api.admins.customersAdmin.getAuditLog, {
            paginationOpts,
          }),
        ).rejects.toMatchObject(error);
        await expect(
          admin.query(api.admins.customersAdmin.listBulkDeletions, {
            paginationOpts,
          }),
        ).rejects.toMatchObject(error);
      },
    );

    test("accepts numItems 1 and 100", async () => {
      const { t, admin } = await setup();
      await createCustomer(t, {});
      await createCustomer(t, {});
      for (const numItems of [1, 100]) {
        const result = await admin.query(
          api.admins.customersAdmin.getAllCustomers,
          { paginationOpts: { numItems, cursor: null } },
        );
        expect(result.page).toHaveLength(Math.min(numItems, 2));
      }
    });

    test("rejects a searchQuery of 101 characters with INVALID_ARGUMENT naming searchQuery", async () => {
      const { admin } = await setup();
      await expect(
        admin.query(api.admins.customersAdmin.getAllCustomers, {
          searchQuery: "a".repeat(101),
          paginationOpts: { numItems: 10, cursor: null },
        }),
      ).rejects.toMatchObject({
        data: {
          code: "INVALID_ARGUMENT",
          message: expect.stringContaining("searchQuery"),
        },
      });
    });

    test("accepts a searchQuery of 100 characters", async () => {
      const { t, admin } = await setup();
      const long = "b".repeat(100);
      const id = await createCustomer(t, { username: long });
      await createCustomer(t, {});
      expect(await listIds(admin, { searchQuery: long }, 10)).toEqual([id]);
    });
  });
});

// ---------------------------------------------------------------------------

describe("getCustomerDetails", () => {
  test("returns null for a customer that no longer exists", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    await deleteCustomerRow(t, customerId);
    expect(
      await admin.query(api.admins.customersAdmin.getCustomerDetails, {
        customerId,
      }),
    ).toBeNull();
  });

  test("returns the profile in the seed's shape with preferences and flattened stats", async () => {
    const { t, admin } = await setup();
    const avatarId = await storeAvatar(t);
    const customerId = await createCustomer(t, {
      userId: "user_abc123",
      name: "Ahmed Ali",
      username: "ahmed_ali",
      phoneNumber: "+971501234567",
      phoneNumberVerified: true,
      email: "ahmed@example.com",
      emailVerified: false,
      isPrivate: true,
      followersCount: 3,
      followingCustomersCount: 2,
      followingStoresCount: 1,
      preferences: { preferredLanguage: "ar", smsNotifications: true },
      stats: { totalOrders: 4, totalSpent: 99.5, lastOrderDate: 1234 },
    });
    await setAvatar(t, customerId, avatarId);
    const avatarUrl = await t.run((ctx) => ctx.storage.getUrl(avatarId));

    const details = await admin.query(
      api.admins.customersAdmin.getCustomerDetails,
      { customerId },
    );
    expect(details).toEqual({
      customer: {
        _id: customerId,
        _creationTime: expect.any(Number),
        userId: "user_abc123",
        name: "Ahmed Ali",
        username: "ahmed_ali",
        avatarUrl,
        phoneNumber: "+971501234567",
        phoneNumberVerified: true,
        email: "ahmed@example.com",
        emailVerified: false,
        isActive: true,
        isPrivate: true,
        followersCount: 3,
        followingCustomersCount: 2,
        followingStoresCount: 1,
        preferences: {
          preferredLanguage: "ar",
          pushNotifications: true,
          emailNotifications: true,
          smsNotifications: true,
        },
        totalOrders: 4,
        totalSpent: 99.5,
        lastOrderDate: 1234,
      },
      recentOrders: [],
      addresses: [],
    });
    expect(avatarUrl).toEqual(expect.any(String));
  });

  test("gives null avatarUrl and lastOrderDate and leaves unset fields out", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    const details = await admin.query(
      api.admins.customersAdmin.getCustomerDetails,
      { customerId },
    );
    expect(details?.customer).toMatchObject({
      avatarUrl: null,
      lastOrderDate: null,
    });
    for (const field of ["username", "phoneNumber", "email", "stats"]) {
      expect(details?.customer).not.toHaveProperty(field);
    }
  });

  test("returns the ten newest of more orders, newest first, with order number, store name and item count", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    const other = await createCustomer(t, {});
    const pizza = await createStore(t, "Pizza Palace");
    const sushi = await createStore(t, "Sushi Spot");
    const orderIds = [];
    for (let i = 0; i < 12; i++) {
      orderIds.push(
        await createOrder(t, customerId, i % 2 === 0 ? pizza : sushi, [1, i], {
          totalAmount: 100 + i,
          status: i === 11 ? "pending" : "delivered",
        }),
      );
    }
    await createOrder(t, other, pizza, [5]);

    const details = await admin.query(
      api.admins.customersAdmin.getCustomerDetails,
      { customerId },
    );
    const recentOrders = details!.recentOrders;
    expect(recentOrders.map((order) => order._id)).toEqual(
      orderIds.slice(2).reverse(),
    );
    expect(recentOrders[0]).toEqual({
      _id: orderIds[11],
      _creationTime: expect.any(Number),
      orderNumber: orderIds[11],
      status: "pending",
      totalAmount: 111,
      storeName: "Sushi Spot",
      itemCount: 12,
    });
    for (const [index, order] of recentOrders.entries()) {
      const i = 11 - index;
      expect(order).toMatchObject({
        orderNumber: order._id,
        totalAmount: 100 + i,
        storeName: i % 2 === 0 ? "Pizza Palace" : "Sushi Spot",
        itemCount: 1 + i,
      });
    }
  });

  test("gives a null storeName for an order whose store was deleted", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    const gone = await createStore(t, "Closed Cafe");
    const open = await createStore(t, "Open Cafe");
    await createOrder(t, customerId, open, [2]);
    await createOrder(t, customerId, gone, [3, 4]);
    await t.run((ctx) => ctx.db.delete("stores", gone));

    const details = await admin.query(
      api.admins.customersAdmin.getCustomerDetails,
      { customerId },
    );
    expect(details!.recentOrders).toMatchObject([
      { storeName: null, itemCount: 7 },
      { storeName: "Open Cafe", itemCount: 2 },
    ]);
  });

  test("lists the default address first, then the rest newest first, with names resolved", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    const other = await createCustomer(t, {});
    const { cityId, areaId } = await createPlace(t, "Dubai", "Al Nahda");
    const gonePlace = await createPlace(t, "Ghost City", "Ghost Area");
    const insertAddress = (
      fields: Partial<Omit<Doc<"addresses">, "_id" | "_creationTime">>,
    ) =>
      t.run((ctx) =>
        ctx.db.insert("addresses", {
          customerId,
          label: "Home",
          fullAddress: "Villa 12, Al Nahda Street",
          cityId,
          areaId,
          isDefault: false,
          ...fields,
        }),
      );
    const oldest = await insertAddress({ label: "Old" });
    const home = await insertAddress({
      label: "Home",
      buildingNumber: "12",
      isDefault: true,
    });
    const missing = await insertAddress({
      label: "Missing place",
      cityId: gonePlace.cityId,
      areaId: gonePlace.areaId,
    });
    const newest = await insertAddress({ label: "Newest" });
    await t.run((ctx) =>
      ctx.db.insert("addresses", {
        customerId: other,
        label: "Not theirs",
        fullAddress: "Elsewhere",
        cityId,
        areaId,
        isDefault: true,
      }),
    );
    await t.run(async (ctx) => {
      await ctx.db.delete("cities", gonePlace.cityId);
      await ctx.db.delete("areas", gonePlace.areaId);
    });

    const details = await admin.query(
      api.admins.customersAdmin.getCustomerDetails,
      { customerId },
    );
    const addresses = details!.addresses;
    expect(addresses.map((address) => address._id)).toEqual([
      home,
      newest,
      missing,
      oldest,
    ]);
    expect(addresses[0]).toEqual({
      _id: home,
      _creationTime: expect.any(Number),
      label: "Home",
      fullAddress: "Villa 12, Al Nahda Street",
      cityName: "Dubai",
      areaName: "Al Nahda",
      buildingNumber: "12",
      isDefault: true,
    });
    expect(addresses[2]).toMatchObject({ cityName: null, areaName: null });
    expect(addresses[1]).toMatchObject({
      cityName: "Dubai",
      areaName: "Al Nahda",
      isDefault: false,
    });
    expect(addresses[1]).not.toHaveProperty("buildingNumber");
  });
});

// ---------------------------------------------------------------------------

describe("updateCustomerStatus", () => {
  test("deactivates a customer, returns success and records who, whom, what and why", async () => {
    const { t, admin } = await setup("admin_ops");
    const customerId = await createCustomer(t, {});
    const result = await admin.mutation(
      api.admins.customersAdmin.updateCustomerStatus,
      { customerId, isActive: false, reason: "Repeated policy violations" },
    );
    expect(result).toEqual({ success: true });
    const customer = await t.run((ctx) => ctx.db.get("customers", customerId));
    expect(customer).toMatchObject({ isActive: false });
    expect(await auditRows(t)).toMatchObject([
      {
        adminUserId: "admin_ops",
        customerId,
        action: "customer.deactivated",
        reason: "Repeated policy violations",
      },
    ]);
  });

  test("activates a customer and records the activation without a reason", async () => {
    const { t, admin } = await setup("admin_ops");
    const customerId = await createCustomer(t, { isActive: false });
    expect(
      await admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
        customerId,
        isActive: true,
      }),
    ).toEqual({ success: true });
    const customer = await t.run((ctx) => ctx.db.get("customers", customerId));
    expect(customer).toMatchObject({ isActive: true });
    const rows = await auditRows(t);
    expect(rows).toMatchObject([
      { adminUserId: "admin_ops", customerId, action: "customer.activated" },
    ]);
    expect(rows[0]).not.toHaveProperty("reason");
  });

  test("is reflected in statistics and the status filter", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    await createCustomer(t, {});
    await admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
      customerId,
      isActive: false,
    });
    expect(await statistics(admin)).toMatchObject({
      totalCustomers: 2,
      activeCustomers: 1,
      inactiveCustomers: 1,
    });
    expect(await listIds(admin, { status: "inactive" })).toEqual([customerId]);
  });

  test("rejects a customer that does not exist with NOT_FOUND and writes nothing", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    await deleteCustomerRow(t, customerId);
    await expect(
      admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
        customerId,
        isActive: false,
        reason: "Gone",
      }),
    ).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
    expect(await auditRows(t)).toEqual([]);
  });

  test("rejects a reason over 500 characters with INVALID_ARGUMENT naming reason and changes nothing", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    await expect(
      admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
        customerId,
        isActive: false,
        reason: "x".repeat(501),
      }),
    ).rejects.toMatchObject({
      data: {
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("reason"),
      },
    });
    const customer = await t.run((ctx) => ctx.db.get("customers", customerId));
    expect(customer).toMatchObject({ isActive: true });
    expect(await auditRows(t)).toEqual([]);
  });

  test("accepts a reason of exactly 500 characters", async () => {
    const { t, admin } = await setup();
    const customerId = await createCustomer(t, {});
    const reason = "y".repeat(500);
    await admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
      customerId,
      isActive: false,
      reason,
    });
    expect(await auditRows(t)).toMatchObject([{ reason }]);
  });
});

// ---------------------------------------------------------------------------

describe("bulkDeleteCustomers", () => {
  /**
   * Two customers to delete (A, B) with every kind of related row, and two
   * survivors (C, D) tied to them and to each other.
   */
  async function marketplace() {
    const { t, admin } = await setup("admin_ops");
    const s1 = await createStore(t, "Store One");
    const s2 = await createStore(t, "Store Two");
    const p1 = await createProduct(t, s1, "P1");
    const p2 = await createProduct(t, s2, "P2");
    const { cityId, areaId } = await createPlace(t);
    const a = await createCustomer(t, {
      name: "Doomed A",
      phoneNumberVerified: true,
      stats: { totalSpent: 1000, totalOrders: 2 },
    });
    const b = await createCustomer(t, {
      name: "Doomed B",
      stats: { totalSpent: 5, totalOrders: 1 },
    });
    const c = await createCustomer(t, {
      name: "Survivor C",
      emailVerified: true,
      stats: { totalSpent: 50, totalOrders: 1 },
    });
    const d = await createCustomer(t, { name: "Survivor D" });
    const avatarId = await storeAvatar(t);
    await setAvatar(t, a, avatarId);

    await t.run(async (ctx) => {
      const address = (customerId: Id<"customers">, label: string) =>
        ctx.db.insert("addresses", {
          customerId,
          label,
          fullAddress: "Somewhere",
          cityId,
          areaId,
          isDefault: false,
        });
      await address(a, "A home");
      await address(a, "A work");
      await address(b, "B home");
      await address(c, "C home");
      await ctx.db.insert("carts", { customerId: a, storeId: s1, items: [] });
      await ctx.db.insert("carts", {
        customerId: b,
        storeId: s2,
        items: [{ productId: p2, quantity: 1 }],
      });
      await ctx.db.insert("carts", { customerId: c, storeId: s1, items: [] });
      for (const query of ["pizza", "sushi", "burger"]) {
        await ctx.db.insert("searchHistory", { customerId: a, query });
      }
      await ctx.db.insert("searchHistory", { customerId: b, query: "tea" });
      await ctx.db.insert("searchHistory", { customerId: c, query: "cake" });
    });
    await followStore(t, a, s1);
    await followStore(t, a, s2);
    await followStore(t, b, s1);
    await followStore(t, c, s2);
    await followCustomer(t, a, c);
    await followCustomer(t, d, a);
    await followCustomer(t, b, a);
    await followCustomer(t, c, b);
    await followCustomer(t, c, d);
    await likeProduct(t, a, p1);
    await likeProduct(t, a, p2);
    await likeProduct(t, b, p1);
    await likeProduct(t, c, p2);
    await createOrder(t, a, s1, [1]);
    await createOrder(t, a, s2, [2]);
    await createOrder(t, c, s1, [3]);
    // A: 2 addresses, 2 store follows, 3 customer follows (A→C, D→A, B→A),
    // 2 likes, 1 cart, 3 searches, 1 avatar = 14. B: 1 address, 1 store
    // follow, 1 customer follow (C→B; B→A is already gone), 1 like, 1 cart,
    // 1 search = 6.
    const relatedOfAandB = 20;
    return { t, admin, s1, s2, p1, p2, a, b, c, d, avatarId, relatedOfAandB };
  }

  function bulkDelete(caller: Caller, customerIds: Id<"customers">[]) {
    return caller.action(api.admins.customersAdmin.bulkDeleteCustomers, {
      customerIds,
    });
  }

  test("deletes customers with all their related rows and avatar and returns exact counts", async () => {
    const m = await marketplace();
    const { t, admin, a, b, c, avatarId } = m;
    await expectCountersTrue(t);

    expect(await bulkDelete(admin, [a, b])).toEqual({
      customersDeleted: 2,
      relatedDeleted: m.relatedOfAandB,
    });

    expect(await relatedRowsOf(t, [a, b])).toEqual({
      customers: 0,
      addresses: 0,
      storeFollows: 0,
      customerFollows: 0,
      productLikes: 0,
      carts: 0,
      searchHistory: 0,
      orders: 2,
    });
    expect(await t.run((ctx) => ctx.storage.getUrl(avatarId))).toBeNull();
    expect(
      await t.run((ctx) => ctx.db.system.get("_storage", avatarId)),
    ).toBeNull();
    // The survivors' own rows stay.
    expect(await relatedRowsOf(t, [c])).toEqual({
      customers: 1,
      addresses: 1,
      storeFollows: 1,
      customerFollows: 1,
      productLikes: 1,
      carts: 1,
      searchHistory: 1,
      orders: 1,
    });
  });

  test("keeps every counter of the surviving customers, stores and products true", async () => {
    const { t, admin, a, b, c, d, s1, s2, p1, p2 } = await marketplace();
    await bulkDelete(admin, [a, b]);
    await expectCountersTrue(t);
    const docs = await t.run(async (ctx) => ({
      c: await ctx.db.get("customers", c),
      d: await ctx.db.get("customers", d),
      s1: await ctx.db.get("stores", s1),
      s2: await ctx.db.get("stores", s2),
      p1: await ctx.db.get("products", p1),
      p2: await ctx.db.get("products", p2),
    }));
    expect(docs).toMatchObject({
      c: {
        followersCount: 0,
        followingCustomersCount: 1,
        followingStoresCount: 1,
      },
      d: {
        followersCount: 1,
        followingCustomersCount: 0,
        followingStoresCount: 0,
      },
      s1: { followersCount: 0 },
      s2: { followersCount: 1 },
      p1: { likesCount: 0 },
      p2: { likesCount: 1 },
    });
  });

  test("writes one customers.deleted audit entry for the call", async () => {
    const { t, admin, a, b } = await marketplace();
    await bulkDelete(admin, [a, b]);
    const rows = await auditRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminUserId: "admin_ops",
      action: "customers.deleted",
    });
  });

  test("is reflected in statistics and the customer list", async () => {
    const { admin, a, b, c, d } = await marketplace();
    expect(await statistics(admin)).toMatchObject({
      totalCustomers: 4,
      activeCustomers: 4,
      highValueCustomers: 1,
      verifiedCustomers: 2,
      newCustomersToday: 4,
    });
    await bulkDelete(admin, [a, b]);
    expect(await statistics(admin)).toEqual({
      totalCustomers: 2,
      activeCustomers: 2,
      inactiveCustomers: 0,
      newCustomersToday: 2,
      newCustomersThisWeek: 2,
      newCustomersThisMonth: 2,
      highValueCustomers: 1,
      verifiedCustomers: 1,
    });
    expect(sorted(await listIds(admin))).toEqual(sorted([c, d]));
    expect(await listIds(admin, { highValueOnly: true })).toEqual([c]);
    expect(await listIds(admin, { searchQuery: "doomed" })).toEqual([]);
    expect(
      await admin.query(api.admins.customersAdmin.getCustomerDetails, {
        customerId: a,
      }),
    ).toBeNull();
  });

  test("returns zeros for an empty array and writes no audit entry", async () => {
    const { t, admin } = await marketplace();
    expect(await bulkDelete(admin, [])).toEqual({
      customersDeleted: 0,
      relatedDeleted: 0,
    });
    expect(await auditRows(t)).toEqual([]);
    expect(
      await t.run(
        async (ctx) => (await ctx.db.query("customers").collect()).length,
      ),
    ).toBe(4);
  });

  test("skips unknown and repeated ids without counting them", async () => {
    const { t, admin, a, b, c } = await marketplace();
    const ghost = await createCustomer(t, { name: "Ghost" });
    await deleteCustomerRow(t, ghost);

    // A alone: 14 related rows (see marketplace()).
    expect(await bulkDelete(admin, [a, ghost, a, a])).toEqual({
      customersDeleted: 1,
      relatedDeleted: 14,
    });
    // A second call for A finds nothing left to delete.
    expect(await bulkDelete(admin, [a, ghost])).toEqual({
      customersDeleted: 0,
      relatedDeleted: 0,
    });
    expect(await relatedRowsOf(t, [b, c])).toMatchObject({ customers: 2 });
    await expectCountersTrue(t);
    const rows = await auditRows(t);
    expect(
      rows.filter((row) => row.action === "customers.deleted"),
    ).toHaveLength(1);
  });

  test("rejects more than 1,000 ids, counted as given, with INVALID_ARGUMENT and deletes nothing", async () => {
    const { t, admin, a, b } = await marketplace();
    const ids = Array<Id<"customers">>(1001).fill(a);
    ids[1000] = b;
    await expect(bulkDelete(admin, ids)).rejects.toMatchObject({
      data: {
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("customerIds"),
      },
    });
    expect(await relatedRowsOf(t, [a, b])).toMatchObject({
      customers: 2,
      addresses: 3,
      searchHistory: 4,
    });
    expect(await auditRows(t)).toEqual([]);
  });

  test("accepts exactly 1,000 ids", async () => {
    const { admin, a } = await marketplace();
    expect(
      await bulkDelete(admin, Array<Id<"customers">>(1000).fill(a)),
    ).toEqual({ customersDeleted: 1, relatedDeleted: 14 });
  });

  test("deletes 25 customers across batches with follows between batches counted once", async () => {
    const { t, admin } = await setup();
    const store = await createStore(t, "Hub");
    const survivor = await createCustomer(t, { name: "Survivor" });
    const doomed: Id<"customers">[] = [];
    for (let i = 0; i < 25; i++) {
      doomed.push(await createCustomer(t, { name: `Doomed ${i}` }));
    }
    for (let i = 0; i < 25; i++) {
      // i → i + 1 and i → i + 12 cross batch boundaries of ten.
      if (i + 1 < 25) {
        await followCustomer(t, doomed[i], doomed[i + 1]);
      }
      if (i + 12 < 25) {
        await followCustomer(t, doomed[i + 12], doomed[i]);
      }
      await followCustomer(t, doomed[i], survivor);
      await followCustomer(t, survivor, doomed[i]);
      await followStore(t, doomed[i], store);
    }
    await t.run(async (ctx) => {
      for (const customerId of doomed) {
        await ctx.db.insert("searchHistory", { customerId, query: "q" });
      }
    });
    await followStore(t, survivor, store);
    await expectCountersTrue(t);

    expect(await bulkDelete(admin, doomed)).toEqual({
      customersDeleted: 25,
      // 24 + 13 follows among them, 25 + 25 with the survivor, 25 store
      // follows, 25 searches.
      relatedDeleted: 24 + 13 + 25 + 25 + 25 + 25,
    });
    expect(await relatedRowsOf(t, doomed)).toMatchObject({
      customers: 0,
      customerFollows: 0,
      storeFollows: 0,
      searchHistory: 0,
    });
    await expectCountersTrue(t);
    const left = await t.run(async (ctx) => ({
      survivor: await ctx.db.get("customers", survivor),
      store: await ctx.db.get("stores", store),
    }));
    expect(left).toMatchObject({
      survivor: {
        followersCount: 0,
        followingCustomersCount: 0,
        followingStoresCount: 1,
      },
      store: { followersCount: 1 },
    });
    expect(
      (await auditRows(t)).filter((row) => row.action === "customers.deleted"),
    ).toHaveLength(1);
    expect(await statistics(admin)).toMatchObject({ totalCustomers: 1 });
  });
});

// ---------------------------------------------------------------------------

describe("authorization", () => {
  type Call = (caller: Caller, customerId: Id<"customers">) => Promise<unknown>;
  const paginationOpts = { numItems: 10, cursor: null };
  const calls: Record<string, Call> = {
    getCustomerStatistics: (caller) =>
      caller.query(api.admins.customersAdmin.getCustomerStatistics, {}),
    getAllCustomers: (caller) =>
      caller.query(api.admins.customersAdmin.getAllCustomers, {
        paginationOpts,
      }),
    getCustomerDetails: (caller, customerId) =>
      caller.query(api.admins.customersAdmin.getCustomerDetails, {
        customerId,
      }),
    updateCustomerStatus: (caller, customerId) =>
      caller.mutation(api.admins.customersAdmin.updateCustomerStatus, {
        customerId,
        isActive: false,
        reason: "Because",
      }),
    bulkDeleteCustomers: (caller, customerId) =>
      caller.action(api.admins.customersAdmin.bulkDeleteCustomers, {
        customerIds: [customerId],
      }),
    listBulkDeletions: (caller) =>
      caller.query(api.admins.customersAdmin.listBulkDeletions, {
        paginationOpts,
      }),
    getAuditLog: (caller) =>
      caller.query(api.admins.customersAdmin.getAuditLog, { paginationOpts }),
  };

  test("covers every public function of the module", () => {
    const publicNames = Object.entries(customersAdmin)
      .filter(([, fn]) => (fn as { isPublic?: boolean }).isPublic === true)
      .map(([name]) => name);
    expect(sorted(publicNames)).toEqual(sorted(Object.keys(calls)));
  });

  async function expectUnchanged(t: TestBackend, customerId: Id<"customers">) {
    const customer = await t.run((ctx) => ctx.db.get("customers", customerId));
    expect(customer).toMatchObject({ isActive: true });
    expect(await auditRows(t)).toEqual([]);
  }

  describe.each(Object.entries(calls))("%s", (_name, call) => {
    test("rejects a caller without identity with UNAUTHENTICATED and changes nothing", async () => {
      const t = createTestBackend();
      const customerId = await createCustomer(t, {});
      await expect(call(t, customerId)).rejects.toMatchObject({
        data: { code: "UNAUTHENTICATED" },
      });
      await expectUnchanged(t, customerId);
    });

    test("rejects an identity with no admins row with FORBIDDEN and changes nothing", async () => {
      const t = createTestBackend();
      await createAdmin(t, { userId: "someone_else" });
      const customerId = await createCustomer(t, {});
      await expect(
        call(t.withIdentity({ subject: "stranger" }), customerId),
      ).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
      await expectUnchanged(t, customerId);
    });

    test("rejects an inactive admin with FORBIDDEN and changes nothing", async () => {
      const t = createTestBackend();
      const former = await createAdmin(t, { isActive: false });
      const customerId = await createCustomer(t, {});
      await expect(call(former, customerId)).rejects.toMatchObject({
        data: { code: "FORBIDDEN" },
      });
      await expectUnchanged(t, customerId);
    });

    test("lets an active admin through", async () => {
      const t = createTestBackend();
      const admin = await createAdmin(t);
      const customerId = await createCustomer(t, {});
      await expect(call(admin, customerId)).resolves.not.toBeUndefined();
    });
  });
});
