import { expect, test } from "vitest";
import { expectDocumented, mockClient, prefer } from "../support/contract.js";
import { namespace, statefulClient } from "../support/stateful.js";

// A customer's whole life, as a team scripts it against the mock with the typed client: each step
// feeds the ids it got to the next, and every answer is checked against the spec.
test("a customer's life cycle, from sign-up to cancellation", async () => {
  const billing = mockClient();

  const signedUp = await billing.POST("/customers.json", {
    body: { customer: { first_name: "Martha", last_name: "Washington", email: "martha@example.com", reference: "mv-0042" } },
  });
  await expectDocumented("createCustomer", 201, signedUp);
  const customerId = signedUp.data!.customer.id;

  const card = await billing.POST("/payment_profiles.json", {
    body: { payment_profile: { customer_id: customerId, chargify_token: "tok_9g6hw85pnpt6knmskpwp4ttt" } },
  });
  await expectDocumented("createPaymentProfile", 201, card);
  const profile = card.data!.payment_profile;
  expect(profile.customer_id).toBe(customerId);

  const subscribed = await billing.POST("/subscriptions.json", {
    body: { subscription: { product_handle: "estate-basic", customer_id: customerId, payment_profile_id: profile.id, coupon_code: "FOUNDERS10" } },
  });
  await expectDocumented("createSubscription", 201, subscribed);
  const subscription = subscribed.data!.subscription;
  expect(subscription).toMatchObject({ state: "active", coupon_code: "FOUNDERS10" });
  expect(subscription.customer.id).toBe(customerId);
  expect(subscription.credit_card?.id).toBe(profile.id);
  const params = { path: { subscription_id: subscription.id } };

  const charged = await billing.POST("/subscriptions/{subscription_id}/charges.json", {
    params,
    body: { charge: { amount_in_cents: 100, memo: "This is the description of the reason for the $1 charge." } },
  });
  await expectDocumented("createSubscriptionCharge", 201, charged);
  expect(charged.data!.charge.subscription_id).toBe(subscription.id);
  const paymentId = charged.data!.charge.payment_id!;

  const adjusted = await billing.POST("/subscriptions/{subscription_id}/adjustments.json", {
    params,
    body: { adjustment: { amount: "4.00", memo: "Billing error in October" } },
  });
  await expectDocumented("createSubscriptionAdjustment", 200, adjusted);
  expect(adjusted.data!.adjustment.subscription_id).toBe(subscription.id);

  const rebilled = await billing.PUT("/subscriptions/{subscription_id}.json", {
    params,
    body: { subscription: { next_billing_at: "2026-12-15T12:00:00-05:00" } },
    headers: prefer(200, "billingDateChanged"),
  });
  await expectDocumented("updateSubscription", 200, rebilled);
  expect(rebilled.data!.subscription.next_assessment_at).toBe("2026-12-15T12:00:00-05:00");

  const newCard = await billing.PUT("/subscriptions/{subscription_id}.json", {
    params,
    body: { subscription: { credit_card_attributes: { full_number: "2", expiration_month: "10", expiration_year: "2030" } } },
    headers: prefer(200, "cardUpdated"),
  });
  await expectDocumented("updateSubscription", 200, newCard);
  expect(newCard.data!.subscription.credit_card).toMatchObject({ masked_card_number: "XXXX-XXXX-XXXX-2", expiration_year: 2030 });

  const scheduled = await billing.POST("/subscriptions/{subscription_id}/delayed_cancel.json", {
    params,
    body: { subscription: { cancellation_message: "Closing the estate account at the end of the month" } },
  });
  await expectDocumented("initiateDelayedCancellation", 200, scheduled);
  expect(scheduled.data!.message).toContain("will be canceled at the end of the current billing period");

  const undone = await billing.DELETE("/subscriptions/{subscription_id}/delayed_cancel.json", { params });
  await expectDocumented("cancelDelayedCancellation", 200, undone);
  expect(undone.data!.message).toContain("no longer be canceled");

  const refund = { payment_id: paymentId, amount: "1.00", memo: "The $1 charge, refunded" };
  const throughGateway = await billing.POST("/subscriptions/{subscription_id}/refunds.json", { params, body: { refund } });
  await expectDocumented("refundSubscriptionPayment", 200, throughGateway);
  expect(throughGateway.data!.refund).toMatchObject({ subscription_id: subscription.id, transaction_type: "refund", gateway_used: "bogus" });

  const recorded = await billing.POST("/subscriptions/{subscription_id}/refunds.json", {
    params,
    body: { refund: { amount: "4.00", memo: "Refunded by cheque on 20 November" }, external: 1 },
    headers: prefer(200, "recordedExternal"),
  });
  await expectDocumented("refundSubscriptionPayment", 200, recorded);
  expect(recorded.data!.refund).toMatchObject({ kind: "manual", gateway_transaction_id: null });

  const canceled = await billing.DELETE("/subscriptions/{subscription_id}.json", {
    params,
    body: { subscription: { cancellation_message: "Canceling the subscription via the API" } },
  });
  await expectDocumented("cancelSubscription", 200, canceled);
  expect(canceled.data!.subscription).toMatchObject({ id: subscription.id, state: "canceled", cancellation_message: "Canceling the subscription via the API" });
});

// The same life, against the stateful mock: every create returns a fresh id that the next step
// uses, and each step's effect is read back (states, balance, card, coupon, billing date).
test("a customer's life cycle against the stateful mock, with real transitions", async () => {
  const billing = statefulClient(namespace("life-cycle"));

  const signedUp = await billing.POST("/customers.json", {
    body: { customer: { first_name: "Abigail", last_name: "Adams", email: "abigail@example.com", reference: "aa-1744" } },
  });
  await expectDocumented("createCustomer", 201, signedUp);
  const customerId = signedUp.data!.customer.id;
  expect(customerId).not.toBe(150);
  const again = await billing.POST("/customers.json", {
    body: { customer: { first_name: "Abigail", last_name: "Smith", email: "smith@example.com", reference: "aa-1744" } },
  });
  await expectDocumented("createCustomer", 422, again);

  const card = await billing.POST("/payment_profiles.json", {
    body: { payment_profile: { customer_id: customerId, full_number: "4111111111111111", expiration_month: 10, expiration_year: 2030 } },
  });
  await expectDocumented("createPaymentProfile", 201, card);
  const profile = card.data!.payment_profile;
  expect(profile).toMatchObject({ customer_id: customerId, payment_type: "credit_card", masked_card_number: "XXXX-XXXX-XXXX-1111" });

  const subscribed = await billing.POST("/subscriptions.json", {
    body: { subscription: { product_handle: "estate-basic", customer_id: customerId, payment_profile_id: profile.id, coupon_code: "FOUNDERS10" } },
  });
  await expectDocumented("createSubscription", 201, subscribed);
  const subscription = subscribed.data!.subscription;
  expect(subscription).toMatchObject({ state: "active", coupon_code: "FOUNDERS10", balance_in_cents: 0, customer: { id: customerId }, credit_card: { id: profile.id } });
  const params = { path: { subscription_id: subscription.id } };
  const current = async () => {
    const read = await billing.GET("/subscriptions/{subscription_id}.json", { params });
    await expectDocumented("readSubscription", 200, read);
    return read.data!.subscription;
  };
  const mine = await billing.GET("/customers/{customer_id}/subscriptions.json", { params: { path: { customer_id: customerId } } });
  expect(mine.data!.map((s) => s.subscription.id)).toEqual([subscription.id]);

  const charged = await billing.POST("/subscriptions/{subscription_id}/charges.json", {
    params,
    body: { charge: { amount_in_cents: 100, memo: "This is the description of the reason for the $1 charge." } },
  });
  await expectDocumented("createSubscriptionCharge", 201, charged);
  const paymentId = charged.data!.charge.payment_id!;
  expect((await current()).total_revenue_in_cents).toBe(subscription.total_revenue_in_cents + 100);

  const adjusted = await billing.POST("/subscriptions/{subscription_id}/adjustments.json", { params, body: { adjustment: { amount: "4.00", memo: "Billing error in October" } } });
  await expectDocumented("createSubscriptionAdjustment", 200, adjusted);
  expect((await current()).balance_in_cents).toBe(400);

  const rebilled = await billing.PUT("/subscriptions/{subscription_id}.json", { params, body: { subscription: { next_billing_at: "2040-12-15T12:00:00-05:00" } } });
  await expectDocumented("updateSubscription", 200, rebilled);
  expect((await current()).next_assessment_at).toBe("2040-12-15T12:00:00-05:00");

  const newCard = await billing.PUT("/subscriptions/{subscription_id}.json", {
    params,
    body: { subscription: { credit_card_attributes: { full_number: "2", expiration_month: "10", expiration_year: "2030" } } },
  });
  await expectDocumented("updateSubscription", 200, newCard);
  expect((await current()).credit_card).toMatchObject({ masked_card_number: "XXXX-XXXX-XXXX-2", expiration_year: 2030 });

  const scheduled = await billing.POST("/subscriptions/{subscription_id}/delayed_cancel.json", {
    params,
    body: { subscription: { cancellation_message: "Closing the estate account at the end of the month" } },
  });
  await expectDocumented("initiateDelayedCancellation", 200, scheduled);
  expect(await current()).toMatchObject({ state: "active", cancel_at_end_of_period: true });

  const undone = await billing.DELETE("/subscriptions/{subscription_id}/delayed_cancel.json", { params });
  await expectDocumented("cancelDelayedCancellation", 200, undone);
  expect(await current()).toMatchObject({ state: "active", cancel_at_end_of_period: false, delayed_cancel_at: null });

  const throughGateway = await billing.POST("/subscriptions/{subscription_id}/refunds.json", { params, body: { refund: { payment_id: paymentId, amount: "1.00", memo: "The $1 charge, refunded" } } });
  await expectDocumented("refundSubscriptionPayment", 200, throughGateway);
  expect(throughGateway.data!.refund).toMatchObject({ subscription_id: subscription.id, payment_id: paymentId, gateway_used: "bogus" });
  const recorded = await billing.POST("/subscriptions/{subscription_id}/refunds.json", {
    params,
    body: { refund: { amount: "4.00", memo: "Refunded by cheque on 20 November" }, external: 1 },
  });
  await expectDocumented("refundSubscriptionPayment", 200, recorded);
  expect(recorded.data!.refund).toMatchObject({ kind: "manual", gateway_transaction_id: null });

  const canceled = await billing.DELETE("/subscriptions/{subscription_id}.json", {
    params,
    body: { subscription: { cancellation_message: "Canceling the subscription via the API" } },
  });
  await expectDocumented("cancelSubscription", 200, canceled);
  expect(await current()).toMatchObject({ id: subscription.id, state: "canceled", cancellation_message: "Canceling the subscription via the API" });
  await expectDocumented("cancelSubscription", 422, await billing.DELETE("/subscriptions/{subscription_id}.json", { params, body: {} }));

  // The new period is charged to the card on file, test card 2, which takes no payment.
  const declined = await billing.PUT("/subscriptions/{subscription_id}/reactivate.json", { params, body: {} });
  await expectDocumented("reactivateSubscription", 422, declined);
  expect(declined.error).toEqual({ errors: ["Bogus Gateway: Forced failure"] });
  expect(await current()).toMatchObject({ state: "canceled" });
  await billing.PUT("/subscriptions/{subscription_id}.json", {
    params,
    body: { subscription: { credit_card_attributes: { full_number: "1", expiration_month: "10", expiration_year: "2030" } } },
  });
  const reactivated = await billing.PUT("/subscriptions/{subscription_id}/reactivate.json", { params, body: {} });
  await expectDocumented("reactivateSubscription", 200, reactivated);
  expect(await current()).toMatchObject({ state: "active", previous_state: "canceled" });

  // A customer with subscriptions is kept: they would point at no one.
  const kept = await billing.DELETE("/customers/{id}.json", { params: { path: { id: customerId } } });
  await expectDocumented("deleteCustomer", 422, kept);
  expect(kept.error).toEqual({ errors: ["Customer cannot be deleted because it has subscriptions."] });
  await expectDocumented("readCustomer", 200, await billing.GET("/customers/{id}.json", { params: { path: { id: customerId } } }));
});
