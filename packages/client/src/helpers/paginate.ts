import type { CallOptions } from "../named.js";

/** A documented error on one page of a `paginate` run, thrown since an iterator has no `error`. */
export class BillingApiError extends Error {
  override name = "BillingApiError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly page: number,
  ) {
    super(`page ${page} answered ${status}`);
  }
}

type Page = { page?: number; per_page?: number };
type ItemOf<Data> = Data extends readonly (infer Item)[]
  ? Item
  : Data extends object
    ? { [K in keyof Data]: NonNullable<Data[K]> extends readonly (infer Item)[] ? Item : never }[keyof Data]
    : never;
type ListMethod<Args extends Page, Data> = (args: Args, options?: CallOptions) => Promise<{ data: Data | undefined; error: { status: number; body: unknown } | undefined }>;

/** The items of a page: a bare array, or the one array of a wrapper (`{"subscription_groups": [...], "meta": {...}}`). */
function itemsOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data === "object" && data !== null) return Object.values(data).find(Array.isArray) ?? [];
  return [];
}

/**
 * Every item of a paginated list operation, page by page (`page`, `per_page`), as an async iterator;
 * stops at a short or empty page. Typed from the method given:
 *
 * ```ts
 * for await (const { customer } of paginate(billing.customers.listCustomers, { per_page: 200 })) ...
 * ```
 */
export async function* paginate<Args extends Page, Data>(method: ListMethod<Args, Data>, args: Args, options?: CallOptions): AsyncGenerator<ItemOf<Data>, void, undefined> {
  let page = args.page ?? 1;
  let size = args.per_page;
  for (;;) {
    const { data, error } = await method({ ...args, page }, options);
    if (error) throw new BillingApiError(error.status, error.body, page);
    const items = itemsOf(data);
    yield* items as ItemOf<Data>[];
    size ??= items.length;
    if (items.length === 0 || items.length < size) return;
    page += 1;
  }
}
