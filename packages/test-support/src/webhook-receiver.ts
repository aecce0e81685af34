import { createServer, type IncomingHttpHeaders } from "node:http";

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook endpoint on 127.0.0.1 for tests: keeps every delivery (headers and raw body) and
 * answers `answer()`'s status. Its URL ends in /billing/webhooks.
 */
export async function webhookReceiver(answer: () => number = () => 200) {
  const deliveries: Delivery[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answer()).end();
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/billing/webhooks`,
    deliveries,
    /** Resolves once `count` deliveries have arrived. */
    async until(count: number): Promise<Delivery[]> {
      while (deliveries.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return deliveries.slice(0, count);
    },
    close: () => (server.closeAllConnections(), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
