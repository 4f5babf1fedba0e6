// Who may use the admin API: callers whose identity `subject` matches an
// active row of `admins`.
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { clientError } from "./errors";

/** Returns the calling admin, or throws UNAUTHENTICATED / FORBIDDEN. */
export async function requireAdmin(
  ctx: Pick<QueryCtx, "auth" | "db">,
): Promise<Doc<"admins">> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) {
    throw clientError("UNAUTHENTICATED", "Sign in as an admin to continue");
  }
  const admin = await ctx.db
    .query("admins")
    .withIndex("by_userId", (q) => q.eq("userId", identity.subject))
    .unique();
  if (admin === null || !admin.isActive) {
    throw clientError("FORBIDDEN", "Only active admins may use this function");
  }
  return admin;
}
