import { createBillingClient } from "@billing-api/client";
import { exampleCall, namedMethod, operations, resolve } from "./spec.js";

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
 * Real client traffic: every operation called with the typed client's named method and its
 * examples' arguments, once for each documented status and named example (`Prefer` picks it).
 */
export async function sendDocumentedTraffic(baseUrl: string): Promise<number> {
  const client = createBillingClient({ baseUrl, apiKey: verifyApiKey, retry: false });
  let sent = 0;
  for (const { operationId, status, example } of documentedAnswers()) {
    const prefer = example ? `code=${status}, example=${example}` : `code=${status}`;
    const { response } = await namedMethod(client, operationId)(exampleCall(operationId).args, { headers: { Prefer: prefer } });
    if (response.status !== status) throw new Error(`${operationId} answered ${response.status} to Prefer: ${prefer}`);
    sent++;
  }
  return sent;
}
