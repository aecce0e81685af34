import type { TestProject } from "vitest/node";
import { clearContractLog } from "./contract-log.js";

/** The coverage project reads this run's contract records last, then removes them. */
export default function setup(project: TestProject) {
  const dir = project.config.provide.contractLog;
  return () => {
    if (dir) clearContractLog(dir);
  };
}
