// The bench's output: the results table (stdout and bench/RESULTS.md), the
// targets of the scale issue checked as PASS/FAIL, and the machine it ran on.
import { cpus, totalmem, type as osType, release } from "node:os";
import type { Measurement } from "./measure";

export type Row = {
  size: number;
  name: string;
  kind: "stats" | "page" | "search" | "details" | "status" | "delete";
  real: Measurement<unknown>;
  summary: string;
  naive: Measurement<unknown> | null;
  naiveSummary: string;
  /** Whether the naive result equals the real one, when comparable. */
  agrees: string;
};

export type Target = { name: string; pass: boolean; detail: string };

const integer = new Intl.NumberFormat("en-US");

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function ratio(naive: number, real: number): string {
  if (real === 0) {
    return "—";
  }
  const value = naive / real;
  const digits = value >= 10 ? 0 : value >= 1 ? 1 : 2;
  return `${value.toFixed(digits)}×`;
}

function cells(row: Row): string[] {
  const real = row.real;
  const naive = row.naive;
  const realCells = real.ok
    ? [
        integer.format(real.documentsRead),
        integer.format(real.databaseQueries),
        ms(real.medianMs),
        row.summary,
      ]
    : ["—", "—", ms(real.medianMs), `fails: ${real.error}`];
  let naiveCells: string[];
  if (naive === null) {
    naiveCells = ["—", "—", "—", "—", "—"];
  } else if (!naive.ok) {
    naiveCells = [`fails: ${naive.error}`, ms(naive.medianMs), "—", "—", "—"];
  } else {
    naiveCells = [
      integer.format(naive.documentsRead) +
        (row.naiveSummary ? ` (${row.naiveSummary})` : ""),
      ms(naive.medianMs),
      real.ok ? ratio(naive.documentsRead, real.documentsRead) : "—",
      real.ok ? ratio(naive.medianMs, real.medianMs) : "—",
      row.agrees,
    ];
  }
  return [integer.format(row.size), row.name, ...realCells, ...naiveCells];
}

const HEADER = [
  "N",
  "function / case",
  "docs read",
  "index ranges",
  "median ms",
  "result",
  "naive docs read",
  "naive median ms",
  "docs naive/real",
  "time naive/real",
  "naive = real?",
];

function markdownRow(values: string[]): string {
  return `| ${values.map((value) => value.replaceAll("|", "\\|")).join(" | ")} |`;
}

export function markdownTable(rows: Row[]): string {
  return [
    markdownRow(HEADER),
    markdownRow(HEADER.map(() => "---")),
    ...rows.map((row) => markdownRow(cells(row))),
  ].join("\n");
}

/** A plain-text table for the terminal, columns padded. */
export function textTable(rows: Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, column) =>
    Math.max(...table.map((line) => line[column].length)),
  );
  return table
    .map((line, index) => {
      const text = line
        .map((value, column) => value.padEnd(widths[column]))
        .join("  ")
        .trimEnd();
      return index === 0
        ? `${text}\n${widths.map((width) => "-".repeat(width)).join("  ")}`
        : text;
    })
    .join("\n");
}

function docs(row: Row | undefined): number | null {
  return row !== undefined && row.real.ok ? row.real.documentsRead : null;
}

/** The targets of the scale issue, from the smallest and largest sizes. */
export function checkTargets(rows: Row[], sizes: number[]): Target[] {
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  const at = (size: number) => rows.filter((row) => row.size === size);
  const largestRows = at(largest);
  const failing = largestRows.filter((row) => !row.real.ok);
  const naiveStats = largestRows.find((row) => row.kind === "stats")?.naive;
  const statsAt = (size: number) =>
    docs(at(size).find((row) => row.kind === "stats"));
  const statsLargest = statsAt(largest);
  const statsSmallest = statsAt(smallest);
  const worst = (kind: Row["kind"]) => {
    const measured = rows.filter((row) => row.kind === kind);
    const failed = measured.filter((row) => !row.real.ok);
    const max = Math.max(...measured.map((row) => docs(row) ?? Infinity));
    const which = measured.find((row) => docs(row) === max);
    return { max, failed, which };
  };
  const pages = worst("page");
  const search = worst("search");
  const details = worst("details");
  const growth =
    statsLargest !== null && statsSmallest !== null && statsSmallest > 0
      ? statsLargest / statsSmallest - 1
      : null;
  const label = (size: number) => integer.format(size);
  return [
    {
      name: `at ${label(largest)} customers every public function succeeds`,
      pass: failing.length === 0,
      detail:
        failing.length === 0
          ? `${largestRows.length} cases succeed`
          : `fails: ${failing.map((row) => row.name).join(", ")}`,
    },
    {
      name: `at ${label(largest)} the naive statistics fails on a transaction limit`,
      pass: naiveStats !== undefined && naiveStats !== null && !naiveStats.ok,
      detail:
        naiveStats === undefined || naiveStats === null
          ? "not measured"
          : naiveStats.ok
            ? `naive succeeded, reading ${integer.format(naiveStats.documentsRead)} documents`
            : `naive: ${naiveStats.error}`,
    },
    {
      name: `getCustomerStatistics reads ≤ 200 documents at ${label(largest)}`,
      pass: statsLargest !== null && statsLargest <= 200,
      detail: `${statsLargest ?? "failed"} documents`,
    },
    {
      name: `getCustomerStatistics documents read grow ≤ 25% from ${label(smallest)} to ${label(largest)}`,
      pass: growth !== null && growth <= 0.25 + 1e-9,
      detail:
        growth === null
          ? "not measured"
          : `${statsSmallest} → ${statsLargest} (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%)`,
    },
    {
      name: "a page of 20, any status/highValueOnly combination, reads ≤ 100 documents",
      pass: pages.failed.length === 0 && pages.max <= 100,
      detail: `worst ${pages.max} (${pages.which?.name ?? "?"} at N = ${label(pages.which?.size ?? 0)})`,
    },
    {
      name: "a page of 20 with a ~1% search reads ≤ 500 documents",
      pass: search.failed.length === 0 && search.max <= 500,
      detail: `worst ${search.max} (${search.which?.name ?? "?"} at N = ${label(search.which?.size ?? 0)})`,
    },
    {
      name: "getCustomerDetails (100 orders, 10 addresses) reads ≤ 60 documents",
      pass: details.failed.length === 0 && details.max <= 60,
      detail: `worst ${details.max} (at N = ${label(details.which?.size ?? 0)})`,
    },
  ];
}

export function targetLines(targets: Target[]): string[] {
  return targets.map(
    (target) =>
      `${target.pass ? "PASS" : "FAIL"}  ${target.name}: ${target.detail}`,
  );
}

export function machineInfo(): string {
  const cores = cpus();
  return [
    `node ${process.version}`,
    `${osType()} ${release()} (${process.platform}/${process.arch})`,
    `${cores.length} cores (${cores[0]?.model.trim() ?? "unknown CPU"})`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  ].join(", ");
}
