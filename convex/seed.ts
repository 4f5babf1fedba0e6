// A synthetic marketplace for demos, benchmarks and development deployments:
// `npx convex run seed:seedMarketplace '{"customers": 5200}'`.
// Customer i is the same whatever the chunking, so runs are reproducible.
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { internalAction } from "./_generated/server";
import { internalMutation } from "./functions";
import { buildSearchText } from "./model/customerSearch";

const FIRST_NAMES = [
  "Ahmed",
  "Fatima",
  "Omar",
  "Aisha",
  "Mohammed",
  "Layla",
  "Yusuf",
  "Mariam",
  "Ali",
  "Noor",
  "Hassan",
  "Sara",
  "Khalid",
  "Huda",
  "Rania",
  "Tariq",
  "Emily",
  "James",
  "Priya",
  "Chen",
  "Maria",
  "Lucas",
  "Amina",
  "Zaid",
];
// 10 x 10 syllables: a hundred family names, each carried by about 1% of customers.
const NAME_STARTS = [
  "Al",
  "Ben",
  "Car",
  "Dar",
  "El",
  "Far",
  "Gal",
  "Har",
  "Ib",
  "Jab",
];
const NAME_ENDS = [
  "ami",
  "bari",
  "dani",
  "fawzi",
  "hadi",
  "jamil",
  "kadir",
  "lami",
  "mansur",
  "nadim",
];
const STORE_NAMES = [
  "Pizza Palace",
  "Falafel House",
  "Green Grocer",
  "Spice Souk",
  "Burger Barn",
  "Date Delights",
  "Sushi Stop",
  "Karak Corner",
];
const CITIES = [
  {
    name: "Dubai",
    areas: ["Al Nahda", "Deira", "Jumeirah", "Al Barsha", "Marina"],
  },
  {
    name: "Abu Dhabi",
    areas: ["Al Reem", "Khalifa City", "Al Mushrif", "Corniche", "Yas"],
  },
  {
    name: "Sharjah",
    areas: ["Al Majaz", "Al Nahda", "Muwaileh", "Al Khan", "Al Qasimia"],
  },
];
const PRODUCTS_PER_STORE = 6;
const SEARCHES = [
  "pizza",
  "shawarma",
  "vegan",
  "dates",
  "coffee",
  "sushi",
  "biryani",
  "karak",
];
const LANGUAGES = ["en", "ar", "fr", "hi"];
const ORDER_STATUSES = [
  "pending",
  "confirmed",
  "preparing",
  "out_for_delivery",
  "delivered",
  "cancelled",
] as const;

/** A small deterministic generator (mulberry32), one stream per customer. */
function randomFor(index: number) {
  let state = (index * 2654435761) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    below: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    /** Up to `n` distinct items. */
    sample: <T>(items: readonly T[], n: number) =>
      [...items].sort(() => next() - 0.5).slice(0, n),
  };
}

const referenceDataValidator = v.object({
  stores: v.array(v.object({ _id: v.id("stores") })),
  products: v.array(
    v.object({
      _id: v.id("products"),
      storeId: v.id("stores"),
      name: v.string(),
      price: v.number(),
    }),
  ),
  areas: v.array(
    v.object({ _id: v.id("areas"), cityId: v.id("cities"), name: v.string() }),
  ),
});

/** Stores, products, cities and areas, created on the first call. */
export const seedReferenceData = internalMutation({
  args: {},
  returns: referenceDataValidator,
  handler: async (ctx) => {
    if ((await ctx.db.query("stores").first()) === null) {
      for (const name of STORE_NAMES) {
        const storeId = await ctx.db.insert("stores", {
          name,
          followersCount: 0,
        });
        for (let i = 1; i <= PRODUCTS_PER_STORE; i++) {
          await ctx.db.insert("products", {
            storeId,
            name: `${name} item ${i}`,
            price: 5 + i * 7,
            likesCount: 0,
          });
        }
      }
      for (const city of CITIES) {
        const cityId = await ctx.db.insert("cities", { name: city.name });
        for (const name of city.areas) {
          await ctx.db.insert("areas", { cityId, name });
        }
      }
    }
    const stores = await ctx.db.query("stores").take(STORE_NAMES.length);
    const products = await ctx.db
      .query("products")
      .take(STORE_NAMES.length * PRODUCTS_PER_STORE);
    const areas = await ctx.db.query("areas").take(CITIES.length * 5);
    return {
      stores: stores.map(({ _id }) => ({ _id })),
      products: products.map(({ _id, storeId, name, price }) => ({
        _id,
        storeId,
        name,
        price,
      })),
      areas: areas.map(({ _id, cityId, name }) => ({ _id, cityId, name })),
    };
  },
});

/**
 * Inserts customers firstIndex .. firstIndex + count - 1 with their orders,
 * addresses, follows, likes, carts and search history, keeping every counter
 * and the customers' order stats true. Follows go to `followTargets`, ids of
 * customers seeded earlier; `reference` is what seedReferenceData returned.
 */
export const seedCustomers = internalMutation({
  args: {
    firstIndex: v.number(),
    count: v.number(),
    followTargets: v.array(v.id("customers")),
    reference: referenceDataValidator,
  },
  returns: v.array(v.id("customers")),
  handler: async (ctx, { firstIndex, count, followTargets, reference }) => {
    const { stores, products, areas } = reference;
    const storeFollowers = new Map<Id<"stores">, number>();
    const productLikes = new Map<Id<"products">, number>();
    const followers = new Map<Id<"customers">, number>();
    const customerIds: Id<"customers">[] = [];
    for (let index = firstIndex; index < firstIndex + count; index++) {
      const random = randomFor(index);
      const first = random.pick(FIRST_NAMES);
      const last =
        random.pick(NAME_STARTS) + random.pick(NAME_ENDS).toLowerCase();
      const handle = `${first}.${last}${index}`.toLowerCase();
      const orderCount = random.chance(0.15) ? 0 : 1 + random.below(8);
      const orderTotals = Array.from(
        { length: orderCount },
        () => Math.round((10 + random.below(49_000) / 100) * 100) / 100,
      );
      const followedStores = random.sample(stores, random.below(4));
      const likedProducts = random.sample(products, random.below(6));
      const followed = random.sample(followTargets, random.below(4));
      const profile = {
        name: `${first} ${last}`,
        ...(random.chance(0.9) ? { username: handle.replace(".", "_") } : {}),
        ...(random.chance(0.95)
          ? { phoneNumber: `+9715${String(10_000_000 + index).slice(-8)}` }
          : {}),
        ...(random.chance(0.9) ? { email: `${handle}@example.com` } : {}),
      };
      const customerId = await ctx.db.insert("customers", {
        userId: `user_${index}`,
        ...profile,
        // Set here so the trigger has no patch to make.
        searchText: buildSearchText(profile),
        phoneNumberVerified: random.chance(0.6),
        emailVerified: random.chance(0.5),
        isActive: !random.chance(0.07),
        isPrivate: random.chance(0.2),
        followersCount: 0,
        followingCustomersCount: followed.length,
        followingStoresCount: followedStores.length,
        preferences: {
          preferredLanguage: random.pick(LANGUAGES),
          pushNotifications: random.chance(0.8),
          emailNotifications: random.chance(0.6),
          smsNotifications: random.chance(0.3),
        },
        stats: {
          totalOrders: orderCount,
          totalSpent:
            Math.round(
              orderTotals.reduce((sum, total) => sum + total, 0) * 100,
            ) / 100,
          ...(orderCount > 0 ? { lastOrderDate: Date.now() } : {}),
        },
      });
      customerIds.push(customerId);
      for (const totalAmount of orderTotals) {
        const items = random
          .sample(products, 1 + random.below(3))
          .map((product) => ({
            productId: product._id,
            name: product.name,
            quantity: 1 + random.below(3),
            unitPrice: product.price,
          }));
        await ctx.db.insert("orders", {
          customerId,
          storeId: random.pick(stores)._id,
          status: random.pick(ORDER_STATUSES),
          totalAmount,
          items,
        });
      }
      const addressCount = 1 + random.below(3);
      for (let a = 0; a < addressCount; a++) {
        const area = random.pick(areas);
        await ctx.db.insert("addresses", {
          customerId,
          label: ["Home", "Work", "Other"][a],
          fullAddress: `Villa ${1 + random.below(90)}, ${area.name} Street`,
          cityId: area.cityId,
          areaId: area._id,
          ...(random.chance(0.7)
            ? { buildingNumber: String(1 + random.below(200)) }
            : {}),
          isDefault: a === 0,
        });
      }
      for (const store of followedStores) {
        await ctx.db.insert("storeFollows", { customerId, storeId: store._id });
        storeFollowers.set(store._id, (storeFollowers.get(store._id) ?? 0) + 1);
      }
      for (const product of likedProducts) {
        await ctx.db.insert("productLikes", {
          customerId,
          productId: product._id,
        });
        productLikes.set(product._id, (productLikes.get(product._id) ?? 0) + 1);
      }
      for (const followingId of followed) {
        await ctx.db.insert("customerFollows", {
          followerId: customerId,
          followingId,
        });
        followers.set(followingId, (followers.get(followingId) ?? 0) + 1);
      }
      if (random.chance(0.3)) {
        await ctx.db.insert("carts", {
          customerId,
          storeId: likedProducts[0]?.storeId ?? stores[0]._id,
          items: likedProducts.map((product) => ({
            productId: product._id,
            quantity: 1,
          })),
        });
      }
      for (const query of random.sample(SEARCHES, random.below(5))) {
        await ctx.db.insert("searchHistory", { customerId, query });
      }
    }
    for (const [storeId, by] of storeFollowers) {
      const store = (await ctx.db.get("stores", storeId))!;
      await ctx.db.patch("stores", storeId, {
        followersCount: store.followersCount + by,
      });
    }
    for (const [productId, by] of productLikes) {
      const product = (await ctx.db.get("products", productId))!;
      await ctx.db.patch("products", productId, {
        likesCount: product.likesCount + by,
      });
    }
    for (const [customerId, by] of followers) {
      const customer = (await ctx.db.get("customers", customerId))!;
      await ctx.db.patch("customers", customerId, {
        followersCount: customer.followersCount + by,
      });
    }
    return customerIds;
  },
});

/** Customers per seeding transaction: well inside the write limits. */
export const SEED_CHUNK_SIZE = 50;
/** Follow targets handed to each chunk, drawn from the customers so far. */
const FOLLOW_TARGET_POOL = 200;

export const seedMarketplace = internalAction({
  args: { customers: v.number() },
  returns: v.object({ customersSeeded: v.number() }),
  handler: async (ctx, { customers }) => {
    const reference = await ctx.runMutation(
      internal.seed.seedReferenceData,
      {},
    );
    let pool: Id<"customers">[] = [];
    for (
      let firstIndex = 0;
      firstIndex < customers;
      firstIndex += SEED_CHUNK_SIZE
    ) {
      const ids: Id<"customers">[] = await ctx.runMutation(
        internal.seed.seedCustomers,
        {
          firstIndex,
          count: Math.min(SEED_CHUNK_SIZE, customers - firstIndex),
          followTargets: pool,
          reference,
        },
      );
      pool = pool.concat(ids).slice(-FOLLOW_TARGET_POOL);
      console.log(
        `Seeded ${firstIndex + ids.length} of ${customers} customers`,
      );
    }
    return { customersSeeded: customers };
  },
});
