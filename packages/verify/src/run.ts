/**
 * The three commands, behind the CLI's argument checks: load the spec, feed the verifier, print
 * each violation as it is found, write the reports, print the summary, and give the exit status
 * (0 conforms, 1 violations, 2 unreadable input or nothing checked). `signal` is Ctrl-C: at any
 * moment it ends the run with what it has, under the same rules.
 */
import { readFile, writeFile } from "node:fs/promises";
import { listenFailure } from "@billing-api/cli-kit";
import type { ConformanceCheck } from "@billing-api/conformance";
import { harEntries, UnreadableInput } from "./har.js";
import { ApiHosts } from "./hosts.js";
import type { Finding, Verifier } from "./verifier.js";

// Loaded only once the input has been read: they bring Prism and the spec (about a second).
const checking = async () => {
  const [conformance, har, live, proxy, report, verifier] = await Promise.all([
    import("@billing-api/conformance"),
    import("./har.js"),
    import("./live.js"),
    import("./proxy.js"),
    import("./report.js"),
    import("./verifier.js"),
  ]);
  return { ...conformance, ...har, ...live, ...proxy, ...report, ...verifier };
};

interface ReportOptions {
  json?: string | undefined;
  junit?: string | undefined;
  spec?: string | undefined;
  quiet?: boolean;
  /** A request problem fails the run even when the API refused it as documented. */
  strictRequests?: boolean;
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM: the run stops and reports what it has so far. */
  signal?: AbortSignal;
}

/** Why the run is not complete (interrupted), or why nothing was checked: exit 2 when there is no violation. */
interface Outcome {
  nothingChecked: () => string;
  incomplete?: string | undefined;
}

const aborted = (signal: AbortSignal | undefined) => new Promise<void>((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener("abort", () => resolve(), { once: true })));

const version = (JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

function unreadable(message: string): 2 {
  console.error(`billing-verify: ${message}`);
  return 2;
}

async function loadCheck(spec: string | undefined): Promise<ConformanceCheck | string> {
  const { ConformanceCheck } = await checking();
  try {
    return await ConformanceCheck.load(...(spec ? [spec] : []));
  } catch (error) {
    const message = (error as Error).message.split("\n").map((line) => line.trim()).filter(Boolean);
    const reason = error instanceof SyntaxError ? "it is not JSON (bundle it with redocly bundle --ext json)" : message.at(-1) ?? String(error);
    return `cannot read the OpenAPI document ${spec}: ${reason}`;
  }
}

/** Lists the refusals, writes the reports, prints the summary, and returns the exit status. */
async function finish(mode: string, title: string, verifier: Verifier, options: ReportOptions, outcome: Outcome, extra: Record<string, unknown> = {}): Promise<number> {
  const { jsonReport, junitReport, plural, refusalLine, summaryText } = await checking();
  try {
    if (options.json) await writeFile(options.json, jsonReport(mode, verifier, extra));
    if (options.junit) await writeFile(options.junit, junitReport(mode, verifier));
  } catch (error) {
    return unreadable(`cannot write the report: ${(error as Error).message}`);
  }
  if (!options.quiet && verifier.refusals.length > 0) {
    console.log(`Refused as documented (sent with a problem, refused as the spec says; --strict-requests fails them):`);
    for (const refusal of verifier.refusals) console.log(verifier.redactor.redact(`  ${refusalLine(refusal)}`));
  }
  const summary = verifier.summary();
  console.log(verifier.redactor.redact(summaryText(title, summary)));
  if (verifier.findings.length > 0) return 1;
  // Not checked is not conforming: a CI job must not pass on it.
  if (summary.checked === 0) return unreadable(verifier.redactor.redact(outcome.nothingChecked()));
  const failed = Object.entries(summary.skipped).filter(([reason]) => reason.startsWith("could not be checked")).reduce((sum, [, count]) => sum + count, 0);
  if (failed > 0) return unreadable(`${plural(failed, "exchange")} could not be checked (see the summary); please report them`);
  return outcome.incomplete ? unreadable(outcome.incomplete) : 0;
}

/** "every exchange was skipped (other host 2)", or "" when none was. */
function allSkipped(verifier: Verifier): string {
  const { skipped } = verifier.summary();
  const reasons = Object.entries(skipped).map(([reason, count]) => `${reason} ${count}`);
  return reasons.length > 0 ? `every exchange was skipped (${reasons.join(", ")})` : "";
}

const printFindings = async (verifier: Verifier) => {
  const { findingLine } = await checking();
  return (findings: Finding[]) => {
    for (const finding of findings) console.log(verifier.redactor.redact(findingLine(finding)));
  };
};

export async function runHar(options: ReportOptions & { file: string; baseUrls: URL[] }): Promise<number> {
  let text: string;
  try {
    text = await readFile(options.file, "utf8");
  } catch (error) {
    return unreadable(`cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let entries: unknown[];
  try {
    entries = harEntries(text);
  } catch (error) {
    if (error instanceof UnreadableInput) return unreadable(`${options.file} is not a HAR file: ${error.message}`);
    throw error;
  }
  const check = await loadCheck(options.spec);
  if (typeof check === "string") return unreadable(check);
  const hosts = options.baseUrls.length > 0 ? ApiHosts.fromBaseUrls(options.baseUrls) : ApiHosts.fromDocument(check.document);
  const { Verifier, checkHar } = await checking();
  const verifier = new Verifier(check, hosts, { strictRequests: options.strictRequests ?? false });
  const print = await printFindings(verifier);
  // In slices, so that Ctrl-C is heard between them (a large HAR takes seconds).
  let done = 0;
  for (; done < entries.length && !options.signal?.aborted; done += 500) {
    checkHar(entries.slice(done, done + 500), verifier, print);
    await new Promise((resolve) => setImmediate(resolve));
  }
  done = Math.min(done, entries.length);
  // Nothing checked is not "everything conforms": most likely the API's host was not recognised.
  const nothingChecked = () => {
    const hostsSeen = [...verifier.otherHosts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([origin]) => origin);
    if (done < entries.length) return `stopped after ${done} of ${entries.length} entries, before any was checked`;
    if (entries.length === 0) return `${options.file} has no entries to check`;
    if (verifier.summary().skipped["other host"] === entries.length && hostsSeen.length > 0) {
      return `no entry of ${options.file} is for the API's hosts; it calls ${hostsSeen.join(", ")}: give the API's with --base-url`;
    }
    return `no entry of ${options.file} could be checked: ${allSkipped(verifier) || "none was readable"}`;
  };
  const incomplete = done < entries.length ? `stopped after ${done} of ${entries.length} entries; the rest were not checked` : undefined;
  if (incomplete) console.log(`Stopped (Ctrl-C) after ${done} of ${entries.length} entries.`);
  return finish("har", `billing-verify har ${options.file}`, verifier, options, { nothingChecked, incomplete });
}

export async function runProxy(options: ReportOptions & { upstream: URL; port: number; host: string; record?: string | undefined }): Promise<number> {
  const check = await loadCheck(options.spec);
  if (typeof check === "string") return unreadable(check);
  const { Verifier, startVerifyProxy, harDocument, plural } = await checking();
  const verifier = new Verifier(check, ApiHosts.fromBaseUrls([options.upstream]), { strictRequests: options.strictRequests ?? false });
  const print = await printFindings(verifier);
  const upstream = options.upstream.origin;
  let proxy: Awaited<ReturnType<typeof startVerifyProxy>> | undefined;
  // Ctrl-C while the spec loads: nothing was listened for, and the summary says so.
  if (!options.signal?.aborted) {
    try {
      let refusalsSeen = 0;
      // Called right after the verifier took the exchange: a new refusal is this call's.
      const onExchange = (findings: Finding[], call: { method: string; url: string; status: number }) => {
        const refused = verifier.refusals.length > refusalsSeen;
        refusalsSeen = verifier.refusals.length;
        const verdict = findings.length ? ` (${plural(findings.length, "violation")})` : refused ? " (refused as documented)" : "";
        if (!options.quiet) console.log(verifier.redactor.redact(`${call.method} ${call.url} -> ${call.status}${verdict}`));
        print(findings);
      };
      proxy = await startVerifyProxy({ upstream: options.upstream, verifier, host: options.host, port: options.port, record: options.record !== undefined, onExchange });
    } catch (error) {
      const why = listenFailure(error, options.port, options.host);
      return unreadable(why ? `${why}; choose another with --port.` : (error as Error).message);
    }
    if (!options.signal?.aborted) {
      console.log(verifier.redactor.redact(`billing-verify proxy listening on ${proxy.url}, forwarding to ${upstream}${options.quiet ? "" : "; Ctrl-C prints the summary"}`));
    }
    await aborted(options.signal);
    await proxy.close();
  }
  if (proxy && options.record) {
    try {
      await writeFile(options.record, verifier.redactor.redact(harDocument(proxy.entries, version)));
    } catch (error) {
      return unreadable(`cannot write ${options.record}: ${(error as Error).message}`);
    }
  }
  const failures = proxy?.upstreamFailures ?? 0;
  if (failures > 0) console.log(`Calls the upstream did not answer (a 502 was sent): ${failures}`);
  const nothingChecked = () => {
    if (!proxy) return "stopped before the proxy was listening, so nothing was checked";
    const skipped = allSkipped(verifier);
    const down = `${upstream} did not answer any of the ${skipped ? "other " : ""}${plural(failures, "call")} (the proxy sent each a 502; the last failed with: ${proxy.lastUpstreamError})`;
    if (failures > 0) return `nothing was checked: ${skipped ? `${skipped}, and ` : ""}${down}`;
    return skipped ? `nothing was checked: ${skipped}` : `no call came through the proxy at ${proxy.url}, so nothing was checked`;
  };
  const extra = { upstream, upstreamFailures: failures };
  return finish("proxy", `billing-verify proxy to ${upstream}`, verifier, options, { nothingChecked }, extra);
}

export async function runLive(options: ReportOptions & { baseUrl: URL; apiKey: string }): Promise<number> {
  const check = await loadCheck(options.spec);
  if (typeof check === "string") return unreadable(check);
  const { Verifier, walkLive, plural } = await checking();
  const verifier = new Verifier(check, ApiHosts.fromBaseUrls([options.baseUrl]), { strictRequests: options.strictRequests ?? false });
  const print = await printFindings(verifier);
  const before = { count: 0 };
  const result = await walkLive({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    verifier,
    ...(options.signal ? { signal: options.signal } : {}),
    onCall: (line) => {
      if (!options.quiet) console.log(line);
      print(verifier.findings.slice(before.count));
      before.count = verifier.findings.length;
    },
  });
  for (const { operationId, missing } of result.notReached) {
    console.log(`not reached: ${operationId} (no earlier answer gave ${missing.join(", ")})`);
  }
  for (const { operationId, params } of result.fromExamples) {
    console.log(`${operationId}: no answer gave ${params.join(", ")}; called with the spec's example`);
  }
  const site = options.baseUrl.origin;
  const stopped = options.signal?.aborted ?? false;
  if (stopped) console.log("Stopped (Ctrl-C) before the walk was done.");
  const extra = { baseUrl: site, notReached: result.notReached, fromExamples: result.fromExamples, failures: result.failures };
  const noAnswer = `${plural(result.failures, "call")} got no answer from ${site}`;
  const nothingChecked = () =>
    result.failures > 0 ? `${noAnswer}, so nothing was checked` : stopped ? "stopped before any call was answered, so nothing was checked" : `nothing was checked: ${allSkipped(verifier) || `no GET operation could be called on ${site}`}`;
  const incomplete = result.failures > 0 ? noAnswer : stopped ? "stopped before the walk was done; the rest was not checked" : undefined;
  return finish("live", `billing-verify live ${site}`, verifier, options, { nothingChecked, incomplete }, extra);
}
