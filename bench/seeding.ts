// Grows the bench's marketplace step by step. convex-test keeps creation
// times increasing, so each step's customers sign up over their own year,
// after the previous step's: at every measured size the last day, week and
// month hold a realistic share of sign-ups, and the measuring clock is the
// step's `now`.
import { internal } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { withTriggers } from "../convex/functions";
import { SEED_CHUNK_SIZE } from "../convex/seed";
import type { EmbeddedBackend } from "../tools/embeddedBackend";
import { planSignups, withClock } from "../tools/signupClock";

export const DAY = 24 * 60 * 60 * 1000;
/** Follow targets handed to each chunk, as seedMarketplace does. */
const FOLLOW_TARGET_POOL = 200;

export type Marketplace = {
  t: EmbeddedBackend;
  reference: {
    stores: { _id: Id<"stores"> }[];
    products: {
      _id: Id<"products">;
      storeId: Id<"stores">;
      name: string;
      price: number;
    }[];
    areas: { _id: Id<"areas">; cityId: Id<"cities">; name: string }[];
  };
  /** Every customer seeded so far, oldest first (deleted ones included). */
  customerIds: Id<"customers">[];
  followTargets: Id<"customers">[];
};

/** The stores, products and places, before the first customer signs up. */
export async function startMarketplace(
  t: EmbeddedBackend,
  time: number,
): Promise<Marketplace> {
  const reference = await withClock(time, () =>
    t.mutation(internal.seed.seedReferenceData, {}),
  );
  return { t, reference, customerIds: [], followTargets: [] };
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * Seeds `count` more customers who signed up over the `spanDays` before `now`,
 * in chunks of SEED_CHUNK_SIZE or fewer (one transaction each), with
 * progress on stderr.
 */
export async function seedMore(
  market: Marketplace,
  count: number,
  now: number,
  spanDays: number,
): Promise<void> {
  const firstIndex = market.customerIds.length;
  const target = firstIndex + count;
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastReport = 0;
  const report = (done: number, final = false) => {
    const elapsed = performance.now() - started;
    if (!final && elapsed - lastReport < (tty ? 500 : 15_000)) {
      return;
    }
    lastReport = elapsed;
    const rate = (done - firstIndex) / (elapsed / 1000);
    const eta = rate > 0 ? ((target - done) / rate) * 1000 : 0;
    const line =
      `  seeded ${done} / ${target} customers` +
      ` (${Math.round(rate)}/s, ${formatDuration(elapsed)}` +
      (final ? ")" : `, about ${formatDuration(eta)} left)`);
    process.stderr.write(tty ? `\r${line.padEnd(78)}` : `${line}\n`);
    if (final && tty) {
      process.stderr.write("\n");
    }
  };
  for (const chunk of planSignups(count, now, SEED_CHUNK_SIZE, spanDays)) {
    const ids = await withClock(chunk.createdAt, () =>
      market.t.mutation(internal.seed.seedCustomers, {
        firstIndex: firstIndex + chunk.firstIndex,
        count: chunk.count,
        followTargets: market.followTargets,
        reference: market.reference,
      }),
    );
    market.customerIds.push(...ids);
    market.followTargets = market.followTargets
      .concat(ids)
      .slice(-FOLLOW_TARGET_POOL);
    report(market.customerIds.length);
  }
  report(market.customerIds.length, true);
}

/**
 * A customer with `orders` orders and `addresses` addresses over the seeded
 * stores and places, written through the triggers like any app write.
 */
export async function createLargeCustomer(
  market: Marketplace,
  { orders, addresses }: { orders: number; addresses: number },
): Promise<Id<"customers">> {
  const { stores, products, areas } = market.reference;
  return market.t.run(async (rawCtx) => {
    const ctx = withTriggers(rawCtx);
    const totals = Array.from(
      { length: orders },
      (_, i) => 20 + ((i * 37) % 400),
    );
    const customerId = await ctx.db.insert("customers", {
      userId: "user_bench_large",
      name: "Bench Largeorders",
      username: "bench_largeorders",
      phoneNumber: "+971500000001",
      phoneNumberVerified: true,
      email: "bench.largeorders@example.com",
      emailVerified: true,
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
      },
      stats: {
        totalOrders: orders,
        totalSpent: totals.reduce((sum, total) => sum + total, 0),
        lastOrderDate: Date.now(),
      },
    });
    for (let i = 0; i < orders; i++) {
      const product = products[i % products.length];
      await ctx.db.insert("orders", {
        customerId,
        storeId: stores[i % stores.length]._id,
        status: "delivered",
        totalAmount: totals[i],
        items: [
          {
            productId: product._id,
            name: product.name,
            quantity: 1 + (i % 3),
            unitPrice: product.price,
          },
        ],
      });
    }
    for (let i = 0; i < addresses; i++) {
      const area = areas[i % areas.length];
      await ctx.db.insert("addresses", {
        customerId,
        label: i === 0 ? "Home" : `Place ${i}`,
        fullAddress: `Villa ${i + 1}, ${area.name} Street`,
        cityId: area.cityId,
        areaId: area._id,
        buildingNumber: String(i + 1),
        isDefault: i === 0,
      });
    }
    return customerId;
  });
}
