/**
 * The verifier's record of a run, whatever the input: each exchange checked by the mock's
 * conformance core (`ConformanceCheck`), the ones skipped and why, and the counts the summary and
 * the reports are made of. The inputs (HAR, proxy, live walk) only turn traffic into exchanges.
 */
import type { ConformanceCheck, ConformanceViolation, Exchange } from "@billing-api/conformance";
import type { ApiHosts } from "./hosts.js";
import { displayUrl, Redactor } from "./redact.js";

/** A violation and the exchange it was found in. */
export interface Finding extends ConformanceViolation {
  exchange: ExchangeRef;
}

export interface ExchangeRef {
  /** 1-based position in the input (the HAR entry, the proxied or walked call). */
  index: number;
  method: string;
  /** The URL without userinfo; credentials in it are redacted on output. */
  url: string;
  status: number;
}

export interface Summary {
  exchanges: number;
  checked: number;
  skipped: Record<string, number>;
  /** Checked exchanges whose response body the input did not keep (a browser HAR may not): status only. */
  bodiesNotRecorded: number;
  operations: { covered: number; total: number; uncovered: string[] };
  statuses: Record<string, number>;
  violations: { total: number; byKind: Record<string, number> };
}

const increment = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

export class Verifier {
  readonly findings: Finding[] = [];
  readonly redactor = new Redactor();
  /** Checked exchanges by operationId (or `METHOD path` when undocumented), for the JUnit report. */
  readonly byOperation = new Map<string, { exchanges: number; findings: Finding[] }>();
  private exchanges = 0;
  private checked = 0;
  private bodiesNotRecorded = 0;
  private readonly skipped: Record<string, number> = {};
  private readonly statuses: Record<string, number> = {};
  private readonly covered = new Set<string>();
  /** The origins skipped as not the API's, with their counts: the first thing to read when nothing was checked. */
  readonly otherHosts = new Map<string, number>();

  constructor(
    readonly check: ConformanceCheck,
    private readonly hosts: ApiHosts,
  ) {}

  /** Counts an input item that could not be checked at all (`unreadable HAR entry`, `no response`). */
  skip(reason: string): void {
    this.exchanges++;
    increment(this.skipped, reason);
  }

  /**
   * Checks one exchange at an absolute URL: skipped when the URL is not the API's, else matched to
   * its operation and checked. Returns the violations found.
   */
  add(url: URL, exchange: Omit<Exchange, "target">): Finding[] {
    this.redactor.learnUrl(url);
    this.redactor.learnAuthorization(exchange.requestHeaders.authorization);
    const target = this.hosts.targetOf(url);
    if (target === undefined) {
      this.otherHosts.set(url.origin, (this.otherHosts.get(url.origin) ?? 0) + 1);
      this.skip("other host");
      return [];
    }
    this.exchanges++;
    let verdict: ReturnType<ConformanceCheck["check"]>;
    try {
      verdict = this.check.check({ ...exchange, target });
    } catch (error) {
      // A bug of ours must not end a run over someone's traffic; the summary shows it.
      increment(this.skipped, `could not be checked (${(error as Error).name}: ${(error as Error).message})`);
      return [];
    }
    if (verdict.skipped) {
      increment(this.skipped, verdict.skipped);
      return [];
    }
    this.checked++;
    if (exchange.responseBody === undefined) this.bodiesNotRecorded++;
    increment(this.statuses, String(exchange.status));
    if (verdict.operationId) this.covered.add(verdict.operationId);
    const ref: ExchangeRef = { index: this.exchanges, method: exchange.method.toUpperCase(), url: displayUrl(url), status: exchange.status };
    const found = verdict.violations.map((violation) => ({ ...violation, exchange: ref }));
    const key = verdict.operationId ?? `${ref.method} ${url.pathname}`;
    const entry = this.byOperation.get(key) ?? { exchanges: 0, findings: [] };
    entry.exchanges++;
    entry.findings.push(...found);
    this.byOperation.set(key, entry);
    this.findings.push(...found);
    return found;
  }

  summary(): Summary {
    const all = this.check.operations.map((operation) => operation.operationId);
    const byKind: Record<string, number> = {};
    for (const finding of this.findings) increment(byKind, finding.kind);
    return {
      exchanges: this.exchanges,
      checked: this.checked,
      skipped: { ...this.skipped },
      bodiesNotRecorded: this.bodiesNotRecorded,
      operations: { covered: all.filter((id) => this.covered.has(id)).length, total: all.length, uncovered: all.filter((id) => !this.covered.has(id)) },
      statuses: Object.fromEntries(Object.entries(this.statuses).sort(([a], [b]) => a.localeCompare(b))),
      violations: { total: this.findings.length, byKind },
    };
  }
}
