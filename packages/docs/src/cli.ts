// billing-docs [--host 127.0.0.1] [--port 4011]: serves the built API reference page.
import { parseArgs } from "node:util";
import { serveDocs } from "./server.js";

const usage = `Usage: billing-docs [--host 127.0.0.1] [--port 4011]

Serves the built API reference page (one self-contained HTML file) at /. --port 0 picks a free port.`;

function options() {
  try {
    return parseArgs({
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "4011" },
        help: { type: "boolean", short: "h", default: false },
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
} else if (!/^\d+$/.test(values.port) || port > 65535) {
  console.error(`billing-docs: --port must be a whole number from 0 to 65535, got ${values.port}`);
  process.exitCode = 2;
} else {
  try {
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
