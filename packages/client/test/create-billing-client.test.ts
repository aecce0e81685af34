import { createBillingClient, errorOf } from "@billing-api/client";
import { describe, expect, test } from "vitest";

/** A fetch that records the request and answers with `response`: no network, no global mocks. */
function recordingFetch(response: () => Response) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return response();
  };
  return { requests, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const link = {
  url: "https://www.billingportal.com/manage/150/1795210812/5c0e2a97f31d48b6",
  fetch_count: 1,
  created_at: "2026-11-20T21:40:12Z",
  new_link_available_at: "2026-12-05T21:40:12Z",
  expires_at: "2027-01-24T21:40:12Z",
  last_invite_sent_at: null,
};

describe("createBillingClient", () => {
  test("builds the production URL from subdomain and domain", async () => {
    const { requests, fetch } = recordingFetch(() => json(200, link));
    const eu = createBillingClient({ subdomain: "acme", domain: "ebilling.maxio.com", apiKey: "k", fetch });
    await eu.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 150 } } });
    expect(requests[0]?.url).toBe("https://acme.ebilling.maxio.com/portal/customers/150/management_link.json");

    const us = createBillingClient({ subdomain: "acme", apiKey: "k", fetch });
    await us.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 7 } } });
    expect(requests[1]?.url).toBe("https://acme.chargify.com/portal/customers/7/management_link.json");
  });

  test("an explicit baseUrl wins, trailing slash or not", async () => {
    const { requests, fetch } = recordingFetch(() => json(200, link));
    const client = createBillingClient({ baseUrl: "http://127.0.0.1:4010/", apiKey: "k", fetch });
    await client.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 1 } } });
    expect(requests[0]?.url).toBe("http://127.0.0.1:4010/portal/customers/1/management_link.json");
  });

  test("sends Basic auth with the API key as username and x as password, and JSON headers", async () => {
    const { requests, fetch } = recordingFetch(() => json(200, link));
    const client = createBillingClient({ subdomain: "acme", apiKey: "s3cr3t-kéy", fetch, headers: { "User-Agent": "team-x" } });
    await client.POST("/portal/customers/{customer_id}/enable.json", {
      params: { path: { customer_id: 150 }, query: { auto_invite: 1 } },
    });
    const request = requests[0]!;
    expect(request.method).toBe("POST");
    expect(new URL(request.url).search).toBe("?auto_invite=1");
    const [scheme, token] = request.headers.get("authorization")!.split(" ");
    expect(scheme).toBe("Basic");
    expect(new TextDecoder().decode(Uint8Array.from(atob(token!), (c) => c.charCodeAt(0)))).toBe("s3cr3t-kéy:x");
    expect(request.headers.get("accept")).toBe("application/json");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("user-agent")).toBe("team-x");
  });

  test.each([
    [{ subdomain: "", apiKey: "k" }, /subdomain must be/],
    [{ subdomain: "acme.evil.com/x", apiKey: "k" }, /subdomain must be/],
    [{ subdomain: "acme", domain: "example.com", apiKey: "k" }, /domain must be one of chargify.com, ebilling.maxio.com/],
    [{ baseUrl: "127.0.0.1:4010", apiKey: "k" }, /baseUrl must be an absolute URL/],
    [{ subdomain: "acme", apiKey: "" }, /apiKey must be a non-empty string/],
  ])("refuses bad options with a TypeError that says why (%j)", (options, message) => {
    expect(() => createBillingClient(options as never)).toThrow(message);
  });

  test("an error with an empty body still becomes a typed ErrorListResponse", async () => {
    const { fetch } = recordingFetch(() => new Response(null, { status: 404, statusText: "Not Found" }));
    const client = createBillingClient({ subdomain: "acme", apiKey: "k", fetch });
    const result = await client.GET("/portal/customers/{customer_id}/management_link.json", {
      params: { path: { customer_id: 1 } },
    });
    expect(result.error).toEqual({ errors: ["404 Not Found"] });
    expect(errorOf(result)).toEqual({ status: 404, body: { errors: ["404 Not Found"] } });
  });

  test("a plain-text 401 comes back as the text itself", async () => {
    const { fetch } = recordingFetch(
      () => new Response("HTTP Basic: Access denied.\n", { status: 401, headers: { "content-type": "text/plain" } }),
    );
    const client = createBillingClient({ subdomain: "acme", apiKey: "wrong", fetch });
    const result = await client.DELETE("/portal/customers/{customer_id}/invitations/revoke.json", {
      params: { path: { customer_id: 1 } },
    });
    expect(errorOf(result)).toEqual({ status: 401, body: "HTTP Basic: Access denied.\n" });
  });

  test("errorOf is undefined for a success", async () => {
    const { fetch } = recordingFetch(() => json(200, link));
    const client = createBillingClient({ subdomain: "acme", apiKey: "k", fetch });
    const result = await client.GET("/portal/customers/{customer_id}/management_link.json", {
      params: { path: { customer_id: 1 } },
    });
    expect(errorOf(result)).toBeUndefined();
    expect(result.data).toEqual(link);
  });
});
