/**
 * The mock's side of its delivery thread (courier.ts): started at the first webhook to send, handed
 * batches of them, and read back for what the judge refused and how each attempt ended. The thread
 * never keeps the process alive, and a thread that stops (a bug in it) fails the attempts it held,
 * which are retried as any failed attempt is, by a new thread.
 */
import { Worker } from "node:worker_threads";
import type { CourierData } from "./courier.js";
import type { Outcome } from "./delivery.js";
import { packJobs, type Command, type Job, type Report } from "./thread-messages.js";

export interface DeliveryReports {
  /** The judge refused the ticket's payload: it was not sent. */
  refused(ticket: number, problems: string[]): void;
  /** The ticket's attempts that ended, with when each started and ended (real time, ms). */
  ended(attempts: { ticket: number; startedAt: number; endedAt: number; outcome: Outcome }[]): void;
  /** The thread stopped with these tickets unreported. */
  stopped(tickets: number[], reason: string): void;
}

export class DeliveryThread {
  private worker?: Worker;
  private nextTicket = 1;
  /** Tickets handed to the thread and not yet reported ended or refused. */
  private readonly open = new Set<number>();
  /** The last ticket handed over, and the last one the thread has judged. */
  private posted = 0;
  private judged = 0;
  private readonly judging: { ticket: number; wake: () => void }[] = [];
  private closed = false;

  constructor(
    private readonly data: () => CourierData,
    private readonly reports: DeliveryReports,
    /** The thread's script: the courier (a test gives one that stops). */
    private readonly script: URL = new URL("./courier.js", import.meta.url),
  ) {}

  /** Hands webhooks to the thread, in order; their tickets, in the same order. */
  send(jobs: Omit<Job, "ticket">[]): number[] {
    if (this.closed || jobs.length === 0) return [];
    // Tickets in a row, from the first: the batch carries the first one only.
    const first = this.nextTicket;
    this.nextTicket += jobs.length;
    const tickets = jobs.map((_, index) => first + index);
    for (const ticket of tickets) this.open.add(ticket);
    this.posted = tickets.at(-1)!;
    let worker: Worker;
    try {
      worker = this.start();
    } catch (error) {
      // No thread to be had: these attempts fail as a stopped thread's do, and are retried.
      for (const ticket of tickets) this.open.delete(ticket);
      setImmediate(() => this.reports.stopped(tickets, error instanceof Error ? error.message : String(error)));
      return tickets;
    }
    worker.postMessage(packJobs(jobs, first));
    return tickets;
  }

  /** Drops a namespace's queues and connections in the thread, and its open tickets here (they are no longer reported). */
  drop(namespace: number, tickets: Iterable<number>): void {
    for (const ticket of tickets) this.open.delete(ticket);
    this.worker?.postMessage({ drop: namespace } satisfies Command);
  }

  /** Resolves once the thread has judged every webhook handed to it so far. */
  async allJudged(): Promise<void> {
    if (this.judged >= this.posted || !this.worker) return;
    const ticket = this.posted;
    await new Promise<void>((wake) => this.judging.push({ ticket, wake }));
  }

  close(): void {
    this.closed = true;
    void this.worker?.terminate();
    this.worker = undefined;
    this.wakeJudged(Infinity);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    // Webhooks still queued never hold the process open: closing the mock ends them.
    worker.unref();
    worker.on("message", (report: Report) => this.read(report));
    let reason = "it stopped";
    worker.on("error", (error) => void (reason = error.message));
    worker.on("exit", () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const lost = [...this.open];
      this.open.clear();
      this.wakeJudged(Infinity);
      if (!this.closed && lost.length > 0) this.reports.stopped(lost, reason);
    });
    this.worker = worker;
    return worker;
  }

  /**
   * The thread, with the process's flags. A thread inherits them as they are, V8's own included
   * (`--max-old-space-size`), but refuses `--input-type` (a mock started from
   * `node --input-type=module -e`); flags given to it explicitly may not hold V8's, so without
   * `--input-type` it is given none of its own, and with V8's beside it, none at all.
   */
  private spawn(): Worker {
    const options = { workerData: this.data() };
    if (!process.execArgv.some((flag) => flag.startsWith("--input-type"))) return new Worker(this.script, options);
    try {
      return new Worker(this.script, { ...options, execArgv: process.execArgv.filter((flag) => !flag.startsWith("--input-type")) });
    } catch {
      return new Worker(this.script, { ...options, execArgv: [] });
    }
  }

  private read(report: Report): void {
    if ("judged" in report) {
      for (const [ticket, problems] of report.refused) if (this.open.delete(ticket)) this.reports.refused(ticket, problems);
      this.judged = Math.max(this.judged, report.judged);
      this.wakeJudged(this.judged);
      return;
    }
    const ended: Parameters<DeliveryReports["ended"]>[0] = [];
    for (let index = 0; index < report.errors.length; index++) {
      const at = 4 * index;
      const ticket = report.outcomes[at]!;
      if (!this.open.delete(ticket)) continue;
      const error = report.errors[index]!;
      ended.push({ ticket, startedAt: report.outcomes[at + 1]!, endedAt: report.outcomes[at + 2]!, outcome: error ? { error } : { status: report.outcomes[at + 3]! } });
    }
    if (ended.length > 0) this.reports.ended(ended);
  }

  private wakeJudged(upTo: number): void {
    for (let index = this.judging.length - 1; index >= 0; index--) {
      const waiting = this.judging[index]!;
      if (waiting.ticket <= upTo) this.judging.splice(index, 1), waiting.wake();
    }
  }
}
