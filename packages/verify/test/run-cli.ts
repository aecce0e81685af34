import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built CLI, run as a user runs it. */
export const cli = fileURLToPath(new URL("../bin/billing-verify.js", import.meta.url));

/**
 * Preloaded with `--import`, it sends the process SIGINT the moment the CLI starts listening for
 * it: the signal then arrives while the spec is still loading, before any exchange.
 */
export const interruptAtStart = new URL("./interrupt-at-start.mjs", import.meta.url).href;

/** Runs `billing-verify ...args` to the end: its exit code and both outputs (`nodeArgs` go to node). */
export function runVerify(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, cli, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Starts `billing-verify proxy ...args`; resolves once it listens, with its URL and a stop() that sends SIGINT. */
export function startVerifyCli(args: string[]) {
  const child = spawn(process.execPath, [cli, "proxy", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the proxy did not start: ${stderr}`)), 60_000);
    child.stdout.on("data", () => {
      const url = /listening on (http:\/\/\S+?),/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    void exited.then(() => reject(new Error(`the proxy exited: ${stderr}`)));
  });
  return {
    listening,
    async stop() {
      child.kill("SIGINT");
      const code = await exited;
      return { code, stdout, stderr };
    },
  };
}
