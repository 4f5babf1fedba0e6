// The builders of every admin function: each one checks, before its handler
// runs, that the caller is an active admin, and hands the handler that admin.
import {
  customAction,
  customMutation,
  customQuery,
} from "convex-helpers/server/customFunctions";
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { action, internalQuery, query } from "../_generated/server";
import { withTriggers } from "../functions";
import { mutation as rawMutation } from "../_generated/server";
import { requireAdmin } from "../model/auth";

const adminValidator = v.object({
  userId: v.string(),
  name: v.string(),
});
type Admin = { userId: string; name: string };

export const adminQuery = customQuery(query, {
  args: {},
  input: async (ctx) => {
    const { userId, name } = await requireAdmin(ctx);
    return { ctx: { admin: { userId, name } }, args: {} };
  },
});

export const adminMutation = customMutation(rawMutation, {
  args: {},
  input: async (ctx) => {
    const { userId, name } = await requireAdmin(ctx);
    return { ctx: { ...withTriggers(ctx), admin: { userId, name } }, args: {} };
  },
});

export const adminAction = customAction(action, {
  args: {},
  input: async (ctx) => {
    const admin: Admin = await ctx.runQuery(
      internal.admins.access.getCallingAdmin,
      {},
    );
    return { ctx: { admin }, args: {} };
  },
});

/** The admin check for actions, which cannot read the database themselves. */
export const getCallingAdmin = internalQuery({
  args: {},
  returns: adminValidator,
  handler: async (ctx) => {
    const { userId, name } = await requireAdmin(ctx);
    return { userId, name };
  },
});
