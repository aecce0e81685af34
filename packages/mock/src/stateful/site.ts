/**
 * The mock's site, as the API's site settings would say: its id and subdomain (in every webhook's
 * `payload[site]`) and its time zone. Webhooks carry Eastern time whatever the site (Maxio's
 * Webhooks Reference), and the examples' sites are in it too; the mock keeps standard time all year.
 */
export const site = { id: 4150, subdomain: "acme" };

/** The site's offset from UTC, in minutes: `-0500` in a webhook's timestamps. */
export const siteOffsetMinutes = -5 * 60;
