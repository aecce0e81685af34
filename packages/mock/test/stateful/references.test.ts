import fc from "fast-check";
import { startMock, type MockServer } from "@billing-api/mock";
import { afterAll, beforeAll, expect, test } from "vitest";
import { namespace, sendStateful } from "@billing-api/test-support/stateful";

// What points at what stays true in the stateful mock, whatever the calls that move subscriptions
// between groups and delete payment profiles and groups, in any order: a subscription's `group`
// is the group that lists it, a group's primary is among its members, no customer's default group
// and no live subscription's or group's payment profile is gone. Random sequences from the
// example universe (Martha's three plans in her group, paid by her card), seeded and bounded, so a
// failure replays and the run takes a second or two. Each of these once broke (random traffic
// found them): a group signup's subscriptions had no group, a replaced member kept its group, a
// primary that moved out was listed by two groups, a profile deleted through one subscription
// stayed on the others, a deleted group stayed its customer's default.
let mock: MockServer;
beforeAll(async () => {
  mock = await startMock({ port: 0, stateful: true });
});
afterAll(() => mock?.close());

type Send = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every broken reference in the namespace, in words. */
async function brokenReferences(send: Send): Promise<string[]> {
  const broken: string[] = [];
  const groups = (await send("GET", "/subscription_groups.json?per_page=200")).body.subscription_groups as { uid: string; customer_id: number; payment_profile_id: number | null; subscription_ids: number[]; primary_subscription_id: number | null }[];
  const subscriptions = ((await send("GET", "/subscriptions.json?per_page=200")).body as { subscription: Record<string, any> }[]).map(({ subscription }) => subscription); // eslint-disable-line @typescript-eslint/no-explicit-any
  const exists = async (path: string) => (await send("GET", path)).status === 200;
  for (const group of groups) {
    if (group.subscription_ids.length > 0 && !group.subscription_ids.includes(group.primary_subscription_id!)) broken.push(`${group.uid}: primary ${group.primary_subscription_id} is not a member`);
    if (group.payment_profile_id !== null && !(await exists(`/payment_profiles/${group.payment_profile_id}.json`))) broken.push(`${group.uid}: its profile ${group.payment_profile_id} is gone`);
    for (const id of group.subscription_ids) {
      const member = subscriptions.find((subscription) => subscription.id === id);
      if (member?.group?.uid !== group.uid) broken.push(`${group.uid} lists ${id}, whose group is ${JSON.stringify(member?.group)}`);
    }
  }
  for (const subscription of subscriptions) {
    if (subscription.group && !groups.some((group) => group.uid === subscription.group.uid && group.subscription_ids.includes(subscription.id))) broken.push(`${subscription.id} names ${subscription.group.uid}, which does not list it`);
    const profile = subscription.credit_card ?? subscription.bank_account;
    if (profile && !(await exists(`/payment_profiles/${profile.id}.json`))) broken.push(`${subscription.id} (${subscription.state}) pays with ${profile.id}, which is gone`);
  }
  const martha = (await send("GET", "/customers/150.json")).body.customer;
  if (martha.default_subscription_group_uid && !groups.some((group) => group.uid === martha.default_subscription_group_uid)) broken.push(`customer 150's default group ${martha.default_subscription_group_uid} is gone`);
  return broken;
}

/** One call of the ones that move references, its ids picked among what the namespace has (`pick` chooses). */
const step = fc.record({
  kind: fc.constantFrom("signup", "members", "join", "leave", "deleteGroup", "offSubscription", "offGroup", "deleteUnused", "newCard", "cancel"),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
});

async function run(send: Send, { kind, a, b, c }: { kind: string; a: number; b: number; c: number }) {
  const subscriptions = ((await send("GET", "/subscriptions.json?per_page=200")).body as { subscription: { id: number } }[]).map(({ subscription }) => subscription.id);
  const groups = ((await send("GET", "/subscription_groups.json?per_page=200")).body.subscription_groups as { uid: string }[]).map((group) => group.uid);
  const profiles = ((await send("GET", "/payment_profiles.json?customer_id=150")).body as { payment_profile: { id: number } }[]).map(({ payment_profile }) => payment_profile.id);
  const of = <T,>(list: T[], n: number) => list[n % Math.max(list.length, 1)];
  const subscription = of(subscriptions, a);
  const other = of(subscriptions, b);
  const group = of(groups, b) ?? "grp_none";
  const profile = of(profiles, c) ?? 0;
  switch (kind) {
    case "signup":
      return send("POST", "/subscription_groups/signup.json", { subscription_group: { payer_id: 150, payment_profile_id: profile, subscriptions: [{ product_id: 3101, primary: true }, ...(a % 2 ? [{ product_id: 3102 }] : [])] } });
    case "members":
      return send("PUT", `/subscription_groups/${group}.json`, { subscription_group: { member_ids: subscriptions.filter((_, index) => (c >> index) & 1) } });
    case "join":
      return send("POST", `/subscriptions/${subscription}/group.json`, { group: { target: { type: "subscription", id: other } } });
    case "leave":
      return send("DELETE", `/subscriptions/${subscription}/group.json`);
    case "deleteGroup":
      return send("DELETE", `/subscription_groups/${group}.json`);
    case "offSubscription":
      return send("DELETE", `/subscriptions/${subscription}/payment_profiles/${profile}.json`);
    case "offGroup":
      return send("DELETE", `/subscription_groups/${group}/payment_profiles/${profile}.json`);
    case "deleteUnused":
      return send("DELETE", `/payment_profiles/${profile}.json`);
    case "newCard": {
      const card = await send("POST", "/payment_profiles.json", { payment_profile: { customer_id: 150, full_number: "1", expiration_month: 12, expiration_year: 2031 } });
      return send("POST", "/subscriptions.json", { subscription: { product_id: 3101, customer_id: 150, payment_profile_id: card.body.payment_profile.id } });
    }
    default:
      return send("DELETE", `/subscriptions/${subscription}.json`, {});
  }
}

test("subscriptions, groups, profiles and customers never point at what is gone or at what does not point back", { timeout: 240_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const name = namespace("references");
      const send: Send = (method, path, body) => sendStateful(name, method, path, body, {}, mock.url);
      expect(await brokenReferences(send)).toEqual([]);
      for (const [index, call] of steps.entries()) {
        const answer = await run(send, call);
        expect(answer.status, `${call.kind}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
        expect(await brokenReferences(send), `after step ${index + 1}, ${call.kind}`).toEqual([]);
      }
    }),
    { seed: 20261207, numRuns: 40 },
  );
});
