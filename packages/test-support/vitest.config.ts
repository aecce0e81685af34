import { testConfig } from "./src/vitest-config.js";

// The helpers' own tests: the closing summary line on a fixture run.
export default testConfig();
