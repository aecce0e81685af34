/**
 * `billing-verify webhooks`, behind the CLI's argument checks: load the spec's webhooks, receive
 * deliveries until Ctrl-C (or SIGTERM), print each violation as it arrives, then the reports and
 * the summary. Exit status as the other modes: 0 conforms, 1 violations, 2 bad input.
 */
import { readFile, writeFile } from "node:fs/promises";

export interface WebhooksRunOptions {
  port: number;
  host: string;
  sharedKey: string;
  forward?: URL | undefined;
  json?: string | undefined;
  junit?: string | undefined;
  spec?: string | undefined;
  quiet?: boolean;
}

function unreadable(message: string): 2 {
  console.error(`billing-verify: ${message}`);
  return 2;
}

export async function runWebhooks(options: WebhooksRunOptions): Promise<number> {
  const [{ WebhookCheck }, { openapiJsonPath }, receiving] = await Promise.all([import("@billing-api/conformance"), import("@billing-api/spec"), import("./webhooks.js")]);
  const redactor = receiving.sharedKeyRedactor(options.sharedKey);
  const say = (text: string) => console.log(redactor.redact(text));
  let check;
  try {
    check = new WebhookCheck(JSON.parse(await readFile(options.spec ?? openapiJsonPath, "utf8")) as Record<string, unknown>);
  } catch (error) {
    return unreadable(`cannot read the OpenAPI document ${options.spec}: ${error instanceof SyntaxError ? "it is not JSON" : (error as Error).message}`);
  }
  if (check.events.length === 0) return unreadable(`the OpenAPI document ${options.spec ?? openapiJsonPath} describes no webhooks`);

  let receiver;
  try {
    receiver = await receiving.startWebhookReceiver({
      check,
      sharedKey: options.sharedKey,
      host: options.host,
      port: options.port,
      ...(options.forward ? { forward: options.forward } : {}),
      onDelivery: (delivery) => {
        if (!options.quiet) say(`#${delivery.index} ${delivery.event ?? "(no event)"} ${delivery.id ?? "(no id)"} -> ${delivery.status}${delivery.violations.length ? ` (${delivery.violations.length} violation${delivery.violations.length === 1 ? "" : "s"})` : ""}`);
        for (const line of receiving.webhookFindingLines(delivery)) say(line);
      },
    });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    return unreadable(code === "EADDRINUSE" ? `port ${options.port} on ${options.host} is already in use; choose another with --port.` : (error as Error).message);
  }
  say(`billing-verify webhooks listening on ${receiver.url}${options.forward ? `, forwarding to ${options.forward.origin}${options.forward.pathname}` : ""}${options.quiet ? "" : "; Ctrl-C prints the summary"}`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await receiver.close();

  const extra = options.forward ? { forward: options.forward.origin, forwardFailures: receiver.forwardFailures } : {};
  try {
    if (options.json) await writeFile(options.json, redactor.redact(receiving.webhookJsonReport(receiver.deliveries, check.events, extra)));
    if (options.junit) await writeFile(options.junit, redactor.redact(receiving.webhookJunitReport(receiver.deliveries, check.events)));
  } catch (error) {
    return unreadable(`cannot write the report: ${(error as Error).message}`);
  }
  if (receiver.forwardFailures > 0) say(`Deliveries the app did not answer (a 502 went back): ${receiver.forwardFailures}`);
  const summary = receiving.webhookSummary(receiver.deliveries, check.events);
  say(receiving.webhookSummaryText(`billing-verify webhooks on ${receiver.url}`, summary));
  return summary.violations.total > 0 ? 1 : 0;
}
