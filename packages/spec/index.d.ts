/** Absolute path of the bundled OpenAPI document, as JSON. */
export declare const openapiJsonPath: string;
/** Absolute path of the bundled OpenAPI document, as YAML. */
export declare const openapiYamlPath: string;
