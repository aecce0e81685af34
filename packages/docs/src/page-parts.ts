/**
 * The reference page cut into what it is made of, so its weight can be read part by part (the
 * page-weight script prints it; the size test holds each part). The parts are found by the markers
 * `redocly build-docs` writes; with the frame they cover the whole page, without a gap or an overlap.
 */
import { gzipSync } from "node:zlib";

export interface PagePart {
  name: string;
  /** The part's text; the empty string when the page does not have it. */
  text: string;
}

/**
 * Each part runs from its `start` marker to its `end` marker, in this order in the page; a marker
 * belongs to the part when it is the part's own tag (`inside`), else to the frame.
 */
const partMarkers = [
  { name: "prerendered CSS (styled-components)", start: "<style data-styled=", end: "</style>", inside: true },
  { name: "page style (ours)", start: '<style data-billing-api="page-style">', end: "</style>", inside: true },
  { name: "prerendered HTML (in #redoc)", start: '<div id="redoc">', end: '</div>\n      <script type="module">', inside: false },
  { name: "Redoc script", start: '<script type="module">', end: "const __redoc_definition = ", inside: false },
  { name: "definition (JSON)", start: "const __redoc_definition = ", end: ";\n      const __redoc_options", inside: false },
] as const;

/**
 * The page's parts, each with its text, then the frame: everything else (doctype, head, the offline
 * policy, the options and the hydrate call). Their bytes add up to the page's.
 */
export function pageParts(html: string): PagePart[] {
  const parts: PagePart[] = [];
  let frame = "";
  let at = 0;
  for (const { name, start, end, inside } of partMarkers) {
    const from = html.indexOf(start, at);
    const to = from === -1 ? -1 : html.indexOf(end, from + start.length);
    if (from === -1 || to === -1) {
      parts.push({ name, text: "" });
      continue;
    }
    const [textFrom, textTo] = inside ? [from, to + end.length] : [from + start.length, to];
    frame += html.slice(at, textFrom);
    parts.push({ name, text: html.slice(textFrom, textTo) });
    at = textTo;
  }
  frame += html.slice(at);
  parts.push({ name: "frame (head, policy, options, start-up)", text: frame });
  return parts;
}

/** Bytes and gzip -9 bytes of a text. */
export function weight(text: string): { bytes: number; gzip: number } {
  return { bytes: Buffer.byteLength(text), gzip: text ? gzipSync(text, { level: 9 }).length : 0 };
}

/** The `data:` URIs (inline fonts and images) in a text, by media type, with their bytes. */
export function inlineAssets(text: string): { type: string; count: number; bytes: number }[] {
  const byType = new Map<string, { count: number; bytes: number }>();
  for (const [uri, type] of text.matchAll(/data:([a-z]+\/[a-z0-9.+-]+)[^"'`)\s]*/gi)) {
    const entry = byType.get(type!) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += Buffer.byteLength(uri);
    byType.set(type!, entry);
  }
  return [...byType].map(([type, entry]) => ({ type, ...entry })).sort((a, b) => b.bytes - a.bytes);
}
