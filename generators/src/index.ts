export { generateTypes, typeOptions } from "./types.js";
export { generateOperationTable, groupName, operationTableSource } from "./operations.js";
