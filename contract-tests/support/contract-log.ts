import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { threadId } from "node:worker_threads";
import { expect, inject } from "vitest";

// The contract tests that ran in this run, for the coverage gate. Each contract test appends a line
// when it starts (one file per worker, so writers never share a file); the coverage project, which
// vitest runs after every other test (vitest.config.ts, sequence.groupOrder), reads them all.

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder this run's contract tests are recorded in (set in vitest.config.ts). */
    contractLog: string;
  }
}

export interface ContractRun {
  operationId: string;
  status: number;
  /** The test file, relative to contract-tests/. */
  file: string;
  /** The full test name, to count a test once however often it records. */
  test: string;
}

const contractTestsRoot = join(import.meta.dirname, "..");

/** Records that the running test is the contract test of `operationId` answering `status`. */
export function recordContract(operationId: string, status: number): void {
  const { testPath, currentTestName } = expect.getState();
  const entry: ContractRun = { operationId, status, file: relative(contractTestsRoot, testPath ?? "unknown"), test: currentTestName ?? "" };
  const dir = inject("contractLog");
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(entry)}\n`);
}

/** Every contract test recorded in this run, each once. */
export function contractRuns(dir: string = inject("contractLog")): ContractRun[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const runs = files.flatMap((file) => readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as ContractRun));
  return [...new Map(runs.map((run) => [`${run.file} ${run.test}`, run])).values()];
}

/** Removes this run's records (the coverage project's global teardown). */
export function clearContractLog(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
