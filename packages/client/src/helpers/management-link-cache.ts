import type { BillingClient } from "../client.js";
import type { OperationError } from "../errors.js";
import type { operations, PortalManagementLink } from "../generated/openapi.js";

type ReadLinkError = OperationError<operations["readBillingPortalLink"]>;

/**
 * A management link, and whether it came from the cache; or the API's documented error when there
 * is no link to fall back on. `newLinkAvailableAt` is when asking again can give a new URL.
 */
export type ManagementLinkResult =
  | { data: PortalManagementLink; fromCache: boolean; newLinkAvailableAt: string; error: undefined }
  | { data: undefined; error: ReadLinkError };

export interface ManagementLinkCache {
  /** The customer's management link: cached until its `new_link_available_at`, then fetched again. */
  get(customerId: number): Promise<ManagementLinkResult>;
  /** Forgets one customer's link, or every link. */
  clear(customerId?: number): void;
}

/**
 * Caches management links the way the API asks: the same URL comes back for 15 days and at most 15
 * fetches, so a link is reused until its `new_link_available_at` and only then fetched again (once,
 * however many callers ask at the same moment). A 429 returns the cached link with the time a new
 * one is available; without a cached link it is returned as the error.
 */
export function createManagementLinkCache(billing: Pick<BillingClient, "billingPortal">, options: { now?: () => number } = {}): ManagementLinkCache {
  const now = options.now ?? Date.now;
  const links = new Map<number, PortalManagementLink>();
  const pending = new Map<number, Promise<ManagementLinkResult>>();

  async function fetchLink(customerId: number): Promise<ManagementLinkResult> {
    // Retrying a 429 here would only spend more of the 15 fetches.
    const { data, error } = await billing.billingPortal.readBillingPortalLink({ customer_id: customerId }, { retry: false });
    const cached = links.get(customerId);
    if (data) {
      links.set(customerId, data);
      return { data, fromCache: false, newLinkAvailableAt: data.new_link_available_at, error: undefined };
    }
    if (error.status === 429 && cached) {
      return { data: cached, fromCache: true, newLinkAvailableAt: error.body.errors.new_link_available_at, error: undefined };
    }
    return { data: undefined, error };
  }

  return {
    get(customerId) {
      const cached = links.get(customerId);
      if (cached && now() < Date.parse(cached.new_link_available_at)) {
        return Promise.resolve({ data: cached, fromCache: true, newLinkAvailableAt: cached.new_link_available_at, error: undefined });
      }
      let request = pending.get(customerId);
      if (!request) {
        request = fetchLink(customerId).finally(() => pending.delete(customerId));
        pending.set(customerId, request);
      }
      return request;
    },
    clear(customerId) {
      if (customerId === undefined) links.clear();
      else links.delete(customerId);
    },
  };
}
