import { errorOf } from "@billing-api/client";
import { describe, expect, test } from "vitest";
import { contract, prefer } from "../support/contract.js";
import { requestExamples, send } from "@billing-api/test-support/raw";

// Coupons: create under a product family, list, read, update, archive, find and validate.
// Routine 401/404 are swept in spec/routine-statuses.test.ts.
const family = { path: { product_family_id: 1702 } };
const coupon = { path: { product_family_id: 1702, coupon_id: 4521 } };

describe("createCoupon", () => {
  contract("createCoupon", 201, "the guide's coupon, its numbers and flags sent as strings", async (client) => {
    const result = await client.POST("/product_families/{product_family_id}/coupons.json", {
      params: family,
      body: {
        coupon: {
          name: "15% off", code: "15OFF", description: "15% off for life", percentage: "15",
          allow_negative_balance: "false", recurring: "false", end_date: "2027-08-29T12:00:00-04:00", product_family_id: "1702",
        },
      },
    });
    expect(result.data?.coupon).toMatchObject({ code: "15OFF", percentage: "15", discount_type: "percent", amount_in_cents: null, product_family_id: 1702 });
    return result;
  });

  contract("createCoupon", 422, "a code already in use", async (client) => {
    const result = await client.POST("/product_families/{product_family_id}/coupons.json", {
      params: family,
      body: { coupon: { name: "Founders", code: "FOUNDERS10", amount_in_cents: 1000 } },
      headers: prefer(422, "codeTaken"),
    });
    expect(errorOf(result)?.body).toEqual({ errors: ["Code: must be unique"] });
    return result;
  });
});

describe("listCouponsForProductFamily", () => {
  contract("listCouponsForProductFamily", 200, "a bare array of the family's coupons", async (client) => {
    const result = await client.GET("/product_families/{product_family_id}/coupons.json", {
      params: { ...family, query: { page: 1, per_page: 30, "filter[codes]": "FOUNDERS10,SPRING5", "filter[date_field]": "updated_at", currency_prices: true } },
    });
    expect(result.data?.map(({ coupon }) => coupon.code)).toEqual(["FOUNDERS10", "SPRING5"]);
    expect(result.data?.every(({ coupon }) => coupon.product_family_id === 1702)).toBe(true);
    return result;
  });
});

describe("readCoupon", () => {
  contract("readCoupon", 200, "with its prices in other currencies on request", async (client) => {
    const result = await client.GET("/product_families/{product_family_id}/coupons/{coupon_id}.json", {
      params: { path: { product_family_id: 1702, coupon_id: 4522 }, query: { currency_prices: true } },
      headers: prefer(200, "withCurrencyPrices"),
    });
    expect(result.data?.coupon.currency_prices).toEqual([{ id: 93, currency: "EUR", price: 4.5, coupon_id: 4522 }]);
    expect(result.data?.coupon).toMatchObject({ discount_type: "amount", amount_in_cents: 500, percentage: null });
    return result;
  });
});

describe("updateCoupon", () => {
  contract("updateCoupon", 200, "a partial update", async (client) => {
    const result = await client.PUT("/product_families/{product_family_id}/coupons/{coupon_id}.json", {
      params: coupon,
      body: { coupon: { percentage: "12.5" }, restricted_products: { "3101": true, "3103": false } },
    });
    expect(result.data?.coupon.percentage).toBe("12.5");
    return result;
  });

  contract("updateCoupon", 422, "an archived coupon", async (client) => {
    return client.PUT("/product_families/{product_family_id}/coupons/{coupon_id}.json", { params: coupon, body: { coupon: { name: "Spring" } }, headers: prefer(422) });
  });
});

describe("archiveCoupon", () => {
  contract("archiveCoupon", 200, "the coupon with archived_at (200, not 204)", async (client) => {
    const result = await client.DELETE("/product_families/{product_family_id}/coupons/{coupon_id}.json", { params: { path: { product_family_id: 1702, coupon_id: 4522 } } });
    expect(result.data?.coupon.archived_at).toBe("2026-11-21T11:00:00-05:00");
    return result;
  });
});

describe("listCoupons", () => {
  contract("listCoupons", 200, "every family's coupons, 30 a page by default", async (client) => {
    const result = await client.GET("/coupons.json", { params: { query: { "filter[ids]": "4521,4522,4530", "filter[use_site_exchange_rate]": true } } });
    expect(result.data?.map(({ coupon }) => coupon.id)).toEqual([4521, 4522, 4530]);
    return result;
  });
});

describe("findCoupon", () => {
  contract("findCoupon", 200, "the coupon with a code", async (client) => {
    const result = await client.GET("/coupons/find.json", { params: { query: { code: "FOUNDERS10", product_family_id: 1702 } } });
    expect(result.data?.coupon).toMatchObject({ id: 4521, code: "FOUNDERS10" });
    return result;
  });
});

describe("validateCoupon", () => {
  contract("validateCoupon", 200, "a code that can be applied", async (client) => {
    const result = await client.GET("/coupons/validate.json", { params: { query: { code: "FOUNDERS10" } } });
    expect(result.data?.coupon.code).toBe("FOUNDERS10");
    return result;
  });

  contract("validateCoupon", 404, "why not, as a single string", async (client) => {
    const result = await client.GET("/coupons/validate.json", { params: { query: { code: "WINTER25" } }, headers: prefer(404, "expired") });
    const failure = errorOf(result);
    if (failure?.status !== 404) throw new Error("expected a 404");
    expect(failure.body.errors).toBe("Coupon code is expired.");
    return result;
  });
});

describe("coupon requests", () => {
  test.each(requestExamples("createCoupon"))("documented create %s is accepted", async (_name, body) => {
    expect((await send("POST", "/product_families/1702/coupons.json", body)).status).toBe(201);
  });

  test.each(requestExamples("updateCoupon"))("documented update %s is accepted", async (_name, body) => {
    expect((await send("PUT", "/product_families/1702/coupons/4521.json", body)).status).toBe(200);
  });

  test("a percentage and an amount together are refused: a coupon is one or the other", async () => {
    const { status, body } = await send("POST", "/product_families/1702/coupons.json", { coupon: { name: "Both", code: "BOTH", percentage: "10", amount_in_cents: 500 } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["coupon: give exactly one of percentage or amount_in_cents; got percentage and amount_in_cents"]);
  });

  test("neither a percentage nor an amount is refused the same way", async () => {
    const { status, body } = await send("POST", "/product_families/1702/coupons.json", { coupon: { name: "None", code: "NONE" } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["coupon: give exactly one of percentage or amount_in_cents; none was given"]);
  });

  test("an update cannot turn a coupon into both kinds", async () => {
    const { status, body } = await send("PUT", "/product_families/1702/coupons/4521.json", { coupon: { percentage: "10", amount_in_cents: 500 } });
    expect(status).toBe(422);
    expect(body.errors).toEqual(["coupon: give at most one of percentage or amount_in_cents; got percentage and amount_in_cents"]);
  });

  test("a lower-case code is refused, naming the field", async () => {
    const { status, body } = await send("POST", "/product_families/1702/coupons.json", { coupon: { name: "Lower", code: "spring5", amount_in_cents: 500 } });
    expect(status).toBe(422);
    expect(JSON.stringify(body.errors)).toContain("code");
  });

  test("validate without a code is refused, naming it", async () => {
    const { status, body } = await send("GET", "/coupons/validate.json");
    expect(status).toBe(422);
    expect(body.errors).toEqual(["Request query must have required property 'code'"]);
  });

  test("the guide's old route, POST /coupons.json, points to the product family's", async () => {
    const { status, body } = await send("POST", "/coupons.json", { coupon: { name: "15% off", code: "15OFF", percentage: "15" } });
    expect(status).toBe(405);
    expect(body.errors[0]).toContain("POST /product_families/{product_family_id}/coupons.json");
  });
});
