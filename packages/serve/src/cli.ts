// billing-serve: the mock and the API reference in one process, for `npm start`. Ports come from
// flags or the environment (BILLING_MOCK_PORT, BILLING_DOCS_PORT, BILLING_HOST), so a busy default
// port is one variable away; SIGINT and SIGTERM close both servers and the process ends. The
// options are read before the mock (Prism) is loaded, so --help, --version and a mistake answer at once.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import type { DocsServer } from "@billing-api/docs";
import type { MockServer } from "@billing-api/mock";

const usage = `Usage: billing-serve [--host 127.0.0.1] [--mock-port 4010] [--docs-port 4011] [--quiet] [--version]

Serves the Billing API mock and its API reference page on loopback. The defaults can also be set
with BILLING_HOST, BILLING_MOCK_PORT and BILLING_DOCS_PORT, for example:
  BILLING_MOCK_PORT=4020 BILLING_DOCS_PORT=4021 npm start`;

const env = process.env;

function options() {
  try {
    return parseArgs({
      options: {
        host: { type: "string", default: env.BILLING_HOST ?? "127.0.0.1" },
        "mock-port": { type: "string", default: env.BILLING_MOCK_PORT ?? "4010" },
        "docs-port": { type: "string", default: env.BILLING_DOCS_PORT ?? "4011" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`billing-serve: ${(error as Error).message}\n\n${usage}`);
    return undefined;
  }
}

/** A port from its text, or an error message naming where it came from. */
function port(text: string, flag: string, variable: string): number | string {
  const value = Number(text);
  return /^\d+$/.test(text) && value <= 65535 ? value : `--${flag} (or ${variable}) must be a whole number from 0 to 65535, got ${text}`;
}

async function main(): Promise<number> {
  const values = options();
  if (!values) return 2;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.version) {
    console.log((JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version);
    return 0;
  }
  const mockPort = port(values["mock-port"], "mock-port", "BILLING_MOCK_PORT");
  const docsPort = port(values["docs-port"], "docs-port", "BILLING_DOCS_PORT");
  for (const problem of [mockPort, docsPort]) {
    if (typeof problem === "string") {
      console.error(`billing-serve: ${problem}`);
      return 2;
    }
  }

  const [{ startMock }, { docsHtmlPath, serveDocs }] = await Promise.all([import("@billing-api/mock"), import("@billing-api/docs")]);
  const started: (MockServer | DocsServer)[] = [];
  const stop = () => Promise.all(started.map((server) => server.close()));
  const start = async <T extends MockServer | DocsServer>(what: string, at: number, variable: string, run: () => Promise<T>) => {
    try {
      const server = await run();
      started.push(server);
      return server;
    } catch (error) {
      await stop();
      const busy = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
      throw new Error(
        busy
          ? `port ${at} on ${values.host} is already in use (the ${what}); free it or choose another: ${variable}=${at + 10} npm start`
          : `the ${what} did not start: ${(error as Error).message}`,
      );
    }
  };

  try {
    const mock = await start("mock", mockPort as number, "BILLING_MOCK_PORT", () =>
      startMock({
        host: values.host,
        port: mockPort as number,
        onRequest: values.quiet ? undefined : ({ method, path, status, ms }) => console.log(`mock  ${method.padEnd(6)} ${path} -> ${status} (${ms} ms)`),
      }),
    );
    const docs = await start("API reference", docsPort as number, "BILLING_DOCS_PORT", () => serveDocs({ host: values.host, port: docsPort as number }));
    console.log(`Billing API mock       ${mock.url}   try: curl -u my-api-key:x ${mock.url}/customers/150.json`);
    console.log(`Billing API reference  ${docs.url}/  (offline copy: ${relative(process.cwd(), docsHtmlPath)})`);
    console.log(`Ctrl-C stops both.${values.quiet ? "" : " Requests to the mock are logged below."}`);
  } catch (error) {
    console.error(`billing-serve: ${(error as Error).message}`);
    return 1;
  }
  // Closing both servers leaves nothing running, so the process ends by itself.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop());
  return 0;
}

process.exitCode = await main();
