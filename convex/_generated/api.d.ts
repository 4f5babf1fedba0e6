/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as admins_access from "../admins/access.js";
import type * as admins_customersAdmin from "../admins/customersAdmin.js";
import type * as admins_customersMaintenance from "../admins/customersMaintenance.js";
import type * as functions from "../functions.js";
import type * as model_aggregates from "../model/aggregates.js";
import type * as model_auditLog from "../model/auditLog.js";
import type * as model_auth from "../model/auth.js";
import type * as model_bulkDeletionRecords from "../model/bulkDeletionRecords.js";
import type * as model_bulkDeletionRunner from "../model/bulkDeletionRunner.js";
import type * as model_customerDeletion from "../model/customerDeletion.js";
import type * as model_customerDetails from "../model/customerDetails.js";
import type * as model_customerList from "../model/customerList.js";
import type * as model_customerSearch from "../model/customerSearch.js";
import type * as model_customerStats from "../model/customerStats.js";
import type * as model_customerStatus from "../model/customerStatus.js";
import type * as model_customerViews from "../model/customerViews.js";
import type * as model_derivedData from "../model/derivedData.js";
import type * as model_errors from "../model/errors.js";
import type * as model_validation from "../model/validation.js";
import type * as seed from "../seed.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "admins/access": typeof admins_access;
  "admins/customersAdmin": typeof admins_customersAdmin;
  "admins/customersMaintenance": typeof admins_customersMaintenance;
  functions: typeof functions;
  "model/aggregates": typeof model_aggregates;
  "model/auditLog": typeof model_auditLog;
  "model/auth": typeof model_auth;
  "model/bulkDeletionRecords": typeof model_bulkDeletionRecords;
  "model/bulkDeletionRunner": typeof model_bulkDeletionRunner;
  "model/customerDeletion": typeof model_customerDeletion;
  "model/customerDetails": typeof model_customerDetails;
  "model/customerList": typeof model_customerList;
  "model/customerSearch": typeof model_customerSearch;
  "model/customerStats": typeof model_customerStats;
  "model/customerStatus": typeof model_customerStatus;
  "model/customerViews": typeof model_customerViews;
  "model/derivedData": typeof model_derivedData;
  "model/errors": typeof model_errors;
  "model/validation": typeof model_validation;
  seed: typeof seed;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  customersByCreationTime: import("@convex-dev/aggregate/_generated/component.js").ComponentApi<"customersByCreationTime">;
  customersBySpent: import("@convex-dev/aggregate/_generated/component.js").ComponentApi<"customersBySpent">;
  customersByStatus: import("@convex-dev/aggregate/_generated/component.js").ComponentApi<"customersByStatus">;
};
