import { readFileSync } from "node:fs";
import { eventRules } from "@billing-api/mock";
import { document } from "@billing-api/test-support/spec";
import { expect, test } from "vitest";
import { timeRules } from "../dist/stateful/rules/time.js";

// The README's "what sends what" table is what a team reads to know which webhooks its calls and
// clock moves bring: it names every operation of the events table and every rule of the clock, and
// every webhook of the spec.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("What sends what"));
const rows = section
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| ---") && !line.startsWith("| Call,"))
  .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, "")));
/** The backticked names of a cell, leaving out what is in parentheses (the conditions: `customer_attributes`). */
const names = (cell: string) => [...cell.replace(/\([^)]*\)/g, "").matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
const webhooks = Object.keys(document.webhooks as object);

test("the table names every operation of the events table and every rule of the clock, once", () => {
  const calls = rows.filter(([who]) => !who!.startsWith("clock:")).flatMap(([who]) => names(who!));
  const rules = rows.filter(([who]) => who!.startsWith("clock:")).flatMap(([who]) => names(who!));
  expect(calls.length).toBeGreaterThan(10);
  expect([...calls].sort()).toEqual(Object.keys(eventRules).sort());
  expect([...rules].sort()).toEqual(timeRules.map((rule) => rule.name).sort());
});

test("the events it names are the spec's webhooks, every one, as it says", () => {
  const sent = new Set(rows.flatMap(([, events]) => names(events!)));
  expect([...sent].filter((event) => !webhooks.includes(event))).toEqual([]);
  expect(webhooks.length).toBeGreaterThan(20);
  expect([...sent].sort()).toEqual([...webhooks].sort());
  expect(section).toContain("The mock sends every webhook of the spec.");
});
