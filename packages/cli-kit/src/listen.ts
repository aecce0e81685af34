/**
 * What `listen` needs of a server: `node:http`'s `Server` has it. Stated here instead of importing
 * that type, so the mock's declarations compile for a consumer without `@types/node`.
 */
export interface ListeningServer {
  once(event: "error", listener: (error: Error) => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
  listen(port: number, host: string, callback: () => void): unknown;
  address(): { address: string; family: string; port: number } | string | null;
}

/**
 * Listens on `host:port` (0 picks a free port) and resolves to the base URL a client should use;
 * rejects with the listen error (a busy port) instead of leaving it to an `error` event.
 */
export async function listen(server: ListeningServer, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as { address: string; family: string; port: number };
  return `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
}
