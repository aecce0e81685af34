/**
 * `--api-key`: with a key set, the mock accepts only that key, as a site accepts only its own, so a
 * team's "wrong key" test gets the API's 401. Without one any key is accepted (request.ts checks
 * that there is one).
 */

/** The API key (the Basic username) of an `Authorization` header, if it carries one. */
export function apiKeyOf(authorization: string | undefined): string | undefined {
  const encoded = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization ?? "")?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}
