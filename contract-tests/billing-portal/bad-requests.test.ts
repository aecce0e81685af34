import { describe, expect, inject, test } from "vitest";

// What a team's test sees when it sends the mock a request the real API would refuse.
const auth = { Authorization: `Basic ${btoa("test-api-key:x")}` };

async function call(method: string, path: string, headers: Record<string, string> = auth) {
  const response = await fetch(`${inject("mockUrl")}${path}`, { method, headers });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

describe("Billing Portal: invalid requests", () => {
  test("a non-integer customer_id names no customer: a 404 that names the parameter", async () => {
    const { status, type, body } = await call("GET", "/portal/customers/abc/management_link.json");
    expect(status).toBe(404);
    expect(type).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toEqual({ errors: ['Request path parameter customer_id must be integer, got "abc"'] });
  });

  test("auto_invite outside 0|1 is a 422 that lists the allowed values", async () => {
    const { status, body } = await call("POST", "/portal/customers/150/enable.json?auto_invite=7");
    expect(status).toBe(422);
    expect(JSON.parse(body)).toEqual({
      errors: ["Request query parameter auto_invite must be equal to one of the allowed values: 0, 1"],
    });
  });

  test("no credentials is the real API's plain-text 401", async () => {
    const { status, type, body } = await call("DELETE", "/portal/customers/150/invitations/revoke.json", {});
    expect(status).toBe(401);
    expect(type).toMatch(/^text\/plain/);
    expect(body).toBe("HTTP Basic: Access denied.\n");
  });

  test("a path without .json is a 404 that points to the path with it", async () => {
    const { status, body } = await call("GET", "/portal/customers/150/management_link");
    expect(status).toBe(404);
    expect(JSON.parse(body)).toEqual({
      errors: [
        "No operation is documented at GET /portal/customers/150/management_link. " +
          "Paths end in .json: did you mean /portal/customers/150/management_link.json?",
      ],
    });
  });

  test("the wrong method is a 405 that lists the methods the path takes", async () => {
    const response = await fetch(`${inject("mockUrl")}/portal/customers/150/enable.json`, { method: "PUT", headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({
      errors: ["PUT is not documented for /portal/customers/150/enable.json; it takes POST."],
    });
  });
});
