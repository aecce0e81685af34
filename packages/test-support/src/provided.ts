// What the shared-mock globalSetup (mock-setup.ts) provides to every test file through `inject`.
declare module "vitest" {
  export interface ProvidedContext {
    /** The stateless mock (startMock()). */
    mockUrl: string;
    /** A stateful mock (startMock({ stateful: true })): each test file uses namespaces of its own. */
    statefulMockUrl: string;
  }
}

export {};
