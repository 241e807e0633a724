import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import fastifyBasicAuth from "@fastify/basic-auth";
import type { Queue } from "bullmq";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { secretsMatch } from "./bearer.ts";

export const DASHBOARD_PATH = "/dashboard";

const READS = new Set(["GET", "HEAD"]);

/**
 * Bull Board for the queues, behind basic auth (any user name, the DASHBOARD_PASSWORD), to look
 * at queues and jobs only. A write there bypasses every check of the product: a hand-made
 * deliver job reaches any chat ids, and a failed delivery retried after the 48 h ledger is gone
 * alerts its readers a second time.
 */
export async function mountDashboard(app: FastifyInstance, queues: Queue[], password: string): Promise<void> {
  const dashboard: FastifyPluginAsync = async (scope) => {
    await scope.register(fastifyBasicAuth, {
      authenticate: { realm: "newsbell" },
      validate: async (_user, given) => {
        if (!secretsMatch(given, password)) throw new Error("wrong password");
      },
    });
    scope.addHook("onRequest", scope.basicAuth);
    // Bull Board's read-only mode guards the routes it knows today; this guards any it adds later.
    scope.addHook("onRequest", async (request, reply) => {
      if (!READS.has(request.method)) {
        await reply
          .code(405)
          .header("allow", "GET, HEAD")
          .send({ error: "the queue dashboard is read-only" });
      }
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
      serverAdapter,
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  };
  await app.register(dashboard);
}
