// The progress record of each bulk deletion, which the dashboard watches
// through a reactive query, and the audit entry written when it ends.
import type { PaginationOptions } from "convex/server";
import { v } from "convex/values";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { bulkDeletionFields } from "../schema";
import { writeAuditEntry } from "./auditLog";
import type { BatchDeletionResult } from "./customerDeletion";

export const bulkDeletionValidator = v.object({
  _id: v.id("bulkDeletions"),
  _creationTime: v.number(),
  ...bulkDeletionFields,
});

export async function startBulkDeletion(
  ctx: Pick<MutationCtx, "db">,
  args: {
    adminUserId: string;
    requestedCustomerIds: Id<"customers">[];
    uniqueCount: number;
  },
): Promise<Id<"bulkDeletions">> {
  return await ctx.db.insert("bulkDeletions", {
    adminUserId: args.adminUserId,
    status: "running",
    requestedCount: args.requestedCustomerIds.length,
    requestedCustomerIds: args.requestedCustomerIds,
    uniqueCount: args.uniqueCount,
    processedCount: 0,
    customersDeleted: 0,
    relatedDeleted: 0,
    deletedCustomerIds: [],
  });
}

/** Adds one transaction's deletions to the record, in that transaction. */
export async function recordBatch(
  ctx: Pick<MutationCtx, "db">,
  bulkDeletionId: Id<"bulkDeletions">,
  processedCount: number,
  batch: BatchDeletionResult,
): Promise<void> {
  const record = await ctx.db.get("bulkDeletions", bulkDeletionId);
  if (record === null) {
    throw new Error(`Bulk deletion ${bulkDeletionId} has no record`);
  }
  await ctx.db.patch("bulkDeletions", bulkDeletionId, {
    processedCount: record.processedCount + processedCount,
    customersDeleted: record.customersDeleted + batch.customersDeleted,
    relatedDeleted: record.relatedDeleted + batch.relatedDeleted,
    deletedCustomerIds: record.deletedCustomerIds.concat(
      batch.deletedCustomerIds,
    ),
  });
}

/** Closes the record; a call that deleted anything gets its audit entry. */
export async function finishBulkDeletion(
  ctx: Pick<MutationCtx, "db">,
  bulkDeletionId: Id<"bulkDeletions">,
  outcome: { status: "completed" } | { status: "failed"; error: string },
): Promise<void> {
  const record = await ctx.db.get("bulkDeletions", bulkDeletionId);
  if (record === null || record.status !== "running") {
    return;
  }
  await ctx.db.patch("bulkDeletions", bulkDeletionId, {
    ...outcome,
    finishedAt: Date.now(),
  });
  if (record.customersDeleted > 0) {
    await writeAuditEntry(
      ctx,
      {
        adminUserId: record.adminUserId,
        action: "customers.deleted",
        requestedCustomerIds: record.requestedCustomerIds,
        deletedCustomerIds: record.deletedCustomerIds,
        customersDeleted: record.customersDeleted,
        relatedDeleted: record.relatedDeleted,
        bulkDeletionId,
      },
      record.deletedCustomerIds,
    );
  }
}

/** Newest first: a running deletion is at the top of the first page. */
export async function listBulkDeletions(
  ctx: QueryCtx,
  paginationOpts: PaginationOptions,
) {
  return await ctx.db
    .query("bulkDeletions")
    .order("desc")
    .paginate(paginationOpts);
}
