// Activating and deactivating a customer account, with its audit entry.
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { writeAuditEntry } from "./auditLog";
import { customerNotFound } from "./errors";

export async function setCustomerStatus(
  ctx: Pick<MutationCtx, "db">,
  adminUserId: string,
  args: { customerId: Id<"customers">; isActive: boolean; reason?: string },
): Promise<void> {
  const customer = await ctx.db.get("customers", args.customerId);
  if (customer === null) {
    throw customerNotFound(args.customerId);
  }
  await ctx.db.patch("customers", customer._id, { isActive: args.isActive });
  await writeAuditEntry(
    ctx,
    {
      adminUserId,
      action: args.isActive ? "customer.activated" : "customer.deactivated",
      customerId: customer._id,
      previousIsActive: customer.isActive,
      isActive: args.isActive,
      ...(args.reason === undefined ? {} : { reason: args.reason }),
    },
    [customer._id],
  );
}
