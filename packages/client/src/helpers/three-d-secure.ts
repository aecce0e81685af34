export interface ThreeDSecureRedirectOptions {
  /** Told the result by a POST with `success` and `payment_profile_id`. */
  callbackUrl?: string;
  /** Where the customer lands afterwards, with a `msg` parameter. */
  redirectUrl?: string;
}

function absolute(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return url;
}

/**
 * The URL to send a customer to after a 3-D Secure `422`: the error's `action_link` with your
 * `callback_url` and `redirect_url` added (its own parameters, such as `one_time_token_id`, kept).
 * Redirect the whole page there, not an iframe.
 */
export function threeDSecureRedirectUrl(actionLink: string, { callbackUrl, redirectUrl }: ThreeDSecureRedirectOptions = {}): string {
  const url = absolute("actionLink", actionLink);
  if (callbackUrl !== undefined) url.searchParams.set("callback_url", absolute("callbackUrl", callbackUrl).href);
  if (redirectUrl !== undefined) url.searchParams.set("redirect_url", absolute("redirectUrl", redirectUrl).href);
  return url.href;
}
