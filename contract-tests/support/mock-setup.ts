import type { TestProject } from "vitest/node";
import { startMock } from "@billing-api/mock";

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

/** Starts the Billing API mock once for all test files and shares its URL through `inject("mockUrl")`. */
export default async function setup(project: TestProject) {
  const mock = await startMock({ port: 0, onRequest: (e) => console.error("REQ", JSON.stringify(e)) });
  project.provide("mockUrl", mock.url);
  return () => mock.close();
}
