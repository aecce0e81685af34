import { afterAll } from "vitest";
import { closeNamespaces } from "./stateful.js";

// A setupFile: runs for every test file, so the namespaces a file opened on the stateful mock are
// dropped when it ends, whether or not the worker keeps modules between files.
afterAll(closeNamespaces);
