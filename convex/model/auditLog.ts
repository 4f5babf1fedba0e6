// The append-only audit trail of admin actions, and its paginated reads.
import type { PaginationOptions } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { auditActionValidator } from "../schema";

type AuditEntryFields = Omit<Doc<"auditLog">, "_id" | "_creationTime">;

/** Records an entry, linked to every customer it concerns. */
export async function writeAuditEntry(
  ctx: Pick<MutationCtx, "db">,
  entry: AuditEntryFields,
  customerIds: Id<"customers">[],
): Promise<Id<"auditLog">> {
  const auditLogId = await ctx.db.insert("auditLog", entry);
  for (const customerId of new Set(customerIds)) {
    await ctx.db.insert("auditLogCustomers", { auditLogId, customerId });
  }
  return auditLogId;
}

export const auditEntryValidator = v.object({
  _id: v.id("auditLog"),
  _creationTime: v.number(),
  adminUserId: v.string(),
  action: auditActionValidator,
  customerId: v.optional(v.id("customers")),
  reason: v.optional(v.string()),
  previousIsActive: v.optional(v.boolean()),
  isActive: v.optional(v.boolean()),
  requestedCustomerIds: v.optional(v.array(v.id("customers"))),
  deletedCustomerIds: v.optional(v.array(v.id("customers"))),
  customersDeleted: v.optional(v.number()),
  relatedDeleted: v.optional(v.number()),
  bulkDeletionId: v.optional(v.id("bulkDeletions")),
});

/** Newest first; for one customer, the entries that concern it. */
export async function listAuditLog(
  ctx: QueryCtx,
  args: { customerId?: Id<"customers">; paginationOpts: PaginationOptions },
) {
  const { customerId } = args;
  if (customerId === undefined) {
    return await ctx.db
      .query("auditLog")
      .order("desc")
      .paginate(args.paginationOpts);
  }
  const links = await ctx.db
    .query("auditLogCustomers")
    .withIndex("by_customerId", (q) => q.eq("customerId", customerId))
    .order("desc")
    .paginate(args.paginationOpts);
  const entries = await Promise.all(
    links.page.map((link) => ctx.db.get("auditLog", link.auditLogId)),
  );
  return {
    ...links,
    page: entries.filter((entry) => entry !== null),
  };
}
