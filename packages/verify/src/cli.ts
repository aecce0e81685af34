// billing-verify har FILE.har | proxy --upstream URL | live --base-url URL --api-key KEY | webhooks --shared-key KEY
// Answers --help, --version and bad usage before loading the spec or Prism (./run.js does that).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const usage = `Usage:
  billing-verify har FILE.har [--base-url URL]...
  billing-verify proxy --upstream URL [--port 4012] [--host 127.0.0.1] [--record FILE.har]
  billing-verify live --base-url URL --api-key KEY     (or BILLING_API_KEY in the environment)
  billing-verify webhooks --shared-key KEY [--port 4012] [--host 127.0.0.1] [--forward URL]

Checks real traffic against the Billing API's OpenAPI document: each request routed to its
operation, its parameters and body, the status against the documented ones, the response's media
type and body against the schema for that status. Prints each violation, then a summary.

  har      every entry of a recorded HAR; entries for hosts other than the API's (the spec's
           servers, or each --base-url) are skipped and counted
  proxy    a local proxy to point an app or a test suite at; Ctrl-C ends it and prints the summary;
           --record writes the exchanges as a HAR (credentials redacted)
  live     a read-only walk of the API (GET only: lists, then reads of what they returned);
           point it at a test site
  webhooks a local receiver for webhook deliveries (from the mock, or the API through a tunnel):
           each one's headers, signature (with the site's shared key, or BILLING_SHARED_KEY) and
           form body checked against the spec's webhooks; --forward passes it on to your app and
           sends its answer back; Ctrl-C ends it and prints the summary

Options for all four:
  --json FILE     write a JSON report        --junit FILE   write a JUnit XML report
  --spec FILE     another OpenAPI document, bundled as JSON (default: the bundled Billing API)
  --quiet         print only violations and the summary

Exit status: 0 when everything conforms, 1 on any violation, 2 on bad usage or unreadable input
(a HAR with no entry for the API's hosts included).
Credentials (Authorization headers, the API key in URLs or bodies, the shared key) never appear in any output.`;

const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

function fail(message: string): void {
  console.error(`billing-verify: ${message}\nRun billing-verify --help for usage.`);
  process.exitCode = 2;
}

function url(option: string, value: string | undefined): URL | string {
  if (value === undefined) return `${option} is required`;
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return `${option} must be an http or https URL, got ${parsed.protocol}`;
    return parsed;
  } catch {
    return `${option} must be a URL such as https://acme-test.chargify.com`;
  }
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        "base-url": { type: "string", multiple: true },
        upstream: { type: "string" },
        port: { type: "string", default: "4012" },
        host: { type: "string", default: "127.0.0.1" },
        record: { type: "string" },
        "api-key": { type: "string" },
        "shared-key": { type: "string" },
        forward: { type: "string" },
        json: { type: "string" },
        junit: { type: "string" },
        spec: { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (error) {
    // parseArgs names the option; an API key given as a value never appears in its messages.
    fail((error as Error).message);
    return undefined;
  }
}

async function main() {
  const parsed = parse();
  if (!parsed) return;
  const { values, positionals } = parsed;
  if (values.help) return void console.log(usage);
  if (values.version) return void console.log(version);
  const [mode, ...rest] = positionals;
  const reports = { json: values.json, junit: values.junit, spec: values.spec, quiet: values.quiet };
  const run = () => import("./run.js");

  if (mode === "har") {
    if (rest.length !== 1) return fail(rest.length === 0 ? "har needs a FILE.har" : `har takes one file, got ${rest.length}`);
    const baseUrls: URL[] = [];
    for (const value of values["base-url"] ?? []) {
      const parsedUrl = url("--base-url", value);
      if (typeof parsedUrl === "string") return fail(parsedUrl);
      baseUrls.push(parsedUrl);
    }
    process.exitCode = await (await run()).runHar({ file: rest[0]!, baseUrls, ...reports });
  } else if (mode === "proxy") {
    if (rest.length > 0) return fail("proxy takes no file or other argument, only options");
    const upstream = url("--upstream", values.upstream);
    if (typeof upstream === "string") return fail(upstream);
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) return fail(`--port must be a whole number from 0 to 65535, got ${values.port}`);
    process.exitCode = await (await run()).runProxy({ upstream, port, host: values.host, record: values.record, ...reports });
  } else if (mode === "live") {
    if (rest.length > 0) return fail("live takes no file or other argument, only options");
    if ((values["base-url"]?.length ?? 0) > 1) return fail("live takes one --base-url");
    const baseUrl = url("--base-url", values["base-url"]?.[0]);
    if (typeof baseUrl === "string") return fail(baseUrl);
    const apiKey = values["api-key"] ?? process.env.BILLING_API_KEY;
    if (!apiKey) return fail("live needs --api-key KEY (or BILLING_API_KEY in the environment)");
    process.exitCode = await (await run()).runLive({ baseUrl, apiKey, ...reports });
  } else if (mode === "webhooks") {
    if (rest.length > 0) return fail("webhooks takes no file or other argument, only options");
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) return fail(`--port must be a whole number from 0 to 65535, got ${values.port}`);
    const sharedKey = values["shared-key"] ?? process.env.BILLING_SHARED_KEY;
    if (!sharedKey) return fail("webhooks needs --shared-key KEY (or BILLING_SHARED_KEY in the environment)");
    const forward = values.forward === undefined ? undefined : url("--forward", values.forward);
    if (typeof forward === "string") return fail(forward);
    process.exitCode = await (await import("./run-webhooks.js")).runWebhooks({ port, host: values.host, sharedKey, forward, ...reports });
  } else {
    fail(mode === undefined ? "say which check to run: har, proxy, live or webhooks" : `unknown command ${JSON.stringify(mode)}; use har, proxy, live or webhooks`);
  }
}

await main();
