// billing-docs [--host 127.0.0.1] [--port 4011]: serves the built API reference page.
import { parseArgs } from "node:util";
import { serveDocs } from "./server.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "4011" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, got ${values.port}`);
  process.exitCode = 2;
} else {
  const docs = await serveDocs({ host: values.host, port });
  console.log(`Billing API reference at ${docs.url}/`);
  // Closing the server leaves nothing running, so the process ends by itself.
  const stop = () => void docs.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
