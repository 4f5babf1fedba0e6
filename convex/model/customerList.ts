// The admin customer list: one paginated index or search-index read per page,
// chosen by the filters, so a page never scans the customers table.
import type { PaginationOptions, PaginationResult } from "convex/server";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { parseSearchQuery, matchesSearch } from "./customerSearch";
import { getHighValueThreshold } from "./customerStats";
import { toCustomerListItem, type CustomerListItem } from "./customerViews";

export type CustomerStatusFilter = "active" | "inactive";

export type ListCustomersArgs = {
  status?: CustomerStatusFilter;
  searchQuery?: string;
  highValueOnly?: boolean;
  paginationOpts: PaginationOptions;
};

/**
 * Pages are full (numItems items unless isDone) except with a search that an
 * index word cannot settle alone: several terms, punctuation in a term, or
 * together with highValueOnly. Then the page is the matching part of the next
 * numItems candidates, and may be short or empty before isDone.
 */
export async function listCustomers(
  ctx: QueryCtx,
  args: ListCustomersArgs,
): Promise<PaginationResult<CustomerListItem>> {
  const threshold = args.highValueOnly
    ? await getHighValueThreshold(ctx)
    : null;
  if (args.highValueOnly && threshold === null) {
    return { page: [], isDone: true, continueCursor: "" };
  }
  const isActive =
    args.status === undefined ? undefined : args.status === "active";
  const search = parseSearchQuery(args.searchQuery);

  let result: PaginationResult<Doc<"customers">>;
  if (search !== null) {
    const candidates = await searchCandidates(
      ctx,
      search.indexWord,
      isActive,
      args.paginationOpts,
    );
    result = {
      ...candidates,
      page: candidates.page.filter(
        (customer) =>
          matchesSearch(customer, search) &&
          (isActive === undefined || customer.isActive === isActive) &&
          (threshold === null || customer.stats.totalSpent >= threshold),
      ),
    };
  } else if (threshold !== null) {
    result = await highestSpenders(
      ctx,
      threshold,
      isActive,
      args.paginationOpts,
    );
  } else {
    result = await newestFirst(ctx, isActive, args.paginationOpts);
  }
  return {
    ...result,
    page: await Promise.all(
      result.page.map((customer) => toCustomerListItem(ctx, customer)),
    ),
  };
}

/** Candidates in relevance order, or newest first when no word narrows them. */
function searchCandidates(
  ctx: QueryCtx,
  indexWord: string | null,
  isActive: boolean | undefined,
  paginationOpts: PaginationOptions,
) {
  if (indexWord === null) {
    return newestFirst(ctx, isActive, paginationOpts);
  }
  return ctx.db
    .query("customers")
    .withSearchIndex("search_searchText", (q) =>
      isActive === undefined
        ? q.search("searchText", indexWord)
        : q.search("searchText", indexWord).eq("isActive", isActive),
    )
    .paginate(paginationOpts);
}

function newestFirst(
  ctx: QueryCtx,
  isActive: boolean | undefined,
  paginationOpts: PaginationOptions,
) {
  return isActive === undefined
    ? ctx.db.query("customers").order("desc").paginate(paginationOpts)
    : ctx.db
        .query("customers")
        .withIndex("by_isActive", (q) => q.eq("isActive", isActive))
        .order("desc")
        .paginate(paginationOpts);
}

/** Highest totalSpent first, from the threshold up. */
function highestSpenders(
  ctx: QueryCtx,
  threshold: number,
  isActive: boolean | undefined,
  paginationOpts: PaginationOptions,
) {
  return isActive === undefined
    ? ctx.db
        .query("customers")
        .withIndex("by_totalSpent", (q) => q.gte("stats.totalSpent", threshold))
        .order("desc")
        .paginate(paginationOpts)
    : ctx.db
        .query("customers")
        .withIndex("by_isActive_and_totalSpent", (q) =>
          q.eq("isActive", isActive).gte("stats.totalSpent", threshold),
        )
        .order("desc")
        .paginate(paginationOpts);
}
