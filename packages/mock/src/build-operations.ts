/**
 * The mock's build step after the compiler: derives Prism's operations of the bundled document
 * (@billing-api/spec) and saves them beside the compiled mock (prism-operations.ts), so that a mock
 * of that document does not derive them again at every start.
 */
import { relative } from "node:path";
import { openapiJsonPath } from "@billing-api/spec";
import { saveOperations } from "./prism-operations.js";

const saved = await saveOperations(openapiJsonPath);
console.log(`Saved Prism's operations of ${relative(process.cwd(), openapiJsonPath)} to ${relative(process.cwd(), saved)}.`);
