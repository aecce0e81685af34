// billing-docs: serves the built API reference page. A thin shell on @billing-api/cli-kit, which
// answers --help, --version and a mistake before anything else is loaded.
import { Command } from "@billing-api/cli-kit";

// ---- billing-docs's usage --------------------------------------------------------------------
const usage = `Usage: billing-docs [--host 127.0.0.1] [--port 4011] [--version]

Serves the built API reference page (one self-contained HTML file) at /. --port 0 picks a free port.`;

// ---- billing-docs's options (--help and --version come with the Command) ----------------------
const options = {
  host: { type: "string", default: "127.0.0.1" },
  port: { type: "string", default: "4011" },
} as const;

// ---- the shell -------------------------------------------------------------------------------
const command = new Command({ name: "billing-docs", usage, options, packageJson: new URL("../package.json", import.meta.url) });

async function main(): Promise<void> {
  const values = command.read()?.values;
  const at = values && command.address(values);
  if (!values || !at) return;
  const docs = await command.serve(at, async () => (await import("./server.js")).serveDocs(at));
  if (docs) console.log(`Billing API reference at ${docs.url}/`);
}

await main();
