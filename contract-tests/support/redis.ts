export * from "@billing-api/test-support/redis";
