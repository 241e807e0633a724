import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { DateTime } from "luxon";
import { type PublishDeps, publishArticle } from "../delivery/publish-article.ts";
import type { Metrics } from "../metrics.ts";
import { bearerMatches } from "./bearer.ts";

/** POST /articles: the ingest API, behind INGEST_TOKEN. */
export function ingestRoute(token: string, publish: PublishDeps, metrics: Metrics): FastifyPluginAsync {
  return async (app) => {
    // The token is checked before the body is read, so a caller without it learns nothing else.
    const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        await reply
          .status(401)
          .header("www-authenticate", "Bearer")
          .send({ error: "missing or wrong bearer token" });
      }
    };
    app.post("/articles", { onRequest: requireToken }, async (request, reply) => {
      const result = await publishArticle(request.body, publish, DateTime.utc());
      metrics.articlesIngested.inc({ source: "api", result: result.status });
      if (result.status === "invalid")
        return reply.status(400).send({ status: "invalid", errors: result.errors });
      if (result.status === "duplicate")
        return reply.status(200).send({ id: result.id, status: "duplicate" });
      return reply.status(202).send({ id: result.id, status: "queued" });
    });
  };
}
