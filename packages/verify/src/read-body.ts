import type { IncomingMessage } from "node:http";

/**
 * A request's or an answer's whole body, refused (the stream destroyed with an error that says so)
 * once it passes `maxBytes` (the proxy and the webhook receiver hold bodies in memory), or when the
 * connection closes before it is whole.
 */
export function readBody(stream: IncomingMessage, maxBytes: number, what = "body"): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return void stream.destroy(new Error(`${what} larger than ${maxBytes} bytes`));
      chunks.push(chunk);
    });
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
    // A peer that hangs up mid-body ends the wait instead of leaving it open.
    stream.once("close", () => {
      if (!stream.complete) reject(new Error("the connection closed before the body arrived"));
    });
  });
}
