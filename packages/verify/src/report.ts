/**
 * What a run says: one line per violation as it is found, the summary at the end, and the `--json`
 * and `--junit` reports for CI. Every text goes through the run's redactor on its way out.
 */
import { describeConformance } from "@billing-api/conformance";
import type { DocumentedRefusal, ExchangeRef, Finding, Summary, Verifier } from "./verifier.js";

/** `1 exchange`, `2 exchanges`. */
export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

const exchangeText = ({ index, method, url, status }: ExchangeRef) => `#${index} ${method} ${url} -> ${status}`;

/** `#12 GET https://acme.chargify.com/payment_profiles/1.json -> 200 readPaymentProfile: response body ...` */
export function findingLine(finding: Finding): string {
  const operation = finding.operationId ?? "(no operation)";
  return `${exchangeText(finding.exchange)} ${operation}: ${describeConformance(finding)}`;
}

/** `#3 POST https://acme.chargify.com/subscriptions/222/charges.json -> 422 createSubscriptionCharge refused as documented: request body ...` */
export function refusalLine(refusal: DocumentedRefusal): string {
  return `${exchangeText(refusal.exchange)} ${refusal.operationId} refused as documented: ${refusal.problems.map(describeConformance).join("; ")}`;
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([key, count]) => `${key} ${count}`)
    .join(", ");

/** The end-of-run summary: exchanges, operations covered, statuses seen, refusals, violations by kind. */
export function summaryText(title: string, summary: Summary): string {
  const skipped = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  const refused = summary.refusedAsDocumented;
  const lines = [
    `${title}: ${plural(summary.exchanges, "exchange")}, ${summary.checked} checked, ${skipped} skipped${skipped ? ` (${counts(summary.skipped)})` : ""}`,
    ...(summary.bodiesNotRecorded ? [`Response bodies not in the input: ${summary.bodiesNotRecorded} (their status was checked, not their body)`] : []),
    `Operations covered: ${summary.operations.covered} of ${summary.operations.total}`,
    `Statuses seen: ${counts(summary.statuses) || "none"}`,
    ...(refused ? [`Refused as documented: ${refused} (${refused === 1 ? "a request" : "requests"} with a problem, answered with the operation's documented refusal; not violations without --strict-requests)`] : []),
    summary.violations.total === 0
      ? summary.checked === 0
        ? "Violations: none, but no exchange was checked."
        : "Violations: none; the traffic conforms to the spec."
      : `Violations: ${summary.violations.total} (${counts(summary.violations.byKind)})`,
  ];
  return lines.join("\n");
}

/** The `--json` report: the summary, every violation with its exchange, and the requests refused as documented. */
export function jsonReport(mode: string, verifier: Verifier, extra: Record<string, unknown> = {}): string {
  const report = { tool: "billing-verify", mode, ...extra, summary: verifier.summary(), violations: verifier.findings, refusedAsDocumented: verifier.refusals };
  return verifier.redactor.redact(`${JSON.stringify(report, null, 2)}\n`);
}

const xml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

/**
 * The `--junit` report: one test case per operation seen (and per undocumented endpoint), failed
 * with its violations; its requests refused as documented are said in its output, not failed; the
 * uncovered operations as skipped cases, so CI shows what was not exercised.
 */
export function junitReport(mode: string, verifier: Verifier): string {
  const summary = verifier.summary();
  const cases: string[] = [];
  let failures = 0;
  for (const [name, { exchanges, findings, refused }] of [...verifier.byOperation].sort(([a], [b]) => a.localeCompare(b))) {
    // The name stays the same from run to run, so CI can follow an operation's history.
    const seen = plural(exchanges, "exchange");
    const refusals = verifier.refusals.filter((refusal) => refusal.operationId === name);
    const output = refused ? `${seen}, ${refused} refused as documented\n${refusals.map(refusalLine).join("\n")}` : seen;
    if (findings.length === 0) {
      cases.push(`    <testcase classname="billing-verify.${mode}" name="${xml(name)}"><system-out>${xml(output)}</system-out></testcase>`);
      continue;
    }
    failures++;
    const message = `${plural(findings.length, "violation")} in ${seen}`;
    cases.push(
      `    <testcase classname="billing-verify.${mode}" name="${xml(name)}">\n` +
        `      <failure type="conformance" message="${xml(message)}">${xml(findings.map(findingLine).join("\n"))}</failure>\n` +
        (refused ? `      <system-out>${xml(output)}</system-out>\n` : "") +
        `    </testcase>`,
    );
  }
  for (const operationId of summary.operations.uncovered) {
    cases.push(`    <testcase classname="billing-verify.${mode}" name="${xml(operationId)}"><skipped message="not exercised"/></testcase>`);
  }
  const skipped = summary.operations.uncovered.length;
  const text =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="billing-verify" tests="${cases.length}" failures="${failures}">\n` +
    `  <testsuite name="billing-verify ${mode}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0">\n` +
    `${cases.join("\n")}\n` +
    `  </testsuite>\n</testsuites>\n`;
  return verifier.redactor.redact(text);
}
