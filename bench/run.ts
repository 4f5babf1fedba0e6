// `npm run bench`: the Customers Admin API at 10,000, 20,000 and 40,000
// customers on convex-test's embedded backend with Convex's transaction
// limits, each public function beside its naive baseline (bench/naive.ts).
// Prints the table and the issue's targets, and writes bench/RESULTS.md.
// BENCH_SIZES=2000,4000 and BENCH_REPEATS=3 make a quick run.
import { writeFileSync } from "node:fs";
import { api } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import {
  matchesSearch,
  parseSearchQuery,
} from "../convex/model/customerSearch";
import { createEmbeddedBackend } from "../tools/embeddedBackend";
import { aggregateModules, appModules } from "../tools/moduleMaps";
import { withClock } from "../tools/signupClock";
import { indexTablesOnFirstUse } from "../tools/tableIndex";
import {
  errorMessage,
  measureInTransaction,
  recordTransactions,
  repeat,
  type Sample,
} from "./measure";
import {
  naiveBulkDelete,
  naiveCustomerDetails,
  naiveListCustomers,
  naiveSetCustomerStatus,
  naiveStatistics,
  type NaiveListArgs,
} from "./naive";
import {
  checkTargets,
  machineInfo,
  markdownTable,
  targetLines,
  textTable,
  type Row,
} from "./report";
import { statisticsBreakdown, type StepCost } from "./statsBreakdown";
import {
  DAY,
  createLargeCustomer,
  seedMore,
  startMarketplace,
  type Marketplace,
} from "./seeding";

const SIZES = (process.env.BENCH_SIZES ?? "10000,20000,40000")
  .split(",")
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0)
  .sort((a, b) => a - b);
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 5));
/** A family name of the seed (10 x 10 syllables): about 1% of customers. */
const SEARCH_TERM = "benhadi";
const PAGE_SIZE = 20;
/** Customers per bulk deletion: one full batch of the action. */
const DELETE_COUNT = 10;
/** Bulk deletions per size: each one is slow on the embedded backend. */
const DELETE_REPEATS = Math.min(REPEATS, 3);
const ADMIN = { subject: "admin_bench", name: "Bench Admin" };
const RESULTS_FILE = new URL("./RESULTS.md", import.meta.url);

const customersAdmin = api.admins.customersAdmin;
const integer = new Intl.NumberFormat("en-US");

type Backend = ReturnType<typeof createEmbeddedBackend>;
type Admin = ReturnType<Backend["withIdentity"]>;
type ListArgs = Omit<NaiveListArgs, "numItems">;

type Context = {
  market: Marketplace;
  t: Backend;
  admin: Admin;
  size: number;
  largeCustomerId: Id<"customers">;
  /** Customers that no case of this size may delete. */
  keep: Set<Id<"customers">>;
  /** Customers of this step not yet used by a case. */
  spare: Id<"customers">[];
  /** Customers the deletion cases removed. */
  deleted: number;
};

const LIST_CASES: { name: string; kind: "page" | "search"; args: ListArgs }[] =
  [
    { name: "getAllCustomers: page of 20", kind: "page", args: {} },
    {
      name: "getAllCustomers: status active",
      kind: "page",
      args: { status: "active" },
    },
    {
      name: "getAllCustomers: status inactive",
      kind: "page",
      args: { status: "inactive" },
    },
    {
      name: "getAllCustomers: highValueOnly",
      kind: "page",
      args: { highValueOnly: true },
    },
    {
      name: "getAllCustomers: highValueOnly + active",
      kind: "page",
      args: { highValueOnly: true, status: "active" },
    },
    {
      name: "getAllCustomers: highValueOnly + inactive",
      kind: "page",
      args: { highValueOnly: true, status: "inactive" },
    },
    {
      name: `getAllCustomers: search "${SEARCH_TERM}"`,
      kind: "search",
      args: { searchQuery: SEARCH_TERM },
    },
    {
      name: `getAllCustomers: search "${SEARCH_TERM}" + active`,
      kind: "search",
      args: { searchQuery: SEARCH_TERM, status: "active" },
    },
  ];

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

function takeSpare(context: Context, count: number): Id<"customers">[] {
  const taken: Id<"customers">[] = [];
  while (taken.length < count && context.spare.length > 0) {
    // Spread over the step's customers, not the newest run of them.
    const index = Math.floor(context.spare.length / 2);
    const [id] = context.spare.splice(index, 1);
    if (!context.keep.has(id)) {
      taken.push(id);
    }
  }
  return taken;
}

function same(a: unknown, b: unknown): string {
  return JSON.stringify(a) === JSON.stringify(b) ? "yes" : "NO";
}

type Page = { page: { _id: string }[]; isDone: boolean };

function describePage(page: Page): string {
  return `${page.page.length} items${page.isDone ? ", done" : ""}`;
}

async function statisticsRow(context: Context): Promise<Row> {
  const { admin, t } = context;
  const real = await repeat(REPEATS, () =>
    measureInTransaction(admin, (ctx) =>
      ctx.runQuery(customersAdmin.getCustomerStatistics, {}),
    ),
  );
  const naive = await repeat(REPEATS, () =>
    measureInTransaction(t, (ctx) => naiveStatistics(ctx)),
  );
  return {
    size: context.size,
    name: "getCustomerStatistics",
    kind: "stats",
    real,
    summary: real.ok
      ? Object.entries(real.value)
          .map(
            ([key, value]) =>
              `${key.replace("Customers", "")} ${integer.format(value as number)}`,
          )
          .join(", ")
      : "",
    naive,
    naiveSummary: "",
    agrees: real.ok && naive.ok ? same(real.value, naive.value) : "—",
  };
}

async function listRow(
  context: Context,
  listCase: (typeof LIST_CASES)[number],
): Promise<Row> {
  const { admin, t } = context;
  const real = await repeat(REPEATS, () =>
    measureInTransaction(admin, (ctx) =>
      ctx.runQuery(customersAdmin.getAllCustomers, {
        ...listCase.args,
        paginationOpts: { numItems: PAGE_SIZE, cursor: null },
      }),
    ),
  );
  const naive = await repeat(REPEATS, () =>
    measureInTransaction(t, (ctx) =>
      naiveListCustomers(ctx, { ...listCase.args, numItems: PAGE_SIZE }),
    ),
  );
  let agrees = "—";
  if (real.ok && naive.ok) {
    const realIds = real.value.page.map((customer) => customer._id);
    const naiveIds = naive.value.map((customer) => customer._id);
    if (listCase.kind === "search") {
      // The search index ranks by relevance, the naive list newest first:
      // both pages must hold only matches, as many as there are.
      const search = parseSearchQuery(listCase.args.searchQuery)!;
      const allMatch = real.value.page.every((customer) =>
        matchesSearch(customer, search),
      );
      agrees =
        allMatch && realIds.length === naiveIds.length
          ? "yes (matches only, same count)"
          : "NO";
    } else {
      agrees = same(realIds, naiveIds);
    }
  }
  return {
    size: context.size,
    name: listCase.name,
    kind: listCase.kind,
    real,
    summary: real.ok ? describePage(real.value) : "",
    naive,
    naiveSummary: "",
    agrees,
  };
}

async function detailsRow(context: Context): Promise<Row> {
  const { admin, t, largeCustomerId } = context;
  const real = await repeat(REPEATS, () =>
    measureInTransaction(admin, (ctx) =>
      ctx.runQuery(customersAdmin.getCustomerDetails, {
        customerId: largeCustomerId,
      }),
    ),
  );
  const naive = await repeat(REPEATS, () =>
    measureInTransaction(t, (ctx) =>
      naiveCustomerDetails(ctx, largeCustomerId),
    ),
  );
  const shape = (details: {
    recentOrders: { _id: string }[];
    addresses: { _id: string }[];
  }) => ({
    orders: details.recentOrders.map((order) => order._id),
    addresses: details.addresses.map((address) => address._id).sort(),
  });
  return {
    size: context.size,
    name: "getCustomerDetails: 100 orders, 10 addresses",
    kind: "details",
    real,
    summary:
      real.ok && real.value !== null
        ? `${real.value.recentOrders.length} recent orders, ${real.value.addresses.length} addresses`
        : "null",
    naive,
    naiveSummary: "",
    agrees:
      real.ok && naive.ok && real.value !== null && naive.value !== null
        ? same(shape(real.value), shape(naive.value))
        : "—",
  };
}

async function statusRow(context: Context): Promise<Row> {
  const { admin, t } = context;
  const [realId, naiveId] = takeSpare(context, 2);
  const initial = await t.run(async (ctx) => ({
    real: (await ctx.db.get("customers", realId))!.isActive,
    naive: (await ctx.db.get("customers", naiveId))!.isActive,
  }));
  let realActive = initial.real;
  const real = await repeat(REPEATS, async () => {
    const sample = await measureInTransaction(admin, (ctx) =>
      ctx.runMutation(customersAdmin.updateCustomerStatus, {
        customerId: realId,
        isActive: !realActive,
        reason: "bench toggle",
      }),
    );
    realActive = !realActive;
    return sample;
  });
  // An even number of naive toggles: they write around the triggers, so the
  // customer must end as it began.
  let naiveActive = initial.naive;
  const naive = await repeat(REPEATS + (REPEATS % 2), async () => {
    const sample = await measureInTransaction(t, (ctx) =>
      naiveSetCustomerStatus(ctx, ADMIN.subject, naiveId, !naiveActive),
    );
    naiveActive = !naiveActive;
    return sample;
  });
  return {
    size: context.size,
    name: "updateCustomerStatus: toggle",
    kind: "status",
    real,
    summary: real.ok ? JSON.stringify(real.value) : "",
    naive,
    naiveSummary: "no aggregates to update",
    agrees: "—",
  };
}

type DeletionTotals = { customersDeleted: number; relatedDeleted: number };

async function bulkDeleteRow(context: Context): Promise<Row> {
  const { admin, t } = context;
  const transactionsPerCall: number[] = [];
  const documentsPerCall: number[] = [];
  const totals: DeletionTotals = { customersDeleted: 0, relatedDeleted: 0 };
  const real = await repeat(
    DELETE_REPEATS,
    async (): Promise<Sample<DeletionTotals>> => {
      const customerIds = takeSpare(context, DELETE_COUNT);
      const start = performance.now();
      const { value, transactions } = await recordTransactions(() =>
        admin.action(customersAdmin.bulkDeleteCustomers, { customerIds }),
      );
      const ms = performance.now() - start;
      transactionsPerCall.push(transactions.length);
      documentsPerCall.push(
        transactions.reduce(
          (sum, transaction) => sum + transaction.documentsRead,
          0,
        ),
      );
      totals.customersDeleted += value.customersDeleted;
      context.deleted += value.customersDeleted;
      totals.relatedDeleted += value.relatedDeleted;
      return {
        // The heaviest transaction of the action: its batch mutation.
        documentsRead: Math.max(
          ...transactions.map((transaction) => transaction.documentsRead),
        ),
        databaseQueries: Math.max(
          ...transactions.map((transaction) => transaction.databaseQueries),
        ),
        ms,
        value,
      };
    },
  );
  const naiveTotals: DeletionTotals = {
    customersDeleted: 0,
    relatedDeleted: 0,
  };
  const naive = await repeat(DELETE_REPEATS, async () => {
    const sample = await measureInTransaction(t, (ctx) =>
      naiveBulkDelete(ctx, takeSpare(context, DELETE_COUNT)),
    );
    naiveTotals.customersDeleted += sample.value.customersDeleted;
    context.deleted += sample.value.customersDeleted;
    naiveTotals.relatedDeleted += sample.value.relatedDeleted;
    return sample;
  });
  const perCall = (sum: DeletionTotals, calls: number) =>
    `${(sum.customersDeleted / calls).toFixed(0)} customers + ${(sum.relatedDeleted / calls).toFixed(1)} related per call`;
  return {
    size: context.size,
    name: `bulkDeleteCustomers: ${DELETE_COUNT} customers (action)`,
    kind: "delete",
    real,
    summary: real.ok
      ? `${perCall(totals, real.calls)}; ${Math.max(...transactionsPerCall)} transactions, at most ${Math.max(...documentsPerCall)} docs read in all; docs/ranges = heaviest transaction (the batch)`
      : "",
    naive,
    naiveSummary: naive.ok
      ? `one mutation; ${perCall(naiveTotals, naive.calls)}`
      : "",
    agrees: "—",
  };
}

/**
 * How many customers match the search term, by scanning the table in
 * pages (several transactions), and how many the real search returns when
 * paged to the end.
 */
async function searchCoverage(context: Context) {
  const { t, admin } = context;
  const search = parseSearchQuery(SEARCH_TERM)!;
  let cursor: string | null = null;
  let matching = 0;
  let total = 0;
  for (;;) {
    const page: {
      matches: number;
      count: number;
      cursor: string;
      done: boolean;
    } = await t.run(async (ctx) => {
      const result = await ctx.db
        .query("customers")
        .paginate({ numItems: 4000, cursor });
      return {
        matches: result.page.filter((customer) =>
          matchesSearch(customer, search),
        ).length,
        count: result.page.length,
        cursor: result.continueCursor,
        done: result.isDone,
      };
    });
    matching += page.matches;
    total += page.count;
    cursor = page.cursor;
    if (page.done) {
      break;
    }
  }
  let found = 0;
  let pages = 0;
  let searchCursor: string | null = null;
  for (;;) {
    const result: Page & { continueCursor: string } = await admin.query(
      customersAdmin.getAllCustomers,
      {
        searchQuery: SEARCH_TERM,
        paginationOpts: { numItems: 100, cursor: searchCursor },
      },
    );
    found += result.page.length;
    pages += 1;
    searchCursor = result.continueCursor;
    if (result.isDone || pages > 1000) {
      break;
    }
  }
  return { matching, total, found, pages };
}

async function measureSize(context: Context): Promise<Row[]> {
  const rows: Row[] = [];
  const run = async (label: string, work: () => Promise<Row | Row[]>) => {
    const start = performance.now();
    const result = await work();
    rows.push(...(Array.isArray(result) ? result : [result]));
    log(`  ${label} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  };
  await run("getCustomerStatistics", () => statisticsRow(context));
  for (const listCase of LIST_CASES) {
    await run(listCase.name, () => listRow(context, listCase));
  }
  await run("getCustomerDetails", () => detailsRow(context));
  await run("updateCustomerStatus", () => statusRow(context));
  await run("bulkDeleteCustomers", () => bulkDeleteRow(context));
  return rows;
}

/** Nobody may call the admin API anonymously, and the bench's admin may. */
async function checkAuth(t: Backend, admin: Admin): Promise<string> {
  let anonymous: string;
  try {
    await t.run((ctx) =>
      ctx.runQuery(customersAdmin.getCustomerStatistics, {}),
    );
    anonymous = "anonymous call ACCEPTED (unexpected)";
  } catch (error) {
    anonymous = `anonymous call rejected (${errorMessage(error)})`;
  }
  const viaRun = await admin.run(async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    await ctx.runQuery(customersAdmin.getCustomerStatistics, {});
    return identity?.subject;
  });
  return `${anonymous}; admin.run + ctx.runQuery carries identity "${viaRun}" and passes requireAdmin`;
}

/** The statistics' aggregate reads, one row per read, one column per size. */
function breakdownTable(breakdowns: Map<number, StepCost[]>): string {
  const sizes = [...breakdowns.keys()];
  const first = breakdowns.get(sizes[0]) ?? [];
  const header = [
    "aggregate read",
    ...sizes.map((size) => `docs read / ranges at ${integer.format(size)}`),
  ];
  const lines = first.map((cost, index) => [
    cost.step,
    ...sizes.map((size) => {
      const at = breakdowns.get(size)![index];
      return `${at.documentsRead} / ${at.databaseQueries}`;
    }),
  ]);
  return [header, header.map(() => "---"), ...lines]
    .map((line) => `| ${line.join(" | ")} |`)
    .join("\n");
}

function renderMarkdown(
  rows: Row[],
  notes: string[],
  targets: string[],
  breakdown: string,
): string {
  const sections = SIZES.map(
    (size) =>
      `### ${integer.format(size)} customers\n\n${markdownTable(rows.filter((row) => row.size === size))}`,
  );
  return [
    "# Customers Admin API: benchmark",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand.",
    "",
    "Each public function of `convex/admins/customersAdmin.ts` is called as an admin on convex-test's embedded backend with Convex's transaction limits enforced (`transactionLimits: true`), beside a naive baseline (bench/naive.ts) that does the same job by collecting rows and counting, filtering and sorting in JavaScript, in a `t.run` transaction with the same limits. Documents read and index ranges (`databaseQueries`) are the difference of `ctx.meta.getTransactionMetrics()` around a nested `ctx.runQuery`/`ctx.runMutation` inside `admin.run`; the time is the median over the calls, measured inside the call.",
    "",
    "**convex-test's times are not Convex's times.** The embedded backend answers every index lookup by walking and sorting the table in memory, so its times grow with table size even where a real deployment's would not. The documents-read column is the figure that carries over to a real deployment (where the limit is 32,000 documents, 16 MiB and 4,096 index ranges per transaction).",
    "",
    `Machine: ${machineInfo()}. Calls per case: ${REPEATS}.`,
    "",
    "## Targets",
    "",
    ...targets.map((line) => `- ${line}`),
    "",
    "## Results",
    "",
    ...sections.flatMap((section) => [section, ""]),
    "## Where getCustomerStatistics reads its documents",
    "",
    "Each aggregate read of convex/model/customerStats.ts measured alone, in a transaction of its own (so each pays the component's tree lookup again; the function's total is close to the sum of the status counts, the countBatch, the threshold and the high-value count).",
    "",
    breakdown,
    "",
    "## Notes",
    "",
    ...notes.map((note) => `- ${note}`),
    "",
  ].join("\n");
}

async function main() {
  const started = performance.now();
  indexTablesOnFirstUse();
  const t = createEmbeddedBackend({
    app: appModules(),
    aggregate: aggregateModules(),
  });
  const admin = t.withIdentity(ADMIN);
  log(
    `Customers Admin bench: sizes ${SIZES.join(", ")}, ${REPEATS} calls per case. ${machineInfo()}`,
  );
  // Sign-ups arrive at a constant rate, the first size's worth a year: step
  // k's customers sign up over the span ending at `nows[k]`, the last step
  // ends today. So the rolling windows hold as many customers at every size,
  // and what changes from size to size is the number of customers alone.
  const today = Date.now();
  const spanDays = SIZES.map(
    (size, step) => ((size - (SIZES[step - 1] ?? 0)) / SIZES[0]) * 365,
  );
  const nows = SIZES.map(
    (_, step) =>
      today -
      spanDays.slice(step + 1).reduce((sum, days) => sum + days, 0) * DAY,
  );
  const market = await startMarketplace(t, nows[0] - spanDays[0] * DAY - 1000);
  const rows: Row[] = [];
  const notes: string[] = [];
  const breakdowns = new Map<number, StepCost[]>();
  let largeCustomerId: Id<"customers"> | null = null;
  for (const [step, size] of SIZES.entries()) {
    const now = nows[step];
    const seeded = market.customerIds.length;
    log(
      `\nSeeding customers ${seeded + 1}..${size}, signed up over the ${Math.round(spanDays[step])} days to ${new Date(now).toISOString().slice(0, 10)}`,
    );
    const stepStart = market.customerIds.length;
    await seedMore(market, size - seeded, now, spanDays[step]);
    const stepIds = market.customerIds.slice(stepStart);
    const context = await withClock(now, async () => {
      if (largeCustomerId === null) {
        // After the first customers: creation times only increase.
        await t.run((ctx) =>
          ctx.db.insert("admins", {
            userId: ADMIN.subject,
            name: ADMIN.name,
            isActive: true,
          }),
        );
        largeCustomerId = await createLargeCustomer(market, {
          orders: 100,
          addresses: 10,
        });
        const auth = await checkAuth(t, admin);
        log(`  auth: ${auth}`);
        notes.push(`Auth: ${auth}.`);
      }
      return {
        market,
        t,
        admin,
        size,
        largeCustomerId,
        // The newest customers are the next chunk's follow targets.
        keep: new Set([largeCustomerId, ...market.followTargets]),
        spare: stepIds.slice(0, -market.followTargets.length),
        deleted: 0,
      };
    });
    log(`Measuring at ${integer.format(size)} customers`);
    await withClock(now, async () => {
      const coverage = await searchCoverage(context);
      const line = `At ${integer.format(size)}: "${SEARCH_TERM}" matches ${coverage.matching} of ${integer.format(coverage.total)} customers (${((coverage.matching / coverage.total) * 100).toFixed(2)}%); the real search paged to the end (pages of 100) returned ${coverage.found} in ${coverage.pages} pages.`;
      log(`  ${line}`);
      notes.push(line);
      rows.push(...(await measureSize(context)));
      breakdowns.set(size, await statisticsBreakdown(admin));
    });
    const deleted = context.deleted;
    notes.push(
      `At ${integer.format(size)}: the deletion cases removed ${deleted} of the step's customers, so later sizes hold that many fewer than N.`,
    );
    console.log(`\n${textTable(rows.filter((row) => row.size === size))}\n`);
  }
  notes.push(
    "Sign-ups arrive at a constant rate (the first size's worth a year): each size's new customers are spread by planSignups (hourly groups for the last two days, six-hourly for the last forty, three-daily before) over a span proportional to their number, each span after the previous one, and the clock reads that span's end while measuring; so the rolling windows hold about as many customers at every size, and the naive and real statistics use the same `now`.",
    "updateCustomerStatus: the naive row is a plain patch plus an audit row, with no aggregate to keep in step, so it is cheaper than the real one by design; it writes around the triggers, so the bench calls it an even number of times.",
    "bulkDeleteCustomers is an action: its time is the whole action (an admin check, a start, one batch mutation of 10, a finish); its documents and index ranges are those of its heaviest transaction, recorded by wrapping convex-test's metrics tracker. The naive row deletes the same kind of set in one mutation.",
    `Median over ${REPEATS} calls (${DELETE_REPEATS} for bulkDeleteCustomers); documents and index ranges are the most any call used (they do not vary between calls).`,
  );
  const targets = targetLines(checkTargets(rows, SIZES));
  console.log(`Targets:\n${targets.map((line) => `  ${line}`).join("\n")}`);
  const breakdown = breakdownTable(breakdowns);
  console.log(`\nWhere getCustomerStatistics reads:\n${breakdown}\n`);
  writeFileSync(RESULTS_FILE, renderMarkdown(rows, notes, targets, breakdown));
  log(
    `\nWrote bench/RESULTS.md in ${((performance.now() - started) / 60_000).toFixed(1)} min`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
