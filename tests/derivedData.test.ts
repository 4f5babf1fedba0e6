// Derived data: the aggregates behind the statistics and the search text
// behind the search stay true through every write that runs the triggers, go
// stale when writes go around them, and rebuildDerivedData repairs them.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../convex/_generated/api";
import type { Doc, Id } from "../convex/_generated/dataModel";
import {
  createAdmin,
  createCustomer,
  customerFields,
  runWithTriggers,
} from "./fixtures";
import { createTestBackend, type TestBackend } from "./testBackend";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 5, 1, 12);

const getStatistics = api.admins.customersAdmin.getCustomerStatistics;
const getAllCustomers = api.admins.customersAdmin.getAllCustomers;
const rebuild = internal.admins.customersMaintenance.rebuildDerivedData;

type Admin = Awaited<ReturnType<typeof createAdmin>>;
type Customer = Doc<"customers">;

beforeEach(() => {
  // Only Date: convex-test stamps _creationTime from Date.now(), and the
  // rolling windows are measured from it.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------
// The oracle: everything computed by brute force from the raw table.

async function readCustomers(t: TestBackend): Promise<Customer[]> {
  return await t.run((ctx) => ctx.db.query("customers").collect());
}

function highValueThreshold(customers: Customer[]): number | null {
  const spent = customers
    .map((c) => c.stats.totalSpent)
    .filter((total) => total > 0)
    .sort((a, b) => b - a);
  return spent.length === 0 ? null : spent[Math.ceil(spent.length / 10) - 1];
}

function isHighValue(customers: Customer[]) {
  const threshold = highValueThreshold(customers);
  return (c: Customer) => threshold !== null && c.stats.totalSpent >= threshold;
}

function bruteForceStatistics(customers: Customer[]) {
  const now = Date.now();
  const since = (window: number) =>
    customers.filter((c) => c._creationTime >= now - window).length;
  return {
    totalCustomers: customers.length,
    activeCustomers: customers.filter((c) => c.isActive).length,
    inactiveCustomers: customers.filter((c) => !c.isActive).length,
    newCustomersToday: since(DAY),
    newCustomersThisWeek: since(7 * DAY),
    newCustomersThisMonth: since(30 * DAY),
    highValueCustomers: customers.filter(isHighValue(customers)).length,
    verifiedCustomers: customers.filter(
      (c) => c.phoneNumberVerified || c.emailVerified,
    ).length,
  };
}

function matchesSearch(c: Customer, searchQuery: string): boolean {
  const terms = searchQuery.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const values = [c.name, c.username, c.email, c.phoneNumber].flatMap((v) =>
    v === undefined ? [] : [v.toLowerCase()],
  );
  return terms.every((term) => values.some((value) => value.includes(term)));
}

type Filters = {
  status?: "active" | "inactive";
  highValueOnly?: boolean;
  searchQuery?: string;
};

function bruteForceList(customers: Customer[], filters: Filters) {
  const highValue = isHighValue(customers);
  return customers.filter(
    (c) =>
      (filters.status === undefined ||
        c.isActive === (filters.status === "active")) &&
      (!filters.highValueOnly || highValue(c)) &&
      (filters.searchQuery === undefined ||
        matchesSearch(c, filters.searchQuery)),
  );
}

/** Walks getAllCustomers to the end in small pages. */
async function listAll(admin: Admin, filters: Filters) {
  const items = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    expect(pages).toBeLessThan(200);
    const result: {
      page: {
        _id: Id<"customers">;
        _creationTime: number;
        name: string;
        totalSpent: number;
      }[];
      isDone: boolean;
      continueCursor: string;
    } = await admin.query(getAllCustomers, {
      ...filters,
      paginationOpts: { numItems: 4, cursor },
    });
    items.push(...result.page);
    if (result.isDone) return items;
    cursor = result.continueCursor;
  }
}

const FILTER_COMBINATIONS: Filters[] = (
  [undefined, "active", "inactive"] as const
).flatMap((status) =>
  [false, true].map((highValueOnly) => ({ status, highValueOnly })),
);

/**
 * Statistics, every status × high-value listing, and each search (alone and
 * with the filters) against the oracle.
 */
async function expectDerivedDataTrue(
  t: TestBackend,
  admin: Admin,
  searches: string[],
) {
  const customers = await readCustomers(t);
  expect(await admin.query(getStatistics, {})).toEqual(
    bruteForceStatistics(customers),
  );
  for (const filters of FILTER_COMBINATIONS) {
    const listed = await listAll(admin, filters);
    const ids = listed.map((item) => item._id);
    expect(new Set(ids).size, JSON.stringify(filters)).toBe(ids.length);
    expect(new Set(ids), JSON.stringify(filters)).toEqual(
      new Set(bruteForceList(customers, filters).map((c) => c._id)),
    );
    const keys = listed.map((item) =>
      filters.highValueOnly ? item.totalSpent : item._creationTime,
    );
    expect(keys, JSON.stringify(filters)).toEqual(
      [...keys].sort((a, b) => b - a),
    );
  }
  for (const searchQuery of searches) {
    for (const filters of [
      {},
      { status: "inactive" as const, highValueOnly: true },
    ]) {
      const query = { ...filters, searchQuery };
      const ids = (await listAll(admin, query)).map((item) => item._id);
      expect(new Set(ids).size, JSON.stringify(query)).toBe(ids.length);
      expect(new Set(ids), JSON.stringify(query)).toEqual(
        new Set(bruteForceList(customers, query).map((c) => c._id)),
      );
    }
  }
}

async function searchIds(admin: Admin, searchQuery: string) {
  return (await listAll(admin, { searchQuery })).map((item) => item._id);
}

// ---------------------------------------------------------------------------
// A marketplace whose customers signed up over two months, with ties and
// zeros in their spending, and mixed verification.

const PEOPLE = [
  {
    name: "Amira Haddad",
    email: "amira@example.com",
    spent: 900,
    age: 40 * DAY,
  },
  { name: "Omar Khalil", username: "omark", spent: 900, age: 20 * DAY },
  {
    name: "Layla Nasser",
    phoneNumber: "+971501234567",
    spent: 0,
    age: 10 * DAY,
  },
  { name: "Yusuf Rahman", email: "yusuf@mail.ae", spent: 250, age: 6 * DAY },
  { name: "Fatima Zahra", username: "fatz", spent: 250, age: 3 * DAY },
  {
    name: "Karim Mansour",
    phoneNumber: "+971559876543",
    spent: 40,
    age: 2 * DAY,
  },
  { name: "Huda Saleh", email: "huda@example.com", spent: 0, age: 20 * HOUR },
  { name: "Tariq Aziz", username: "tariq_a", spent: 75, age: 5 * HOUR },
  { name: "Noor Amin", email: "noor@example.org", spent: 10, age: HOUR },
  { name: "Sami Haddad", spent: 900, age: 30 * 60 * 1000 },
  { name: "Rania Farouk", spent: 5, age: 0 },
] as const;

const SEARCHES = [
  "haddad",
  "AMIRA",
  "example.com",
  "+97150",
  "ha dad",
  "zainab",
  "  ",
];

/** Inserts the people oldest first, each at its own sign-up time. */
async function seedPeople(t: TestBackend) {
  const ids: Id<"customers">[] = [];
  for (const [i, person] of [...PEOPLE]
    .sort((a, b) => b.age - a.age)
    .entries()) {
    vi.setSystemTime(NOW - person.age);
    const { spent, age: _age, ...profile } = person;
    ids.push(
      await createCustomer(t, {
        ...profile,
        emailVerified: "email" in person && i % 2 === 0,
        phoneNumberVerified: "phoneNumber" in person,
        isActive: i % 4 !== 3,
        stats: { totalOrders: spent > 0 ? 1 : 0, totalSpent: spent },
      }),
    );
  }
  vi.setSystemTime(NOW);
  return ids;
}

async function idOf(t: TestBackend, name: string): Promise<Id<"customers">> {
  const customer = (await readCustomers(t)).find((c) => c.name === name);
  if (customer === undefined) throw new Error(`no customer ${name}`);
  return customer._id;
}

// ---------------------------------------------------------------------------

describe("derived data through the triggers", () => {
  test(
    "statistics, listing and search stay true after inserts, status changes, profile edits and deletions",
    { timeout: 120_000 },
    async () => {
      const t = createTestBackend();
      const admin = await createAdmin(t);
      await expectDerivedDataTrue(t, admin, SEARCHES);

      await seedPeople(t);
      await expectDerivedDataTrue(t, admin, SEARCHES);

      // Status changes, through the admin API.
      for (const name of ["Amira Haddad", "Sami Haddad", "Karim Mansour"]) {
        await admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
          customerId: await idOf(t, name),
          isActive: false,
        });
      }
      await admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
        customerId: await idOf(t, "Sami Haddad"),
        isActive: true,
      });
      await expectDerivedDataTrue(t, admin, SEARCHES);

      // Profile edits through the trigger-wrapped ctx: name and email.
      const omar = await idOf(t, "Omar Khalil");
      const huda = await idOf(t, "Huda Saleh");
      await runWithTriggers(t, async (ctx) => {
        await ctx.db.patch("customers", omar, { name: "Zainab Qureshi" });
        await ctx.db.patch("customers", huda, { email: "huda@newmail.ae" });
      });
      expect(await searchIds(admin, "zainab")).toEqual([omar]);
      expect(await searchIds(admin, "khalil")).toEqual([]);
      expect(await searchIds(admin, "newmail")).toEqual([huda]);
      expect(await searchIds(admin, "huda@example")).toEqual([]);
      await expectDerivedDataTrue(t, admin, [
        ...SEARCHES,
        "newmail",
        "qureshi",
      ]);

      // Spending and verification changes move the high-value set and counts.
      const rania = await idOf(t, "Rania Farouk");
      const noor = await idOf(t, "Noor Amin");
      await runWithTriggers(t, async (ctx) => {
        const raniaDoc = (await ctx.db.get("customers", rania))!;
        const noorDoc = (await ctx.db.get("customers", noor))!;
        await ctx.db.patch("customers", rania, {
          stats: { ...raniaDoc.stats, totalSpent: 5000 },
          emailVerified: true,
        });
        await ctx.db.patch("customers", noor, {
          stats: { ...noorDoc.stats, totalSpent: 0 },
        });
      });
      await expectDerivedDataTrue(t, admin, SEARCHES);

      // Time passes: the rolling windows move.
      vi.setSystemTime(NOW + 2 * DAY);
      await expectDerivedDataTrue(t, admin, []);
      vi.setSystemTime(NOW);

      // Deletions: through the bulk delete, and through the trigger-wrapped ctx.
      await admin.action(api.admins.customersAdmin.bulkDeleteCustomers, {
        customerIds: [await idOf(t, "Amira Haddad"), omar],
      });
      const tariq = await idOf(t, "Tariq Aziz");
      await runWithTriggers(t, (ctx) => ctx.db.delete("customers", tariq));
      expect(await searchIds(admin, "zainab")).toEqual([]);
      expect(await searchIds(admin, "tariq")).toEqual([]);
      await expectDerivedDataTrue(t, admin, [...SEARCHES, "tariq"]);
    },
  );

  test("ties at the high-value threshold are all listed and counted", async () => {
    const t = createTestBackend();
    const admin = await createAdmin(t);
    // 12 spenders: k = 2; the 2nd highest is 100, shared by three.
    for (const totalSpent of [
      300, 100, 100, 100, 50, 50, 20, 10, 5, 3, 2, 1, 0, 0,
    ]) {
      await createCustomer(t, { stats: { totalSpent } });
    }
    const { highValueCustomers } = await admin.query(getStatistics, {});
    expect(highValueCustomers).toBe(4);
    await expectDerivedDataTrue(t, admin, []);
  });
});

describe("data written around the triggers", () => {
  test(
    "makes statistics and search stale until rebuildDerivedData repairs them",
    { timeout: 120_000 },
    async () => {
      const t = createTestBackend();
      const admin = await createAdmin(t);
      await seedPeople(t);
      await expectDerivedDataTrue(t, admin, SEARCHES);
      const layla = await idOf(t, "Layla Nasser");
      const yusuf = await idOf(t, "Yusuf Rahman");
      const karim = await idOf(t, "Karim Mansour");
      const noor = await idOf(t, "Noor Amin");
      const fatima = await idOf(t, "Fatima Zahra");
      const before = await admin.query(getStatistics, {});

      // Raw writes, as a dashboard edit or an import would make them.
      await t.run(async (ctx) => {
        await ctx.db.delete("customers", yusuf);
        const karimDoc = (await ctx.db.get("customers", karim))!;
        await ctx.db.patch("customers", karim, {
          isActive: !karimDoc.isActive,
        });
        const noorDoc = (await ctx.db.get("customers", noor))!;
        await ctx.db.patch("customers", noor, {
          stats: { ...noorDoc.stats, totalSpent: 5_000 },
        });
        await ctx.db.patch("customers", layla, { name: "Layla Bashir" });
        await ctx.db.patch("customers", fatima, { phoneNumberVerified: true });
      });
      // Stale search: the search text still holds the old name.
      expect(await searchIds(admin, "bashir")).toEqual([]);
      expect(await searchIds(admin, "nasser")).toEqual([]);
      expect(
        (await listAll(admin, { searchQuery: "layla" })).map((c) => c.name),
      ).toEqual(["Layla Bashir"]);
      // A raw insert has no search text at all. convex-test's search index
      // throws on a document that lacks the search field (Convex leaves such a
      // document out of the index), so no search runs until the rebuild.
      const zainab = await t.run((ctx) =>
        ctx.db.insert(
          "customers",
          customerFields({
            name: "Zainab Raw",
            email: "zainab@import.ae",
            emailVerified: true,
            stats: { totalOrders: 3, totalSpent: 300 },
          }),
        ),
      );

      // Stale statistics: the aggregates still describe the old data.
      const customers = await readCustomers(t);
      const truth = bruteForceStatistics(customers);
      const stale = await admin.query(getStatistics, {});
      expect(stale).toEqual(before);
      expect(stale).not.toEqual(truth);
      expect(truth.totalCustomers).toBe(before.totalCustomers);

      const summary = await t.action(rebuild, {});

      expect(summary.customersChecked).toBe(customers.length);
      // The raw insert and the raw name change.
      expect(summary.searchTextsUpdated).toBe(2);
      expect(summary.aggregateItemsRemoved).toBeGreaterThan(0);
      const repaired = await admin.query(getStatistics, {});
      expect(repaired).toEqual(truth);
      // Each raw change is reflected: the insert counted, the delete not, the
      // status change, the spend change (in high value) and the verification.
      expect(repaired.totalCustomers).toBe(PEOPLE.length);
      expect(await searchIds(admin, "zainab")).toEqual([zainab]);
      expect(await searchIds(admin, "bashir")).toEqual([layla]);
      expect(await searchIds(admin, "nasser")).toEqual([]);
      expect(await searchIds(admin, "yusuf")).toEqual([]);
      // Nine spenders, so only the top one is high value: the customer whose
      // totalSpent was raised around the triggers (before: three at 900).
      expect(stale.highValueCustomers).toBe(3);
      expect(repaired.highValueCustomers).toBe(1);
      const highValue = await listAll(admin, { highValueOnly: true });
      expect(highValue.map((item) => item._id)).toEqual([noor]);
      await expectDerivedDataTrue(t, admin, [
        ...SEARCHES,
        "bashir",
        "import",
        "yusuf",
      ]);

      // Idempotent: a second run finds nothing to repair.
      const again = await t.action(rebuild, {});
      expect(again).toEqual({
        customersChecked: customers.length,
        searchTextsUpdated: 0,
        aggregateItemsRemoved: 0,
      });
      expect(await admin.query(getStatistics, {})).toEqual(repaired);
      await expectDerivedDataTrue(t, admin, SEARCHES);
    },
  );

  test(
    "adopts customers that never had derived data, across many batches",
    { timeout: 120_000 },
    async () => {
      const t = createTestBackend();
      const admin = await createAdmin(t);
      // More customers than one step of either pass handles.
      const COUNT = 260;
      for (let chunk = 0; chunk < COUNT; chunk += 130) {
        vi.setSystemTime(NOW - (chunk === 0 ? 20 : 2) * DAY);
        await t.run(async (ctx) => {
          for (let i = chunk; i < chunk + 130; i++) {
            await ctx.db.insert(
              "customers",
              customerFields({
                name: `Imported ${i} ${i % 7 === 0 ? "Haddad" : "Smith"}`,
                isActive: i % 3 !== 0,
                phoneNumberVerified: i % 5 === 0,
                stats: { totalOrders: 1, totalSpent: (i * 37) % 500 },
              }),
            );
          }
        });
      }
      vi.setSystemTime(NOW);
      expect((await admin.query(getStatistics, {})).totalCustomers).toBe(0);

      const summary = await t.action(rebuild, {});

      expect(summary).toEqual({
        customersChecked: COUNT,
        searchTextsUpdated: COUNT,
        aggregateItemsRemoved: 0,
      });
      await expectDerivedDataTrue(t, admin, ["haddad", "imported 14"]);
      // Raw-delete most of them: the second pass must prune across pages.
      await t.run(async (ctx) => {
        const rows = await ctx.db.query("customers").take(240);
        for (const row of rows) await ctx.db.delete("customers", row._id);
      });
      const pruned = await t.action(rebuild, {});
      expect(pruned.customersChecked).toBe(COUNT - 240);
      // Three aggregates hold an item for each deleted customer.
      expect(pruned.aggregateItemsRemoved).toBe(3 * 240);
      await expectDerivedDataTrue(t, admin, ["haddad"]);
      expect(await t.action(rebuild, {})).toEqual({
        customersChecked: COUNT - 240,
        searchTextsUpdated: 0,
        aggregateItemsRemoved: 0,
      });
    },
  );
});
