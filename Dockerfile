# One image for both processes: `node apps/api/dist/main.js` or `node apps/worker/dist/main.js`.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN npm install --global pnpm@10.34.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATABASE_PATH=/data/onc-orders.sqlite DOWNLOAD_DIR=/downloads HOST=0.0.0.0 PORT=3000
COPY --from=build /app /app
VOLUME ["/data", "/downloads"]
EXPOSE 3000
USER node
CMD ["node", "apps/api/dist/main.js"]
