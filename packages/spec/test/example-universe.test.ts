import { describe, expect, test } from "vitest";
import { document, operations, resolve } from "@billing-api/test-support/spec";

// One example universe: the same customer owns the same profiles, with the same ids, in every
// operation's examples. A new example that gives profile 10089892 to another customer, or makes it a
// card, fails here.

interface Found {
  where: string;
  value: Record<string, unknown>;
}

/** Every example value in the bundled document, with where it sits. */
function exampleValues(): { where: string; value: unknown }[] {
  const found: { where: string; value: unknown }[] = [];
  const visit = (node: unknown, where: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${where}/${i}`));
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (where.includes("/examples/") && "value" in record) return void found.push({ where, value: record.value });
    if (typeof record.$ref === "string" && record.$ref.startsWith("#/components/examples/")) {
      return void found.push({ where, value: resolve<{ value: unknown }>(record.$ref).value });
    }
    for (const [key, child] of Object.entries(record)) visit(child, `${where}/${key}`);
  };
  visit(document.paths, "#/paths");
  return found;
}

/** Objects found under `key` (wrapped resources) anywhere inside the examples. */
function resources(key: string): Found[] {
  const found: Found[] = [];
  const visit = (node: unknown, where: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${where}[${i}]`));
    if (node === null || typeof node !== "object") return;
    for (const [k, child] of Object.entries(node)) {
      if (k === key && child && typeof child === "object" && typeof (child as { id?: unknown }).id === "number") {
        found.push({ where, value: child as Record<string, unknown> });
      }
      visit(child, `${where}.${k}`);
    }
  };
  for (const { where, value } of exampleValues()) visit(value, where);
  return found;
}

function disagreements(found: Found[], identity: string[]): string[] {
  const first = new Map<unknown, Found>();
  const problems: string[] = [];
  for (const item of found) {
    const seen = first.get(item.value.id);
    if (!seen) {
      first.set(item.value.id, item);
      continue;
    }
    for (const field of identity) {
      if (JSON.stringify(seen.value[field]) !== JSON.stringify(item.value[field])) {
        problems.push(`${String(item.value.id)}.${field}: ${JSON.stringify(seen.value[field])} at ${seen.where}, ${JSON.stringify(item.value[field])} at ${item.where}`);
      }
    }
  }
  return problems;
}

// Stored profiles carry their payment_type; a group's `payment_profile` is a summary of one.
const profiles = resources("payment_profile").filter(({ value }) => "payment_type" in value);
const summaries = resources("payment_profile").filter(({ value }) => !("payment_type" in value));
const customers = resources("customer");
const parameterExample = (name: string) => resolve<{ example: unknown }>(`#/components/parameters/${name}`).example;

describe("one example universe", () => {
  test("the examples name profiles and customers", () => {
    expect(profiles.length).toBeGreaterThan(10);
    expect(customers.length).toBeGreaterThan(1);
  });

  test("a payment profile is the same profile wherever it appears", () => {
    expect(disagreements(profiles, ["customer_id", "payment_type", "first_name", "last_name", "current_vault", "vault_token"])).toEqual([]);
  });

  test("a profile summary (in a group) names a stored profile, with its holder's name", () => {
    expect(summaries.length).toBeGreaterThan(0);
    expect(disagreements([...profiles, ...summaries], ["first_name", "last_name"])).toEqual([]);
    const known = new Set(profiles.map(({ value }) => value.id));
    expect(summaries.filter(({ value }) => !known.has(value.id)).map(({ where }) => where)).toEqual([]);
  });

  test("a customer is the same customer wherever it appears", () => {
    expect(disagreements(customers, ["first_name", "last_name", "email", "reference", "organization"])).toEqual([]);
  });

  test("every stored profile belongs to a customer the examples show", () => {
    const known = new Set(customers.map(({ value }) => value.id));
    const orphans = profiles.filter(({ value }) => !known.has(value.customer_id)).map(({ where, value }) => `${String(value.id)} at ${where}`);
    expect(orphans).toEqual([]);
  });

  test("the path parameter examples name things the examples show", () => {
    const profile = profiles.find(({ value }) => value.id === parameterExample("PaymentProfileIdPath"));
    expect(profile?.value.customer_id).toBe(parameterExample("CustomerIdPath"));
    expect(parameterExample("CustomerIdQuery")).toBe(parameterExample("CustomerIdPath"));
    const bank = profiles.find(({ value }) => value.id === parameterExample("BankAccountIdPath"));
    expect(bank?.value.payment_type).toBe("bank_account");
  });

  test("an operation on a profile's path answers, by default, with that profile", () => {
    const id = parameterExample("PaymentProfileIdPath");
    const mismatched = operations
      .filter(({ path }) => path.includes("{payment_profile_id}") || path.includes("{bank_account_id}"))
      .flatMap(({ operationId, operation }) => {
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith("2"))?.[1];
        const examples = success?.content?.["application/json"]?.examples;
        const first = examples && Object.values(examples)[0];
        const value = (first && ("value" in first ? first.value : resolve<{ value: unknown }>((first as { $ref: string }).$ref).value)) as
          | { payment_profile?: { id?: unknown } }
          | undefined;
        return value?.payment_profile && value.payment_profile.id !== id ? [`${operationId}: ${String(value.payment_profile.id)}`] : [];
      });
    expect(mismatched).toEqual([]);
  });
});
