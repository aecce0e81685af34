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
});
