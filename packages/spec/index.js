// Where the bundled document lives, for tools that want a file path rather than an import.
import { fileURLToPath } from "node:url";

export const openapiJsonPath = fileURLToPath(new URL("./dist/openapi.json", import.meta.url));
export const openapiYamlPath = fileURLToPath(new URL("./dist/openapi.yaml", import.meta.url));
