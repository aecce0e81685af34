// billing-mock: a thin shell on @billing-api/cli-kit, which answers --help, --version and a mistake
// before Prism is loaded (about a second). The option table and the usage are the two blocks below.
import { Command } from "@billing-api/cli-kit";

// ---- billing-mock's usage --------------------------------------------------------------------
const usage = `Usage: billing-mock [--host 127.0.0.1] [--port 4010]
                    [--stateful [--store redis://HOST:PORT[/DB]] [--webhook-url URL] [--shared-key KEY]]
                    [--api-key KEY] [--quiet] [--no-errors] [--version]

Serves the Billing API's documented examples. Invalid requests get a 4xx whose JSON body says what
is wrong. --port 0 picks a free port. --quiet drops the request log. With --no-errors, responses
that break the spec are sent as they are instead of turned into 500s.

--stateful keeps state, seeded from the examples: creates, updates and deletes are real and the
API's rules apply; a Mock-Namespace header picks an independent store, and POST /__mock/reset,
GET /__mock/state and GET or POST /__mock/clock control it. Moving the clock forward
({"advance_seconds": N} or {"now": "<ISO date-time>"}) runs renewals, dunning, trial ends and
cancellations that fall due, and answers what changed. --api-key KEY accepts only that key, on the
control routes too; without it any key is accepted, by design.

--store redis://HOST:PORT[/DB] keeps the stateful mock's namespaces in Redis, shared by every mock
process started with the same URL (one sandbox behind a load balancer, kept across restarts); the
default is memory, this process's own. Options go in the URL's query: idle=SECONDS (a namespace
nobody used for that long is forgotten, default 86400), records=N and bytes=N (one namespace's
budget; past it a write gets a 409), namespaces=N (default 100), prefix=TEXT (of the Redis keys).
While Redis cannot be reached, requests get a 503 that names it; the mock reconnects by itself.

Webhooks (stateful): --webhook-url URL sends every event of every namespace there (POST
/endpoints.json adds endpoints per namespace), signed with --shared-key KEY (default
billing-mock-shared-key); GET /__mock/webhooks lists what was sent.`;

// ---- billing-mock's options (--help and --version come with the Command) ----------------------
const options = {
  host: { type: "string", default: "127.0.0.1" },
  port: { type: "string", default: "4010" },
  quiet: { type: "boolean", default: false },
  "no-errors": { type: "boolean", default: false },
  stateful: { type: "boolean", default: false },
  store: { type: "string" },
  "api-key": { type: "string" },
  "webhook-url": { type: "string" },
  "shared-key": { type: "string" },
} as const;

// ---- the shell -------------------------------------------------------------------------------
const command = new Command({ name: "billing-mock", usage, options, packageJson: new URL("../package.json", import.meta.url) });

async function main(): Promise<void> {
  const values = command.read()?.values;
  if (values?.store !== undefined && !values.stateful) return void command.refuse("--store is where the stateful mock keeps its state; add --stateful.");
  const at = values && command.address(values);
  if (!values || !at) return;
  const mock = await command.serve(at, async () => {
    const { startMock } = await import("./server.js");
    return startMock({
      ...at,
      errors: !values["no-errors"],
      stateful: values.stateful,
      ...(values.store !== undefined ? { store: values.store } : {}),
      ...(values["api-key"] !== undefined ? { apiKey: values["api-key"] } : {}),
      ...(values["webhook-url"] !== undefined ? { webhooks: { url: values["webhook-url"] } } : {}),
      ...(values["shared-key"] !== undefined ? { sharedKey: values["shared-key"] } : {}),
      onRequest: values.quiet ? undefined : ({ method, path, status, ms }) => console.log(`${method.padEnd(6)} ${path} -> ${status} (${ms} ms)`),
    });
  });
  const kept = values.store !== undefined && values.store !== "memory" ? `, store ${values.store.replace(/\?.*/, "")}` : "";
  if (mock) console.log(`Billing API mock${values.stateful ? ` (stateful${kept})` : ""} listening on ${mock.url}`);
}

await main();
