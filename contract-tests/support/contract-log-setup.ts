import type { TestProject } from "vitest/node";
import { clearContractLog } from "./contract-log.js";

/** Starts the run's contract records empty (a process id can come round again). */
export default function setup(project: TestProject) {
  const dir = project.config.provide.contractLog;
  if (dir) clearContractLog(dir);
}
