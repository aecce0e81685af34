/**
 * The skeleton every Billing API command line shares, so each CLI is a thin shell around its own
 * option table and usage text: read the options with node:util's `parseArgs`; answer `--help`,
 * `--version` and a usage mistake at once, before the caller imports anything heavy (this module
 * loads only Node's built-ins); check `--port` and `--host` values; and turn a failed listen into
 * the one line a user can act on.
 *
 * Exit status, the same in every command: 0 for `--help` and `--version`, 2 for bad usage (unknown
 * option, bad value), 1 when the command could not do its job (a busy port).
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A `parseArgs` option table. */
export type OptionTable = NonNullable<ParseArgsConfig["options"]>;

/** What the helper adds to every table (a table that declares either keeps its own, e.g. `-v`). */
const standardOptions = {
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", default: false },
} as const;

type Config<O extends OptionTable, P extends boolean> = { options: typeof standardOptions & O; allowPositionals: P; strict: true };

/** What `parseArgs` returns for a command's table: `values` typed from it, and the positionals. */
export type ParsedCommandLine<O extends OptionTable, P extends boolean = false> = ReturnType<typeof parseArgs<Config<O, P>>>;

export interface CommandSpec<O extends OptionTable, P extends boolean = false> {
  /** The command as the user types it; every message starts with it (`billing-mock: ...`). */
  name: string;
  /** What `--help` prints; starts `Usage: <name> `. */
  usage: string;
  /** The command's own options; `--help` (`-h`) and `--version` are added unless declared here. */
  options: O;
  /** Whether the command takes positional arguments (subcommands, files). */
  allowPositionals?: P;
  /** The calling package's package.json, `new URL("../package.json", import.meta.url)`; read only for `--version`. */
  packageJson: URL;
  /**
   * What follows a usage mistake: the whole usage (`"usage"`, the default, for a short usage text)
   * or a line pointing at `--help` (`"hint"`, for a usage too long to repeat under every mistake).
   */
  onMistake?: "usage" | "hint";
}

/** Something a command started and must close to let the process end: a server. */
export interface Closable {
  close(): Promise<unknown>;
}

/**
 * Why a server could not listen on `host:port`, in words a user can act on (no remedy: each
 * command names its own), or `undefined` when `error` is not a port problem.
 */
export function listenFailure(error: unknown, port: number, host: string): string | undefined {
  switch ((error as { code?: unknown } | null)?.code) {
    case "EADDRINUSE":
      return `port ${port} on ${host} is already in use`;
    case "EACCES":
      return `port ${port} on ${host} needs privileges this user does not have (ports below 1024 usually do)`;
    default:
      return undefined;
  }
}

/** Closes every server on SIGINT (Ctrl-C) or SIGTERM; with nothing left running, the process ends by itself. */
export function closeOnSignals(...servers: Closable[]): void {
  const stop = () => void Promise.all(servers.map((server) => server.close()));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** A port's text as a number, or `undefined` unless it is a whole number from 0 to 65535 (0: any free port). */
export function portNumber(text: string): number | undefined {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined;
}

/** Whether `text` can name a host to listen on: an IP address or a DNS name, not a URL or `host:port`. */
export function isHost(text: string): boolean {
  return isIP(text) !== 0 || /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(text);
}

/** One command line: its options read, its mistakes answered, its ports and hosts checked. */
export class Command<O extends OptionTable, P extends boolean = false> {
  readonly name: string;
  readonly usage: string;

  constructor(private readonly spec: CommandSpec<O, P>) {
    this.name = spec.name;
    this.usage = spec.usage;
  }

  /**
   * Reads `args` (default: this process's). Answers `--help` and `--version` (exit status 0) and a
   * mistake parseArgs finds (exit status 2) itself and returns `undefined`; otherwise returns what
   * the command should do.
   */
  read(args: string[] = process.argv.slice(2)): ParsedCommandLine<O, P> | undefined {
    let parsed: ParsedCommandLine<O, P>;
    try {
      const config = { args, options: { ...standardOptions, ...this.spec.options }, allowPositionals: this.spec.allowPositionals ?? false, strict: true };
      parsed = parseArgs(config as Config<O, P> & { args: string[] });
    } catch (error) {
      // parseArgs names the option, never an option's value (an API key stays out of the message).
      return this.refuse((error as Error).message, { usage: true });
    }
    const { help, version } = parsed.values as { help?: boolean; version?: boolean };
    if (help) {
      console.log(this.usage);
      process.exitCode = 0;
      return undefined;
    }
    if (version) {
      console.log((JSON.parse(readFileSync(this.spec.packageJson, "utf8")) as { version: string }).version);
      process.exitCode = 0;
      return undefined;
    }
    return parsed;
  }

  /**
   * Prints a usage mistake (`<name>: <message>`) and sets exit status 2; returns `undefined`, so a
   * caller can `return command.refuse(...)`. With `usage`, the usage (or the `--help` hint) follows;
   * a bad value is clear on its own, so without it only a hint-style command adds its hint.
   */
  refuse(message: string, { usage = false }: { usage?: boolean } = {}): undefined {
    const hint = this.spec.onMistake === "hint";
    const after = hint ? `\nRun ${this.name} --help for usage.` : usage ? `\n\n${this.usage}` : "";
    console.error(`${this.name}: ${message}${after}`);
    process.exitCode = 2;
    return undefined;
  }

  /** `text` as a port number, or `undefined` after refusing it; `option` names where it came from. */
  port(text: string, option = "--port"): number | undefined {
    const port = portNumber(text);
    return port ?? this.refuse(`${option} must be a whole number from 0 to 65535, got ${text}`);
  }

  /** `text` as a host to listen on, or `undefined` after refusing it (an empty host would mean every interface). */
  host(text: string, option = "--host"): string | undefined {
    return isHost(text) ? text : this.refuse(`${option} must be a host name or an IP address such as 127.0.0.1, got ${JSON.stringify(text)}`);
  }

  /** `--port` and `--host` from `values`, checked; `undefined` after refusing the first that is wrong. */
  address(values: { port: string; host: string }): { port: number; host: string } | undefined {
    const port = this.port(values.port);
    const host = port === undefined ? undefined : this.host(values.host);
    return port === undefined || host === undefined ? undefined : { port, host };
  }

  /**
   * Runs `start` (which may import the heavy parts) and closes what it started on SIGINT or SIGTERM.
   * When it fails, prints one line (a busy port says so and how to choose another) and sets exit
   * status 1; resolves to the server, or `undefined` when it did not start.
   */
  async serve<S extends Closable>(at: { port: number; host: string }, start: () => Promise<S>): Promise<S | undefined> {
    let server: S;
    try {
      server = await start();
    } catch (error) {
      const why = listenFailure(error, at.port, at.host);
      console.error(`${this.name}: ${why ? `${why}; choose another with --port.` : (error as Error).message}`);
      process.exitCode = 1;
      return undefined;
    }
    closeOnSignals(server);
    return server;
  }
}
