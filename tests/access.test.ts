// Access that holds: every public function of convex/admins/, found from the
// modules themselves, refuses callers who are not active admins and changes
// nothing; internal functions stay out of `api`; every bad input is refused
// before anything changes.
import {
  makeFunctionReference,
  type FunctionReference,
  type FunctionType,
} from "convex/server";
import { describe, expect, expectTypeOf, test } from "vitest";
import { api, internal } from "../convex/_generated/api";
import type { Id, TableNames } from "../convex/_generated/dataModel";
import schema from "../convex/schema";
import {
  createAdmin,
  createCustomer,
  createProduct,
  createStore,
  customerFields,
  followCustomer,
  followStore,
  likeProduct,
} from "./fixtures";
import { createTestBackend, type TestBackend } from "./testBackend";

// ---------------------------------------------------------------------------
// The functions, from the modules themselves.

type RegisteredExport = {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
};

type AdminFunction = {
  /** "admins/<module>:<export>", the path Convex and convex-test resolve. */
  path: string;
  /** "<module>:<export>", the key of the argument map. */
  name: string;
  kind: FunctionType;
  isPublic: boolean;
  isInternal: boolean;
};

const adminModules: Record<string, Record<string, unknown>> = import.meta.glob(
  "../convex/admins/*.ts",
  { eager: true },
);

function kindOf(value: RegisteredExport): FunctionType | null {
  if (value.isQuery) return "query";
  if (value.isMutation) return "mutation";
  if (value.isAction) return "action";
  return null;
}

/** Every registered Convex function exported by a module of convex/admins/. */
const adminFunctions: AdminFunction[] = Object.entries(adminModules).flatMap(
  ([file, exports]) => {
    const module = file.replace(/^\.\.\/convex\//, "").replace(/\.ts$/, "");
    return Object.entries(exports).flatMap(([exportName, value]) => {
      if (typeof value !== "function") return [];
      const registered = value as RegisteredExport;
      const kind = kindOf(registered);
      if (kind === null) return [];
      const name = `${module.replace(/^admins\//, "")}:${exportName}`;
      return [
        {
          path: `${module}:${exportName}`,
          name,
          kind,
          isPublic: registered.isPublic === true,
          isInternal: registered.isInternal === true,
        },
      ];
    });
  },
);
const publicFunctions = adminFunctions.filter((fn) => fn.isPublic);
const internalFunctions = adminFunctions.filter((fn) => !fn.isPublic);

type Client = Pick<TestBackend, "query" | "mutation" | "action">;

function call(
  client: Client,
  fn: AdminFunction,
  args: Record<string, unknown>,
) {
  switch (fn.kind) {
    case "query":
      return client.query(makeFunctionReference<"query">(fn.path), args);
    case "mutation":
      return client.mutation(makeFunctionReference<"mutation">(fn.path), args);
    case "action":
      return client.action(makeFunctionReference<"action">(fn.path), args);
  }
}

// ---------------------------------------------------------------------------
// A small marketplace with something in every table, and the callers.

type World = Awaited<ReturnType<typeof seedWorld>>;

async function seedWorld(t: TestBackend) {
  const admin = await createAdmin(t, { userId: "admin_active" });
  await createAdmin(t, { userId: "admin_deactivated", isActive: false });
  const avatarId = await t.run((ctx) =>
    ctx.storage.store(new Blob(["avatar"])),
  );
  const customerId = await createCustomer(t, {
    userId: "customer_user",
    name: "Amira Haddad",
    email: "amira@example.com",
    avatarId,
    stats: { totalOrders: 2, totalSpent: 120, lastOrderDate: 1 },
  });
  const otherId = await createCustomer(t, { name: "Omar Khalil" });
  const goneId = await createCustomer(t, { name: "Leaving Soon" });
  const storeId = await createStore(t);
  const productId = await createProduct(t, storeId);
  await followStore(t, customerId, storeId);
  await followCustomer(t, otherId, customerId);
  await likeProduct(t, customerId, productId);
  await t.run(async (ctx) => {
    const cityId = await ctx.db.insert("cities", { name: "Dubai" });
    const areaId = await ctx.db.insert("areas", { cityId, name: "Marina" });
    await ctx.db.insert("addresses", {
      customerId,
      label: "Home",
      fullAddress: "1 Marina Walk",
      cityId,
      areaId,
      isDefault: true,
    });
    await ctx.db.insert("orders", {
      customerId,
      storeId,
      status: "delivered",
      totalAmount: 120,
      items: [{ productId, name: "Margherita", quantity: 2, unitPrice: 60 }],
    });
    await ctx.db.insert("carts", {
      customerId,
      storeId,
      items: [{ productId, quantity: 1 }],
    });
    await ctx.db.insert("searchHistory", { customerId, query: "pizza" });
  });
  // An audit entry and a finished bulk deletion, so those tables are not empty.
  await admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
    customerId: otherId,
    isActive: false,
    reason: "Spam",
  });
  await admin.action(api.admins.customersAdmin.bulkDeleteCustomers, {
    customerIds: [goneId],
  });
  return { admin, customerId, otherId, goneId, storeId, productId };
}

/** Every document of every table, the stored files, and the statistics. */
async function snapshot(t: TestBackend, world: World) {
  const tables = await t.run(async (ctx) => {
    const all: Record<string, unknown[]> = {};
    for (const table of Object.keys(schema.tables) as TableNames[]) {
      all[table] = await ctx.db.query(table).collect();
    }
    all._storage = await ctx.db.system.query("_storage").collect();
    return all;
  });
  // The aggregates live in components that t.run cannot read; the statistics
  // are read from them.
  const statistics = await world.admin.query(
    api.admins.customersAdmin.getCustomerStatistics,
    {},
  );
  return { tables, statistics };
}

// ---------------------------------------------------------------------------
// Valid arguments for each public function, by "<module>:<export>". A public
// function without an entry fails the test below.

const validArgs: Record<string, (world: World) => Record<string, unknown>> = {
  "customersAdmin:getCustomerStatistics": () => ({}),
  "customersAdmin:getAllCustomers": () => ({
    status: "active",
    searchQuery: "amira",
    highValueOnly: true,
    paginationOpts: { numItems: 10, cursor: null },
  }),
  "customersAdmin:getCustomerDetails": (world) => ({
    customerId: world.customerId,
  }),
  "customersAdmin:updateCustomerStatus": (world) => ({
    customerId: world.customerId,
    isActive: false,
    reason: "Suspected fraud",
  }),
  "customersAdmin:bulkDeleteCustomers": (world) => ({
    customerIds: [world.customerId, world.otherId],
  }),
  "customersAdmin:listBulkDeletions": () => ({
    paginationOpts: { numItems: 10, cursor: null },
  }),
  "customersAdmin:getAuditLog": (world) => ({
    customerId: world.otherId,
    paginationOpts: { numItems: 10, cursor: null },
  }),
};

const refusedCallers = [
  { who: "nobody", code: "UNAUTHENTICATED", identity: null },
  // A signed-in customer of the marketplace, with no admins row.
  { who: "a non-admin", code: "FORBIDDEN", identity: "customer_user" },
  {
    who: "a deactivated admin",
    code: "FORBIDDEN",
    identity: "admin_deactivated",
  },
] as const;

describe("every public function of convex/admins/ is for active admins only", () => {
  test("the modules export the public functions this suite knows, each with arguments", () => {
    expect(publicFunctions.length).toBeGreaterThan(0);
    const missing = publicFunctions
      .map((fn) => fn.name)
      .filter((name) => !(name in validArgs));
    expect(missing).toEqual([]);
    // And no stale entries: each entry names a public function.
    expect(Object.keys(validArgs).sort()).toEqual(
      publicFunctions.map((fn) => fn.name).sort(),
    );
  });

  test.each(publicFunctions.map((fn) => [fn.path, fn] as const))(
    "%s refuses nobody, a non-admin and a deactivated admin, and changes nothing",
    async (_path, fn) => {
      const t = createTestBackend();
      const world = await seedWorld(t);
      const args = validArgs[fn.name]?.(world);
      expect(args, `no valid arguments for ${fn.name}`).toBeDefined();
      const before = await snapshot(t, world);

      for (const caller of refusedCallers) {
        const client =
          caller.identity === null
            ? t
            : t.withIdentity({ subject: caller.identity });
        await expect(
          call(client, fn, args!),
          `${fn.path} as ${caller.who}`,
        ).rejects.toMatchObject({
          data: { code: caller.code, message: expect.any(String) },
        });
        expect(await snapshot(t, world)).toEqual(before);
      }

      // The same arguments are valid: an active admin's call succeeds.
      await expect(call(world.admin, fn, args!)).resolves.not.toThrow();
    },
  );
});

describe("no internal function of convex/admins/ is reachable through api", () => {
  // At run time the generated `api` is `anyApi`, a proxy that builds a
  // reference for any path, so it cannot show anything. What decides
  // reachability is each function's registered visibility: Convex serves
  // clients only functions registered as public, and the generated `api`
  // type is filtered on that same visibility. Both are checked here.

  test("every export that is not public is registered internal", () => {
    expect(internalFunctions.length).toBeGreaterThan(0);
    for (const fn of adminFunctions) {
      expect(fn.isPublic !== fn.isInternal, fn.path).toBe(true);
    }
    expect(internalFunctions.map((fn) => fn.path).sort()).toEqual(
      [
        "admins/access:getCallingAdmin",
        "admins/customersAdmin:deleteCustomersBatch",
        "admins/customersAdmin:finishBulkDeletion",
        "admins/customersAdmin:startBulkDeletion",
        "admins/customersMaintenance:pruneAggregate",
        "admins/customersMaintenance:rebuildDerivedData",
        "admins/customersMaintenance:repairCustomers",
      ].sort(),
    );
  });

  test("the api type holds exactly the public functions, and internal the rest", () => {
    // Type-level: these fail `tsc --noEmit` (part of `npm test`) if an
    // internal function appeared in `api`.
    expectTypeOf<keyof typeof api.admins>().toEqualTypeOf<"customersAdmin">();
    expectTypeOf<keyof typeof api.admins.customersAdmin>().toEqualTypeOf<
      | "getCustomerStatistics"
      | "getAllCustomers"
      | "getCustomerDetails"
      | "updateCustomerStatus"
      | "bulkDeleteCustomers"
      | "listBulkDeletions"
      | "getAuditLog"
    >();
    expectTypeOf<keyof typeof internal.admins.customersAdmin>().toEqualTypeOf<
      "startBulkDeletion" | "deleteCustomersBatch" | "finishBulkDeletion"
    >();
    expectTypeOf(internal.admins.customersAdmin.deleteCustomersBatch).toExtend<
      FunctionReference<"mutation", "internal">
    >();
    expectTypeOf(
      internal.admins.customersMaintenance.rebuildDerivedData,
    ).toExtend<FunctionReference<"action", "internal">>();
    expectTypeOf(internal.admins.access.getCallingAdmin).toExtend<
      FunctionReference<"query", "internal">
    >();
    // Run-time link between the two: the public functions found in the
    // modules are the ones the type lists.
    expect(
      publicFunctions.map((fn) => fn.path.replace(/^admins\//, "")).sort(),
    ).toEqual(
      [
        "customersAdmin:getCustomerStatistics",
        "customersAdmin:getAllCustomers",
        "customersAdmin:getCustomerDetails",
        "customersAdmin:updateCustomerStatus",
        "customersAdmin:bulkDeleteCustomers",
        "customersAdmin:listBulkDeletions",
        "customersAdmin:getAuditLog",
      ].sort(),
    );
  });
});

// ---------------------------------------------------------------------------
// Bad inputs. The inputs tried, as tables.

const longText = (length: number) => "x".repeat(length);
const page = (numItems: number) => ({ numItems, cursor: null });

type BadInput = {
  fn: string;
  case: string;
  args: (world: World) => Record<string, unknown>;
};

/** Inputs Convex's validators accept and this module refuses. */
const invalidArguments: (BadInput & { field: string })[] = [
  ...(["getAllCustomers", "listBulkDeletions", "getAuditLog"] as const).flatMap(
    (fn) =>
      [
        { case: "numItems 0", numItems: 0 },
        { case: "numItems negative", numItems: -5 },
        { case: "numItems fractional", numItems: 2.5 },
        { case: "numItems over 100", numItems: 101 },
        { case: "numItems NaN", numItems: NaN },
        { case: "numItems Infinity", numItems: Infinity },
      ].map((row) => ({
        fn,
        case: row.case,
        field: "paginationOpts.numItems",
        args: () => ({ paginationOpts: page(row.numItems) }),
      })),
  ),
  {
    fn: "getAllCustomers",
    case: "searchQuery of 101 characters",
    field: "searchQuery",
    args: () => ({ searchQuery: longText(101), paginationOpts: page(10) }),
  },
  {
    fn: "getAllCustomers",
    case: "searchQuery of 101 characters with the other filters",
    field: "searchQuery",
    args: () => ({
      status: "active",
      highValueOnly: true,
      searchQuery: longText(101),
      paginationOpts: page(10),
    }),
  },
  {
    fn: "bulkDeleteCustomers",
    case: "1,001 customerIds (repeats counted as given)",
    field: "customerIds",
    args: (world) => ({ customerIds: Array(1001).fill(world.customerId) }),
  },
  {
    fn: "updateCustomerStatus",
    case: "reason of 501 characters",
    field: "reason",
    args: (world) => ({
      customerId: world.customerId,
      isActive: false,
      reason: longText(501),
    }),
  },
];

/** Inputs of the wrong type or shape, which Convex's validators refuse. */
const wrongTypes: (BadInput & { error?: RegExp })[] = [
  {
    fn: "getCustomerStatistics",
    case: "an unexpected argument",
    args: () => ({ since: 0 }),
  },
  {
    fn: "getAllCustomers",
    case: "status outside the union",
    args: () => ({ status: "banned", paginationOpts: page(10) }),
  },
  {
    fn: "getAllCustomers",
    case: "searchQuery a number",
    args: () => ({ searchQuery: 42, paginationOpts: page(10) }),
  },
  {
    fn: "getAllCustomers",
    case: "highValueOnly a string",
    args: () => ({ highValueOnly: "yes", paginationOpts: page(10) }),
  },
  {
    fn: "getAllCustomers",
    case: "numItems a string",
    args: () => ({ paginationOpts: { numItems: "10", cursor: null } }),
  },
  {
    fn: "getAllCustomers",
    case: "paginationOpts missing",
    args: () => ({}),
  },
  {
    fn: "getCustomerDetails",
    case: "a storeId as customerId",
    args: (world) => ({ customerId: world.storeId }),
  },
  {
    fn: "getCustomerDetails",
    case: "customerId not an id",
    args: () => ({ customerId: "customer-1" }),
  },
  {
    fn: "getCustomerDetails",
    case: "customerId missing",
    args: () => ({}),
  },
  {
    fn: "updateCustomerStatus",
    case: "a storeId as customerId",
    args: (world) => ({ customerId: world.storeId, isActive: false }),
  },
  {
    fn: "updateCustomerStatus",
    case: "a productId as customerId",
    args: (world) => ({ customerId: world.productId, isActive: true }),
  },
  {
    fn: "updateCustomerStatus",
    case: "isActive a string",
    args: (world) => ({ customerId: world.customerId, isActive: "false" }),
  },
  {
    fn: "updateCustomerStatus",
    case: "reason a number",
    args: (world) => ({
      customerId: world.customerId,
      isActive: false,
      reason: 7,
    }),
  },
  {
    fn: "updateCustomerStatus",
    case: "isActive missing",
    args: (world) => ({ customerId: world.customerId }),
  },
  {
    fn: "bulkDeleteCustomers",
    case: "a storeId among customerIds",
    args: (world) => ({ customerIds: [world.otherId, world.storeId] }),
  },
  {
    fn: "bulkDeleteCustomers",
    case: "customerIds a single id, not an array",
    args: (world) => ({ customerIds: world.customerId }),
  },
  {
    fn: "bulkDeleteCustomers",
    case: "an unexpected argument",
    args: (world) => ({ customerIds: [world.otherId], force: true }),
  },
  {
    fn: "listBulkDeletions",
    case: "paginationOpts null",
    args: () => ({ paginationOpts: null }),
    // convex-test's object validator trips over null with a TypeError before
    // it can word a validator error; Convex itself reports a validator error.
    error: /Validator error|null/,
  },
  {
    fn: "getAuditLog",
    case: "a storeId as customerId",
    args: (world) => ({ customerId: world.storeId, paginationOpts: page(10) }),
  },
];

function publicFunction(name: string): AdminFunction {
  const fn = publicFunctions.find((f) => f.name === `customersAdmin:${name}`);
  if (fn === undefined) throw new Error(`no public function ${name}`);
  return fn;
}

describe("bad inputs are refused before anything changes", () => {
  test.each(invalidArguments.map((row) => [row.fn, row.case, row] as const))(
    "%s with %s: INVALID_ARGUMENT naming the field",
    async (_fn, _case, row) => {
      const t = createTestBackend();
      const world = await seedWorld(t);
      const before = await snapshot(t, world);

      const error = await call(
        world.admin,
        publicFunction(row.fn),
        row.args(world),
      ).then(
        () => null,
        (e: unknown) => e,
      );

      expect(error).toMatchObject({
        data: { code: "INVALID_ARGUMENT", message: expect.any(String) },
      });
      const { message } = (error as { data: { message: string } }).data;
      expect(message).toContain(row.field);
      expect(await snapshot(t, world)).toEqual(before);
    },
  );

  test.each(wrongTypes.map((row) => [row.fn, row.case, row] as const))(
    "%s with %s: refused by Convex's validators",
    async (_fn, _case, row) => {
      const t = createTestBackend();
      const world = await seedWorld(t);
      const before = await snapshot(t, world);

      await expect(
        call(world.admin, publicFunction(row.fn), row.args(world)),
      ).rejects.toThrow(row.error ?? /Validator error/);

      expect(await snapshot(t, world)).toEqual(before);
    },
  );

  test("the limits themselves are accepted", async () => {
    const t = createTestBackend();
    const world = await seedWorld(t);
    const { admin } = world;
    for (const fn of ["getAllCustomers", "listBulkDeletions", "getAuditLog"]) {
      for (const numItems of [1, 100]) {
        await expect(
          call(admin, publicFunction(fn), { paginationOpts: page(numItems) }),
        ).resolves.toMatchObject({ page: expect.any(Array) });
      }
    }
    await expect(
      admin.query(api.admins.customersAdmin.getAllCustomers, {
        searchQuery: `amira${longText(95)}`,
        paginationOpts: page(10),
      }),
    ).resolves.toMatchObject({ page: [] });
    await expect(
      admin.mutation(api.admins.customersAdmin.updateCustomerStatus, {
        customerId: world.customerId,
        isActive: false,
        reason: longText(500),
      }),
    ).resolves.toEqual({ success: true });
    const ids: Id<"customers">[] = Array(1000).fill(world.otherId);
    await expect(
      admin.action(api.admins.customersAdmin.bulkDeleteCustomers, {
        customerIds: ids,
      }),
    ).resolves.toMatchObject({ customersDeleted: 1 });
  });

  test("an over-long customerIds list deletes nothing even when its ids are real", async () => {
    const t = createTestBackend();
    const world = await seedWorld(t);
    // Raw inserts, around the triggers: only the ids matter here, and the
    // aggregates' writes would not fit 1,001 customers in one transaction.
    const many = await t.run(async (ctx) => {
      const ids: Id<"customers">[] = [];
      for (let i = 0; i < 1001; i++) {
        ids.push(await ctx.db.insert("customers", customerFields()));
      }
      return ids;
    });
    expect(many).toHaveLength(1001);
    const before = await snapshot(t, world);

    await expect(
      world.admin.action(api.admins.customersAdmin.bulkDeleteCustomers, {
        customerIds: many,
      }),
    ).rejects.toMatchObject({
      data: {
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("customerIds"),
      },
    });

    expect(await snapshot(t, world)).toEqual(before);
  });
});
