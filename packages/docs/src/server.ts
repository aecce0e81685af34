import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { listen } from "@billing-api/cli-kit";

/** The built reference page: one self-contained HTML file (Redoc and the spec inlined). */
export const docsHtmlPath = fileURLToPath(new URL("./index.html", import.meta.url));

export interface DocsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the reference page at `/` (and `/index.html`) on loopback; anything else is a 404. */
export async function serveDocs(options: { host?: string; port?: number; file?: string } = {}): Promise<DocsServer> {
  const { host = "127.0.0.1", port = 4011, file = docsHtmlPath } = options;
  const html = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file} is missing (${error.code}): build the docs first with \`npm run build\`.`);
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if ((req.method === "GET" || req.method === "HEAD") && (path === "/" || path === "/index.html")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": html.length });
      res.end(req.method === "HEAD" ? undefined : html);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end(`Not found: ${path}. The API reference is at /.\n`);
  });
  return {
    url: await listen(server, port, host),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
