// node --import ./record-imports.mjs ...: appends the URL of every module the process imports to
// the file named by RECORD_IMPORTS_FILE, so a test can see what a command loaded before it answered.
import { register } from "node:module";

register("./record-imports-hook.mjs", import.meta.url);
