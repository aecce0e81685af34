// billing-verify har FILE.har | proxy --upstream URL | live --base-url URL --api-key KEY | webhooks --shared-key KEY
// A thin shell on @billing-api/cli-kit: --help, --version and bad usage answer before the spec or
// Prism is loaded (./run.js does that). The usage and the option table are the two blocks below.
import { Command } from "@billing-api/cli-kit";

// ---- billing-verify's usage ------------------------------------------------------------------
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
  --strict-requests
                  a request with a problem is a violation even when the API refused it with the
                  operation's documented 4xx (by default it is listed as "refused as documented",
                  as a test that sends invalid input on purpose expects)

A request to the stateful mock's control routes (/__mock/...) is skipped and counted.
Exit status: 0 when everything conforms, 1 on any violation, 2 on bad usage, unreadable input or
nothing checked (no exchange for the API's hosts, or every call a 502 from an upstream that is down).
Ctrl-C (or SIGTERM), at any moment, stops the run and prints the summary of what was checked; the
exit status follows the same rules (for har and live, entries left unchecked make it 2 when there is
no violation). A second Ctrl-C ends it at once with 130.
Credentials (Authorization headers, the API key in URLs or bodies, the shared key) never appear in any output.`;

// ---- billing-verify's options (--help comes with the Command) -------------------------------
const options = {
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
  "strict-requests": { type: "boolean", default: false },
  version: { type: "boolean", short: "v", default: false },
} as const;

// ---- the shell -------------------------------------------------------------------------------
// The usage is long, so a mistake is followed by a pointer to --help rather than by the usage.
const command = new Command({ name: "billing-verify", usage, options, allowPositionals: true, onMistake: "hint", packageJson: new URL("../package.json", import.meta.url) });
const fail = (message: string) => command.refuse(message);

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

/**
 * Ctrl-C (SIGINT) and SIGTERM from the first moment on: the first stops the run, which then reports
 * what it has; a second ends the process at once, with 130 as a shell expects of an interrupt.
 */
function interruption(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return controller.signal;
}

async function main() {
  const signal = interruption();
  const parsed = command.read();
  if (!parsed) return;
  const { values, positionals } = parsed;
  const [mode, ...rest] = positionals;
  const reports = { json: values.json, junit: values.junit, spec: values.spec, quiet: values.quiet, strictRequests: values["strict-requests"], signal };
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
    const at = command.address(values);
    if (!at) return;
    process.exitCode = await (await run()).runProxy({ upstream, ...at, record: values.record, ...reports });
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
