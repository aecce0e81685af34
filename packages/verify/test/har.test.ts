import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConformanceCheck, describeConformance } from "@billing-api/conformance";
import { ApiHosts, checkHar, controlRouteReason, findingLine, harEntries, summaryText, Verifier } from "@billing-api/verify";
import { beforeAll, describe, expect, test } from "vitest";
import { basicToken, verifyApiKey } from "@billing-api/test-support/traffic";
import { entry, example, har } from "./har-fixtures.js";
import { interruptAtStart, runVerify } from "./run-cli.js";

// `billing-verify har`: HAR fixtures that each break exactly one thing are each reported exactly
// once, naming the exchange, the operation, the JSON pointer and what was expected.
const site = "https://acme.chargify.com";
let check: ConformanceCheck;
beforeAll(async () => {
  check = await ConformanceCheck.load();
}, 60_000);

function verify(document: unknown, strictRequests = false) {
  const verifier = new Verifier(check, ApiHosts.fromDocument(check.document), { strictRequests });
  checkHar(harEntries(JSON.stringify(document)), verifier);
  return verifier;
}

const card = () => example("readPaymentProfile", 200, "creditCard") as { payment_profile: Record<string, unknown> };
const cardUrl = `${site}/payment_profiles/10089892.json`;
const customer = () => example("readCustomer") as { customer: Record<string, unknown> };
const configuration = () => example("readPortalConfiguration") as { portal_configuration: { business_profile: Record<string, unknown> } };

const fixtures: { name: string; entry: ReturnType<typeof entry>; kind: string; operationId?: string; part: string; pointer: string; expected: RegExp }[] = [
  { name: "a wrong type", entry: entry({ url: cardUrl, body: (() => { const b = card(); b.payment_profile.customer_id = "150"; return b; })() }), kind: "wrong-type", operationId: "readPaymentProfile", part: "response body", pointer: "/payment_profile/customer_id", expected: /integer/ },
  { name: "a missing required key", entry: entry({ url: `${site}/customers/150.json`, body: (() => { const b = customer(); delete b.customer.email; return b; })() }), kind: "missing-property", operationId: "readCustomer", part: "response body", pointer: "/customer/email", expected: /required/ },
  { name: "a null where none is allowed", entry: entry({ url: cardUrl, body: (() => { const b = card(); b.payment_profile.first_name = null; return b; })() }), kind: "unexpected-null", operationId: "readPaymentProfile", part: "response body", pointer: "/payment_profile/first_name", expected: /string/ },
  { name: "an unknown key where the schema is closed", entry: entry({ url: `${site}/portal/configurations/bpc_5kq2wz7d9r3m.json`, body: (() => { const b = configuration(); b.portal_configuration.business_profile.logo_url = "https://x.example/logo.png"; return b; })() }), kind: "unknown-property", operationId: "readPortalConfiguration", part: "response body", pointer: "/portal_configuration/business_profile/logo_url", expected: /no such property/ },
  { name: "a value outside the enum", entry: entry({ url: cardUrl, body: (() => { const b = card(); b.payment_profile.card_type = "bankcard"; return b; })() }), kind: "enum", operationId: "readPaymentProfile", part: "response body", pointer: "/payment_profile/card_type", expected: /one of "visa"/ },
  { name: "a discriminator that names the wrong variant", entry: entry({ url: cardUrl, body: (() => { const b = card(); b.payment_profile.payment_type = "bank_account"; return b; })() }), kind: "discriminator", operationId: "readPaymentProfile", part: "response body", pointer: "/payment_profile/payment_type", expected: /"credit_card"/ },
  { name: "an undocumented status", entry: entry({ url: cardUrl, status: 201, body: card() }), kind: "undocumented-status", operationId: "readPaymentProfile", part: "response status", pointer: "", expected: /one of 200, 401, 404/ },
  { name: "a wrong content type", entry: entry({ url: cardUrl, body: JSON.stringify(card()), contentType: "text/html; charset=utf-8" }), kind: "content-type", operationId: "readPaymentProfile", part: "response header", pointer: "/content-type", expected: /application\/json/ },
  { name: "an unknown path", entry: entry({ url: `${site}/payment_profile/10089892.json`, body: card() }), kind: "undocumented-path", part: "request path", pointer: "", expected: /a path the spec documents/ },
];

describe("billing-verify har: each fixture breaks one thing and is reported once", () => {
  test("the unbroken exchanges conform", () => {
    const verifier = verify(har(entry({ url: cardUrl, body: card() }), entry({ url: `${site}/customers/150.json`, body: customer() }), entry({ url: `${site}/portal/configurations/bpc_5kq2wz7d9r3m.json`, body: configuration() })));
    expect(verifier.findings).toEqual([]);
    expect(verifier.summary().operations.covered).toBe(3);
  });

  test.each(fixtures)("$name", ({ entry: broken, kind, operationId, part, pointer, expected }) => {
    const findings = verify(har(broken)).findings;
    expect(findings, JSON.stringify(findings, null, 2)).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ kind, part, pointer, exchange: { index: 1, method: "GET", url: broken.request.url } });
    expect(finding!.operationId).toBe(operationId);
    expect(finding!.expected).toMatch(expected);
  });

  test("all fixtures in one HAR: one violation each, by kind in the summary", () => {
    const summary = verify(har(...fixtures.map((fixture) => fixture.entry))).summary();
    expect(summary.violations.total).toBe(fixtures.length);
    expect(Object.keys(summary.violations.byKind).sort()).toEqual(fixtures.map((fixture) => fixture.kind).sort());
  });
});

// A request sent invalid on purpose (a charge with no amount) and what came back.
const chargesUrl = `${site}/subscriptions/222/charges.json`;
const noAmount = { charge: { memo: "Setup fee" } };
const charge = (status: number, body: unknown) => entry({ method: "POST", url: chargesUrl, requestBody: noAmount, status, body });

describe("billing-verify har: a request problem the API refused as documented", () => {
  test("a documented 4xx that conforms: refused as documented, listed apart, not a violation", () => {
    const verifier = verify(har(charge(422, example("createSubscriptionCharge", 422, "noMemo"))));
    expect(verifier.findings).toEqual([]);
    expect(verifier.refusals).toHaveLength(1);
    const [refusal] = verifier.refusals;
    expect(refusal).toMatchObject({ operationId: "createSubscriptionCharge", exchange: { index: 1, method: "POST", status: 422 } });
    expect(refusal!.problems).toMatchObject([{ kind: "no-variant", part: "request body", pointer: "/charge", expected: "give at least one of amount_in_cents or amount; none was given" }]);
    expect(verifier.summary()).toMatchObject({ checked: 1, refusedAsDocumented: 1, violations: { total: 0 } });
    expect(verifier.byOperation.get("createSubscriptionCharge")).toMatchObject({ exchanges: 1, findings: [], refused: 1 });
  });

  test("a bad path id answered with the documented 404 is refused as documented too", () => {
    const verifier = verify(har(entry({ url: `${site}/customers/abc.json`, status: 404, body: example("readCustomer", 404) })));
    expect(verifier.findings).toEqual([]);
    expect(verifier.refusals[0]!.problems).toMatchObject([{ kind: "parameter", part: "request path", pointer: "/id", expected: "must be an integer", found: '"abc"' }]);
  });

  test("with strictRequests the same exchange is a violation, as before", () => {
    const verifier = verify(har(charge(422, example("createSubscriptionCharge", 422, "noMemo"))), true);
    expect(verifier.refusals).toEqual([]);
    expect(verifier.findings).toMatchObject([{ kind: "no-variant", operationId: "createSubscriptionCharge", pointer: "/charge" }]);
  });

  test("the problem accepted (a 201) is a violation: the API took what the spec refuses", () => {
    const verifier = verify(har(charge(201, example("createSubscriptionCharge", 201))));
    expect(verifier.refusals).toEqual([]);
    expect(verifier.findings.map((f) => f.kind)).toEqual(["no-variant"]);
  });

  test("refused with a status the operation does not document: both are violations", () => {
    const verifier = verify(har(charge(409, { errors: ["Conflict"] })));
    expect(verifier.refusals).toEqual([]);
    expect(verifier.findings.map((f) => f.kind).sort()).toEqual(["no-variant", "undocumented-status"]);
  });

  test("refused with a documented status but a body that breaks its schema: both are violations", () => {
    const verifier = verify(har(charge(422, { errors: "Amount: is not a number." })));
    expect(verifier.refusals).toEqual([]);
    expect(verifier.findings.map((f) => f.part)).toEqual(["request body", "response body"]);
  });
});

describe("billing-verify har: the mock's control routes and messages that read as sentences", () => {
  test("a call to the stateful mock's /__mock/ routes is skipped and counted, not an undocumented path", () => {
    const verifier = verify(har(entry({ method: "POST", url: `${site}/__mock/reset`, status: 204 }), entry({ url: `${site}/__mock/state`, body: { namespace: "default" } }), entry({ url: `${site}/__mockery.json`, status: 404, body: { errors: ["Not Found"] } })));
    expect(verifier.summary().skipped).toEqual({ [controlRouteReason]: 2 });
    // Only the prefix with its slash is the mock's: anything else is still the API's path space.
    expect(verifier.findings.map((f) => f.kind)).toEqual(["undocumented-path"]);
  });

  test("a rule is said in words: must be 1 or more, must be an integer", () => {
    const verifier = verify(har(entry({ url: `${site}/customers.json?per_page=-1`, body: example("listCustomers") })));
    expect(verifier.findings).toHaveLength(1);
    // The judge reads the text as the schema's type (an integer), and says the value it read.
    expect(describeConformance(verifier.findings[0]!)).toBe('request query /per_page: must be 1 or more, found -1 (parameter)');
    expect(findingLine(verifier.findings[0]!)).toBe(`#1 GET ${site}/customers.json?per_page=-1 -> 200 listCustomers: request query /per_page: must be 1 or more, found -1 (parameter)`);
  });

  test("a failed union says what its variants need, as the mock does", () => {
    const verifier = verify(har(charge(201, example("createSubscriptionCharge", 201))));
    expect(describeConformance(verifier.findings[0]!)).toBe('request body /charge: give at least one of amount_in_cents or amount; none was given, found {"memo":"Setup fee"} (no-variant)');
  });

  test("one exchange is 1 exchange", () => {
    const text = summaryText("one.har", verify(har(entry({ url: `${site}/customers/150.json`, body: customer() }))).summary());
    expect(text).toMatch(/^one\.har: 1 exchange, 1 checked, 0 skipped\n/);
  });
});

describe("billing-verify har: nothing in a HAR can crash it", () => {
  test("entries with missing or wrong fields are counted, other hosts skipped, base64 bodies decoded", () => {
    const base64 = entry({ url: cardUrl, body: card() });
    Object.assign(base64.response.content, { text: Buffer.from(JSON.stringify(card())).toString("base64"), encoding: "base64" });
    const notKept = entry({ url: cardUrl, body: card() });
    delete (notKept.response.content as { text?: string }).text;
    const verifier = verify(
      har(
        null,
        42,
        {},
        { request: {} },
        { request: { method: "GET", url: "not a url" }, response: { status: 200 } },
        { request: { method: "GET", url: cardUrl }, response: { status: 0 } },
        { request: { method: "GET", url: cardUrl, headers: "nope" }, response: { status: 200, headers: [null, { name: 1 }], content: { text: 7 } } },
        entry({ url: "https://fonts.example.com/font.woff2", body: "..." }),
        entry({ method: "OPTIONS", url: cardUrl }),
        base64,
        notKept,
        entry({ url: cardUrl, body: "{not json" }),
        entry({ url: `${site}/payment_profiles/%E2%82.json`, body: card() }),
      ),
    );
    const summary = verifier.summary();
    expect(summary.exchanges).toBe(13);
    expect(summary.skipped).toEqual({ "unreadable entry": 5, "no response recorded": 1, "other host": 1, "CORS preflight (OPTIONS)": 1 });
    // The entry whose content.text is not a string, and the one whose body was not kept.
    expect(summary.bodiesNotRecorded).toBe(2);
    // The entry whose content.text is not a string, the base64 one and the one whose body was not kept conform.
    expect(verifier.findings.map((f) => [f.exchange.index, f.kind])).toEqual([
      [12, "malformed-body"],
      [13, "undocumented-path"],
    ]);
  });

  test("the CLI says in one line why a file is unreadable, and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "verify-har-"));
    writeFileSync(join(dir, "broken.har"), "{ nope");
    writeFileSync(join(dir, "empty.har"), JSON.stringify({ log: {} }));
    const missing = await runVerify(["har", join(dir, "missing.har")]);
    const broken = await runVerify(["har", join(dir, "broken.har")]);
    const empty = await runVerify(["har", join(dir, "empty.har")]);
    expect([missing.code, broken.code, empty.code]).toEqual([2, 2, 2]);
    writeFileSync(join(dir, "none.har"), JSON.stringify({ log: { entries: [] } }));
    const otherSpec = await runVerify(["har", join(dir, "none.har"), "--spec", join(dir, "missing.json")]);
    expect(otherSpec.code).toBe(2);
    expect(otherSpec.stderr).toMatch(/^billing-verify: cannot read the OpenAPI document .*missing\.json: ENOENT[^\n]*\n$/);
    expect(missing.stderr).toMatch(/^billing-verify: cannot read .*missing\.har: ENOENT\n$/);
    expect(broken.stderr).toMatch(/^billing-verify: .*broken\.har is not a HAR file: it is not JSON/);
    expect(empty.stderr).toMatch(/^billing-verify: .*empty\.har is not a HAR file: it has no log\.entries list/);
  }, 60_000);
});

describe("billing-verify har: the CLI's output, reports and exit status", () => {
  const dir = mkdtempSync(join(tmpdir(), "verify-reports-"));
  const file = join(dir, "traffic.har");

  test("prints each violation and the summary, writes --json and --junit, exits 1; credentials appear nowhere", async () => {
    const leaky = entry({ url: `https://${verifyApiKey}:x@acme.chargify.com/customers/150.json?api_key=${verifyApiKey}`, body: (() => { const b = customer(); b.customer.organization = 7; b.customer.notes = `key ${verifyApiKey}`; return b; })() });
    writeFileSync(file, JSON.stringify(har(...fixtures.map((fixture) => fixture.entry), leaky)));
    const { code, stdout, stderr } = await runVerify(["har", file, "--json", join(dir, "report.json"), "--junit", join(dir, "report.xml")]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toContain("#1 GET https://acme.chargify.com/payment_profiles/10089892.json -> 200 readPaymentProfile: response body /payment_profile/customer_id: expected integer, found \"150\" (wrong-type)");
    expect(stdout).toContain("Operations covered: 3 of 65");
    expect(stdout).toMatch(/Violations: 10 \(/);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    expect(report.summary).toMatchObject({ exchanges: 10, checked: 10, violations: { total: 10 } });
    expect(report.violations[9]).toMatchObject({ kind: "wrong-type", operationId: "readCustomer", pointer: "/customer/organization", exchange: { index: 10 } });
    const junit = readFileSync(join(dir, "report.xml"), "utf8");
    expect(junit).toContain('<testcase classname="billing-verify.har" name="readPaymentProfile">\n      <failure type="conformance" message="6 violations in 6 exchanges">');
    expect(junit).toMatch(/<testsuite name="billing-verify har" tests="\d+" failures="4"/);
    for (const output of [stdout, readFileSync(join(dir, "report.json"), "utf8"), junit]) {
      expect(output).not.toContain(verifyApiKey);
      expect(output).not.toContain(basicToken);
    }
    expect(report.violations[9].exchange.url).toBe("https://acme.chargify.com/customers/150.json?api_key=[redacted]");
  }, 60_000);

  test("--base-url picks the API's host; traffic that conforms exits 0", async () => {
    writeFileSync(file, JSON.stringify(har(entry({ url: "https://staging.example.com/billing/customers/150.json", body: customer() }), entry({ url: cardUrl, body: JSON.stringify(card()), contentType: "text/html" }))));
    const { code, stdout } = await runVerify(["har", file, "--base-url", "https://staging.example.com/billing"]);
    expect(stdout).toContain("2 exchanges, 1 checked, 1 skipped (other host 1)");
    expect(stdout).toContain("Violations: none");
    expect(code).toBe(0);
  }, 60_000);

  test("a HAR with nothing for the API's hosts is not a pass: exit 2, naming the hosts it calls", async () => {
    writeFileSync(file, JSON.stringify(har(entry({ url: "https://staging.example.com/customers/150.json", body: customer() }))));
    const { code, stdout, stderr } = await runVerify(["har", file]);
    expect(stdout).toContain(": 1 exchange, 0 checked, 1 skipped (other host 1)");
    expect(stdout).toContain("Violations: none, but no exchange was checked.");
    expect(stderr).toBe(`billing-verify: no entry of ${file} is for the API's hosts; it calls https://staging.example.com: give the API's with --base-url\n`);
    expect(code).toBe(2);
  }, 60_000);

  test("refusals as documented pass and are listed (text, --json, --junit); --strict-requests fails them", async () => {
    writeFileSync(file, JSON.stringify(har(charge(422, example("createSubscriptionCharge", 422, "noMemo")), entry({ url: `${site}/customers/150.json`, body: customer() }))));
    const { code, stdout, stderr } = await runVerify(["har", file, "--json", join(dir, "refused.json"), "--junit", join(dir, "refused.xml")]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`  #1 POST ${chargesUrl} -> 422 createSubscriptionCharge refused as documented: request body /charge: give at least one of amount_in_cents or amount; none was given, found {"memo":"Setup fee"} (no-variant)`);
    expect(stdout).toContain("Refused as documented: 1 (a request with a problem, answered with the operation's documented refusal; not violations without --strict-requests)");
    expect(stdout).toContain("Violations: none; the traffic conforms to the spec.");
    const report = JSON.parse(readFileSync(join(dir, "refused.json"), "utf8"));
    expect(report.summary).toMatchObject({ exchanges: 2, checked: 2, refusedAsDocumented: 1, violations: { total: 0 } });
    expect(report.violations).toEqual([]);
    expect(report.refusedAsDocumented).toMatchObject([{ operationId: "createSubscriptionCharge", exchange: { index: 1, status: 422 }, problems: [{ kind: "no-variant", pointer: "/charge" }] }]);
    const junit = readFileSync(join(dir, "refused.xml"), "utf8");
    expect(junit).toContain('<testcase classname="billing-verify.har" name="createSubscriptionCharge"><system-out>1 exchange, 1 refused as documented\n#1 POST');
    expect(junit).toMatch(/<testsuite name="billing-verify har" tests="\d+" failures="0"/);

    const strict = await runVerify(["har", file, "--strict-requests", "--junit", join(dir, "strict.xml")]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).not.toContain("refused as documented");
    expect(strict.stdout).toContain("Violations: 1 (no-variant 1)");
    expect(readFileSync(join(dir, "strict.xml"), "utf8")).toContain('<failure type="conformance" message="1 violation in 1 exchange">');
  }, 120_000);

  test("only the mock's control routes: nothing checked, exit 2 with one line saying so", async () => {
    writeFileSync(file, JSON.stringify(har(entry({ method: "POST", url: `${site}/__mock/reset`, status: 204 }))));
    const { code, stdout, stderr } = await runVerify(["har", file]);
    expect(stdout).toContain(": 1 exchange, 0 checked, 1 skipped (the mock's control routes (/__mock/...) 1)");
    expect(stderr).toBe(`billing-verify: no entry of ${file} could be checked: every exchange was skipped (the mock's control routes (/__mock/...) 1)\n`);
    expect(code).toBe(2);
  }, 60_000);

  test("Ctrl-C before anything was checked: the summary so far, and exit 2 with one line saying so", async () => {
    writeFileSync(file, JSON.stringify(har(entry({ url: `${site}/customers/150.json`, body: customer() }), entry({ url: cardUrl, body: card() }))));
    const { code, stdout, stderr } = await runVerify(["har", file], {}, ["--import", interruptAtStart]);
    expect(stdout).toContain("Stopped (Ctrl-C) after 0 of 2 entries.");
    expect(stdout).toContain(`billing-verify har ${file}: 0 exchanges, 0 checked, 0 skipped`);
    expect(stdout).toContain("Violations: none, but no exchange was checked.");
    expect(stderr).toBe("billing-verify: stopped after 0 of 2 entries, before any was checked\n");
    expect(code).toBe(2);
  }, 60_000);

  test("--help, --version and bad usage answer at once, without loading the spec", async () => {
    const help = await runVerify(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("billing-verify live --base-url URL --api-key KEY");
    expect((await runVerify(["--version"])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const args of [[], ["replay"], ["har"], ["proxy"], ["proxy", "--upstream", "ftp://x"], ["live", "--base-url", "http://127.0.0.1:1"], ["har", "x.har", "--bogus"]]) {
      const result = await runVerify(args, { BILLING_API_KEY: "" });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0], args.join(" ")).toMatch(/^billing-verify: /);
    }
  }, 60_000);
});
