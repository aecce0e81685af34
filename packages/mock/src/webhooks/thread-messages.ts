/**
 * What the mock's thread and its delivery thread (courier.ts) tell each other. A batch of webhooks
 * to deliver goes as one string, every field in turn between NUL characters: a string crosses
 * between threads as one copy, where arrays of arrays are walked and rebuilt item by item (in the
 * webhook benchmark, 0.82x of the throughput without an endpoint against 0.86x). A batch holding a
 * NUL of its own (a customer may send one) goes as the same fields in an array.
 */

/** One webhook to judge, encode, sign and send to one endpoint. */
export interface Job {
  /** Names this attempt in the reports (a webhook is attempted again on retry and replay). */
  ticket: number;
  /** The namespace's number (a reset namespace's connections are dropped by it). */
  namespace: number;
  endpointId: number;
  url: string;
  /** The webhook's id, in its body and its header. */
  id: number;
  event: string;
  /** The payload's fields after `id`: `event`, then `payload[...]`. */
  fields: [string, string][];
}

/** Reports from the delivery thread. */
export type Report =
  /** A batch was judged: every ticket up to `judged`; the payloads the judge refused, never sent. */
  | { judged: number; refused: [ticket: number, problems: string[]][] }
  /**
   * Attempts that ended, four numbers each: ticket, when it started and when it ended (real time,
   * ms), the endpoint's status (0 for none); `errors` holds why there was none ("" when there was).
   */
  | { outcomes: number[]; errors: string[] };

/** A message to the delivery thread other than a batch. */
export type Command = { drop: number };

const separator = "\u0000";

export function packJobs(jobs: Job[]): string | string[] {
  let text = "";
  let clean = true;
  for (const job of jobs) {
    text += `${text === "" ? "" : separator}${job.ticket}${separator}${job.namespace}${separator}${job.endpointId}${separator}${job.url}${separator}${job.id}${separator}${job.event}${separator}${job.fields.length}`;
    clean &&= !job.url.includes(separator);
    for (const [key, value] of job.fields) {
      text += `${separator}${key}${separator}${value}`;
      clean &&= !value.includes(separator);
    }
  }
  if (clean) return text;
  return jobs.flatMap((job) => [String(job.ticket), String(job.namespace), String(job.endpointId), job.url, String(job.id), job.event, String(job.fields.length), ...job.fields.flat()]);
}

export function unpackJobs(message: string | string[]): Job[] {
  const parts = typeof message === "string" ? message.split(separator) : message;
  const jobs: Job[] = [];
  let at = 0;
  // Seven parts, then two per field.
  while (at + 6 < parts.length) {
    const count = Number(parts[at + 6]);
    const fields: [string, string][] = new Array(count);
    for (let field = 0; field < count; field++) fields[field] = [parts[at + 7 + 2 * field]!, parts[at + 8 + 2 * field]!];
    jobs.push({ ticket: Number(parts[at]), namespace: Number(parts[at + 1]), endpointId: Number(parts[at + 2]), url: parts[at + 3]!, id: Number(parts[at + 4]), event: parts[at + 5]!, fields });
    at += 7 + 2 * count;
  }
  return jobs;
}
