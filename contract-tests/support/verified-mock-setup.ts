import { writeFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { ConformanceCheck } from "@billing-api/conformance";
import { startMock } from "@billing-api/mock";
import { ApiHosts, findingLine, jsonReport, startVerifyProxy, summaryText, Verifier } from "@billing-api/verify";

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

/**
 * The contract tests' traffic through billing-verify: the mock with the verifier's proxy in front,
 * shared as `mockUrl`, and a stateful mock behind a proxy of its own, as `statefulMockUrl`. At the
 * end it prints the summary and every answer of the mocks that breaks the spec, and fails the run if
 * there is one. (Requests that tests send invalid on purpose are the point of those tests: refused
 * as documented, or counted as request violations.) The JSON report goes to $VERIFY_TRAFFIC_REPORT if set.
 */
export default async function setup(project: TestProject) {
  // VERIFY_UPSTREAM puts another server behind the proxy (the stateful mock, say) instead of this one.
  const mock = process.env.VERIFY_UPSTREAM ? { url: process.env.VERIFY_UPSTREAM, close: async () => {} } : await startMock({ port: 0 });
  const upstream = new URL(mock.url);
  // One judge for both proxies: its schemas load and compile once.
  const check = await ConformanceCheck.load();
  const verifier = new Verifier(check, ApiHosts.fromBaseUrls([upstream]));
  const proxy = await startVerifyProxy({ upstream, verifier });
  project.provide("mockUrl", proxy.url);
  // The stateful mock's traffic (the life cycle's stateful run), checked by a verifier of its own.
  const stateful = await startMock({ port: 0, stateful: true });
  const statefulUpstream = new URL(stateful.url);
  const statefulVerifier = new Verifier(check, ApiHosts.fromBaseUrls([statefulUpstream]));
  const statefulProxy = await startVerifyProxy({ upstream: statefulUpstream, verifier: statefulVerifier });
  project.provide("statefulMockUrl", statefulProxy.url);
  return async () => {
    await Promise.all([proxy.close(), statefulProxy.close()]);
    await Promise.all([mock.close(), stateful.close()]);
    // (The stateful run's control routes, /__mock/..., are skipped and counted: not the API's paths.)
    const answers = [...verifier.findings, ...statefulVerifier.findings].filter((finding) => finding.part.startsWith("response"));
    console.log(`\nThe mock's answers that break the spec: ${answers.length}`);
    for (const finding of answers) console.log(`  ${findingLine(finding)}`);
    console.log(summaryText("Contract tests' traffic through billing-verify", verifier.summary()));
    if (process.env.VERIFY_TRAFFIC_REPORT) writeFileSync(process.env.VERIFY_TRAFFIC_REPORT, jsonReport("proxy", verifier));
    // Tests send invalid requests on purpose; the mock's answers must all conform.
    // (vitest ignores an error thrown here, so the exit status says it.)
    if (answers.length > 0) {
      console.error(`billing-verify found ${answers.length} answers of the mock that break the spec (listed above).`);
      process.exitCode = 1;
    }
  };
}
