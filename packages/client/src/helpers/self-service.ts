import type { BillingDomain } from "../options.js";

export interface SelfServiceUpdateUrlOptions {
  /** The site's subdomain, `acme` in `acme.chargify.com`. */
  subdomain: string;
  /** The region's domain. Default `chargify.com`. */
  domain?: BillingDomain;
  subscriptionId: number;
  /** The site's shared key (Settings in the Advanced Billing app). Keep it on your server. */
  sharedKey: string;
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * The self-service page where a customer updates their payment details:
 * `https://{subdomain}.{domain}/update_payment/{subscription_id}/{token}`, where `token` is the first
 * 10 hex digits of SHA-1(`update_payment--{subscription_id}--{shared_key}`). Web Crypto, so it runs
 * in Node and browsers alike (but the shared key belongs on a server).
 */
export async function selfServiceUpdateUrl({ subdomain, domain = "chargify.com", subscriptionId, sharedKey }: SelfServiceUpdateUrlOptions): Promise<string> {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(subdomain)) throw new TypeError(`subdomain must be a site's subdomain, got ${JSON.stringify(subdomain)}`);
  if (!Number.isSafeInteger(subscriptionId) || subscriptionId < 1) throw new TypeError(`subscriptionId must be a positive integer, got ${subscriptionId}`);
  if (typeof sharedKey !== "string" || sharedKey === "") throw new TypeError("sharedKey must be the site's shared key");
  const digest = await globalThis.crypto.subtle.digest("SHA-1", new TextEncoder().encode(`update_payment--${subscriptionId}--${sharedKey}`));
  return `https://${subdomain}.${domain}/update_payment/${subscriptionId}/${hex(digest).slice(0, 10)}`;
}
