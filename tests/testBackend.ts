/// <reference types="vite/client" />
// The one place tests get a backend from: convex-test with this app's schema,
// modules and components, and Convex's transaction limits enforced.
import { createEmbeddedBackend } from "../tools/embeddedBackend";

export const modules = import.meta.glob("../convex/**/*.*s");
const aggregateModules = import.meta.glob(
  "../node_modules/@convex-dev/aggregate/dist/component/**/*.js",
);

export function createTestBackend() {
  return createEmbeddedBackend({ app: modules, aggregate: aggregateModules });
}

export type TestBackend = ReturnType<typeof createTestBackend>;
