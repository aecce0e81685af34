import { writeFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { ConformanceCheck, startMock } from "@billing-api/mock";
import { ApiHosts, findingLine, jsonReport, startVerifyProxy, summaryText, Verifier } from "@billing-api/verify";

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

/**
 * The contract tests' traffic through billing-verify: the mock with the verifier's proxy in front,
 * shared as `mockUrl`. At the end it prints where the mock's answers disagree with the spec (the
 * requests that tests send invalid on purpose are reported too, as request violations), and writes
 * the JSON report to $VERIFY_TRAFFIC_REPORT if set. Run with `npm run test:through-verify`.
 */
export default async function setup(project: TestProject) {
  const mock = await startMock({ port: 0 });
  const upstream = new URL(mock.url);
  const verifier = new Verifier(await ConformanceCheck.load(), ApiHosts.fromBaseUrls([upstream]));
  const proxy = await startVerifyProxy({ upstream, verifier });
  project.provide("mockUrl", proxy.url);
  return async () => {
    await proxy.close();
    await mock.close();
    const answers = verifier.findings.filter((finding) => finding.part.startsWith("response"));
    console.log(`\nThe mock's answers that break the spec: ${answers.length}`);
    for (const finding of answers) console.log(`  ${findingLine(finding)}`);
    console.log(summaryText("Contract tests' traffic through billing-verify", verifier.summary()));
    if (process.env.VERIFY_TRAFFIC_REPORT) writeFileSync(process.env.VERIFY_TRAFFIC_REPORT, jsonReport("proxy", verifier));
  };
}
