// Module maps for convex-test outside Vite, where `import.meta.glob` does not
// exist: the same keys the glob in tests/testBackend.ts produces, each
// importing the file from disk.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ModuleMap } from "./embeddedBackend";

const root = fileURLToPath(new URL("..", import.meta.url));

function moduleMap(
  directory: string,
  include: (file: string) => boolean,
): ModuleMap {
  const modules: ModuleMap = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (include(entry.name)) {
        // convex-test imports a module on every call; resolving it once
        // spares a round trip through the loader each time.
        let loaded: Promise<unknown> | undefined;
        modules[`../${relative(root, path)}`] = () =>
          (loaded ??= import(pathToFileURL(path).href));
      }
    }
  };
  walk(join(root, directory));
  return modules;
}

export function appModules(): ModuleMap {
  return moduleMap(
    "convex",
    (file) => /\.[jt]s$/.test(file) && !file.endsWith(".d.ts"),
  );
}

export function aggregateModules(): ModuleMap {
  return moduleMap(
    "node_modules/@convex-dev/aggregate/dist/component",
    (file) => file.endsWith(".js"),
  );
}
