// Drives a bulk deletion from an action: distinct ids in batches of at most
// ten customers, each batch repeated in fresh transactions until its
// customers are gone, with a progress record updated by every transaction.
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { assertValidArgs, bulkDeleteArgsSchema } from "./validation";

/** Customers per batch: each can bring many related rows. */
export const BULK_DELETE_BATCH_SIZE = 10;
/** Tries of one transaction before the deletion stops as failed. */
const ATTEMPTS_PER_TRANSACTION = 3;

export type BulkDeletionTotals = {
  customersDeleted: number;
  relatedDeleted: number;
};

type BatchTransactionResult = BulkDeletionTotals & {
  pendingCustomerIds: Id<"customers">[];
};

export async function runBulkDeletion(
  ctx: Pick<ActionCtx, "runMutation">,
  adminUserId: string,
  customerIds: Id<"customers">[],
): Promise<BulkDeletionTotals> {
  assertValidArgs(bulkDeleteArgsSchema, { customerIds });
  const totals: BulkDeletionTotals = { customersDeleted: 0, relatedDeleted: 0 };
  if (customerIds.length === 0) {
    return totals;
  }
  const distinctIds = [...new Set(customerIds)];
  const bulkDeletionId: Id<"bulkDeletions"> = await ctx.runMutation(
    internal.admins.customersAdmin.startBulkDeletion,
    {
      adminUserId,
      requestedCustomerIds: customerIds,
      uniqueCount: distinctIds.length,
    },
  );
  try {
    for (
      let start = 0;
      start < distinctIds.length;
      start += BULK_DELETE_BATCH_SIZE
    ) {
      let pending = distinctIds.slice(start, start + BULK_DELETE_BATCH_SIZE);
      while (pending.length > 0) {
        const customerIds = pending;
        const result: BatchTransactionResult = await withAttempts(() =>
          ctx.runMutation(internal.admins.customersAdmin.deleteCustomersBatch, {
            bulkDeletionId,
            customerIds,
          }),
        );
        totals.customersDeleted += result.customersDeleted;
        totals.relatedDeleted += result.relatedDeleted;
        pending = result.pendingCustomerIds;
      }
    }
  } catch (error) {
    console.error(`Bulk deletion ${bulkDeletionId} failed`, error);
    await ctx.runMutation(internal.admins.customersAdmin.finishBulkDeletion, {
      bulkDeletionId,
      outcome: { status: "failed", error: String(error) },
    });
    throw error;
  }
  await ctx.runMutation(internal.admins.customersAdmin.finishBulkDeletion, {
    bulkDeletionId,
    outcome: { status: "completed" },
  });
  return totals;
}

/**
 * A failed transaction committed nothing, so trying it again is safe; a
 * failure that repeats ATTEMPTS_PER_TRANSACTION times stops the deletion.
 */
async function withAttempts<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= ATTEMPTS_PER_TRANSACTION) {
        throw error;
      }
      console.warn(
        `Retrying a bulk deletion transaction (attempt ${attempt})`,
        error,
      );
    }
  }
}
