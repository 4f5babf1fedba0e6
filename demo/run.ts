// `npm run demo`: the Customers Admin API on convex-test's embedded backend.
// Seeds a marketplace of about 5,200 customers whose sign-ups span a year,
// then calls every public function as an admin, the way the dashboard does,
// and prints each result.
import { api, internal } from "../convex/_generated/api";
import { SEED_CHUNK_SIZE } from "../convex/seed";
import type { Id } from "../convex/_generated/dataModel";
import { createEmbeddedBackend } from "../tools/embeddedBackend";
import { aggregateModules, appModules } from "../tools/moduleMaps";
import { planSignups, withClock } from "../tools/signupClock";
import { indexTablesOnFirstUse } from "../tools/tableIndex";

const CUSTOMERS = 5200;
const ADMIN = { subject: "admin_demo", name: "Demo Admin" };

function show(title: string, value: unknown) {
  console.log(`\n## ${title}\n${JSON.stringify(value, null, 2)}`);
}

async function main() {
  const started = Date.now();
  indexTablesOnFirstUse();
  const t = createEmbeddedBackend({
    app: appModules(),
    aggregate: aggregateModules(),
  });

  console.log(
    `Seeding ${CUSTOMERS} customers with their orders, addresses, follows, likes, carts and search history`,
  );
  const signups = planSignups(CUSTOMERS, started, SEED_CHUNK_SIZE);
  // The stores and places come first, before the oldest customer.
  const reference = await withClock(signups[0].createdAt, () =>
    t.mutation(internal.seed.seedReferenceData, {}),
  );
  let followTargets: Id<"customers">[] = [];
  let seeded = 0;
  for (const chunk of signups) {
    const ids = await withClock(chunk.createdAt, () =>
      t.mutation(internal.seed.seedCustomers, {
        firstIndex: chunk.firstIndex,
        count: chunk.count,
        followTargets,
        reference,
      }),
    );
    followTargets = followTargets.concat(ids).slice(-200);
    seeded += ids.length;
    if (seeded % 400 < chunk.count || seeded === CUSTOMERS) {
      process.stdout.write(`\r  ${seeded} / ${CUSTOMERS} customers`);
    }
  }
  console.log(`\n  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // After the seeding: the embedded backend keeps creation times increasing.
  await t.run((ctx) =>
    ctx.db.insert("admins", {
      userId: ADMIN.subject,
      name: ADMIN.name,
      isActive: true,
    }),
  );
  const admin = t.withIdentity(ADMIN);

  const customersAdmin = api.admins.customersAdmin;
  show(
    "getCustomerStatistics",
    await admin.query(customersAdmin.getCustomerStatistics, {}),
  );

  const newest = await admin.query(customersAdmin.getAllCustomers, {
    paginationOpts: { numItems: 3, cursor: null },
  });
  show("getAllCustomers: newest 3", newest);
  show(
    "getAllCustomers: inactive, next page after 2",
    await admin.query(customersAdmin.getAllCustomers, {
      status: "inactive",
      paginationOpts: {
        numItems: 2,
        cursor: (
          await admin.query(customersAdmin.getAllCustomers, {
            status: "inactive",
            paginationOpts: { numItems: 2, cursor: null },
          })
        ).continueCursor,
      },
    }),
  );
  show(
    "getAllCustomers: high value only, top 3 spenders",
    await admin.query(customersAdmin.getAllCustomers, {
      highValueOnly: true,
      paginationOpts: { numItems: 3, cursor: null },
    }),
  );
  const search = await admin.query(customersAdmin.getAllCustomers, {
    status: "active",
    searchQuery: "ahmed",
    paginationOpts: { numItems: 3, cursor: null },
  });
  show('getAllCustomers: active, searchQuery "ahmed"', search);

  const customerId = search.page[0]._id;
  const avatarId = await t.run(async (ctx) => {
    const storageId = await ctx.storage.store(
      new Blob(["avatar"], { type: "image/png" }),
    );
    await ctx.db.patch("customers", customerId, { avatarId: storageId });
    return storageId;
  });
  show(
    `getCustomerDetails (${customerId}, avatar ${avatarId})`,
    await admin.query(customersAdmin.getCustomerDetails, { customerId }),
  );

  show(
    "updateCustomerStatus: deactivate with a reason",
    await admin.mutation(customersAdmin.updateCustomerStatus, {
      customerId,
      isActive: false,
      reason: "Repeated policy violations",
    }),
  );
  show(
    "getAuditLog for that customer",
    await admin.query(customersAdmin.getAuditLog, {
      customerId,
      paginationOpts: { numItems: 5, cursor: null },
    }),
  );

  const toDelete = [customerId, ...newest.page.map((customer) => customer._id)];
  show(
    `bulkDeleteCustomers (${toDelete.length} customers)`,
    await admin.action(customersAdmin.bulkDeleteCustomers, {
      customerIds: toDelete,
    }),
  );
  show(
    "listBulkDeletions: the progress record",
    await admin.query(customersAdmin.listBulkDeletions, {
      paginationOpts: { numItems: 1, cursor: null },
    }),
  );
  show(
    "getCustomerStatistics after the deletion",
    await admin.query(customersAdmin.getCustomerStatistics, {}),
  );
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
