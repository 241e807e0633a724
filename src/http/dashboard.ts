import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import fastifyBasicAuth from "@fastify/basic-auth";
import type { Queue } from "bullmq";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { secretsMatch } from "./bearer.ts";

export const DASHBOARD_PATH = "/dashboard";

/** Bull Board for the queues, behind basic auth (any user name, the DASHBOARD_PASSWORD). */
export async function mountDashboard(app: FastifyInstance, queues: Queue[], password: string): Promise<void> {
  const dashboard: FastifyPluginAsync = async (scope) => {
    await scope.register(fastifyBasicAuth, {
      authenticate: { realm: "newsbell" },
      validate: async (_user, given) => {
        if (!secretsMatch(given, password)) throw new Error("wrong password");
      },
    });
    scope.addHook("onRequest", scope.basicAuth);
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  };
  await app.register(dashboard);
}
