import { createLogger } from "@stoplight/prism-core";
import { getHttpOperationsFromSpec, type IHttpConfig } from "@stoplight/prism-http";
import { createServer } from "@stoplight/prism-http-server";

export interface PrismServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Runs Prism in mock mode on `document`, on an ephemeral loopback port. Static examples only (the
 * first named example of a response, or the one picked with `Prefer: example=...`), so answers are
 * repeatable. With `errors`, a response that breaks its own schema becomes a 500 instead of a silent
 * pass: the mock checks the spec's examples on every request.
 */
export async function startPrism(document: string, options: { errors: boolean }): Promise<PrismServer> {
  const operations = await getHttpOperationsFromSpec(document);
  if (operations.length === 0) throw new Error(`${document} has no operations to mock.`);
  const config: IHttpConfig = {
    isProxy: false,
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: options.errors,
    upstreamProxy: undefined,
    mock: { dynamic: false },
  };
  const server = createServer(operations, {
    cors: false,
    config,
    components: { logger: createLogger("billing-mock", { level: "silent" }) },
  });
  const url = await server.listen(0, "127.0.0.1");
  return { url, close: () => server.close() };
}
