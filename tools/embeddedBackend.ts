// Builds convex-test's embedded backend for this app: the schema, the app's
// modules and its aggregate components, with Convex's transaction limits
// enforced. Tests pass module maps from `import.meta.glob`; the demo and the
// bench, which run outside Vite, pass maps read from disk.
import { convexTest } from "convex-test";
import aggregateSchema from "../node_modules/@convex-dev/aggregate/dist/component/schema.js";
import schema from "../convex/schema";

export type ModuleMap = Record<string, () => Promise<unknown>>;

/** The names the app gives its aggregate components in convex.config.ts. */
export const AGGREGATE_COMPONENTS = [
  "customersByCreationTime",
  "customersBySpent",
  "customersByStatus",
] as const;

export function createEmbeddedBackend(modules: {
  app: ModuleMap;
  aggregate: ModuleMap;
}) {
  const t = convexTest({
    schema,
    modules: modules.app as Record<string, () => Promise<never>>,
    transactionLimits: true,
  });
  for (const name of AGGREGATE_COMPONENTS) {
    t.registerComponent(name, aggregateSchema, modules.aggregate as never);
  }
  return t;
}

export type EmbeddedBackend = ReturnType<typeof createEmbeddedBackend>;
