# One image for both the API and the worker (the command picks which): compiled JavaScript, production
# dependencies only, run as the unprivileged `node` user. The network sandboxes are left out unless
# built with `--build-arg ADTRACK_SANDBOXES=true` (then `node dist/src/sandboxes/main.js` runs them).

# Build: every dependency (TypeScript, tsx), `npm run build` → dist/ + dist/workflow-bundle.js.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
ARG ADTRACK_SANDBOXES=false
RUN npm run build && if [ "$ADTRACK_SANDBOXES" != "true" ]; then rm -rf dist/src/sandboxes; fi

# Runtime: production dependencies and the build output, nothing else.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/src/api/main.js"]
