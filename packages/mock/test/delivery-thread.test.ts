import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { openapiJsonPath } from "@billing-api/spec";
import { describe, expect, test } from "vitest";
import { DeliveryThread } from "../dist/webhooks/delivery-thread.js";

// The mock's side of its delivery thread, with a thread that stops at a webhook named "stop": the
// attempts it held are reported as stopped, with why (the dispatcher retries them as failed
// attempts), and the next webhooks start a new thread.
const job = (event: string, id: number) => ({ namespace: 1, endpointId: 1, url: "http://127.0.0.1:9/hooks", id, event, context: "{}" });

describe("the delivery thread", () => {
  test("that stops reports the attempts it held, and the next webhooks start another", async () => {
    const stopped: { tickets: number[]; reason: string }[] = [];
    let wake: () => void = () => undefined;
    const thread = new DeliveryThread(
      () => ({ document: "{}", sharedKey: "key" }),
      { refused: () => undefined, ended: () => undefined, stopped: (tickets, reason) => (stopped.push({ tickets, reason }), wake()) },
      new URL("./fixtures/stopping-courier.mjs", import.meta.url),
    );
    try {
      const [first] = thread.send([job("customer_create", 1)]);
      await thread.allJudged();
      const held = thread.send([job("customer_update", 2), job("stop", 3)]);
      await new Promise<void>((resolve) => (wake = resolve));
      // The first was judged and is still open (this thread sends nothing): it is lost with the thread too.
      expect(stopped).toEqual([{ tickets: [first, ...held], reason: "the courier tripped over a stop" }]);
      await thread.allJudged();

      const [next] = thread.send([job("customer_create", 4)]);
      expect(next).toBeGreaterThan(held.at(-1)!);
      await thread.allJudged();
      expect(stopped).toHaveLength(1);
    } finally {
      thread.close();
    }
  });

  test("refuses a payload it cannot make on its own, and goes on with the next", async () => {
    // A port nothing listens on: the good webhook's attempt ends at once, refused.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const refused: [number, string[]][] = [];
    const ended: { ticket: number; error?: string }[] = [];
    let wake: () => void = () => undefined;
    const thread = new DeliveryThread(() => ({ document: readFileSync(openapiJsonPath, "utf8"), sharedKey: "key" }), {
      refused: (ticket, problems) => refused.push([ticket, problems]),
      ended: (attempts) => (ended.push(...attempts.map(({ ticket, outcome }) => ({ ticket, ...(outcome.error ? { error: outcome.error } : {}) }))), wake()),
      stopped: () => undefined,
    });
    try {
      const url = `http://127.0.0.1:${closed}/hooks`;
      const customer = { customer: { id: 150, first_name: "Martha", last_name: "Washington", email: "martha@example.com", created_at: "2026-11-20T21:40:12Z", updated_at: "2026-11-20T21:40:12Z" }, site: { id: 4150, subdomain: "acme" }, event_id: 1 };
      const [broken, good] = thread.send([
        { namespace: 1, endpointId: 1, url, id: 1, event: "customer_create", context: "{not json" },
        { namespace: 1, endpointId: 1, url, id: 2, event: "customer_create", context: JSON.stringify(customer) },
      ]);
      await thread.allJudged();
      expect(refused).toEqual([[broken, [expect.stringMatching(/^webhook body: the mock could not make it \(.*JSON/)]]]);
      while (ended.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      expect(ended).toEqual([{ ticket: good, error: "Could not connect (ECONNREFUSED)" }]);
    } finally {
      thread.close();
    }
  });
});
