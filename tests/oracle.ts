// A brute-force oracle for the Customers Admin API: what every function
// should answer, computed from the raw tables by the contract of issue 2,
// with none of the module's indexes, aggregates or derived fields.
import type { Doc, Id } from "../convex/_generated/dataModel";
import type { TestBackend } from "./testBackend";

const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** Every table the module reads or writes, as stored. */
export type Tables = {
  customers: Doc<"customers">[];
  addresses: Doc<"addresses">[];
  stores: Doc<"stores">[];
  products: Doc<"products">[];
  orders: Doc<"orders">[];
  storeFollows: Doc<"storeFollows">[];
  customerFollows: Doc<"customerFollows">[];
  productLikes: Doc<"productLikes">[];
  carts: Doc<"carts">[];
  searchHistory: Doc<"searchHistory">[];
  cities: Doc<"cities">[];
  areas: Doc<"areas">[];
  auditLog: Doc<"auditLog">[];
  bulkDeletions: Doc<"bulkDeletions">[];
  /** Ids of the stored files. */
  files: Id<"_storage">[];
  /** The URL of each customer's avatar id (null when the file is gone). */
  avatarUrls: Map<Id<"_storage">, string | null>;
};

export async function readTables(t: TestBackend): Promise<Tables> {
  const { avatarUrls, ...tables } = await t.run(async (ctx) => {
    const customers = await ctx.db.query("customers").collect();
    const avatarUrls: [Id<"_storage">, string | null][] = [];
    for (const customer of customers) {
      if (customer.avatarId !== undefined) {
        avatarUrls.push([
          customer.avatarId,
          await ctx.storage.getUrl(customer.avatarId),
        ]);
      }
    }
    return {
      customers,
      addresses: await ctx.db.query("addresses").collect(),
      stores: await ctx.db.query("stores").collect(),
      products: await ctx.db.query("products").collect(),
      orders: await ctx.db.query("orders").collect(),
      storeFollows: await ctx.db.query("storeFollows").collect(),
      customerFollows: await ctx.db.query("customerFollows").collect(),
      productLikes: await ctx.db.query("productLikes").collect(),
      carts: await ctx.db.query("carts").collect(),
      searchHistory: await ctx.db.query("searchHistory").collect(),
      cities: await ctx.db.query("cities").collect(),
      areas: await ctx.db.query("areas").collect(),
      auditLog: await ctx.db.query("auditLog").collect(),
      bulkDeletions: await ctx.db.query("bulkDeletions").collect(),
      files: (await ctx.db.system.query("_storage").collect()).map(
        (file) => file._id,
      ),
      avatarUrls,
    };
  });
  return { ...tables, avatarUrls: new Map(avatarUrls) };
}

// ---------------------------------------------------------------- statistics

export function isVerified(customer: Doc<"customers">): boolean {
  return customer.phoneNumberVerified || customer.emailVerified;
}

/**
 * The totalSpent of the ceil(n / 10)-th highest of the n customers who spent
 * anything; null when nobody spent.
 */
export function highValueThreshold(tables: Tables): number | null {
  const spent = tables.customers
    .map((customer) => customer.stats.totalSpent)
    .filter((total) => total > 0)
    .sort((a, b) => b - a);
  if (spent.length === 0) {
    return null;
  }
  return spent[Math.ceil(spent.length / 10) - 1];
}

export function highValueIds(tables: Tables): Set<Id<"customers">> {
  const threshold = highValueThreshold(tables);
  return new Set(
    threshold === null
      ? []
      : tables.customers
          .filter((customer) => customer.stats.totalSpent >= threshold)
          .map((customer) => customer._id),
  );
}

export function expectedStatistics(tables: Tables, now: number) {
  const { customers } = tables;
  const since = (window: number) =>
    customers.filter((customer) => customer._creationTime >= now - window)
      .length;
  return {
    totalCustomers: customers.length,
    activeCustomers: customers.filter((customer) => customer.isActive).length,
    inactiveCustomers: customers.filter((customer) => !customer.isActive)
      .length,
    newCustomersToday: since(DAY),
    newCustomersThisWeek: since(7 * DAY),
    newCustomersThisMonth: since(30 * DAY),
    highValueCustomers: highValueIds(tables).size,
    verifiedCustomers: customers.filter(isVerified).length,
  };
}

// ------------------------------------------------------------------- listing

export type ListFilters = {
  status?: "active" | "inactive";
  highValueOnly?: boolean;
  searchQuery?: string;
};

/** The query's terms, lowercased; null when it is empty or blank. */
export function searchTerms(searchQuery: string | undefined): string[] | null {
  const terms = (searchQuery ?? "")
    .trim()
    .split(/\s+/)
    .filter((term) => term !== "")
    .map((term) => term.toLowerCase());
  return terms.length === 0 ? null : terms;
}

export function matchesTerms(
  customer: Doc<"customers">,
  terms: string[],
): boolean {
  const fields = [
    customer.name,
    customer.username,
    customer.email,
    customer.phoneNumber,
  ].flatMap((field) => (field === undefined ? [] : [field.toLowerCase()]));
  return terms.every((term) => fields.some((field) => field.includes(term)));
}

function withoutUndefined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function profile(tables: Tables, customer: Doc<"customers">) {
  return {
    _id: customer._id,
    _creationTime: customer._creationTime,
    userId: customer.userId,
    name: customer.name,
    ...withoutUndefined({
      username: customer.username,
      phoneNumber: customer.phoneNumber,
      email: customer.email,
    }),
    avatarUrl:
      customer.avatarId === undefined
        ? null
        : (tables.avatarUrls.get(customer.avatarId) ?? null),
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

export function expectedListItem(tables: Tables, customer: Doc<"customers">) {
  return {
    ...profile(tables, customer),
    ...withoutUndefined({ avatarId: customer.avatarId }),
    isVerified: isVerified(customer),
  };
}

/**
 * The customers getAllCustomers lists for these filters, newest first (the
 * order the contract requires when neither search nor highValueOnly is set).
 */
export function expectedList(
  tables: Tables,
  filters: ListFilters,
): Doc<"customers">[] {
  const terms = searchTerms(filters.searchQuery);
  const highValue = highValueIds(tables);
  return tables.customers
    .filter(
      (customer) =>
        (filters.status === undefined ||
          customer.isActive === (filters.status === "active")) &&
        (!filters.highValueOnly || highValue.has(customer._id)) &&
        (terms === null || matchesTerms(customer, terms)),
    )
    .sort((a, b) => b._creationTime - a._creationTime);
}

// ------------------------------------------------------------------- details

export function expectedDetails(tables: Tables, customerId: Id<"customers">) {
  const customer = tables.customers.find(({ _id }) => _id === customerId);
  if (customer === undefined) {
    return null;
  }
  const nameOf = (docs: { _id: string; name: string }[], id: string) =>
    docs.find(({ _id }) => _id === id)?.name ?? null;
  const recentOrders = tables.orders
    .filter((order) => order.customerId === customerId)
    .sort((a, b) => b._creationTime - a._creationTime)
    .slice(0, 10)
    .map((order) => ({
      _id: order._id,
      _creationTime: order._creationTime,
      orderNumber: order._id,
      status: order.status,
      totalAmount: order.totalAmount,
      storeName: nameOf(tables.stores, order.storeId),
      itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
    }));
  const addresses = tables.addresses
    .filter((address) => address.customerId === customerId)
    .sort(
      (a, b) =>
        Number(b.isDefault) - Number(a.isDefault) ||
        b._creationTime - a._creationTime,
    )
    .map((address) => ({
      _id: address._id,
      _creationTime: address._creationTime,
      label: address.label,
      fullAddress: address.fullAddress,
      cityName: nameOf(tables.cities, address.cityId),
      areaName: nameOf(tables.areas, address.areaId),
      ...withoutUndefined({ buildingNumber: address.buildingNumber }),
      isDefault: address.isDefault,
    }));
  return {
    customer: {
      ...profile(tables, customer),
      isPrivate: customer.isPrivate,
      preferences: customer.preferences,
    },
    recentOrders,
    addresses,
  };
}

// ---------------------------------------------------------- integrity checks

/** Every counter that differs from the number of rows it counts. */
export function counterMismatches(tables: Tables): string[] {
  const count = <T>(rows: T[], belongs: (row: T) => boolean) =>
    rows.filter(belongs).length;
  const problems: string[] = [];
  const check = (what: string, stored: number, actual: number) => {
    if (stored !== actual) {
      problems.push(`${what}: stored ${stored}, rows ${actual}`);
    }
  };
  for (const c of tables.customers) {
    check(
      `customer ${c._id} followersCount`,
      c.followersCount,
      count(tables.customerFollows, (f) => f.followingId === c._id),
    );
    check(
      `customer ${c._id} followingCustomersCount`,
      c.followingCustomersCount,
      count(tables.customerFollows, (f) => f.followerId === c._id),
    );
    check(
      `customer ${c._id} followingStoresCount`,
      c.followingStoresCount,
      count(tables.storeFollows, (f) => f.customerId === c._id),
    );
  }
  for (const s of tables.stores) {
    check(
      `store ${s._id} followersCount`,
      s.followersCount,
      count(tables.storeFollows, (f) => f.storeId === s._id),
    );
  }
  for (const p of tables.products) {
    check(
      `product ${p._id} likesCount`,
      p.likesCount,
      count(tables.productLikes, (l) => l.productId === p._id),
    );
  }
  return problems;
}

/** The customer ids each related row points to. */
const relatedOwners = {
  addresses: (row: Doc<"addresses">) => [row.customerId],
  storeFollows: (row: Doc<"storeFollows">) => [row.customerId],
  customerFollows: (row: Doc<"customerFollows">) => [
    row.followerId,
    row.followingId,
  ],
  productLikes: (row: Doc<"productLikes">) => [row.customerId],
  carts: (row: Doc<"carts">) => [row.customerId],
  searchHistory: (row: Doc<"searchHistory">) => [row.customerId],
};
export type RelatedTable = keyof typeof relatedOwners;
export const relatedTables = Object.keys(relatedOwners) as RelatedTable[];

function ownersOf(table: RelatedTable, row: Tables[RelatedTable][number]) {
  return (relatedOwners[table] as (row: unknown) => Id<"customers">[])(row);
}

/** Related rows that point to a customer who no longer exists. */
export function orphans(tables: Tables): string[] {
  const existing = new Set(tables.customers.map(({ _id }) => _id));
  return relatedTables.flatMap((table) =>
    tables[table]
      .filter((row) => ownersOf(table, row).some((id) => !existing.has(id)))
      .map((row) => `${table} ${row._id}`),
  );
}

/** What bulkDeleteCustomers(ids) must remove from `before`, and report. */
export function expectedDeletion(before: Tables, ids: Id<"customers">[]) {
  const doomed = new Set(
    before.customers
      .filter((customer) => ids.includes(customer._id))
      .map(({ _id }) => _id),
  );
  const removedRows = new Set<string>();
  for (const table of relatedTables) {
    for (const row of before[table]) {
      if (ownersOf(table, row).some((id) => doomed.has(id))) {
        removedRows.add(row._id);
      }
    }
  }
  const storedFiles = new Set(before.files);
  const removedFiles = new Set(
    before.customers.flatMap((customer) =>
      doomed.has(customer._id) &&
      customer.avatarId !== undefined &&
      storedFiles.has(customer.avatarId)
        ? [customer.avatarId]
        : [],
    ),
  );
  return {
    deletedCustomerIds: doomed,
    removedRows,
    removedFiles,
    result: {
      customersDeleted: doomed.size,
      relatedDeleted: removedRows.size + removedFiles.size,
    },
  };
}
