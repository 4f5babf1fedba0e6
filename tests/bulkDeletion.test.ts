// Bulk deletion on real data: customers with tens of thousands of related
// rows inside Convex's transaction limits, failures part way and their retry,
// the progress record a dashboard watches, and the audit trail.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../convex/_generated/api";
import type { Doc, Id } from "../convex/_generated/dataModel";
import type { QueryCtx } from "../convex/_generated/server";
import { buildSearchText } from "../convex/model/customerSearch";
import {
  createAdmin,
  createCustomer,
  customerFields,
  runWithTriggers,
} from "./fixtures";
import { createTestBackend, type TestBackend } from "./testBackend";

// Failure injection. convex-test loads the app's modules through the
// import.meta.glob of tests/testBackend.ts, and vi.mock replaces this module
// for every importer, so the batch mutation deleteCustomersBatch calls the
// wrapper below. The wrapper does the real work first and then throws, so a
// failing transaction has written deletes that must be rolled back.
const injected = vi.hoisted(() => ({
  /** Calls of deleteCustomersWithinBudget (one per batch transaction). */
  calls: 0,
  /** Whether the call with this number (from 1) throws after its work. */
  fails: (_call: number): boolean => false,
}));

vi.mock("../convex/model/customerDeletion", async (importOriginal) => {
  const original =
    await importOriginal<typeof import("../convex/model/customerDeletion")>();
  return {
    ...original,
    deleteCustomersWithinBudget: async (
      ...args: Parameters<typeof original.deleteCustomersWithinBudget>
    ) => {
      const result = await original.deleteCustomersWithinBudget(...args);
      injected.calls += 1;
      if (injected.fails(injected.calls)) {
        throw new Error(`Injected failure of transaction ${injected.calls}`);
      }
      return result;
    },
  };
});

const bulkDelete = api.admins.customersAdmin.bulkDeleteCustomers;
const listBulkDeletions = api.admins.customersAdmin.listBulkDeletions;
const getAuditLog = api.admins.customersAdmin.getAuditLog;

const RELATED_TABLES = [
  "addresses",
  "storeFollows",
  "customerFollows",
  "productLikes",
  "carts",
  "searchHistory",
] as const;
type RelatedTable = (typeof RELATED_TABLES)[number];

beforeEach(() => {
  injected.calls = 0;
  injected.fails = () => false;
  // The runner logs each retry and the final failure; keep the output quiet.
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Rows per seeding transaction, well inside the 16,000 writes allowed. */
const ROWS_PER_SEED_TRANSACTION = 8_000;

type Marketplace = {
  customerIds: Id<"customers">[];
  /** Follows, and is followed by, every customer of `customerIds`. */
  survivorId: Id<"customers">;
  orderCount: number;
};

/**
 * `count` customers, each with an address, a store follow, a like, a cart,
 * `searchRows` search-history rows, an order, a follow of the next customer
 * (a ring) and of the survivor, and a follower (the survivor); every other
 * one has an avatar file. Counters are set true at the end.
 */
async function seedMarketplace(
  t: TestBackend,
  count: number,
  { searchRows = 2 }: { searchRows?: number } = {},
): Promise<Marketplace> {
  const survivorId = await createCustomer(t, { name: "Survivor" });
  const customerIds = await runWithTriggers(t, async (ctx) => {
    const ids: Id<"customers">[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(
        await ctx.db.insert(
          "customers",
          customerFields({ stats: { totalOrders: 1, totalSpent: 10 + i } }),
        ),
      );
    }
    return ids;
  });
  await t.run(async (ctx) => {
    const cityId = await ctx.db.insert("cities", { name: "Dubai" });
    const areaId = await ctx.db.insert("areas", { cityId, name: "Marina" });
    const storeIds = [
      await ctx.db.insert("stores", { name: "Store A", followersCount: 0 }),
      await ctx.db.insert("stores", { name: "Store B", followersCount: 0 }),
    ];
    const productIds = [];
    for (const [n, storeId] of [...storeIds, ...storeIds].entries()) {
      productIds.push(
        await ctx.db.insert("products", {
          storeId,
          name: `Product ${n}`,
          price: 5,
          likesCount: 0,
        }),
      );
    }
    // The survivor's own rows, which must all stay.
    await ctx.db.insert("storeFollows", {
      customerId: survivorId,
      storeId: storeIds[0],
    });
    await ctx.db.insert("productLikes", {
      customerId: survivorId,
      productId: productIds[0],
    });
    for (const [i, customerId] of customerIds.entries()) {
      const storeId = storeIds[i % storeIds.length];
      const productId = productIds[i % productIds.length];
      await ctx.db.insert("addresses", {
        customerId,
        label: "Home",
        fullAddress: `${i} Marina Walk`,
        cityId,
        areaId,
        isDefault: true,
      });
      await ctx.db.insert("storeFollows", { customerId, storeId });
      await ctx.db.insert("productLikes", { customerId, productId });
      await ctx.db.insert("carts", {
        customerId,
        storeId,
        items: [{ productId, quantity: 2 }],
      });
      await ctx.db.insert("orders", {
        customerId,
        storeId,
        status: "delivered",
        totalAmount: 10 + i,
        items: [{ productId, name: "Item", quantity: 1, unitPrice: 10 + i }],
      });
      const next = customerIds[(i + 1) % customerIds.length];
      if (next !== customerId) {
        await ctx.db.insert("customerFollows", {
          followerId: customerId,
          followingId: next,
        });
      }
      await ctx.db.insert("customerFollows", {
        followerId: customerId,
        followingId: survivorId,
      });
      await ctx.db.insert("customerFollows", {
        followerId: survivorId,
        followingId: customerId,
      });
    }
  });
  const searchHistory = customerIds.flatMap((customerId) =>
    Array.from({ length: searchRows }, (_, k) => ({
      customerId,
      query: `q${k}`,
    })),
  );
  for (let i = 0; i < searchHistory.length; i += ROWS_PER_SEED_TRANSACTION) {
    const chunk = searchHistory.slice(i, i + ROWS_PER_SEED_TRANSACTION);
    await t.run(async (ctx) => {
      for (const row of chunk) await ctx.db.insert("searchHistory", row);
    });
  }
  for (const [i, customerId] of customerIds.entries()) {
    if (i % 2 === 0) {
      const avatarId = await t.run((ctx) =>
        ctx.storage.store(new Blob([`avatar ${i}`])),
      );
      await runWithTriggers(t, (ctx) =>
        ctx.db.patch("customers", customerId, { avatarId }),
      );
    }
  }
  await setCountersTrue(t);
  return { customerIds, survivorId, orderCount: count };
}

/** Rewrites every counter from the rows it counts (small data sets only). */
async function setCountersTrue(t: TestBackend) {
  await runWithTriggers(t, async (ctx) => {
    const expected = bruteForceCounters(await readTables(ctx));
    for (const [id, counters] of expected.customers) {
      await ctx.db.patch("customers", id, counters);
    }
    for (const [id, followersCount] of expected.stores) {
      await ctx.db.patch("stores", id, { followersCount });
    }
    for (const [id, likesCount] of expected.products) {
      await ctx.db.patch("products", id, { likesCount });
    }
  });
}

type Tables = {
  customers: Doc<"customers">[];
  stores: Doc<"stores">[];
  products: Doc<"products">[];
  orders: Doc<"orders">[];
} & { [T in RelatedTable]: Doc<T>[] };

async function readTables(ctx: Pick<QueryCtx, "db">): Promise<Tables> {
  const read = async <T extends keyof Tables>(table: T) =>
    (await ctx.db.query(table).collect()) as unknown as Tables[T];
  return {
    customers: await read("customers"),
    stores: await read("stores"),
    products: await read("products"),
    orders: await read("orders"),
    addresses: await read("addresses"),
    storeFollows: await read("storeFollows"),
    customerFollows: await read("customerFollows"),
    productLikes: await read("productLikes"),
    carts: await read("carts"),
    searchHistory: await read("searchHistory"),
  };
}

function bruteForceCounters(tables: Tables) {
  const count = <K>(keys: K[]) => {
    const counts = new Map<K, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    return (key: K) => counts.get(key) ?? 0;
  };
  const followers = count(tables.customerFollows.map((f) => f.followingId));
  const following = count(tables.customerFollows.map((f) => f.followerId));
  const storesFollowed = count(tables.storeFollows.map((f) => f.customerId));
  const storeFollowers = count(tables.storeFollows.map((f) => f.storeId));
  const likes = count(tables.productLikes.map((l) => l.productId));
  return {
    customers: new Map(
      tables.customers.map((c) => [
        c._id,
        {
          followersCount: followers(c._id),
          followingCustomersCount: following(c._id),
          followingStoresCount: storesFollowed(c._id),
        },
      ]),
    ),
    stores: new Map(tables.stores.map((s) => [s._id, storeFollowers(s._id)])),
    products: new Map(tables.products.map((p) => [p._id, likes(p._id)])),
  };
}

/**
 * Reads every table and checks the invariants that must hold after every
 * commit: each counter true, and no related row whose customer is gone.
 */
async function expectConsistent(t: TestBackend): Promise<Tables> {
  const tables = await t.run((ctx) => readTables(ctx));
  const expected = bruteForceCounters(tables);
  for (const customer of tables.customers) {
    expect(customer).toMatchObject(expected.customers.get(customer._id)!);
  }
  for (const store of tables.stores) {
    expect(store.followersCount).toBe(expected.stores.get(store._id));
  }
  for (const product of tables.products) {
    expect(product.likesCount).toBe(expected.products.get(product._id));
  }
  const existing = new Set(tables.customers.map((c) => c._id));
  const orphans = [
    ...RELATED_TABLES.filter((table) => table !== "customerFollows").flatMap(
      (table) =>
        (tables[table] as { customerId: Id<"customers"> }[]).filter(
          (row) => !existing.has(row.customerId),
        ),
    ),
    ...tables.customerFollows.filter(
      (f) => !existing.has(f.followerId) || !existing.has(f.followingId),
    ),
  ];
  expect(orphans).toEqual([]);
  return tables;
}

/** Related rows and existing avatar files of these customers, each once. */
async function relatedCountOf(t: TestBackend, ids: Id<"customers">[]) {
  const set = new Set(ids);
  return await t.run(async (ctx) => {
    const tables = await readTables(ctx);
    let related = tables.customerFollows.filter(
      (f) => set.has(f.followerId) || set.has(f.followingId),
    ).length;
    for (const table of RELATED_TABLES) {
      if (table !== "customerFollows") {
        related += (tables[table] as { customerId: Id<"customers"> }[]).filter(
          (row) => set.has(row.customerId),
        ).length;
      }
    }
    for (const customer of tables.customers) {
      if (set.has(customer._id) && customer.avatarId !== undefined) {
        if ((await ctx.db.system.get("_storage", customer.avatarId)) !== null)
          related++;
      }
    }
    return related;
  });
}

async function remainingCustomers(t: TestBackend, ids: Id<"customers">[]) {
  return await t.run(async (ctx) => {
    const left = [];
    for (const id of ids) {
      if ((await ctx.db.get("customers", id)) !== null) left.push(id);
    }
    return left;
  });
}

async function allBulkDeletions(t: TestBackend) {
  return await t.run((ctx) => ctx.db.query("bulkDeletions").collect());
}

describe("bulk deletion on real data", () => {
  test(
    "deletes 10 customers with 20,000 search-history rows and 2,000 likes each inside the transaction limits",
    { timeout: 15 * 60_000 },
    async () => {
      const CUSTOMERS = 10;
      const SEARCH_ROWS = Number(process.env.BULK_SEARCH_ROWS ?? 20_000);
      const LIKES = Number(process.env.BULK_LIKES ?? 2_000);
      const started = Date.now();
      const t = createTestBackend();
      const admin = await createAdmin(t);
      const survivorId = await createCustomer(t, { name: "Survivor" });
      const customerIds = await runWithTriggers(t, async (ctx) => {
        const ids: Id<"customers">[] = [];
        for (let i = 0; i < CUSTOMERS; i++) {
          ids.push(await ctx.db.insert("customers", customerFields()));
        }
        return ids;
      });
      // Every customer likes every product; the survivor likes the first
      // SURVIVOR_LIKES, so those keep one like each.
      const SURVIVOR_LIKES = 100;
      const productIds = await t.run(async (ctx) => {
        const storeId = await ctx.db.insert("stores", {
          name: "Big Store",
          followersCount: 0,
        });
        const ids: Id<"products">[] = [];
        for (let n = 0; n < LIKES; n++) {
          ids.push(
            await ctx.db.insert("products", {
              storeId,
              name: `Product ${n}`,
              price: 1,
              likesCount: CUSTOMERS + (n < SURVIVOR_LIKES ? 1 : 0),
            }),
          );
        }
        for (const productId of ids.slice(0, SURVIVOR_LIKES)) {
          await ctx.db.insert("productLikes", {
            customerId: survivorId,
            productId,
          });
        }
        return ids;
      });
      const likeRows = customerIds.flatMap((customerId) =>
        productIds.map((productId) => ({ customerId, productId })),
      );
      const searchRows = customerIds.flatMap((customerId) =>
        Array.from({ length: SEARCH_ROWS }, (_, k) => ({
          customerId,
          query: `pizza ${k}`,
        })),
      );
      for (let i = 0; i < likeRows.length; i += ROWS_PER_SEED_TRANSACTION) {
        const chunk = likeRows.slice(i, i + ROWS_PER_SEED_TRANSACTION);
        await t.run(async (ctx) => {
          for (const row of chunk) await ctx.db.insert("productLikes", row);
        });
      }
      for (let i = 0; i < searchRows.length; i += ROWS_PER_SEED_TRANSACTION) {
        const chunk = searchRows.slice(i, i + ROWS_PER_SEED_TRANSACTION);
        await t.run(async (ctx) => {
          for (const row of chunk) await ctx.db.insert("searchHistory", row);
        });
      }
      const seeded = Date.now();

      const result = await admin.action(bulkDelete, { customerIds });
      const deleted = Date.now();
      console.info(
        `bulk deletion of ${CUSTOMERS} x (${SEARCH_ROWS} search rows + ${LIKES} likes): ` +
          `seeding ${seeded - started} ms, deletion ${deleted - seeded} ms, ` +
          `${injected.calls} batch transactions`,
      );

      expect(result).toEqual({
        customersDeleted: CUSTOMERS,
        relatedDeleted: CUSTOMERS * (SEARCH_ROWS + LIKES),
      });
      // One transaction could not have held it all.
      expect(injected.calls).toBeGreaterThan(
        (CUSTOMERS * (SEARCH_ROWS + LIKES)) / 16_000,
      );
      await t.run(async (ctx) => {
        expect(await ctx.db.query("searchHistory").first()).toBeNull();
        for (const id of customerIds) {
          expect(await ctx.db.get("customers", id)).toBeNull();
        }
        const likes = await ctx.db.query("productLikes").collect();
        expect(likes.map((like) => like.customerId)).toEqual(
          Array(SURVIVOR_LIKES).fill(survivorId),
        );
        const products = await ctx.db.query("products").collect();
        for (const [n, product] of products.entries()) {
          expect(product.likesCount).toBe(n < SURVIVOR_LIKES ? 1 : 0);
        }
      });
      const [record] = await allBulkDeletions(t);
      expect(record).toMatchObject({
        status: "completed",
        uniqueCount: CUSTOMERS,
        processedCount: CUSTOMERS,
        customersDeleted: CUSTOMERS,
        relatedDeleted: CUSTOMERS * (SEARCH_ROWS + LIKES),
      });
    },
  );
});

describe("a failure part way through a bulk deletion", () => {
  test("keeps every finished batch, fails the record, and a second call finishes the job", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t);
    const world = await seedMarketplace(t, 25);
    const { customerIds } = world;
    const before = await expectConsistent(t);
    const firstTwenty = customerIds.slice(0, 20);
    const lastFive = customerIds.slice(20);
    const relatedOfFirstTwenty = await relatedCountOf(t, firstTwenty);
    // Batches of ten: transactions 1 and 2 commit, the third fails each of
    // its three attempts.
    injected.fails = (call) => call >= 3;

    await expect(admin.action(bulkDelete, { customerIds })).rejects.toThrow(
      /Injected failure/,
    );

    expect(injected.calls).toBe(5);
    expect(await remainingCustomers(t, customerIds)).toEqual(lastFive);
    const afterFailure = await expectConsistent(t);
    expect(afterFailure.orders).toHaveLength(before.orders.length);
    // The last five keep every related row: their batch rolled back whole.
    for (const table of ["addresses", "carts", "searchHistory"] as const) {
      const rows = afterFailure[table] as { customerId: Id<"customers"> }[];
      expect(rows.filter((r) => lastFive.includes(r.customerId))).toHaveLength(
        (before[table] as { customerId: Id<"customers"> }[]).filter((r) =>
          lastFive.includes(r.customerId),
        ).length,
      );
    }
    const [failed] = await allBulkDeletions(t);
    expect(failed).toMatchObject({
      status: "failed",
      requestedCount: 25,
      uniqueCount: 25,
      processedCount: 20,
      customersDeleted: 20,
      relatedDeleted: relatedOfFirstTwenty,
      deletedCustomerIds: firstTwenty,
    });
    expect(failed.error).toMatch(/Injected failure/);

    const relatedOfLastFive = await relatedCountOf(t, lastFive);
    injected.fails = () => false;
    const retry = await admin.action(bulkDelete, { customerIds });

    expect(retry).toEqual({
      customersDeleted: 5,
      relatedDeleted: relatedOfLastFive,
    });
    expect(await remainingCustomers(t, customerIds)).toEqual([]);
    const afterRetry = await expectConsistent(t);
    expect(afterRetry.customers.map((c) => c._id)).toEqual([world.survivorId]);
    expect(afterRetry.orders).toHaveLength(before.orders.length);
    const records = await allBulkDeletions(t);
    expect(records[1]).toMatchObject({
      status: "completed",
      processedCount: 25,
      customersDeleted: 5,
      relatedDeleted: relatedOfLastFive,
      deletedCustomerIds: lastFive,
    });
  });

  test("a failure inside one customer's multi-transaction clean-up leaves that customer in place to be finished", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t);
    // 6,000 search rows take two transactions of at most 4,000 rows.
    const { customerIds } = await seedMarketplace(t, 2, { searchRows: 6_000 });
    const relatedOfAll = await relatedCountOf(t, customerIds);
    injected.fails = (call) => call >= 2;

    await expect(admin.action(bulkDelete, { customerIds })).rejects.toThrow(
      /Injected failure/,
    );

    // The first transaction committed part of the first customer's rows; the
    // customer row is still there, the record of the work left.
    const [first] = customerIds;
    expect(await remainingCustomers(t, customerIds)).toEqual(customerIds);
    const partial = await expectConsistent(t);
    const firstRowsLeft = partial.searchHistory.filter(
      (row) => row.customerId === first,
    ).length;
    expect(firstRowsLeft).toBeGreaterThan(0);
    expect(firstRowsLeft).toBeLessThan(6_000);
    const [failed] = await allBulkDeletions(t);
    expect(failed).toMatchObject({
      status: "failed",
      processedCount: 0,
      customersDeleted: 0,
    });
    const removedSoFar = failed.relatedDeleted;
    expect(removedSoFar).toBeGreaterThan(0);
    expect(removedSoFar).toBe(
      relatedOfAll - (await relatedCountOf(t, customerIds)),
    );

    injected.fails = () => false;
    const retry = await admin.action(bulkDelete, { customerIds });

    expect(retry).toEqual({
      customersDeleted: 2,
      relatedDeleted: relatedOfAll - removedSoFar,
    });
    const done = await expectConsistent(t);
    expect(done.searchHistory).toEqual([]);
    expect(done.customers).toHaveLength(1);
  });

  test("a transaction that fails once is retried and the call succeeds with true counts", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t);
    const { customerIds } = await seedMarketplace(t, 15);
    const related = await relatedCountOf(t, customerIds);
    // The second batch's first attempt fails after doing its work.
    injected.fails = (call) => call === 2;

    const result = await admin.action(bulkDelete, { customerIds });

    expect(result).toEqual({ customersDeleted: 15, relatedDeleted: related });
    expect(injected.calls).toBe(3);
    expect(await remainingCustomers(t, customerIds)).toEqual([]);
    await expectConsistent(t);
    const [record] = await allBulkDeletions(t);
    expect(record).toMatchObject({
      status: "completed",
      processedCount: 15,
      customersDeleted: 15,
      relatedDeleted: related,
    });
  });
});

describe("bulk deletion progress", () => {
  test("listBulkDeletions shows each deletion's progress, newest first", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t, { userId: "admin_progress" });
    const { customerIds } = await seedMarketplace(t, 27);
    const [gone, ...rest] = customerIds;
    await admin.action(bulkDelete, { customerIds: [gone] });
    const twentyFive = rest.slice(0, 25);
    const related = await relatedCountOf(t, twentyFive);
    // Repeats and an id already deleted: requested counts them, unique
    // counts the distinct ones, and all of them are processed.
    const requested = [...twentyFive, twentyFive[0], twentyFive[3], gone];

    const result = await admin.action(bulkDelete, { customerIds: requested });
    await admin.action(bulkDelete, { customerIds: [rest[25]] });

    expect(result).toEqual({ customersDeleted: 25, relatedDeleted: related });
    const firstPage = await admin.query(listBulkDeletions, {
      paginationOpts: { numItems: 2, cursor: null },
    });
    expect(firstPage.page).toHaveLength(2);
    expect(firstPage.page[1]).toMatchObject({
      adminUserId: "admin_progress",
      status: "completed",
      requestedCount: 28,
      uniqueCount: 26,
      processedCount: 26,
      customersDeleted: 25,
      relatedDeleted: related,
    });
    expect(firstPage.page[0]).toMatchObject({
      requestedCount: 1,
      uniqueCount: 1,
      processedCount: 1,
      customersDeleted: 1,
      status: "completed",
    });
    const secondPage = await admin.query(listBulkDeletions, {
      paginationOpts: { numItems: 2, cursor: firstPage.continueCursor },
    });
    expect(secondPage.isDone).toBe(true);
    expect(secondPage.page).toHaveLength(1);
    expect(secondPage.page[0]).toMatchObject({
      requestedCount: 1,
      processedCount: 1,
      customersDeleted: 1,
      deletedCustomerIds: [gone],
    });
    const all = [...firstPage.page, ...secondPage.page];
    const times = all.map((record) => record._creationTime);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  test("a deletion of 25 customers ends with processedCount equal to uniqueCount", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t);
    const { customerIds } = await seedMarketplace(t, 25);

    await admin.action(bulkDelete, { customerIds });

    const { page } = await admin.query(listBulkDeletions, {
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(page).toHaveLength(1);
    expect(page[0]).toMatchObject({
      requestedCount: 25,
      uniqueCount: 25,
      processedCount: 25,
      customersDeleted: 25,
      status: "completed",
    });
    expect(page[0].finishedAt).toBeGreaterThanOrEqual(page[0]._creationTime);
  });

  test("only active admins may read the progress", async () => {
    const t = createTestBackend();
    const args = { paginationOpts: { numItems: 10, cursor: null } };
    await expect(t.query(listBulkDeletions, args)).rejects.toMatchObject({
      data: { code: "UNAUTHENTICATED" },
    });
    await expect(
      t
        .withIdentity({ subject: "not_an_admin" })
        .query(listBulkDeletions, args),
    ).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
  });
});

describe("the audit log", () => {
  test("records status changes and bulk deletions: who, when, what was asked and what was done", async () => {
    const t = createTestBackend();
    const alice = await createAdmin(t, { userId: "admin_alice" });
    const bob = await createAdmin(t, { userId: "admin_bob" });
    const { customerIds, survivorId } = await seedMarketplace(t, 3);
    const [x, y, z] = customerIds;
    const related = await relatedCountOf(t, [x, y]);
    const start = Date.now();

    await alice.mutation(api.admins.customersAdmin.updateCustomerStatus, {
      customerId: x,
      isActive: false,
      reason: "Chargeback fraud",
    });
    await alice.mutation(api.admins.customersAdmin.updateCustomerStatus, {
      customerId: x,
      isActive: true,
    });
    await bob.action(bulkDelete, { customerIds: [x, y, x] });
    const end = Date.now();

    const { page, isDone } = await alice.query(getAuditLog, {
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(isDone).toBe(true);
    expect(page).toHaveLength(3);
    const [deletion, activation, deactivation] = page;
    expect(deletion).toMatchObject({
      adminUserId: "admin_bob",
      action: "customers.deleted",
      requestedCustomerIds: [x, y, x],
      deletedCustomerIds: [x, y],
      customersDeleted: 2,
      relatedDeleted: related,
    });
    expect(activation).toMatchObject({
      adminUserId: "admin_alice",
      action: "customer.activated",
      customerId: x,
      previousIsActive: false,
      isActive: true,
    });
    expect(activation.reason).toBeUndefined();
    expect(deactivation).toMatchObject({
      adminUserId: "admin_alice",
      action: "customer.deactivated",
      customerId: x,
      previousIsActive: true,
      isActive: false,
      reason: "Chargeback fraud",
    });
    const times = page.map((entry) => entry._creationTime);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const time of times) {
      expect(time).toBeGreaterThanOrEqual(start);
      expect(time).toBeLessThanOrEqual(end);
    }

    const forX = await alice.query(getAuditLog, {
      customerId: x,
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(forX.page.map((entry) => entry._id)).toEqual(
      page.map((entry) => entry._id),
    );
    const forY = await alice.query(getAuditLog, {
      customerId: y,
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(forY.page.map((entry) => entry._id)).toEqual([deletion._id]);
    for (const untouched of [z, survivorId]) {
      const none = await alice.query(getAuditLog, {
        customerId: untouched,
        paginationOpts: { numItems: 10, cursor: null },
      });
      expect(none.page).toEqual([]);
    }
  });

  test("pages walk the whole log newest first, for all and for one customer", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t);
    const [x, y] = await Promise.all([createCustomer(t), createCustomer(t)]);
    for (let i = 0; i < 4; i++) {
      for (const customerId of [x, y]) {
        await admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
          customerId,
          isActive: i % 2 === 1,
          reason: `step ${i}`,
        });
      }
    }

    const walk = async (customerId?: Id<"customers">) => {
      const entries: Doc<"auditLog">[] = [];
      let cursor: string | null = null;
      for (;;) {
        const result: {
          page: Doc<"auditLog">[];
          isDone: boolean;
          continueCursor: string;
        } = await admin.query(getAuditLog, {
          ...(customerId === undefined ? {} : { customerId }),
          paginationOpts: { numItems: 3, cursor },
        });
        entries.push(...result.page);
        if (result.isDone) return entries;
        cursor = result.continueCursor;
      }
    };
    const all = await walk();
    expect(all.map((e) => e.reason)).toEqual(
      [3, 3, 2, 2, 1, 1, 0, 0].map((i) => `step ${i}`),
    );
    expect(all.map((e) => e.customerId)).toEqual([y, x, y, x, y, x, y, x]);
    const forX = await walk(x);
    expect(forX.map((e) => e.reason)).toEqual(
      [3, 2, 1, 0].map((i) => `step ${i}`),
    );
    expect(new Set(forX.map((e) => e.customerId))).toEqual(new Set([x]));
  });

  test("a failed bulk deletion is audited with what it did before failing", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t, { userId: "admin_carol" });
    const { customerIds } = await seedMarketplace(t, 12);
    injected.fails = (call) => call >= 2;

    await expect(admin.action(bulkDelete, { customerIds })).rejects.toThrow();

    const { page } = await admin.query(getAuditLog, {
      customerId: customerIds[0],
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(page).toHaveLength(1);
    expect(page[0]).toMatchObject({
      adminUserId: "admin_carol",
      action: "customers.deleted",
      requestedCustomerIds: customerIds,
      deletedCustomerIds: customerIds.slice(0, 10),
      customersDeleted: 10,
    });
    const notDeleted = await admin.query(getAuditLog, {
      customerId: customerIds[11],
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(notDeleted.page).toEqual([]);
  });

  test("only active admins may read the audit log", async () => {
    const t = createTestBackend();
    await createAdmin(t, { userId: "admin_off", isActive: false });
    const args = { paginationOpts: { numItems: 10, cursor: null } };
    await expect(t.query(getAuditLog, args)).rejects.toMatchObject({
      data: { code: "UNAUTHENTICATED" },
    });
    await expect(
      t.withIdentity({ subject: "admin_off" }).query(getAuditLog, args),
    ).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
  });
});

describe("customers with many follow relations", () => {
  test.each([
    { relation: "followed by", followers: true },
    { relation: "following", followers: false },
  ])(
    "deletes a customer $relation 1,500 other customers, with every counter true",
    { timeout: 5 * 60_000 },
    async ({ followers }) => {
      const t = createTestBackend();
      const admin = await createAdmin(t);
      const COUNT = 1_500;
      const popular = await createCustomer(t, { name: "Popular" });
      // The others are inserted raw, with the search text the trigger would
      // have written, so that a counter update through the triggers has
      // nothing else to repair; they are not in the aggregates, which this
      // test does not read.
      const others = await t.run(async (ctx) => {
        const ids: Id<"customers">[] = [];
        for (let i = 0; i < COUNT; i++) {
          const fields = customerFields({
            followersCount: followers ? 0 : 1,
            followingCustomersCount: followers ? 1 : 0,
          });
          ids.push(
            await ctx.db.insert("customers", {
              ...fields,
              searchText: buildSearchText(fields),
            }),
          );
        }
        for (const other of ids) {
          await ctx.db.insert(
            "customerFollows",
            followers
              ? { followerId: other, followingId: popular }
              : { followerId: popular, followingId: other },
          );
        }
        await ctx.db.patch(
          "customers",
          popular,
          followers
            ? { followersCount: COUNT }
            : { followingCustomersCount: COUNT },
        );
        return ids;
      });
      await expectConsistent(t);

      const result = await admin.action(bulkDelete, {
        customerIds: [popular],
      });

      expect(result).toEqual({ customersDeleted: 1, relatedDeleted: COUNT });
      const after = await expectConsistent(t);
      expect(after.customerFollows).toEqual([]);
      expect(after.customers).toHaveLength(others.length);
    },
  );
});
