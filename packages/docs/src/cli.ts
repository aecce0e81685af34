// billing-docs [--host 127.0.0.1] [--port 4011]: serves the built API reference page. The options
// are read before anything else is loaded, so --help, --version and a mistake answer at once.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const usage = `Usage: billing-docs [--host 127.0.0.1] [--port 4011] [--version]

Serves the built API reference page (one self-contained HTML file) at /. --port 0 picks a free port.`;

function options() {
  try {
    return parseArgs({
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "4011" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`billing-docs: ${(error as Error).message}\n\n${usage}`);
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
  console.error(`billing-docs: --port must be a whole number from 0 to 65535, got ${values.port}`);
  process.exitCode = 2;
} else {
  try {
    const { serveDocs } = await import("./server.js");
    const docs = await serveDocs({ host: values.host, port });
    console.log(`Billing API reference at ${docs.url}/`);
    // Closing the server leaves nothing running, so the process ends by itself.
    const stop = () => void docs.close();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    console.error(
      code === "EADDRINUSE"
        ? `billing-docs: port ${port} on ${values.host} is already in use; choose another with --port.`
        : `billing-docs: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  }
}
