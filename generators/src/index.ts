export { generateTypes, typeOptions } from "./types.js";
