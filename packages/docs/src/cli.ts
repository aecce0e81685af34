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
  process.exit(2);
}

const docs = await serveDocs({ host: values.host, port });
console.log(`Billing API reference at ${docs.url}/`);

const stop = async () => {
  await docs.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
