// Substring search over a customer's name, username, email and phone number,
// served by a Convex search index.
//
// A search index matches whole words, or a prefix of the last query word. A
// query term that is a substring of a word is a prefix of one of that word's
// suffixes, so the derived `searchText` field holds every suffix of every word;
// one prefix lookup then finds every candidate, and each candidate is checked
// against all the terms exactly.
import type { Doc } from "../_generated/dataModel";

export const MAX_SEARCH_QUERY_LENGTH = 100;

type SearchableFields = Pick<
  Doc<"customers">,
  "name" | "username" | "email" | "phoneNumber"
>;

// The search index tokenizes on characters that are neither letters nor
// digits, and lowercases; words are cut the same way here.
const WORD = /[\p{Alphabetic}\p{N}]+/gu;

function searchableValues(customer: SearchableFields): string[] {
  return [
    customer.name,
    customer.username,
    customer.email,
    customer.phoneNumber,
  ].flatMap((value) => (value === undefined ? [] : [value.toLowerCase()]));
}

/** The derived `searchText` of a customer: its words' suffixes, once each. */
export function buildSearchText(customer: SearchableFields): string {
  const suffixes = new Set<string>();
  for (const value of searchableValues(customer)) {
    for (const [word] of value.matchAll(WORD)) {
      for (let start = 0; start < word.length; start++) {
        suffixes.add(word.slice(start));
      }
    }
  }
  return [...suffixes].join(" ");
}

export type ParsedSearch = {
  /** Lowercased whitespace-separated terms; every one must match. */
  terms: string[];
  /**
   * The word sent to the search index: the longest letter-and-digit run of
   * any term, which every match contains. Null when no term has one (a query
   * of punctuation only), so the index cannot narrow the candidates.
   */
  indexWord: string | null;
};

/** Null when the query is empty or blank: no search. */
export function parseSearchQuery(
  searchQuery: string | undefined,
): ParsedSearch | null {
  const terms = (searchQuery ?? "")
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term.length > 0);
  if (terms.length === 0) {
    return null;
  }
  let indexWord: string | null = null;
  for (const term of terms) {
    for (const [word] of term.matchAll(WORD)) {
      if (indexWord === null || word.length > indexWord.length) {
        indexWord = word;
      }
    }
  }
  return { terms, indexWord };
}

/** Every term is a case-insensitive substring of one of the searchable fields. */
export function matchesSearch(
  customer: SearchableFields,
  search: ParsedSearch,
): boolean {
  const values = searchableValues(customer);
  return search.terms.every((term) =>
    values.some((value) => value.includes(term)),
  );
}

/** Keeps `searchText` in step with the fields it is built from. */
export function searchTextPatch(
  customer: Doc<"customers">,
): { searchText: string } | null {
  const searchText = buildSearchText(customer);
  return customer.searchText === searchText ? null : { searchText };
}
