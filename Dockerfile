# syntax=docker/dockerfile:1
# One image for every role: `newsbell start --role bot|worker|all`.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY jobs ./jobs
COPY locales ./locales
COPY data ./data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/newsbell.js"]
CMD ["start", "--role", "all"]
