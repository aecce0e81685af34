// The benchmark's server: one fixed JSON answer, in its own process so it does not share the
// client's event loop. Prints its port.
import { createServer } from "node:http";

const body = JSON.stringify({
  url: "https://www.billingportal.com/manage/150/1795210812/5c0e2a97f31d48b6",
  fetch_count: 1,
  created_at: "2026-11-21T10:00:00-05:00",
  new_link_available_at: "2026-12-06T10:00:00-05:00",
  expires_at: "2027-01-25T10:00:00-05:00",
  last_invite_sent_at: null,
});
const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
