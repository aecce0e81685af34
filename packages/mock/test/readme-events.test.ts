import { readFileSync } from "node:fs";
import { eventRules } from "@billing-api/mock";
import { document } from "@billing-api/test-support/spec";
import { expect, test } from "vitest";
import { timeRules } from "../dist/stateful/rules/time.js";

// The README's "what sends what" table is what a team reads to know which webhooks its calls and
// clock moves bring: it names every operation of the events table and every rule of the clock, and
// between it and the events it says the mock never sends, every webhook of the spec, once.
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

test("each event it names is a webhook of the spec; with the ones it says are never sent, they are all of them", () => {
  const sent = new Set(rows.flatMap(([, events]) => names(events!)));
  const never = names(/The spec's other webhooks?, (.*?), (?:is|are) never sent/.exec(section.replace(/\n/g, " "))?.[1] ?? "");
  expect([...sent].filter((event) => !webhooks.includes(event))).toEqual([]);
  expect(never.length).toBeGreaterThan(0);
  expect(never.filter((event) => sent.has(event))).toEqual([]);
  expect([...sent, ...never].sort()).toEqual([...webhooks].sort());
});
