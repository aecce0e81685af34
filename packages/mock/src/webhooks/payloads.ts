/**
 * Builds an event's form fields from the spec: the keys its webhook schema lists (through `allOf`),
 * in the schema's order, each looked up by its bracket path in a context of stored records
 * (`payload[subscription][customer][email]` is `context.subscription.customer.email`). What the
 * context lacks is left out; WebhookCheck then says whether what is left is a valid payload.
 */
import type { JsonSchema } from "@billing-api/conformance";
import { formValue, keyPath } from "./form.js";

export class PayloadBuilder {
  /** Per event: each payload key and its path under `payload`, parsed once. */
  private readonly keys = new Map<string, [string, string[]][]>();

  constructor(private readonly document: Record<string, unknown>) {
    const webhooks = (document.webhooks ?? {}) as Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } }>;
    for (const [event, item] of Object.entries(webhooks)) {
      const schema = item.post?.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema;
      if (schema) this.keys.set(event, [...new Set(this.propertiesOf(schema))].filter((key) => key !== "id" && key !== "event").map((key) => [key, keyPath(key).slice(1)]));
    }
  }

  /** The events the document describes. */
  get events(): string[] {
    return [...this.keys.keys()];
  }

  private resolve(schema: JsonSchema): JsonSchema {
    for (let hops = 0; schema.$ref && hops < 20; hops++) {
      schema = schema.$ref.slice(2).split("/").reduce<any>((node, key) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], this.document) ?? {};
    }
    return schema;
  }

  private propertiesOf(schema: JsonSchema): string[] {
    const resolved = this.resolve(schema);
    return [...(resolved.allOf ?? []).flatMap((part) => this.propertiesOf(part)), ...Object.keys(resolved.properties ?? {})];
  }

  /** `id`, `event`, then every payload key the context can fill, as [key, value] pairs. */
  fields(event: string, id: string, context: Record<string, unknown>): [string, string][] {
    const fields: [string, string][] = [["id", id], ["event", event]];
    for (const [key, path] of this.keys.get(event) ?? []) {
      let node: unknown = context;
      for (let step = 0; step < path.length && node !== undefined; step++) node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[path[step]!] : undefined;
      const value = formValue(node);
      if (value !== undefined) fields.push([key, value]);
    }
    return fields;
  }
}
