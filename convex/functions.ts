// The mutation builders every write to `customers` must go through: they run
// the triggers that keep the derived data (aggregates, search text) in step.
// Import `mutation` and `internalMutation` from here, never from
// ./_generated/server (the lint config enforces it).
import {
  customCtx,
  customMutation,
} from "convex-helpers/server/customFunctions";
import { Triggers } from "convex-helpers/server/triggers";
import type { DataModel } from "./_generated/dataModel";
import {
  internalMutation as rawInternalMutation,
  mutation as rawMutation,
  type MutationCtx,
} from "./_generated/server";
import { applyCustomerChangeToAggregates } from "./model/aggregates";
import { searchTextPatch } from "./model/customerSearch";

const triggers = new Triggers<DataModel>();

triggers.register("customers", async (ctx, change) => {
  await applyCustomerChangeToAggregates(ctx, change);
  const patch = change.newDoc === null ? null : searchTextPatch(change.newDoc);
  if (patch !== null) {
    // Re-enters this trigger once, as an update that moves no aggregate key.
    await ctx.db.patch("customers", change.id, patch);
  }
});

/** A mutation ctx whose writes run the triggers. */
export function withTriggers<Ctx extends MutationCtx>(ctx: Ctx): Ctx {
  return triggers.wrapDB(ctx);
}

export const mutation = customMutation(rawMutation, customCtx(withTriggers));
export const internalMutation = customMutation(
  rawInternalMutation,
  customCtx(withTriggers),
);
