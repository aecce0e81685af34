/**
 * Redoc's router (React Router's hash history) builds every link with
 * `document.querySelector("base")`, and reads a base's `href` only when there is one. On a page with
 * no `<base>`, each of those lookups walks the whole rendered page before it finds nothing: every
 * render of the sidebar does it once per entry, so going from one operation to the next spent about
 * a fifth of the browser's CPU there (`npm run bench:navigation` measures it).
 * A `<base target="_self">` near the top of `<head>` is found at once and changes nothing: without
 * an `href` it leaves the page's base URL alone, and `_self` is where a link opens anyway.
 */

/** The element: valid HTML (a `<base>` needs an `href` or a `target`), and inert. */
export const linkBase = '<base target="_self" />';

/**
 * The page with `linkBase` as the first element of `<head>` after its Content-Security-Policy (which
 * must stay first); a page that has a `<base>` already is returned as is.
 */
export function withLinkBase(html: string): string {
  if (/<base[\s>/]/i.test(html.slice(0, html.indexOf("</head>")))) return html;
  const head = html.indexOf("<head>");
  if (head === -1) throw new Error("The page has no <head> to put its <base> in.");
  const policy = /<meta http-equiv="Content-Security-Policy"[^>]*>/.exec(html.slice(head));
  const at = policy ? head + policy.index + policy[0].length : head + "<head>".length;
  return `${html.slice(0, at)}\n  ${linkBase}${html.slice(at)}`;
}
