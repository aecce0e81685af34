export { ApiHosts } from "./hosts.js";
export { checkHar, harEntries, harExchange, harDocument, harEntry, UnreadableInput, type HarExchange, type RecordedCall } from "./har.js";
export { walkLive, type LiveOptions, type LiveResult } from "./live.js";
export { startVerifyProxy, type ProxyOptions, type VerifyProxy } from "./proxy.js";
export { Redactor } from "./redact.js";
export { findingLine, jsonReport, junitReport, refusalLine, summaryText } from "./report.js";
export { controlRouteReason, Verifier, type DocumentedRefusal, type ExchangeRef, type Finding, type Summary, type VerifierOptions } from "./verifier.js";
export {
  startWebhookReceiver,
  webhookFindingLines,
  webhookJsonReport,
  webhookJunitReport,
  webhookSummary,
  webhookSummaryText,
  type ReceivedWebhook,
  type WebhookReceiver,
  type WebhookReceiverOptions,
  type WebhookSummary,
} from "./webhooks.js";
