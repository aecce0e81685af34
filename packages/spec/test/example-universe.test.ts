import { describe, expect, test } from "vitest";
import { document, operations, resolve } from "@billing-api/test-support/spec";

// One example universe: the same customer owns the same profiles, with the same ids, in every
// operation's examples, and the webhooks' examples name the same customers and products. A new
// example that gives profile 10089892 to another customer, makes it a card, or calls product 3103
// anything but estate-stables, fails here.

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

/**
 * Fields of one id that differ between the records naming it. `asText` compares a webhook's string
 * values with an answer's JSON ones, and only the fields both records have.
 */
function disagreements(found: Found[], identity: string[], { asText = false } = {}): string[] {
  const same = asText
    ? (a: unknown, b: unknown) => String(a ?? "") === String(b ?? "")
    : (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const first = new Map<unknown, Found>();
  const problems: string[] = [];
  for (const item of found) {
    const seen = first.get(item.value.id);
    if (!seen) {
      first.set(item.value.id, item);
      continue;
    }
    for (const field of asText ? identity.filter((field) => field in item.value && field in seen.value) : identity) {
      if (!same(seen.value[field], item.value[field])) {
        problems.push(`${String(item.value.id)}.${field}: ${JSON.stringify(seen.value[field])} at ${seen.where}, ${JSON.stringify(item.value[field])} at ${item.where}`);
      }
    }
  }
  return problems;
}

/**
 * The customers and products a webhook example names, as records: `payload[subscription][product][name]`
 * is field `name` of a product at `payload[subscription]`. Form values are strings, as on the wire.
 */
function webhookRecords(kind: "customer" | "product"): Found[] {
  const found: Found[] = [];
  const pattern = new RegExp(`^(.*)\\[(?:${kind}|previous_${kind})\\]\\[(\\w+)\\]$`);
  for (const [event, item] of Object.entries((document.webhooks ?? {}) as Record<string, { post: { requestBody: { content: Record<string, { examples?: Record<string, { value: Record<string, string> }> }> } } }>)) {
    for (const [name, example] of Object.entries(item.post.requestBody.content["application/x-www-form-urlencoded"]?.examples ?? {})) {
      const records = new Map<string, Record<string, unknown>>();
      for (const [key, value] of Object.entries(example.value)) {
        const match = pattern.exec(key);
        if (!match) continue;
        const at = key.slice(0, key.lastIndexOf("["));
        records.set(at, { ...records.get(at), [match[2]!]: value });
      }
      for (const [at, record] of records) if (record.id !== undefined) found.push({ where: `webhook ${event} ${name} ${at}`, value: { ...record, id: Number(record.id) } });
    }
  }
  return found;
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

  test("a product is the same product wherever it appears, in answers and in webhooks", () => {
    // A subscription's summary names its product by id and handle (a group's subscriptions: 3103 is estate-stables).
    const named: Found[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${where}[${i}]`));
      if (node === null || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (typeof record.product_id === "number" && typeof record.product_handle === "string") named.push({ where, value: { id: record.product_id, handle: record.product_handle } });
      for (const [key, child] of Object.entries(record)) visit(child, `${where}.${key}`);
    };
    for (const { where, value } of exampleValues()) visit(value, where);
    expect(named.length).toBeGreaterThan(0);
    const products = [...resources("product"), ...named, ...webhookRecords("product")];
    expect(products.filter(({ where }) => where.startsWith("webhook")).length).toBeGreaterThan(10);
    expect(disagreements(products, ["handle", "name", "price_in_cents", "interval", "interval_unit"], { asText: true })).toEqual([]);
  });

  test("a customer in a webhook is the customer the answers show", () => {
    const named = webhookRecords("customer");
    expect(named.length).toBeGreaterThan(10);
    expect(disagreements([...customers, ...named], ["first_name", "last_name", "email", "reference", "organization"], { asText: true })).toEqual([]);
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
