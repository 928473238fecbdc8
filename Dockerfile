# One image for every lakestream service; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev
ENV NODE_ENV=production
CMD ["node", "services/etl/dist/main.js"]
