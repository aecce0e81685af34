import { exampleCall, operations, resolve } from "./spec.js";

/** The API key the verifier tests send; long and odd, so a search of any output cannot miss it. */
export const verifyApiKey = "vk_live_9Qe3TzR8yLm2Wp5Xc7Nb4Hd6";
export const basicToken = Buffer.from(`${verifyApiKey}:x`).toString("base64");

/** Every documented (operation, status, named example) of the bundled document. */
export function documentedAnswers(): { operationId: string; status: number; example?: string }[] {
  return operations.flatMap(({ operationId, operation }) =>
    Object.entries(operation.responses).flatMap(([status, declared]) => {
      const ref = (declared as { $ref?: string }).$ref;
      const response = ref ? resolve<typeof declared>(ref) : declared;
      const examples = Object.values(response.content ?? {}).flatMap((media) => Object.keys(media.examples ?? {}));
      return examples.length === 0 ? [{ operationId, status: Number(status) }] : examples.map((example) => ({ operationId, status: Number(status), example }));
    }),
  );
}

/**
 * Documented traffic: every operation called with its examples' arguments (path and required query
 * parameters, the first named body), once for each documented status and named example (`Prefer`
 * picks it). Sent as plain HTTP, as any client would send it, so the verifier's tests do not depend
 * on the typed client (the client's own traffic goes through billing-verify in contract-tests'
 * through-verify run).
 */
export async function sendDocumentedTraffic(baseUrl: string): Promise<number> {
  let sent = 0;
  for (const { operationId, status, example } of documentedAnswers()) {
    const prefer = example ? `code=${status}, example=${example}` : `code=${status}`;
    const { method, path, params, body } = exampleCall(operationId);
    const url = new URL(`${baseUrl}${path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params.path[name])))}`);
    for (const [name, value] of Object.entries(params.query)) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(Array.isArray(value) ? `${name}[]` : name, String(item));
    }
    const headers: Record<string, string> = { Authorization: `Basic ${basicToken}`, Accept: "application/json", Prefer: prefer };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    await response.arrayBuffer();
    if (response.status !== status) throw new Error(`${operationId} answered ${response.status} to Prefer: ${prefer}`);
    sent++;
  }
  return sent;
}
