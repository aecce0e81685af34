import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

// `billing-mock --stateful --api-key KEY`, as a team starts it for a scenario suite.
const bin = fileURLToPath(new URL("../../bin/billing-mock.js", import.meta.url));

test("billing-mock --stateful --api-key keeps state per namespace and accepts only its key", async () => {
  const child = spawn(process.execPath, [bin, "--stateful", "--api-key", "cli-key", "--port", "0", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const found = /Billing API mock \(stateful\) listening on (\S+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      child.once("exit", (code) => reject(new Error(`billing-mock exited with ${code}: ${out}`)));
    });
    const headers = (key: string) => ({ Authorization: `Basic ${btoa(`${key}:x`)}`, "Content-Type": "application/json", "Mock-Namespace": "cli" });
    const created = await fetch(`${url}/customers.json`, {
      method: "POST",
      headers: headers("cli-key"),
      body: JSON.stringify({ customer: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } }),
    });
    expect(created.status).toBe(201);
    const { customer } = (await created.json()) as { customer: { id: number } };
    expect((await fetch(`${url}/customers/${customer.id}.json`, { headers: headers("cli-key") })).status).toBe(200);
    const wrongKey = await fetch(`${url}/customers/${customer.id}.json`, { headers: headers("other-key") });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.text()).toBe("HTTP Basic: Access denied.\n");
    // The control routes take the key too.
    expect((await fetch(`${url}/__mock/state`, { headers: { "Mock-Namespace": "cli" } })).status).toBe(401);
    const state = (await (await fetch(`${url}/__mock/state`, { headers: headers("cli-key") })).json()) as { resources: { customer: object } };
    expect(Object.keys(state.resources.customer)).toContain(String(customer.id));
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}, 60_000);
