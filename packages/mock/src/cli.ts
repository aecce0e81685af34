// billing-mock [--host 127.0.0.1] [--port 4010] [--quiet] [--no-errors]
import { parseArgs } from "node:util";
import { startMock } from "./server.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "4010" },
    quiet: { type: "boolean", default: false },
    "no-errors": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(`Usage: billing-mock [--host 127.0.0.1] [--port 4010] [--quiet] [--no-errors]

Serves the Billing API's documented examples with Prism. Invalid requests get a 4xx whose JSON body
says what is wrong; with --no-errors, responses that break the spec are passed through instead of
turned into 500s.`);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, got ${values.port}`);
  process.exit(2);
}

const mock = await startMock({
  host: values.host,
  port,
  errors: !values["no-errors"],
  onRequest: values.quiet
    ? undefined
    : ({ method, path, status, ms }) => console.log(`${method.padEnd(6)} ${path} -> ${status} (${ms} ms)`),
});
console.log(`Billing API mock listening on ${mock.url}`);

const stop = async () => {
  await mock.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
