// Sign-up times for seeded customers. convex-test stamps `_creationTime` from
// Date.now(), so the seeders move a simulated clock forward between seeding
// transactions: one transaction per group of customers who signed up close
// together.
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export type SignupChunk = {
  firstIndex: number;
  count: number;
  createdAt: number;
};

/**
 * Customers 0 .. total - 1 signed up evenly over the `spanDays` before `now`
 * (a year by default), oldest first, grouped by the hour for the last two days, by six hours for
 * the last forty, and by three days before that, at most `maxChunk` a group.
 */
export function planSignups(
  total: number,
  now: number,
  maxChunk = 100,
  spanDays = 365,
): SignupChunk[] {
  const bucketOf = (age: number) =>
    age < 2 * DAY
      ? Math.floor(age / HOUR) * HOUR
      : age < 40 * DAY
        ? Math.floor(age / (6 * HOUR)) * 6 * HOUR
        : Math.floor(age / (3 * DAY)) * 3 * DAY;
  const chunks: SignupChunk[] = [];
  for (let index = 0; index < total; index++) {
    const age = ((total - index) / total) * spanDays * DAY;
    const createdAt = now - bucketOf(age);
    const last = chunks[chunks.length - 1];
    if (
      last !== undefined &&
      last.createdAt === createdAt &&
      last.count < maxChunk
    ) {
      last.count += 1;
    } else {
      chunks.push({ firstIndex: index, count: 1, createdAt });
    }
  }
  return chunks;
}

/** Runs `work` with Date.now() reading `time` (outside a test runner's fake timers). */
export async function withClock<T>(
  time: number,
  work: () => Promise<T>,
): Promise<T> {
  const realNow = Date.now;
  Date.now = () => time;
  try {
    return await work();
  } finally {
    Date.now = realNow;
  }
}
