/**
 * `redocly build-docs` writes the page twice: a prerendered first screen (the sidebar and the
 * introduction, ~54 kB of HTML) with the styled-components CSS of the whole app (~250 kB), and
 * Redoc's script, which renders the same again in the browser and injects the same CSS. Nothing
 * on the page works before that script runs (search, the operations, the samples), so the copy
 * shows a reader nothing the script does not. Redoc's `hydrate` renders an empty container
 * itself (`createRoot` when the container has no child element), so the copy can go: about 300 kB,
 * 50 kB gzip, a tenth of the page.
 */

/** Redoc's prerendered colour-mode snippet: it sets the dark or light class before anything paints. */
const colorModeScript = /^<div hidden=""><script>(try\{var m=localStorage\.getItem\("redoc\.colorMode"\)[^<]*)<\/script><\/div>/;

/** What the empty container says until Redoc has rendered (a text node: Redoc still sees no child element). */
export const loadingText = "Loading the API reference…";

/**
 * The page without the prerendered markup and CSS: `#redoc` holds only a loading line, and the
 * colour-mode snippet moves to the end of `<head>`, so a dark-mode reader still gets no light flash.
 * A page without a prerendered copy is returned as is.
 */
export function withoutPrerender(html: string): string {
  const open = '<div id="redoc">';
  const from = html.indexOf(open);
  const script = html.indexOf('<script type="module">', from);
  if (from === -1 || script === -1) throw new Error('The page has no <div id="redoc"> before its module script.');
  const close = html.lastIndexOf("</div>", script);
  const prerendered = html.slice(from + open.length, close);
  if (prerendered === loadingText) return html;

  const snippet = colorModeScript.exec(prerendered)?.[1];
  let page = `${html.slice(0, from + open.length)}${loadingText}${html.slice(close)}`;
  page = page.replace(/<style data-styled="true"[^>]*>[\s\S]*?<\/style>\s*/, "");
  if (snippet) {
    const end = page.indexOf("</head>");
    page = `${page.slice(0, end)}<script>${snippet}</script>\n${page.slice(end)}`;
  }
  return page;
}
