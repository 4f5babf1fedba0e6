// Regenerates convex/_generated without a deployment. The CLI's offline mode
// (`convex codegen --system-udfs`) leaves components out of the generated
// `api`; this script adds the `components` export the way a deployment-backed
// codegen writes it, reading the component list from convex/convex.config.ts.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const generated = `${root}convex/_generated`;

execFileSync(
  `${root}node_modules/.bin/convex`,
  ["codegen", "--system-udfs", "--typecheck", "disable"],
  { cwd: root, stdio: "inherit" },
);

/** Each `app.use(component, { name })` of convex.config.ts, with the package it comes from. */
function readComponents() {
  const config = readFileSync(`${root}convex/convex.config.ts`, "utf8");
  const packages = new Map();
  for (const [, identifier, specifier] of config.matchAll(
    /import\s+(\w+)\s+from\s+"([^"]+)\/convex\.config(?:\.js)?";/g,
  )) {
    packages.set(identifier, specifier);
  }
  const components = [];
  for (const [, identifier, options] of config.matchAll(
    /app\.use\(\s*(\w+)\s*(?:,\s*(\{[^}]*\}))?\s*\)/g,
  )) {
    const name = options?.match(/name:\s*"([^"]+)"/)?.[1];
    const specifier = packages.get(identifier);
    if (name === undefined || specifier === undefined) {
      throw new Error(
        `convex.config.ts: app.use(${identifier}) needs an imported component and an explicit { name }`,
      );
    }
    components.push({ name, specifier });
  }
  return components;
}

function patch(file, transform) {
  const path = `${generated}/${file}`;
  writeFileSync(path, transform(readFileSync(path, "utf8")));
}

const components = readComponents();
if (components.length > 0) {
  patch("api.js", (source) =>
    source
      .replace(
        'import { anyApi } from "convex/server";',
        'import { anyApi, componentsGeneric } from "convex/server";',
      )
      .concat("export const components = componentsGeneric();\n"),
  );
  patch("api.d.ts", (source) =>
    source.concat(
      "\nexport declare const components: {\n",
      ...components.map(
        ({ name, specifier }) =>
          `  ${name}: import("${specifier}/_generated/component.js").ComponentApi<"${name}">;\n`,
      ),
      "};\n",
    ),
  );
}
