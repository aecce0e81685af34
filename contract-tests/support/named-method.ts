import { operationTable, type BillingClient } from "@billing-api/client";

type LooseMethod = (args: object, options?: object) => Promise<{ data: unknown; error: { status: number; body: unknown } | undefined; response: Response }>;

/** An operation's named method on `client`, found through the generated operation table. */
export function namedMethod(client: BillingClient, operationId: string): LooseMethod {
  for (const [group, entries] of Object.entries(operationTable)) {
    if (operationId in entries) return (client as unknown as Record<string, Record<string, LooseMethod>>)[group]![operationId]!;
  }
  throw new Error(`${operationId} is not in the client's operation table.`);
}
