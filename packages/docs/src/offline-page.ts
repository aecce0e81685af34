/**
 * Redoc's page is self-contained, but its sidebar still asks a CDN for the Redocly logo. A Content
 * Security Policy that allows only what the page inlines makes the browser refuse that (and any
 * future) outside request before it is made, so the page works, and stays silent, offline.
 */

/** The policy: inline scripts and styles, images and fonts from `data:`, workers from `blob:`, nothing else. */
export const offlinePolicy = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "img-src data: blob:",
  "font-src data:",
  "worker-src blob:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * Redoc's sidebar shows "API docs by" and a Redocly logo it fetches from a CDN. The page keeps the
 * attribution, with the logo drawn inline instead.
 */
const redoclyLogo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="14" viewBox="0 0 56 14">' +
    '<text x="0" y="11" font-family="sans-serif" font-size="11" font-weight="600" fill="#0044d4">Redocly</text></svg>',
)}`;
const remoteAssets = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];

/** The page with its remote images inlined and the offline policy as its first `<head>` element. */
export function sealForOffline(html: string): string {
  let sealed = html;
  for (const url of remoteAssets) sealed = sealed.replaceAll(url, redoclyLogo);
  return withOfflinePolicy(sealed);
}

/** The page with the policy as its first `<head>` element; a page that has one already is returned as is. */
export function withOfflinePolicy(html: string): string {
  if (html.includes('http-equiv="Content-Security-Policy"')) return html;
  const head = html.indexOf("<head>");
  if (head === -1) throw new Error("The page has no <head> to put the Content-Security-Policy in.");
  const at = head + "<head>".length;
  return `${html.slice(0, at)}\n  <meta http-equiv="Content-Security-Policy" content="${offlinePolicy}" />${html.slice(at)}`;
}
