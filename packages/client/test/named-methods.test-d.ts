import {
  createBillingClient,
  paginate,
  type CouponResponse,
  type Customer,
  type ErrorListResponse,
  type ListSubscriptionGroupsItem,
  type PaymentProfileResponse,
  type SubscriptionAddCouponError,
  type TooManyManagementLinkRequestsError,
} from "@billing-api/client";
import { describe, expectTypeOf, test } from "vitest";

const billing = createBillingClient({ subdomain: "acme", apiKey: "k" });

describe("named methods: types", () => {
  test("methods are grouped by tag and typed from the operation", async () => {
    const { data, error } = await billing.paymentProfiles.readPaymentProfile({ payment_profile_id: 10089892 });
    expectTypeOf(data).toEqualTypeOf<PaymentProfileResponse | undefined>();
    if (!error) expectTypeOf(data).toEqualTypeOf<PaymentProfileResponse>();
    expectTypeOf(error?.status).toEqualTypeOf<401 | 404 | undefined>();
  });

  test("the natural check narrows the error body without helpers", async () => {
    const { error } = await billing.billingPortal.readBillingPortalLink({ customer_id: 150 });
    if (error?.status === 429) expectTypeOf(error.body).toEqualTypeOf<TooManyManagementLinkRequestsError>();
    if (error?.status === 401) expectTypeOf(error.body).toEqualTypeOf<string>();
    const coupons = await billing.subscriptions.applyCouponsToSubscription({ subscription_id: 222, body: { codes: ["SPRING5"] } });
    if (coupons.error?.status === 422) expectTypeOf(coupons.error.body).toEqualTypeOf<SubscriptionAddCouponError>();
    const validated = await billing.coupons.validateCoupon({ code: "FOUNDERS10" });
    if (validated.error?.status === 404) expectTypeOf(validated.error.body.errors).toEqualTypeOf<string>();
    if (!validated.error) expectTypeOf(validated.data).toEqualTypeOf<CouponResponse>();
  });

  test("path and query parameters by their spec names, the body under body", () => {
    void billing.coupons.listCouponsForProductFamily({ product_family_id: 1702, "filter[codes]": "FOUNDERS10", per_page: 30 });
    void billing.subscriptions.readSubscription({ subscription_id: 222, "include[]": ["coupons"] });
    void billing.customers.updateCustomer({ id: 150, body: { customer: { email: "martha@example.com" } } });
    // @ts-expect-error a misspelt path parameter does not compile
    void billing.paymentProfiles.readPaymentProfile({ payment_profile: 10089892 });
    // @ts-expect-error a misspelt query parameter does not compile
    void billing.customers.listCustomers({ perpage: 50 });
    // @ts-expect-error a required path parameter cannot be left out
    void billing.subscriptions.readSubscription({});
    // @ts-expect-error the body has its own type
    void billing.subscriptions.createSubscriptionCharge({ subscription_id: 222, body: { charge: { amount_in_cents: 100 } } });
  });

  test("operations without required arguments take none", () => {
    void billing.customers.listCustomers();
    void billing.coupons.listCoupons();
    // @ts-expect-error an operation with a required path parameter needs its argument
    void billing.customers.readCustomer();
  });

  test("per-call options", () => {
    void billing.customers.listCustomers({}, { timeoutMs: 5000, retry: false, signal: new AbortController().signal, headers: { Prefer: "code=401" } });
    // @ts-expect-error an unknown option does not compile
    void billing.customers.listCustomers({}, { timeout: 5000 });
  });

  test("a 204 has no data", async () => {
    const { data, error } = await billing.customers.deleteCustomer({ id: 151 });
    expectTypeOf(data).toEqualTypeOf<undefined>();
    if (error?.status === 404) expectTypeOf(error.body).toEqualTypeOf<ErrorListResponse>();
  });

  test("paginate yields the items of the method it is given", () => {
    const customers = paginate(billing.customers.listCustomers, { per_page: 200 });
    expectTypeOf(customers).toEqualTypeOf<AsyncGenerator<{ customer: Customer }, void, undefined>>();
    const groups = paginate(billing.subscriptionGroups.listSubscriptionGroups, {});
    expectTypeOf(groups).toEqualTypeOf<AsyncGenerator<ListSubscriptionGroupsItem, void, undefined>>();
  });
});
