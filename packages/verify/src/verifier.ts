/**
 * The verifier's record of a run, whatever the input: each exchange checked by the mock's
 * conformance core (`ConformanceCheck`), the ones skipped and why, and the counts the summary and
 * the reports are made of. The inputs (HAR, proxy, live walk) only turn traffic into exchanges.
 *
 * A request with a problem that got the operation's documented refusal (a documented 4xx whose
 * answer conforms) is what a test that sends invalid input on purpose expects: it is listed as
 * "refused as documented", not as a violation, unless `strictRequests` says otherwise.
 */
import { controlPrefix, type ConformanceCheck, type ConformanceViolation, type Exchange } from "@billing-api/conformance";
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

/** A request with problems that the API refused as the operation documents: not a violation (unless strict). */
export interface DocumentedRefusal {
  exchange: ExchangeRef;
  operationId: string;
  /** What was wrong with the request, each as a violation would say it. */
  problems: ConformanceViolation[];
}

export interface VerifierOptions {
  /** Count a request problem as a violation even when the API refused it as documented. Defaults to false. */
  strictRequests?: boolean;
}

/** Why an exchange with the mock's control routes (`/__mock/reset`, `/__mock/clock`) is skipped. */
export const controlRouteReason = "the mock's control routes (/__mock/...)";

export interface Summary {
  exchanges: number;
  checked: number;
  skipped: Record<string, number>;
  /** Checked exchanges whose request problems were refused as documented (see `Verifier.refusals`). */
  refusedAsDocumented: number;
  /** Checked exchanges whose response body the input did not keep (a browser HAR may not): status only. */
  bodiesNotRecorded: number;
  operations: { covered: number; total: number; uncovered: string[] };
  statuses: Record<string, number>;
  violations: { total: number; byKind: Record<string, number> };
}

const increment = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

export class Verifier {
  readonly findings: Finding[] = [];
  /** Requests with problems that got the operation's documented refusal (empty when `strictRequests`). */
  readonly refusals: DocumentedRefusal[] = [];
  readonly redactor = new Redactor();
  /** Checked exchanges by operationId (or `METHOD path` when undocumented), for the JUnit report. */
  readonly byOperation = new Map<string, { exchanges: number; findings: Finding[]; refused: number }>();
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
    private readonly options: VerifierOptions = {},
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
    // The stateful mock's own routes, not the API's: a proxy in front of it sees the tests' resets.
    if (target.startsWith(controlPrefix)) {
      this.skip(controlRouteReason);
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
    const key = verdict.operationId ?? `${ref.method} ${url.pathname}`;
    const entry = this.byOperation.get(key) ?? { exchanges: 0, findings: [], refused: 0 };
    entry.exchanges++;
    this.byOperation.set(key, entry);
    if (verdict.operationId !== undefined && !this.options.strictRequests && refusedAsDocumented(verdict.violations, exchange.status)) {
      entry.refused++;
      this.refusals.push({ exchange: ref, operationId: verdict.operationId, problems: verdict.violations });
      return [];
    }
    const found = verdict.violations.map((violation) => ({ ...violation, exchange: ref }));
    entry.findings.push(...found);
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
      refusedAsDocumented: this.refusals.length,
      bodiesNotRecorded: this.bodiesNotRecorded,
      operations: { covered: all.filter((id) => this.covered.has(id)).length, total: all.length, uncovered: all.filter((id) => !this.covered.has(id)) },
      statuses: Object.fromEntries(Object.entries(this.statuses).sort(([a], [b]) => a.localeCompare(b))),
      violations: { total: this.findings.length, byKind },
    };
  }
}

/**
 * Whether an exchange's problems are all the request's and the answer is a documented refusal: a
 * 4xx the operation documents (the check would say `undocumented-status` otherwise) whose answer
 * conforms (no problem in the response).
 */
function refusedAsDocumented(violations: ConformanceViolation[], status: number): boolean {
  return status >= 400 && status < 500 && violations.length > 0 && violations.every((violation) => violation.part.startsWith("request "));
}
