import { describe, expect, test } from "vitest";
import { encodeForm, formValue, siteTime } from "../dist/webhooks/form.js";

// A webhook's body as the API writes it (form.ts): what a receiver's form parser reads back, and the
// exact bytes its signature covers.

describe("encodeForm", () => {
  test("leaves brackets as they are, in keys and values alike, and percent-encodes the rest as the API does", () => {
    const fields: [string, string][] = [
      ["payload[customer][organization]", "Acme [EU] & Sons"],
      ["payload[customer][email]", "ada+billing@example.com"],
      ["payload[customer][reference]", ""],
      ["payload[customer][first_name]", "Zoë"],
    ];
    const body = encodeForm(fields);
    expect(body).toBe(
      "payload[customer][organization]=Acme%20[EU]%20%26%20Sons&payload[customer][email]=ada%2Bbilling%40example.com&payload[customer][reference]=&payload[customer][first_name]=Zo%C3%AB",
    );
    expect([...new URLSearchParams(body)]).toEqual(fields);
  });
});

describe("siteTime", () => {
  test("writes a UTC timestamp in the site's zone, each value its own however often it comes back", () => {
    expect(siteTime("2026-12-02T14:25:13Z")).toBe("2026-12-02 09:25:13 -0500");
    expect(siteTime("2026-12-02T04:59:59Z")).toBe("2026-12-01 23:59:59 -0500");
    expect(siteTime("2026-12-02T14:25:13Z")).toBe("2026-12-02 09:25:13 -0500");
    expect(siteTime("2026-12-02T14:25:13.250+01:00")).toBe("2026-12-02 08:25:13 -0500");
    // More distinct values than the conversions it keeps: each still its own.
    for (let second = 0; second < 1_500; second++) {
      const at = new Date(Date.UTC(2026, 11, 2, 14, 0, 0) + second * 1000).toISOString().replace(".000", "");
      expect(siteTime(at).slice(11, 19)).toBe(`09:${String(Math.floor(second / 60)).padStart(2, "0")}:${String(second % 60).padStart(2, "0")}`);
    }
  });

  test("formValue turns only date-time text into the site's time", () => {
    expect(formValue("2026-12-02T14:25:13Z")).toBe("2026-12-02 09:25:13 -0500");
    expect(formValue("2026-12-02")).toBe("2026-12-02");
    expect(formValue("T-shirt 2026-12-02T14:25:13Z")).toBe("T-shirt 2026-12-02T14:25:13Z");
    expect([formValue(null), formValue(42), formValue(false), formValue({})]).toEqual(["", "42", "false", undefined]);
  });
});
