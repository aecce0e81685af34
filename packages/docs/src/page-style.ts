/**
 * The reference page's own CSS, on top of Redoc's. Code samples wrap instead of running past the
 * panel's right edge, and keep clear of the copy button that Redoc lays over a block's top right
 * corner: a reader sees every sample whole, with nothing to scroll and nothing under a button.
 * Redoc reads the wrapping from its \`--code-wrap\` variable, which it sets on \`:root\` (0,1,0); ours is
 * set on \`html:root\` (0,1,1), and the padding rule outranks Redoc's doubled class selector (0,2,0) by
 * one element, so both win whatever the order of the style sheets: Redoc injects its own at run time,
 * after this one.
 */
export const pageStyle = `
html:root {
  --code-wrap: pre-wrap;
}
pre[data-component-name="CodeBlock/CodeBlockContainer"][class] {
  overflow-wrap: anywhere;
  padding-right: 48px;
}
`;

/** The page with its own CSS at the end of `<head>`, once. */
export function withPageStyle(html: string): string {
  const marker = '<style data-billing-api="page-style">';
  if (html.includes(marker)) return html;
  const end = html.indexOf("</head>");
  if (end === -1) throw new Error("The page has no </head> to put its style in.");
  return `${html.slice(0, end)}${marker}${pageStyle}</style>\n${html.slice(end)}`;
}
