/** Regions of the production API: `chargify.com` (US) and `ebilling.maxio.com` (EU). */
export type BillingDomain = "chargify.com" | "ebilling.maxio.com";

export const billingDomains: readonly BillingDomain[] = ["chargify.com", "ebilling.maxio.com"];

import type { RetryOptions } from "./resilience.js";

interface CommonOptions {
  /** The site's API key. Sent as the Basic auth username, with `x` as the password. */
  apiKey: string;
  /** A fetch implementation, for tests or instrumentation. Defaults to `globalThis.fetch`. */
  fetch?: (input: Request) => Promise<Response>;
  /** Extra headers sent with every request (a `User-Agent`, say). */
  headers?: Record<string, string>;
  /** How long one attempt may take, in ms. Default 30 000; 0 for no timeout. Per call: `timeoutMs`. */
  timeoutMs?: number;
  /** Retries of idempotent requests (and POST if `post: true`), or `false` for none. Per call: `retry`. */
  retry?: RetryOptions | false;
  /** The wait between retries, for tests with a fake clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The jitter's dice (0 <= x < 1), for tests. */
  random?: () => number;
  /** The clock (ms since the epoch) against which a server's stated wait is measured, for tests. */
  now?: () => number;
}

/** Talk to a production site: `https://{subdomain}.{domain}`. */
export interface SiteOptions extends CommonOptions {
  /** The site's subdomain, `acme` in `acme.chargify.com`. */
  subdomain: string;
  /** The region. Defaults to `chargify.com`. */
  domain?: BillingDomain;
  baseUrl?: undefined;
}

/** Talk to an explicit base URL, such as the mock (`http://127.0.0.1:4010`). */
export interface BaseUrlOptions extends CommonOptions {
  baseUrl: string;
  subdomain?: string;
  domain?: BillingDomain;
}

export type BillingClientOptions = SiteOptions | BaseUrlOptions;

// A DNS label: what a site's subdomain must be for `https://{subdomain}.{domain}` to be its host.
const subdomainPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Works out the base URL from the options, or throws a TypeError that says what is wrong. */
export function resolveBaseUrl(options: BillingClientOptions): string {
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError(`baseUrl must be an absolute URL, got ${JSON.stringify(options.baseUrl)}`);
    }
    return url.href.replace(/\/+$/, "");
  }
  const { subdomain, domain = "chargify.com" } = options;
  if (typeof subdomain !== "string" || !subdomainPattern.test(subdomain)) {
    throw new TypeError(
      `subdomain must be a site's subdomain (letters, digits, hyphens), got ${JSON.stringify(subdomain)}`,
    );
  }
  if (!billingDomains.includes(domain)) {
    throw new TypeError(`domain must be one of ${billingDomains.join(", ")}, got ${JSON.stringify(domain)}`);
  }
  return `https://${subdomain}.${domain}`;
}

/** The Basic auth header for an API key: the key is the username and `x` the password. */
export function basicAuthorization(apiKey: string): string {
  if (typeof apiKey !== "string" || apiKey.length === 0) {
    throw new TypeError("apiKey must be a non-empty string");
  }
  const credentials = new TextEncoder().encode(`${apiKey}:x`);
  return `Basic ${btoa(String.fromCharCode(...credentials))}`;
}
