import { Router } from "@billing-api/conformance";
import type { IHttpOperation } from "@stoplight/types";
import { describe, expect, test } from "vitest";

const op = (method: string, path: string, iid: string) => ({ id: iid, iid, method, path, responses: [] }) as unknown as IHttpOperation;
const router = new Router([
  op("get", "/subscription_groups/{uid}.json", "readSubscriptionGroup"),
  op("delete", "/subscription_groups/{uid}.json", "deleteSubscriptionGroup"),
  op("get", "/subscription_groups/lookup.json", "findSubscriptionGroup"),
  op("delete", "/payment_profiles/{payment_profile_id}.json", "deleteUnusedPaymentProfile"),
  op("delete", "/subscription_groups/{uid}/payment_profiles/{payment_profile_id}.json", "deleteSubscriptionGroupPaymentProfile"),
]);
const routed = (method: string, path: string) => {
  const result = router.route(method, path);
  return result.kind === "matched" ? { id: result.operation.iid, params: result.pathParams } : result;
};

describe("mock: routing a raw path", () => {
  test("a concrete path wins over a templated one", () => {
    expect(routed("GET", "/subscription_groups/lookup.json")).toEqual({ id: "findSubscriptionGroup", params: {} });
    expect(routed("GET", "/subscription_groups/grp_b9fkz5jyd7tq.json")).toEqual({
      id: "readSubscriptionGroup",
      params: { uid: "grp_b9fkz5jyd7tq" },
    });
  });

  test("a method the concrete path lacks falls through to the templated one, as the API's router does", () => {
    expect(routed("DELETE", "/subscription_groups/lookup.json")).toEqual({ id: "deleteSubscriptionGroup", params: { uid: "lookup" } });
  });

  test("percent escapes are decoded inside a parameter, and a broken one is a bad path, not a throw", () => {
    expect(routed("GET", "/subscription_groups/grp%5Fx.json")).toEqual({ id: "readSubscriptionGroup", params: { uid: "grp_x" } });
    for (const broken of ["%E2%82", "%", "%FF%FE", "%zz"]) {
      expect(router.route("GET", `/subscription_groups/${broken}.json`).kind).toBe("bad-path");
    }
  });

  test("'..' is never resolved into another operation's path", () => {
    expect(router.route("DELETE", "/subscription_groups/../payment_profiles/1.json")).toMatchObject({ kind: "bad-path" });
    expect(router.route("DELETE", "/subscription_groups/%2e%2e/payment_profiles/1.json")).toMatchObject({ kind: "bad-path" });
  });

  test("an empty segment matches nothing", () => {
    expect(router.route("DELETE", "//payment_profiles/1.json")).toEqual({ kind: "not-found" });
  });

  test("HEAD is a GET, and a known path with the wrong method lists the methods it takes", () => {
    expect(routed("HEAD", "/subscription_groups/lookup.json")).toMatchObject({ id: "findSubscriptionGroup" });
    expect(router.route("PUT", "/payment_profiles/1.json")).toEqual({ kind: "method-not-allowed", allowed: ["DELETE"] });
  });

  test("a path missing its .json suffix gets the suffixed path as a suggestion", () => {
    expect(router.route("DELETE", "/payment_profiles/1")).toEqual({ kind: "not-found", suggestion: "/payment_profiles/1.json" });
  });
});
