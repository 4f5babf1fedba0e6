// Property tests: random small marketplaces and random sequences of status
// changes, bulk deletions and clock moves, checked after every step against
// the brute-force oracle in tests/oracle.ts. PROPERTY_RUNS sets the number of
// cases (npm run properties runs 2,000).
import type { FunctionReturnType } from "convex/server";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../convex/_generated/api";
import type { Doc, Id } from "../convex/_generated/dataModel";
import { createAdmin, customerFields, runWithTriggers } from "./fixtures";
import {
  counterMismatches,
  DAY,
  expectedDeletion,
  expectedDetails,
  expectedList,
  expectedListItem,
  expectedStatistics,
  highValueIds,
  type ListFilters,
  orphans,
  readTables,
  relatedTables,
  type Tables,
} from "./oracle";
import { createTestBackend, type TestBackend } from "./testBackend";

const HOUR = DAY / 24;
/** "Now" when a marketplace has been generated; steps may move it on. */
const BASE_TIME = Date.UTC(2025, 5, 1, 12);
const ADMIN_USER_ID = "admin_properties";

/**
 * Cases in the whole file, shared between the two properties. The default
 * keeps `npm test` within CI's time (about a minute and a half on two cores).
 */
const TOTAL_RUNS = Number(process.env.PROPERTY_RUNS ?? 250);
const MIXED_RUNS = Math.max(1, Math.round(TOTAL_RUNS * 0.4));
const DELETION_RUNS = Math.max(1, TOTAL_RUNS - MIXED_RUNS);
/** Per-test time budget: generous, since a case takes about a second at most. */
const timeoutFor = (runs: number) => Math.max(120_000, runs * 4_000);

type Admin = ReturnType<TestBackend["withIdentity"]>;
type CustomerPage = FunctionReturnType<
  typeof api.admins.customersAdmin.getAllCustomers
>;

// ---------------------------------------------------------------- generators

const chars = (alphabet: string[], minLength: number, maxLength: number) =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength, maxLength })
    .map((letters) => letters.join(""));

/** Ages at and around the window edges, and anywhere in the last 45 days. */
const ageArb = fc.oneof(
  fc.constantFrom(
    0,
    1,
    DAY - 1,
    DAY,
    DAY + 1,
    7 * DAY - 1,
    7 * DAY,
    7 * DAY + 1,
    30 * DAY - 1,
    30 * DAY,
    30 * DAY + 1,
  ),
  fc.integer({ min: 0, max: 45 * DAY }),
);

const customerArb = fc.record({
  age: ageArb,
  name: chars(["a", "b", "A", "B", "é", "É", " ", "-"], 1, 6),
  username: fc.option(chars(["a", "b", "_", "1"], 1, 5), { nil: undefined }),
  email: fc.option(
    fc
      .tuple(
        chars(["a", "b", "."], 1, 4),
        fc.constantFrom("x.com", "ab.io", "B.com"),
      )
      .map(([local, domain]) => `${local}@${domain}`),
    { nil: undefined },
  ),
  phoneNumber: fc.option(
    fc
      .tuple(fc.constantFrom("+9715", "+44"), chars(["0", "1", "2"], 0, 4))
      .map(([prefix, digits]) => prefix + digits),
    { nil: undefined },
  ),
  phoneNumberVerified: fc.boolean(),
  emailVerified: fc.boolean(),
  isActive: fc.boolean(),
  isPrivate: fc.boolean(),
  totalSpent: fc.constantFrom(0, 0, 10, 10, 25, 99.5),
  totalOrders: fc.nat(5),
  lastOrderDate: fc.option(fc.integer({ min: 0, max: 60 * DAY }), {
    nil: undefined,
  }),
  avatar: fc.constantFrom("none", "none", "file", "missingFile"),
});

const pair = fc.tuple(fc.nat(24), fc.nat(24));

/**
 * A marketplace of up to 25 customers; `density` scales how many follows,
 * likes, search-history rows and addresses they have.
 */
const marketplaceArb = (density: number) =>
  fc.record({
    customers: fc.array(customerArb, { maxLength: 25, size: "max" }),
    storeCount: fc.integer({ min: 1, max: 3 }),
    productsPerStore: fc.integer({ min: 1, max: 3 }),
    customerFollows: fc.array(pair, { maxLength: 40 * density, size: "max" }),
    mutualFollows: fc.array(pair, { maxLength: 8 }),
    storeFollows: fc.array(pair, { maxLength: 25 * density, size: "max" }),
    likes: fc.array(pair, { maxLength: 30 * density, size: "max" }),
    carts: fc.array(
      fc.record({ customer: fc.nat(24), store: fc.nat(5), items: fc.nat(3) }),
      { maxLength: 10 },
    ),
    searchHistory: fc.array(
      fc.tuple(fc.nat(24), chars(["a", "b", " "], 1, 5)),
      {
        maxLength: 30 * density,
        size: "max",
      },
    ),
    orders: fc.array(
      fc.record({
        // Index 0 is the heavy buyer, so that some customer has over ten.
        customer: fc.oneof(fc.constant(0), fc.nat(24)),
        // One past the last store is a store that has since been deleted.
        store: fc.nat(3),
        status: fc.constantFrom(
          "pending",
          "confirmed",
          "preparing",
          "out_for_delivery",
          "delivered",
          "cancelled",
        ),
        totalAmount: fc.constantFrom(0, 12.5, 40),
        quantities: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
      }),
      { maxLength: 30, size: "max" },
    ),
    addresses: fc.array(
      fc.record({
        customer: fc.nat(24),
        isDefault: fc.boolean(),
        buildingNumber: fc.option(fc.constantFrom("12", "7B"), {
          nil: undefined,
        }),
        // 0, 1: a city and area that exist; 2: area deleted; 3: both deleted.
        place: fc.nat(3),
      }),
      { maxLength: 25 * density, size: "max" },
    ),
  });
type MarketplaceSpec =
  ReturnType<typeof marketplaceArb> extends fc.Arbitrary<infer T> ? T : never;

/** Targets are indices into the pool of every id ever created (plus one). */
const statusStepArb = fc.record({
  kind: fc.constant("status" as const),
  target: fc.nat(30),
  isActive: fc.boolean(),
  reason: fc.option(fc.constantFrom("Repeated policy violations", ""), {
    nil: undefined,
  }),
});
/** Up to `maxIds` ids: known, deleted, never created, and repeated. */
const deleteStepArb = (maxIds: number) =>
  fc.record({
    kind: fc.constant("delete" as const),
    targets: fc.array(fc.nat(30), { maxLength: maxIds, size: "max" }),
  });
const advanceStepArb = fc.record({
  kind: fc.constant("advance" as const),
  ms: fc.constantFrom(1, HOUR, DAY - 1, DAY, 6 * DAY, 23 * DAY),
});
type Step =
  | (typeof statusStepArb extends fc.Arbitrary<infer T> ? T : never)
  | (ReturnType<typeof deleteStepArb> extends fc.Arbitrary<infer T> ? T : never)
  | (typeof advanceStepArb extends fc.Arbitrary<infer T> ? T : never);

const mixedStepsArb = fc.array(
  fc.oneof(statusStepArb, deleteStepArb(14), advanceStepArb),
  { maxLength: 5 },
);
const deletionStepsArb = fc.array(
  fc.oneof(
    { arbitrary: deleteStepArb(30), weight: 3 },
    { arbitrary: statusStepArb, weight: 1 },
  ),
  { minLength: 1, maxLength: 4 },
);

/** A search term cut from a customer's field, or a term that hits nobody. */
const termPickArb = fc.record({
  customer: fc.nat(24),
  field: fc.nat(3),
  start: fc.nat(8),
  length: fc.integer({ min: 1, max: 4 }),
  upperCase: fc.boolean(),
  miss: fc.constantFrom(false, false, false, false, true),
});
type TermPick = typeof termPickArb extends fc.Arbitrary<infer T> ? T : never;

const checkOptionsArb = fc.record({
  numItems: fc.integer({ min: 2, max: 6 }),
  termPicks: fc.array(termPickArb, { minLength: 2, maxLength: 8 }),
  detailPicks: fc.array(fc.nat(30), { minLength: 1, maxLength: 3 }),
});
type CheckOptions =
  typeof checkOptionsArb extends fc.Arbitrary<infer T> ? T : never;

// -------------------------------------------------------------- marketplace

type Marketplace = {
  /** Every customer id ever created, oldest first, then one never listed. */
  idPool: Id<"customers">[];
};

/** Distinct [a mod n, b mod m] pairs; without allowSame, none with a === b. */
function distinctPairs(
  pairs: [number, number][],
  n: number,
  m: number,
  allowSame = true,
): [number, number][] {
  const seen = new Set<string>();
  const result: [number, number][] = [];
  for (const [a, b] of pairs) {
    const pairKey = [a % n, b % m] as [number, number];
    const key = pairKey.join(",");
    if ((!allowSame && pairKey[0] === pairKey[1]) || seen.has(key)) {
      continue;
    }
    seen.add(key);
    result.push(pairKey);
  }
  return result;
}

async function buildMarketplace(
  t: TestBackend,
  spec: MarketplaceSpec,
): Promise<Marketplace> {
  const n = spec.customers.length;
  const storeCount = spec.storeCount;
  const productCount = storeCount * spec.productsPerStore;
  const customerFollows =
    n < 2
      ? []
      : distinctPairs(
          [
            ...spec.customerFollows,
            ...spec.mutualFollows.flatMap(
              ([a, b]) =>
                [
                  [a, b],
                  [b, a],
                ] as [number, number][],
            ),
          ],
          n,
          n,
          false,
        );
  const storeFollows =
    n === 0 ? [] : distinctPairs(spec.storeFollows, n, storeCount);
  const likes = n === 0 ? [] : distinctPairs(spec.likes, n, productCount);

  // Counters true from the start.
  const counters = spec.customers.map(() => ({
    followersCount: 0,
    followingCustomersCount: 0,
    followingStoresCount: 0,
  }));
  for (const [follower, following] of customerFollows) {
    counters[follower].followingCustomersCount += 1;
    counters[following].followersCount += 1;
  }
  for (const [customer] of storeFollows) {
    counters[customer].followingStoresCount += 1;
  }

  // Files first, and a customer that existed once: all before any sign-up.
  const oldest = BASE_TIME - 50 * DAY;
  vi.setSystemTime(oldest);
  const { avatarIds, unknownId } = await runWithTriggers(t, async (ctx) => {
    const avatarIds: (Id<"_storage"> | null)[] = [];
    for (const customer of spec.customers) {
      if (customer.avatar === "none") {
        avatarIds.push(null);
        continue;
      }
      const id = await ctx.storage.store(new Blob(["avatar"]));
      if (customer.avatar === "missingFile") {
        await ctx.storage.delete(id);
      }
      avatarIds.push(id);
    }
    const unknownId = await ctx.db.insert(
      "customers",
      customerFields({ name: "Gone" }),
    );
    await ctx.db.delete("customers", unknownId);
    return { avatarIds, unknownId };
  });

  // Customers in the order they signed up: convex-test stamps Date.now().
  const order = spec.customers
    .map((customer, index) => ({ customer, index }))
    .sort((a, b) => b.customer.age - a.customer.age);
  const ids: Id<"customers">[] = new Array(n);
  for (const { customer, index } of order) {
    vi.setSystemTime(BASE_TIME - customer.age);
    ids[index] = await runWithTriggers(t, (ctx) =>
      ctx.db.insert(
        "customers",
        customerFields({
          name: customer.name,
          ...(customer.username === undefined
            ? {}
            : { username: customer.username }),
          ...(customer.email === undefined ? {} : { email: customer.email }),
          ...(customer.phoneNumber === undefined
            ? {}
            : { phoneNumber: customer.phoneNumber }),
          ...(avatarIds[index] === null ? {} : { avatarId: avatarIds[index] }),
          phoneNumberVerified: customer.phoneNumberVerified,
          emailVerified: customer.emailVerified,
          isActive: customer.isActive,
          isPrivate: customer.isPrivate,
          ...counters[index],
          stats: {
            totalOrders: customer.totalOrders,
            totalSpent: customer.totalSpent,
            ...(customer.lastOrderDate === undefined
              ? {}
              : { lastOrderDate: BASE_TIME - customer.lastOrderDate }),
          },
        }),
      ),
    );
  }

  vi.setSystemTime(BASE_TIME);
  await runWithTriggers(t, async (ctx) => {
    const stores: Id<"stores">[] = [];
    for (let s = 0; s <= storeCount; s++) {
      stores.push(
        await ctx.db.insert("stores", {
          name: `Store ${s}`,
          followersCount: storeFollows.filter(([, store]) => store === s)
            .length,
        }),
      );
    }
    const products: Id<"products">[] = [];
    for (let p = 0; p < productCount; p++) {
      products.push(
        await ctx.db.insert("products", {
          storeId: stores[p % storeCount],
          name: `Product ${p}`,
          price: 10,
          likesCount: likes.filter(([, product]) => product === p).length,
        }),
      );
    }
    const places: { cityId: Id<"cities">; areaId: Id<"areas"> }[] = [];
    for (let place = 0; place < 4; place++) {
      const cityId = await ctx.db.insert("cities", { name: `City ${place}` });
      const areaId = await ctx.db.insert("areas", {
        cityId,
        name: `Area ${place}`,
      });
      places.push({ cityId, areaId });
    }

    // The last store, the area of place 2 and the whole of place 3 are gone.
    await ctx.db.delete("stores", stores[storeCount]);
    await ctx.db.delete("areas", places[2].areaId);
    await ctx.db.delete("areas", places[3].areaId);
    await ctx.db.delete("cities", places[3].cityId);

    if (n === 0) {
      return;
    }
    for (const [follower, following] of customerFollows) {
      await ctx.db.insert("customerFollows", {
        followerId: ids[follower],
        followingId: ids[following],
      });
    }
    for (const [customer, store] of storeFollows) {
      await ctx.db.insert("storeFollows", {
        customerId: ids[customer],
        storeId: stores[store],
      });
    }
    for (const [customer, product] of likes) {
      await ctx.db.insert("productLikes", {
        customerId: ids[customer],
        productId: products[product],
      });
    }
    for (const cart of spec.carts) {
      await ctx.db.insert("carts", {
        customerId: ids[cart.customer % n],
        storeId: stores[cart.store % storeCount],
        items: Array.from({ length: cart.items }, (_, item) => ({
          productId: products[item % productCount],
          quantity: item + 1,
        })),
      });
    }
    for (const [customer, query] of spec.searchHistory) {
      await ctx.db.insert("searchHistory", {
        customerId: ids[customer % n],
        query,
      });
    }
    for (const order of spec.orders) {
      await ctx.db.insert("orders", {
        customerId: ids[order.customer % n],
        storeId: stores[order.store % (storeCount + 1)],
        status: order.status,
        totalAmount: order.totalAmount,
        items: order.quantities.map((quantity, item) => ({
          productId: products[item % productCount],
          name: `Product ${item % productCount}`,
          quantity,
          unitPrice: 10,
        })),
      });
    }
    for (const [position, address] of spec.addresses.entries()) {
      const place = places[address.place];
      await ctx.db.insert("addresses", {
        customerId: ids[address.customer % n],
        label: `Address ${position}`,
        fullAddress: `Villa ${position}, Street`,
        cityId: place.cityId,
        areaId: place.areaId,
        ...(address.buildingNumber === undefined
          ? {}
          : { buildingNumber: address.buildingNumber }),
        isDefault: address.isDefault,
      });
    }
  });

  const idPool = order.map(({ index }) => ids[index]);
  idPool.push(unknownId);
  return { idPool };
}

// -------------------------------------------------------------------- checks

function searchTerm(tables: Tables, pick: TermPick): string {
  if (pick.miss || tables.customers.length === 0) {
    return pick.upperCase ? "QZ" : "qz";
  }
  const customer = tables.customers[pick.customer % tables.customers.length];
  const fields = [
    customer.name,
    customer.username,
    customer.email,
    customer.phoneNumber,
  ];
  const field = fields[pick.field] ?? customer.name;
  const start = pick.start % Math.max(1, field.length);
  const term = field.slice(start, start + pick.length);
  return pick.upperCase ? term.toUpperCase() : term;
}

/** No search, one term, and two terms with stray whitespace around. */
function searchQueries(
  tables: Tables,
  options: CheckOptions,
  round: number,
): (string | undefined)[] {
  const picks = options.termPicks;
  const first = picks[round % picks.length];
  const second = picks[(round + 1) % picks.length];
  return [
    undefined,
    searchTerm(tables, first),
    ` ${searchTerm(tables, first)} \t ${searchTerm(tables, second)}  `,
  ];
}

async function walkCustomers(
  admin: Admin,
  filters: ListFilters,
  numItems: number,
  maxPages: number,
) {
  const items: CustomerPage["page"] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < maxPages; pages++) {
    const result: CustomerPage = await admin.query(
      api.admins.customersAdmin.getAllCustomers,
      { ...filters, paginationOpts: { numItems, cursor } },
    );
    expect(result.page.length).toBeLessThanOrEqual(numItems);
    items.push(...result.page);
    if (result.isDone) {
      return items;
    }
    cursor = result.continueCursor;
  }
  throw new Error(
    `getAllCustomers(${JSON.stringify(filters)}) not done after ${maxPages} pages`,
  );
}

async function checkListing(
  admin: Admin,
  tables: Tables,
  filters: ListFilters,
  numItems: number,
) {
  const what = `getAllCustomers(${JSON.stringify(filters)})`;
  const expected = expectedList(tables, filters);
  const items = await walkCustomers(
    admin,
    filters,
    numItems,
    2 * tables.customers.length + 4,
  );
  const ids = items.map((item) => item._id);
  expect(new Set(ids).size, `${what}: an id repeats in ${ids}`).toBe(
    ids.length,
  );
  expect([...ids].sort(), `${what}: the listed set`).toEqual(
    expected.map(({ _id }) => _id).sort(),
  );
  const byId = new Map(expected.map((customer) => [customer._id, customer]));
  for (const item of items) {
    expect(item, `${what}: item ${item._id}`).toStrictEqual(
      expectedListItem(tables, byId.get(item._id) as Doc<"customers">),
    );
  }
  const searching = filters.searchQuery?.trim();
  if (!searching) {
    if (filters.highValueOnly) {
      const spent = items.map((item) => item.totalSpent);
      expect(spent, `${what}: highest totalSpent first`).toEqual(
        [...spent].sort((a, b) => b - a),
      );
    } else {
      expect(ids, `${what}: newest first`).toEqual(
        expected.map(({ _id }) => _id),
      );
    }
  }
}

type Scenario = {
  t: TestBackend;
  admin: Admin;
  options: CheckOptions;
  market: Marketplace;
  initialOrders: Doc<"orders">[];
  /**
   * "every": every filter combination of getAllCustomers; "plain": only the
   * unfiltered and the high-value listings.
   */
  listings: "every" | "plain";
};

/** Everything the oracle can say about the current state. */
async function checkEverything(
  { t, admin, options, market, initialOrders, listings }: Scenario,
  round: number,
): Promise<Tables> {
  const tables = await readTables(t);
  const statistics = await admin.query(
    api.admins.customersAdmin.getCustomerStatistics,
    {},
  );
  expect(statistics, "getCustomerStatistics").toStrictEqual(
    expectedStatistics(tables, Date.now()),
  );

  const queries =
    listings === "every" ? searchQueries(tables, options, round) : [undefined];
  const statuses =
    listings === "every" ? ([undefined, "active", "inactive"] as const) : [];
  for (const searchQuery of queries) {
    for (const status of [undefined, ...statuses]) {
      for (const highValueOnly of [false, true]) {
        await checkListing(
          admin,
          tables,
          {
            ...(status === undefined ? {} : { status }),
            ...(searchQuery === undefined ? {} : { searchQuery }),
            highValueOnly,
          },
          options.numItems,
        );
      }
    }
  }
  expect(highValueIds(tables).size).toBe(statistics.highValueCustomers);

  for (const pick of options.detailPicks) {
    const customerId = market.idPool[pick % market.idPool.length];
    expect(
      await admin.query(api.admins.customersAdmin.getCustomerDetails, {
        customerId,
      }),
      `getCustomerDetails(${customerId})`,
    ).toStrictEqual(expectedDetails(tables, customerId));
  }

  expect(counterMismatches(tables), "counters").toEqual([]);
  expect(orphans(tables), "orphaned related rows").toEqual([]);
  expect(tables.orders, "orders untouched").toStrictEqual(initialOrders);
  return tables;
}

function ids<T extends { _id: string }>(rows: T[]): string[] {
  return rows.map(({ _id }) => _id).sort();
}

function latestAuditEntry(tables: Tables): Doc<"auditLog"> | undefined {
  return [...tables.auditLog].sort(
    (a, b) => b._creationTime - a._creationTime,
  )[0];
}

async function runStep(
  t: TestBackend,
  admin: Admin,
  market: Marketplace,
  before: Tables,
  step: Step,
) {
  const pool = market.idPool;
  switch (step.kind) {
    case "advance": {
      vi.setSystemTime(Date.now() + step.ms);
      return;
    }
    case "status": {
      const customerId = pool[step.target % pool.length];
      const args = {
        customerId,
        isActive: step.isActive,
        ...(step.reason === undefined ? {} : { reason: step.reason }),
      };
      const target = before.customers.find(({ _id }) => _id === customerId);
      if (target === undefined) {
        await expect(
          admin.mutation(api.admins.customersAdmin.updateCustomerStatus, args),
        ).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
        const after = await readTables(t);
        expect(after.customers).toStrictEqual(before.customers);
        expect(after.auditLog).toStrictEqual(before.auditLog);
        return;
      }
      expect(
        await admin.mutation(
          api.admins.customersAdmin.updateCustomerStatus,
          args,
        ),
      ).toStrictEqual({ success: true });
      const after = await readTables(t);
      expect(after.customers, "only isActive of the target changes").toEqual(
        before.customers.map((customer) =>
          customer._id === customerId
            ? { ...customer, isActive: step.isActive }
            : customer,
        ),
      );
      expect(after.auditLog.length).toBe(before.auditLog.length + 1);
      expect(latestAuditEntry(after)).toMatchObject({
        adminUserId: ADMIN_USER_ID,
        action: step.isActive ? "customer.activated" : "customer.deactivated",
        customerId,
        ...(step.reason === undefined ? {} : { reason: step.reason }),
      });
      return;
    }
    case "delete": {
      const customerIds = step.targets.map(
        (target) => pool[target % pool.length],
      );
      const expected = expectedDeletion(before, customerIds);
      const result = await admin.action(
        api.admins.customersAdmin.bulkDeleteCustomers,
        { customerIds },
      );
      expect(result, `bulkDeleteCustomers(${customerIds})`).toStrictEqual(
        expected.result,
      );
      const after = await readTables(t);
      expect(ids(after.customers), "customers left").toEqual(
        ids(
          before.customers.filter(
            ({ _id }) => !expected.deletedCustomerIds.has(_id),
          ),
        ),
      );
      for (const table of relatedTables) {
        expect(ids(after[table] as { _id: string }[]), `${table} left`).toEqual(
          ids(
            (before[table] as { _id: string }[]).filter(
              ({ _id }) => !expected.removedRows.has(_id),
            ),
          ),
        );
      }
      expect([...after.files].sort(), "files left").toEqual(
        before.files.filter((id) => !expected.removedFiles.has(id)).sort(),
      );
      const deletedAnything = expected.result.customersDeleted > 0;
      expect(after.auditLog.length).toBe(
        before.auditLog.length + (deletedAnything ? 1 : 0),
      );
      if (deletedAnything) {
        const entry = latestAuditEntry(after);
        expect(entry).toMatchObject({
          adminUserId: ADMIN_USER_ID,
          action: "customers.deleted",
          ...expected.result,
        });
        expect([...(entry?.deletedCustomerIds ?? [])].sort()).toEqual(
          [...expected.deletedCustomerIds].sort(),
        );
      }
      return;
    }
  }
}

// --------------------------------------------------------------- properties

describe("the Customers Admin API against a brute-force oracle", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Builds a marketplace, then checks it before and after every step. */
  async function runScenario(
    spec: MarketplaceSpec,
    steps: Step[],
    options: CheckOptions,
    listings: Scenario["listings"],
  ) {
    const t = createTestBackend();
    const market = await buildMarketplace(t, spec);
    const admin = await createAdmin(t, { userId: ADMIN_USER_ID });
    const initialOrders = (await readTables(t)).orders;
    const scenario = { t, admin, options, market, initialOrders, listings };
    let tables = await checkEverything(scenario, 0);
    for (const [round, step] of steps.entries()) {
      await runStep(t, admin, market, tables, step);
      tables = await checkEverything(scenario, round + 1);
    }
  }

  it(
    "statistics, every listing, details and counters match the oracle after each status change, deletion and clock move",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          marketplaceArb(1),
          mixedStepsArb,
          checkOptionsArb,
          (spec, steps, options) => runScenario(spec, steps, options, "every"),
        ),
        { numRuns: MIXED_RUNS },
      );
    },
    timeoutFor(MIXED_RUNS),
  );

  it(
    "bulk deletions on dense marketplaces remove exactly the customers' related rows, report them, and keep every counter and order",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          marketplaceArb(3),
          deletionStepsArb,
          checkOptionsArb,
          (spec, steps, options) => runScenario(spec, steps, options, "plain"),
        ),
        { numRuns: DELETION_RUNS },
      );
    },
    timeoutFor(DELETION_RUNS),
  );
});
