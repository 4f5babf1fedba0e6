// The Customers Admin API: statistics, listing and search, a customer's
// details, status changes, bulk deletion with its progress, and the audit
// trail. Every public function here is for active admins only.
import {
  paginationOptsValidator,
  paginationResultValidator,
} from "convex/server";
import { v } from "convex/values";
import { internalMutation } from "../functions";
import { listAuditLog, auditEntryValidator } from "../model/auditLog";
import {
  finishBulkDeletion as finishBulkDeletionRecord,
  listBulkDeletions as listBulkDeletionRecords,
  bulkDeletionValidator,
  recordBatch,
  startBulkDeletion as startBulkDeletionRecord,
} from "../model/bulkDeletionRecords";
import { runBulkDeletion } from "../model/bulkDeletionRunner";
import { deleteCustomersWithinBudget } from "../model/customerDeletion";
import { getCustomerDetails as readCustomerDetails } from "../model/customerDetails";
import { listCustomers } from "../model/customerList";
import {
  customerStatisticsValidator,
  getCustomerStatistics as readCustomerStatistics,
} from "../model/customerStats";
import { setCustomerStatus } from "../model/customerStatus";
import {
  customerDetailsValidator,
  customerListItemValidator,
} from "../model/customerViews";
import {
  assertValidArgs,
  auditLogArgsSchema,
  listCustomersArgsSchema,
  statusChangeArgsSchema,
} from "../model/validation";
import { adminAction, adminMutation, adminQuery } from "./access";

export const getCustomerStatistics = adminQuery({
  args: {},
  returns: customerStatisticsValidator,
  handler: (ctx) => readCustomerStatistics(ctx),
});

export const getAllCustomers = adminQuery({
  args: {
    status: v.optional(v.union(v.literal("active"), v.literal("inactive"))),
    searchQuery: v.optional(v.string()),
    highValueOnly: v.optional(v.boolean()),
    paginationOpts: paginationOptsValidator,
  },
  returns: paginationResultValidator(customerListItemValidator),
  handler: (ctx, args) => {
    assertValidArgs(listCustomersArgsSchema, args);
    return listCustomers(ctx, args);
  },
});

export const getCustomerDetails = adminQuery({
  args: { customerId: v.id("customers") },
  returns: v.union(customerDetailsValidator, v.null()),
  handler: (ctx, { customerId }) => readCustomerDetails(ctx, customerId),
});

export const updateCustomerStatus = adminMutation({
  args: {
    customerId: v.id("customers"),
    isActive: v.boolean(),
    reason: v.optional(v.string()),
  },
  returns: v.object({ success: v.literal(true) }),
  handler: async (ctx, args) => {
    assertValidArgs(statusChangeArgsSchema, args);
    await setCustomerStatus(ctx, ctx.admin.userId, args);
    return { success: true as const };
  },
});

export const bulkDeleteCustomers = adminAction({
  args: { customerIds: v.array(v.id("customers")) },
  returns: v.object({
    customersDeleted: v.number(),
    relatedDeleted: v.number(),
  }),
  handler: (ctx, { customerIds }) =>
    runBulkDeletion(ctx, ctx.admin.userId, customerIds),
});

/** Bulk deletions newest first, with live progress for a dashboard bar. */
export const listBulkDeletions = adminQuery({
  args: { paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(bulkDeletionValidator),
  handler: (ctx, args) => {
    assertValidArgs(auditLogArgsSchema, args);
    return listBulkDeletionRecords(ctx, args.paginationOpts);
  },
});

/** The audit trail newest first, optionally only what concerns one customer. */
export const getAuditLog = adminQuery({
  args: {
    customerId: v.optional(v.id("customers")),
    paginationOpts: paginationOptsValidator,
  },
  returns: paginationResultValidator(auditEntryValidator),
  handler: (ctx, args) => {
    assertValidArgs(auditLogArgsSchema, args);
    return listAuditLog(ctx, args);
  },
});

// The transactions of bulkDeleteCustomers. Internal: an action that has
// already checked the caller runs them.

export const startBulkDeletion = internalMutation({
  args: {
    adminUserId: v.string(),
    requestedCustomerIds: v.array(v.id("customers")),
    uniqueCount: v.number(),
  },
  returns: v.id("bulkDeletions"),
  handler: (ctx, args) => startBulkDeletionRecord(ctx, args),
});

export const deleteCustomersBatch = internalMutation({
  args: {
    bulkDeletionId: v.id("bulkDeletions"),
    customerIds: v.array(v.id("customers")),
  },
  returns: v.object({
    customersDeleted: v.number(),
    relatedDeleted: v.number(),
    pendingCustomerIds: v.array(v.id("customers")),
  }),
  handler: async (ctx, { bulkDeletionId, customerIds }) => {
    const batch = await deleteCustomersWithinBudget(ctx, customerIds);
    const processed = customerIds.length - batch.pendingCustomerIds.length;
    await recordBatch(ctx, bulkDeletionId, processed, batch);
    const { customersDeleted, relatedDeleted, pendingCustomerIds } = batch;
    return { customersDeleted, relatedDeleted, pendingCustomerIds };
  },
});

export const finishBulkDeletion = internalMutation({
  args: {
    bulkDeletionId: v.id("bulkDeletions"),
    outcome: v.union(
      v.object({ status: v.literal("completed") }),
      v.object({ status: v.literal("failed"), error: v.string() }),
    ),
  },
  returns: v.null(),
  handler: async (ctx, { bulkDeletionId, outcome }) => {
    await finishBulkDeletionRecord(ctx, bulkDeletionId, outcome);
    return null;
  },
});
