import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Listens on `host:port` (0 picks a free port) and resolves to the base URL a client should use;
 * rejects with the listen error (a busy port) instead of leaving it to an `error` event.
 */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
}
