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

const routes: Record<string, string[]> = { reset: ["POST"], state: ["GET"], clock: ["GET", "POST"] };

/** The clock reaches no further than the last time the API's date-times can write. */
const endOfTime = Date.parse("9999-12-31T23:59:59Z");

const refuse = (status: number, message: string, allow?: string): ControlAnswer => ({ status, body: { errors: [message] }, ...(allow ? { allow } : {}) });

/** Answers a control route; `engine` is undefined in stateless mode, which has no state to control. */
export async function control(engine: StatefulEngine | undefined, method: string, path: string, namespace: string, body: unknown): Promise<ControlAnswer> {
  const name = path.slice(controlPrefix.length);
  if (!engine) {
    return refuse(404, `${path} is a control route of the stateful mock; start it with --stateful (startMock({ stateful: true })) to use it.`);
  }
  const wanted = routes[name];
  if (!wanted) return refuse(404, `No control route ${path}; there are POST /__mock/reset, GET /__mock/state, GET /__mock/clock and POST /__mock/clock.`);
  const allowed = wanted.includes(method) || (wanted.includes("GET") && method === "HEAD");
  if (!allowed) return refuse(405, `${path} takes ${wanted.join(" or ")}.`, wanted.join(", "));

  if (name === "reset") {
    await engine.reset(namespace);
    return { status: 204 };
  }
  if (name === "state") {
    return engine.inTurn(namespace, async (store) => {
      return { status: 200, body: { namespace, now: iso(await store.clock.now()), resources: await store.dump() } };
    });
  }
  if (method !== "POST") {
    return engine.inTurn(namespace, async (store) => ({ status: 200, body: { namespace, now: iso(await store.clock.now()) } }));
  }
  const now = isObject(body) ? body.now : undefined;
  const advance = isObject(body) ? body.advance_seconds : undefined;
  let target: ((current: Date) => Date) | undefined;
  if (typeof now === "string" && advance === undefined && !Number.isNaN(Date.parse(now)) && /^\d{4}-\d\d-\d\dT/.test(now)) {
    const wantedTime = Date.parse(now);
    target = (current) => {
      // A second's grace: the clock runs on between a test's reads and sets.
      if (wantedTime < current.getTime() - 1000) {
        throw new ClockBackwards(`Clocks move forward only (as Stripe's test clocks do); the namespace is at ${iso(current)}, ${now} is before it. POST /__mock/reset starts it again at real time.`);
      }
      return new Date(Math.max(wantedTime, current.getTime()));
    };
    if (wantedTime > endOfTime) return refuse(422, `The clock reaches no further than 9999-12-31T23:59:59Z; got ${now}.`);
  } else if (typeof advance === "number" && Number.isFinite(advance) && now === undefined) {
    if (advance < 0) return refuse(422, `Clocks move forward only (as Stripe's test clocks do); advance_seconds was ${advance}. POST /__mock/reset starts the namespace again at real time.`);
    target = (current) => new Date(Math.min(current.getTime() + advance * 1000, endOfTime));
  }
  if (!target) return refuse(422, 'POST /__mock/clock takes {"now": "<ISO date-time>"} or {"advance_seconds": <number>}, one of them.');
  try {
    return { status: 200, body: await engine.moveClock(namespace, target) };
  } catch (error) {
    if (error instanceof ClockBackwards) return refuse(422, error.message);
    throw error;
  }
}

/** A clock set before its namespace's now: refused, as time moves forward only. */
export class ClockBackwards extends Error {}
