import {
  createBillingClient,
  errorOf,
  type Customer,
  type ErrorListResponse,
  type PortalManagementLink,
  type ResentInvitation,
  type RevokedInvitation,
  type TooManyManagementLinkRequestsError,
} from "@billing-api/client";
import { describe, expectTypeOf, test } from "vitest";

const client = createBillingClient({ subdomain: "acme", apiKey: "k" });

describe("Billing Portal types", () => {
  test("customer_id must be a number", () => {
    // @ts-expect-error customer_id is an integer path parameter, not a string
    void client.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: "150" } } });
    // @ts-expect-error the path parameter is required
    void client.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: {} } });
    // @ts-expect-error auto_invite is 0 or 1
    void client.POST("/portal/customers/{customer_id}/enable.json", { params: { path: { customer_id: 1 }, query: { auto_invite: 2 } } });
    // @ts-expect-error the path must end in .json
    void client.GET("/portal/customers/{customer_id}/management_link", { params: { path: { customer_id: 1 } } });
  });

  test("data has the documented type of each operation", async () => {
    const enabled = await client.POST("/portal/customers/{customer_id}/enable.json", { params: { path: { customer_id: 1 } } });
    expectTypeOf(enabled.data).toEqualTypeOf<{ customer: Customer } | undefined>();
    const link = await client.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 1 } } });
    expectTypeOf(link.data).toExtend<PortalManagementLink | undefined>();
    expectTypeOf(link.data!.fetch_count).toEqualTypeOf<number>();
    expectTypeOf(link.data!.last_invite_sent_at).toEqualTypeOf<string | null>();
    const resent = await client.POST("/portal/customers/{customer_id}/invitations/invite.json", { params: { path: { customer_id: 1 } } });
    expectTypeOf(resent.data).toExtend<ResentInvitation | undefined>();
    const revoked = await client.DELETE("/portal/customers/{customer_id}/invitations/revoke.json", { params: { path: { customer_id: 1 } } });
    expectTypeOf(revoked.data).toExtend<RevokedInvitation | undefined>();
    expectTypeOf<Customer["portal_invite_last_accepted_at"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Customer["id"]>().toEqualTypeOf<number>();
  });

  test("errorOf narrows the error body by status", async () => {
    const link = await client.GET("/portal/customers/{customer_id}/management_link.json", { params: { path: { customer_id: 1 } } });
    const failure = errorOf(link);
    expectTypeOf(failure?.status).toEqualTypeOf<401 | 404 | 422 | 429 | undefined>();
    if (failure?.status === 429) expectTypeOf(failure.body).toEqualTypeOf<TooManyManagementLinkRequestsError>();
    if (failure?.status === 422) expectTypeOf(failure.body).toEqualTypeOf<ErrorListResponse>();
    if (failure?.status === 401) expectTypeOf(failure.body).toEqualTypeOf<string>();
    // openapi-fetch's own `error` is the union of every documented error body.
    expectTypeOf(link.error).toEqualTypeOf<string | ErrorListResponse | TooManyManagementLinkRequestsError | undefined>();
  });
});
