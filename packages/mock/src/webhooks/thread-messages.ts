/**
 * What the mock's thread and its delivery thread (courier.ts) tell each other. A batch of webhooks
 * to deliver goes as one string, each webhook's parts in turn between NUL characters: a string
 * crosses between threads as one copy, where arrays of arrays are walked and rebuilt item by item
 * (in the webhook benchmark, 0.82x of the throughput without an endpoint against 0.86x). Each
 * payload goes as the JSON of the records it is read from, which holds no NUL character (JSON
 * escapes it); a batch whose endpoint URL holds one goes as the same parts in an array.
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
  /** The JSON of the records the payload is read from, as they were when the event happened (PayloadBuilder). */
  context: string;
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

/** The jobs, their tickets counted from `firstTicket`. */
export function packJobs(jobs: Omit<Job, "ticket">[], firstTicket: number): string | string[] {
  let text = "";
  let clean = true;
  let ticket = firstTicket;
  for (const job of jobs) {
    text += `${text === "" ? "" : separator}${ticket++}${separator}${job.namespace}${separator}${job.endpointId}${separator}${job.url}${separator}${job.id}${separator}${job.event}${separator}${job.context}`;
    clean &&= !job.url.includes(separator);
  }
  if (clean) return text;
  return jobs.flatMap((job, index) => [String(firstTicket + index), String(job.namespace), String(job.endpointId), job.url, String(job.id), job.event, job.context]);
}

export function unpackJobs(message: string | string[]): Job[] {
  const parts = typeof message === "string" ? message.split(separator) : message;
  const jobs: Job[] = [];
  for (let at = 0; at + 6 < parts.length; at += 7) {
    jobs.push({ ticket: Number(parts[at]), namespace: Number(parts[at + 1]), endpointId: Number(parts[at + 2]), url: parts[at + 3]!, id: Number(parts[at + 4]), event: parts[at + 5]!, context: parts[at + 6]! });
  }
  return jobs;
}
