/**
 * The stateful mock's control routes, under the reserved prefix `/__mock/` (never part of the API):
 * `POST /__mock/reset` (back to the seeds), `GET /__mock/state` (the namespace's resources) and
 * `POST /__mock/clock` (`{"now": "<date-time>"}` or `{"advance_seconds": N}`). The `Mock-Namespace`
 * header picks the namespace, as on every other request.
 */
import { controlPrefix } from "@billing-api/conformance";
import { iso } from "./call.js";
import type { StatefulEngine } from "./engine.js";
import { isObject } from "./schema.js";

export { controlPrefix };

export interface ControlAnswer {
  status: number;
  body?: unknown;
  allow?: string;
}

const routes: Record<string, string> = { reset: "POST", state: "GET", clock: "POST" };

const refuse = (status: number, message: string, allow?: string): ControlAnswer => ({ status, body: { errors: [message] }, ...(allow ? { allow } : {}) });

/** Answers a control route; `engine` is undefined in stateless mode, which has no state to control. */
export async function control(engine: StatefulEngine | undefined, method: string, path: string, namespace: string, body: unknown): Promise<ControlAnswer> {
  const name = path.slice(controlPrefix.length);
  if (!engine) {
    return refuse(404, `${path} is a control route of the stateful mock; start it with --stateful (startMock({ stateful: true })) to use it.`);
  }
  const wanted = routes[name];
  if (!wanted) return refuse(404, `No control route ${path}; there are POST /__mock/reset, GET /__mock/state and POST /__mock/clock.`);
  if (method !== wanted && !(wanted === "GET" && method === "HEAD")) return refuse(405, `${path} takes ${wanted}.`, wanted);

  if (name === "reset") {
    await engine.reset(namespace);
    return { status: 204 };
  }
  if (name === "state") {
    return engine.inTurn(namespace, async (store) => {
      return { status: 200, body: { namespace, now: iso(await store.clock.now()), resources: await store.dump() } };
    });
  }
  const now = isObject(body) ? body.now : undefined;
  const advance = isObject(body) ? body.advance_seconds : undefined;
  if (typeof now === "string" && advance === undefined && !Number.isNaN(Date.parse(now)) && /^\d{4}-\d\d-\d\dT/.test(now)) {
    return engine.inTurn(namespace, async (store) => {
      await store.clock.set(new Date(now));
      return { status: 200, body: { namespace, now: iso(await store.clock.now()) } };
    });
  }
  if (typeof advance === "number" && Number.isFinite(advance) && now === undefined) {
    return engine.inTurn(namespace, async (store) => {
      await store.clock.advance(advance);
      return { status: 200, body: { namespace, now: iso(await store.clock.now()) } };
    });
  }
  return refuse(422, 'POST /__mock/clock takes {"now": "<ISO date-time>"} or {"advance_seconds": <number>}, one of them.');
}
