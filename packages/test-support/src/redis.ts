import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * A real Redis for the shared-store tests: Debian's `redis-server` (`npm run setup` installs it), on
 * a free loopback port, in a temporary folder, appending every write to its log so that a restart
 * keeps the data; stopped by its PID. Without one the tests skip themselves and say so.
 */
export const redisServerPath = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/sbin"]
  .map((folder) => join(folder, "redis-server"))
  .find((path) => existsSync(path));

export const noRedisMessage = "no redis-server on this machine (npm run setup installs Debian's): the Redis store tests are skipped";

export interface RedisServer {
  /** `redis://127.0.0.1:PORT/0`, for `--store`. */
  url: string;
  port: number;
  /** Stops it (SIGTERM: it writes its log out first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder, with the data it had. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether Redis answers PING on the port. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(1_000);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  if (!redisServerPath) throw new Error(noRedisMessage);
  const dir = mkdtempSync(join(tmpdir(), "billing-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      redisServerPath,
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--daemonize", "no", "--loglevel", "warning"],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    child = started;
    const exited = new Promise<never>((_, reject) => started.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`))));
    for (let i = 0; i < 300; i += 1) {
      if (await Promise.race([pong(port), exited])) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    process.kill(running.pid!, "SIGTERM");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
