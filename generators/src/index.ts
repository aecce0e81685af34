export { generateTypes, typeOptions } from "./types.js";
export { generateOperationTable, groupName, operationTableSource } from "./operations.js";
export { withExampleVariantsFirst } from "./example-variants.js";
export { generateCodeSamples, samplesFor, sampleOrigin, withCodeSamples, type CodeSample } from "./code-samples.js";
