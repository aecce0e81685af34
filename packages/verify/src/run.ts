/**
 * The three commands, behind the CLI's argument checks: load the spec, feed the verifier, print
 * each violation as it is found, write the reports, print the summary, and give the exit status
 * (0 conforms, 1 violations, 2 unreadable input).
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
}

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

/** Writes the reports, prints the summary, and returns the exit status. */
async function finish(mode: string, title: string, verifier: Verifier, options: ReportOptions, extra: Record<string, unknown> = {}): Promise<number> {
  const { jsonReport, junitReport, summaryText } = await checking();
  try {
    if (options.json) await writeFile(options.json, jsonReport(mode, verifier, extra));
    if (options.junit) await writeFile(options.junit, junitReport(mode, verifier));
  } catch (error) {
    return unreadable(`cannot write the report: ${(error as Error).message}`);
  }
  const summary = verifier.summary();
  console.log(verifier.redactor.redact(summaryText(title, summary)));
  if (verifier.findings.length > 0) return 1;
  const failed = Object.entries(summary.skipped).filter(([reason]) => reason.startsWith("could not be checked")).reduce((sum, [, count]) => sum + count, 0);
  // Not checked is not conforming: a CI job must not pass on it.
  return failed > 0 ? unreadable(`${failed} exchanges could not be checked (see the summary); please report them`) : 0;
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
  const verifier = new Verifier(check, hosts);
  checkHar(entries, verifier, await printFindings(verifier));
  const status = await finish("har", `billing-verify har ${options.file}`, verifier, options);
  if (verifier.summary().checked > 0) return status;
  // Nothing checked is not "everything conforms": most likely the API's host was not recognised.
  const hostsSeen = [...verifier.otherHosts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([origin]) => origin);
  return unreadable(
    entries.length === 0
      ? `${options.file} has no entries to check`
      : hostsSeen.length > 0
        ? `no entry of ${options.file} is for the API's hosts; it calls ${hostsSeen.join(", ")}: give the API's with --base-url`
        : `no entry of ${options.file} could be checked`,
  );
}

export async function runProxy(options: ReportOptions & { upstream: URL; port: number; host: string; record?: string | undefined }): Promise<number> {
  const check = await loadCheck(options.spec);
  if (typeof check === "string") return unreadable(check);
  const { Verifier, startVerifyProxy, harDocument } = await checking();
  const verifier = new Verifier(check, ApiHosts.fromBaseUrls([options.upstream]));
  const print = await printFindings(verifier);
  let proxy;
  try {
    const onExchange = (findings: Finding[], call: { method: string; url: string; status: number }) => {
      if (!options.quiet) console.log(verifier.redactor.redact(`${call.method} ${call.url} -> ${call.status}${findings.length ? ` (${findings.length} violation${findings.length === 1 ? "" : "s"})` : ""}`));
      print(findings);
    };
    proxy = await startVerifyProxy({ upstream: options.upstream, verifier, host: options.host, port: options.port, record: options.record !== undefined, onExchange });
  } catch (error) {
    const why = listenFailure(error, options.port, options.host);
    return unreadable(why ? `${why}; choose another with --port.` : (error as Error).message);
  }
  console.log(verifier.redactor.redact(`billing-verify proxy listening on ${proxy.url}, forwarding to ${options.upstream.origin}${options.quiet ? "" : "; Ctrl-C prints the summary"}`));
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await proxy.close();
  if (options.record) {
    try {
      await writeFile(options.record, verifier.redactor.redact(harDocument(proxy.entries, version)));
    } catch (error) {
      return unreadable(`cannot write ${options.record}: ${(error as Error).message}`);
    }
  }
  if (proxy.upstreamFailures > 0) console.log(`Calls the upstream did not answer (a 502 was sent): ${proxy.upstreamFailures}`);
  const extra = { upstream: options.upstream.origin, upstreamFailures: proxy.upstreamFailures };
  return finish("proxy", `billing-verify proxy to ${options.upstream.origin}`, verifier, options, extra);
}

export async function runLive(options: ReportOptions & { baseUrl: URL; apiKey: string }): Promise<number> {
  const check = await loadCheck(options.spec);
  if (typeof check === "string") return unreadable(check);
  const { Verifier, walkLive } = await checking();
  const verifier = new Verifier(check, ApiHosts.fromBaseUrls([options.baseUrl]));
  const print = await printFindings(verifier);
  const before = { count: 0 };
  const result = await walkLive({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    verifier,
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
  const extra = { baseUrl: options.baseUrl.origin, notReached: result.notReached, fromExamples: result.fromExamples, failures: result.failures };
  const status = await finish("live", `billing-verify live ${options.baseUrl.origin}`, verifier, options, extra);
  if (result.failures > 0 && status === 0) return unreadable(`${result.failures} calls got no answer from ${options.baseUrl.origin}`);
  return status;
}
