// The errors a client of this module can receive: ConvexErrors whose data is
// `{ code, message }`, from a small closed set of codes.
import { ConvexError } from "convex/values";

export type ErrorCode =
  "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "INVALID_ARGUMENT";

export type ErrorData = { code: ErrorCode; message: string };

export function clientError(code: ErrorCode, message: string) {
  return new ConvexError<ErrorData>({ code, message });
}

/** An argument that Convex's validators accept but this module does not. */
export function invalidArgument(field: string, problem: string) {
  return clientError("INVALID_ARGUMENT", `${field}: ${problem}`);
}

export function customerNotFound(customerId: string) {
  return clientError("NOT_FOUND", `customerId: no customer ${customerId}`);
}
