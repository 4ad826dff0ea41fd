# durabricks worker (and, with another command, the emulator). Runs the TypeScript sources
# through tsx exactly as `npm start` does, so the image and the dev stack cannot drift apart.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./
# The emulator's --data-dir volume mounts here; owned by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
# Prometheus scrape endpoint of the worker runtime (DURABRICKS_METRICS_ADDRESS).
EXPOSE 9464
ENTRYPOINT ["node", "bin/durabricks.js"]
CMD ["worker"]
