import { describe, expect, test } from "vitest";
import { contract } from "../support/contract.js";

// Contract tests that never run, so spec/coverage.test.ts can show they do not count: the gate
// counts the tests that ran, not the calls written in the source.
const reachable = process.env.BILLING_NEVER_SET_PROBE === "reachable";

describe.skip("a skipped contract test", () => {
  contract("skippedContractProbe", 200, "never runs", async () => {
    throw new Error("a skipped test ran");
  });
});

if (reachable) {
  contract("unreachableContractProbe", 200, "never registered", async () => {
    throw new Error("an unreachable test ran");
  });
}

test("the unreachable probe stays unreachable", () => {
  expect(reachable).toBe(false);
});
