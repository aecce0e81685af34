import { ConformanceCheck, describeWebhookViolation, WebhookCheck } from "@billing-api/conformance";
import { describe, expect, test } from "vitest";
import { document } from "@billing-api/test-support/spec";

// A ConformanceCheck judges its document's webhooks with the schemas it judges requests and answers
// with (the stateful mock checks every payload through it before sending): the same verdicts as a
// WebhookCheck of its own.
type Example = { value: Record<string, string> };
const webhooks = document.webhooks as Record<string, { post: { requestBody: { content: Record<string, { examples: Record<string, Example> }> } } }>;
const exampleOf = (event: string) => Object.values(webhooks[event]!.post.requestBody.content["application/x-www-form-urlencoded"]!.examples)[0]!.value;

describe("ConformanceCheck.webhooks", () => {
  const check = new ConformanceCheck(document as unknown as Record<string, unknown>);
  const alone = new WebhookCheck(document as unknown as Record<string, unknown>);

  test("knows every event of the document", () => {
    expect(check.webhooks.events).toEqual(Object.keys(webhooks));
    expect(check.webhooks.events.length).toBeGreaterThan(20);
  });

  test.each(Object.keys(webhooks))("%s: its example is a valid payload", (event) => {
    expect(check.webhooks.payloadProblems(event, exampleOf(event))).toEqual([]);
  });

  test("a payload without a required key, or with an id that is not digits, is refused by the form key, as a WebhookCheck refuses it", () => {
    const { "payload[customer][email]": _email, ...withoutEmail } = exampleOf("customer_create");
    const badId = { ...exampleOf("customer_create"), id: "wh-1" };
    for (const fields of [withoutEmail, badId]) {
      const problems = check.webhooks.payloadProblems("customer_create", fields);
      expect(problems).toHaveLength(1);
      expect(problems).toEqual(alone.payloadProblems("customer_create", fields));
    }
    expect(check.webhooks.payloadProblems("customer_create", withoutEmail)[0]).toMatchObject({ kind: "missing-property", pointer: "/payload[customer][email]" });
    expect(check.webhooks.payloadProblems("customer_create", badId)[0]).toMatchObject({ pointer: "/id" });
  });

  test("a finding reads as one sentence: what was wanted, what was found, the event", () => {
    const { "payload[customer][email]": _email, ...withoutEmail } = exampleOf("customer_create");
    const describe = (fields: Record<string, string>) => alone.payloadProblems("customer_create", fields).map((problem) => describeWebhookViolation({ ...problem, part: "webhook body", event: "customer_create" }));
    expect(describe(withoutEmail)).toEqual(["webhook body /payload[customer][email]: expected a required property, found nothing (customer_create)"]);
    // A rule that is a sentence already is not put after "expected".
    expect(describe({ ...exampleOf("customer_create"), "payload[customer][id]": "c-150" })).toEqual(['webhook body /payload[customer][id]: must match the pattern ^[0-9]+$, found "c-150" (customer_create)']);
  });
});
