// billing-serve: the mock and the API reference in one process, for `npm start`. Ports come from
// flags or the environment (BILLING_MOCK_PORT, BILLING_DOCS_PORT, BILLING_HOST), so a busy default
// port is one variable away; SIGINT and SIGTERM close both servers and the process ends. A thin shell
// on @billing-api/cli-kit: --help, --version and a mistake answer before the mock (Prism) is loaded.
import { relative } from "node:path";
import { closeOnSignals, Command, listenFailure, type Closable } from "@billing-api/cli-kit";

// ---- billing-serve's usage -------------------------------------------------------------------
const usage = `Usage: billing-serve [--host 127.0.0.1] [--mock-port 4010] [--docs-port 4011] [--quiet] [--version]

Serves the Billing API mock and its API reference page on loopback. The defaults can also be set
with BILLING_HOST, BILLING_MOCK_PORT and BILLING_DOCS_PORT, for example:
  BILLING_MOCK_PORT=4020 BILLING_DOCS_PORT=4021 npm start`;

// ---- billing-serve's options (--help and --version come with the Command) ---------------------
const env = process.env;
const options = {
  host: { type: "string", default: env.BILLING_HOST ?? "127.0.0.1" },
  "mock-port": { type: "string", default: env.BILLING_MOCK_PORT ?? "4010" },
  "docs-port": { type: "string", default: env.BILLING_DOCS_PORT ?? "4011" },
  quiet: { type: "boolean", default: false },
} as const;

// ---- the shell -------------------------------------------------------------------------------
const command = new Command({ name: "billing-serve", usage, options, packageJson: new URL("../package.json", import.meta.url) });

async function main(): Promise<void> {
  const values = command.read()?.values;
  if (!values) return;
  const mockPort = command.port(values["mock-port"], "--mock-port (or BILLING_MOCK_PORT)");
  const docsPort = mockPort === undefined ? undefined : command.port(values["docs-port"], "--docs-port (or BILLING_DOCS_PORT)");
  const host = docsPort === undefined ? undefined : command.host(values.host, "--host (or BILLING_HOST)");
  if (mockPort === undefined || docsPort === undefined || host === undefined) return;

  const [{ startMock }, { docsHtmlPath, serveDocs }] = await Promise.all([import("@billing-api/mock"), import("@billing-api/docs")]);
  const started: Closable[] = [];
  // Which server, and how to move it: a busy port is one variable away (`usual`: its documented default).
  const start = async <T extends Closable>(what: string, port: number, variable: string, usual: number, run: () => Promise<T>) => {
    try {
      const server = await run();
      started.push(server);
      return server;
    } catch (error) {
      await Promise.all(started.map((server) => server.close()));
      const why = listenFailure(error, port, host);
      const busy = (error as { code?: unknown }).code === "EADDRINUSE";
      const remedy = busy ? `free it or choose another: ${variable}=${port + 10}` : `choose another: ${variable}=${usual}`;
      throw new Error(why ? `${why} (the ${what}); ${remedy} npm start` : `the ${what} did not start: ${(error as Error).message}`);
    }
  };

  try {
    const mock = await start("mock", mockPort, "BILLING_MOCK_PORT", 4010, () =>
      startMock({
        host,
        port: mockPort,
        onRequest: values.quiet ? undefined : ({ method, path, status, ms }) => console.log(`mock  ${method.padEnd(6)} ${path} -> ${status} (${ms} ms)`),
      }),
    );
    const docs = await start("API reference", docsPort, "BILLING_DOCS_PORT", 4011, () => serveDocs({ host, port: docsPort }));
    console.log(`Billing API mock       ${mock.url}   try: curl -u my-api-key:x ${mock.url}/customers/150.json`);
    console.log(`Billing API reference  ${docs.url}/  (offline copy: ${relative(process.cwd(), docsHtmlPath)})`);
    console.log(`Ctrl-C stops both.${values.quiet ? "" : " Requests to the mock are logged below."}`);
  } catch (error) {
    console.error(`billing-serve: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  closeOnSignals(...started);
}

await main();
