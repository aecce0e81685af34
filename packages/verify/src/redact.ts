/**
 * Keeps credentials out of every output. The verifier learns the API key from each request's Basic
 * credentials (and from `--api-key`), and every line, report and recorded HAR passes through
 * `redact` before it is written: the key, its Basic token, and whatever else was learnt.
 */
export const redacted = "[redacted]";

/** Headers whose values are credentials, whatever they hold. */
export const credentialHeaders = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);

/** Learnt values shorter than this are not treated as secrets (the Basic password is often `x`). */
const shortest = 6;

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Treats `secret` (and its URL-encoded and JSON-escaped forms) as a credential from now on. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < shortest) return;
    for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
      if (this.secrets.has(form)) continue;
      this.secrets.add(form);
      this.pattern = undefined;
    }
  }

  /** Learns the API key and the token from an `Authorization: Basic ...` header value. */
  learnAuthorization(value: string | undefined): void {
    if (!value) return;
    const [scheme, token] = value.trim().split(/\s+/, 2);
    if (!token) return this.add(scheme);
    this.add(token);
    if (scheme?.toLowerCase() !== "basic") return;
    const decoded = Buffer.from(token, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    this.add(colon === -1 ? decoded : decoded.slice(0, colon));
    if (colon !== -1) this.add(decoded.slice(colon + 1));
  }

  /** Learns the user and password of a URL's userinfo (`https://KEY:x@acme.chargify.com`). */
  learnUrl(url: URL): void {
    this.add(decodeURIComponent(url.username));
    this.add(decodeURIComponent(url.password));
  }

  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "g",
    );
    return text.replace(this.pattern, redacted);
  }
}

/** A URL without its userinfo, as text for a message. */
export function displayUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}
