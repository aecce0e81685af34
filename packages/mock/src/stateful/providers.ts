/**
 * A store provider from its name on the command line or in `startMock`: `memory` (the default, this
 * process's memory) or `redis://HOST:PORT[/DB]` (shared by every mock process on that Redis).
 */
import { MemoryStoreProvider, type StoreProvider } from "./store.js";

export async function storeProvider(url: string): Promise<StoreProvider> {
  if (url === "memory") return new MemoryStoreProvider();
  if (!url.startsWith("redis://")) throw new Error(`The stateful store is memory or redis://HOST:PORT[/DB]; got ${JSON.stringify(url)}.`);
  // Loaded only when asked for: the in-memory mock never loads a Redis client.
  const { RedisStoreProvider } = await import("./redis-store.js");
  const provider = new RedisStoreProvider({ url });
  await provider.connected();
  return provider;
}
