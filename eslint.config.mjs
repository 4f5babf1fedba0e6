import convexPlugin from "@convex-dev/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["convex/_generated/**", "node_modules/**"] },
  ...tseslint.configs.recommended,
  ...convexPlugin.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Writes to customers must run the triggers that keep derived data true.
    files: ["convex/**/*.ts"],
    ignores: ["convex/functions.ts", "convex/admins/access.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "./_generated/server",
              importNames: ["mutation", "internalMutation"],
              message: "Import mutation builders from convex/functions.ts",
            },
            {
              name: "../_generated/server",
              importNames: ["mutation", "internalMutation"],
              message: "Import mutation builders from convex/functions.ts",
            },
          ],
        },
      ],
    },
  },
);
