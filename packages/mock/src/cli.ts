// billing-mock [--host 127.0.0.1] [--port 4010] [--stateful] [--api-key KEY] [--quiet] [--no-errors] [--version]
// The options are read before Prism is loaded (about a second), so --help, --version and a mistake
// answer at once.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const usage = `Usage: billing-mock [--host 127.0.0.1] [--port 4010] [--stateful] [--api-key KEY] [--quiet] [--no-errors] [--version]

Serves the Billing API's documented examples. Invalid requests get a 4xx whose JSON body says what
is wrong. --port 0 picks a free port. --quiet drops the request log. With --no-errors, responses
that break the spec are sent as they are instead of turned into 500s.

--stateful keeps state, seeded from the examples: creates, updates and deletes are real and the
API's rules apply; a Mock-Namespace header picks an independent store, and POST /__mock/reset,
GET /__mock/state and GET or POST /__mock/clock control it. Moving the clock forward
({"advance_seconds": N} or {"now": "<ISO date-time>"}) runs renewals, dunning, trial ends and
cancellations that fall due, and answers what changed. --api-key KEY accepts only that key.`;

function options() {
  try {
    return parseArgs({
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "4010" },
        quiet: { type: "boolean", default: false },
        "no-errors": { type: "boolean", default: false },
        stateful: { type: "boolean", default: false },
        "api-key": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`billing-mock: ${(error as Error).message}\n\n${usage}`);
    return undefined;
  }
}

const values = options();
const port = Number(values?.port);
if (!values) {
  process.exitCode = 2;
} else if (values.help) {
  console.log(usage);
} else if (values.version) {
  console.log((JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version);
} else if (!/^\d+$/.test(values.port) || port > 65535) {
  console.error(`billing-mock: --port must be a whole number from 0 to 65535, got ${values.port}`);
  process.exitCode = 2;
} else {
  try {
    const { startMock } = await import("./server.js");
    const mock = await startMock({
      host: values.host,
      port,
      errors: !values["no-errors"],
      stateful: values.stateful,
      ...(values["api-key"] !== undefined ? { apiKey: values["api-key"] } : {}),
      onRequest: values.quiet
        ? undefined
        : ({ method, path, status, ms }) => console.log(`${method.padEnd(6)} ${path} -> ${status} (${ms} ms)`),
    });
    console.log(`Billing API mock${values.stateful ? " (stateful)" : ""} listening on ${mock.url}`);
    // Closing the mock leaves nothing running, so the process ends by itself.
    const stop = () => void mock.close();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    console.error(
      code === "EADDRINUSE"
        ? `billing-mock: port ${port} on ${values.host} is already in use; choose another with --port.`
        : `billing-mock: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  }
}
