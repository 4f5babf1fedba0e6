// Limits on arguments beyond what Convex's validators express. Each failure
// becomes an INVALID_ARGUMENT ConvexError naming the field, before anything
// is read or written.
import { z } from "zod";
import { invalidArgument } from "./errors";
import { MAX_SEARCH_QUERY_LENGTH } from "./customerSearch";

export const MAX_PAGE_SIZE = 100;
export const MAX_REASON_LENGTH = 500;
export const MAX_BULK_DELETE_IDS = 1000;

const numItems = z
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);

export const listCustomersArgsSchema = z.object({
  paginationOpts: z.object({ numItems }),
  searchQuery: z
    .string()
    .max(
      MAX_SEARCH_QUERY_LENGTH,
      `must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`,
    )
    .optional(),
});

export const auditLogArgsSchema = z.object({
  paginationOpts: z.object({ numItems }),
});

export const statusChangeArgsSchema = z.object({
  reason: z
    .string()
    .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`)
    .optional(),
});

export const bulkDeleteArgsSchema = z.object({
  customerIds: z
    .array(z.string())
    .max(MAX_BULK_DELETE_IDS, `must list at most ${MAX_BULK_DELETE_IDS} ids`),
});

/** Throws INVALID_ARGUMENT for the first limit that `args` breaks. */
export function assertValidArgs(schema: z.ZodType, args: unknown): void {
  const result = schema.safeParse(args);
  if (!result.success) {
    const [issue] = result.error.issues;
    throw invalidArgument(issue.path.join("."), issue.message);
  }
}
