/**
 * Which URLs are the API's. By default, those of the spec's `servers` (`https://{subdomain}.chargify.com`,
 * the EU domain, the local mock); with `--base-url`, that one. A HAR from a browser holds the page's
 * fonts and analytics too: those are skipped and counted, never checked.
 */
interface Server {
  origin: RegExp;
  /** The base path the API's paths follow (`""`, or `/billing` on a gateway). */
  basePath: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export class ApiHosts {
  private constructor(private readonly servers: Server[]) {}

  /** The spec's servers, each `{variable}` matching its enum or any one host label. */
  static fromDocument(document: { servers?: { url: string; variables?: Record<string, { enum?: string[] }> }[] }): ApiHosts {
    return new ApiHosts(
      (document.servers ?? []).flatMap((server) => {
        let url: URL;
        try {
          url = new URL(server.url.replace(/\{([^}]+)\}/g, "x"));
        } catch {
          return [];
        }
        const basePath = url.pathname.replace(/\/$/, "");
        const origin = server.url.slice(0, server.url.length - (basePath.length > 0 ? basePath.length : 0)).replace(/\/$/, "");
        const source = origin
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return escapeRegExp(part.toLowerCase());
            const choices = server.variables?.[name]?.enum;
            return choices?.length ? `(?:${choices.map(escapeRegExp).join("|")})` : "[^./:]+";
          })
          .join("");
        return [{ origin: new RegExp(`^${source}$`, "i"), basePath }];
      }),
    );
  }

  /** Exactly the given base URLs (`https://staging.example.com/billing`). */
  static fromBaseUrls(baseUrls: URL[]): ApiHosts {
    return new ApiHosts(baseUrls.map((url) => ({ origin: new RegExp(`^${escapeRegExp(url.origin)}$`, "i"), basePath: url.pathname.replace(/\/$/, "") })));
  }

  /** The request target (path and query) within the API, or undefined for another host. */
  targetOf(url: URL): string | undefined {
    for (const server of this.servers) {
      if (!server.origin.test(url.origin)) continue;
      if (server.basePath && !(url.pathname === server.basePath || url.pathname.startsWith(`${server.basePath}/`))) continue;
      return url.pathname.slice(server.basePath.length) + url.search;
    }
    return undefined;
  }
}
