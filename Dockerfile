# syntax=docker/dockerfile:1
# The federation exporter image: `wire-federation verify --serve` (docs/monitoring.md).
# The release workflow builds and publishes it as ghcr.io/<owner>/<repository>:<package version>,
# the default of `monitoring.image`. Build it yourself:
#   docker build -t wire-federation-cdktf:local .

# Node 22 (LTS until 2027-04-30): Node 20 is end of life since 2026-04-30. The package itself
# still runs on Node >= 20 (package.json engines).

# Build: compile the package and pack it as npm would publish it.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY bin ./bin
COPY charts ./charts
COPY monitoring ./monitoring
COPY docs ./docs
COPY CHANGELOG.md LICENSE ./
RUN npm run build && mkdir /pkg && npm pack --ignore-scripts --pack-destination /pkg

# Run: the packed package, installed globally without dev dependencies, as a non-root user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
COPY --from=build /pkg/ /tmp/pkg/
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/pkg/*.tgz \
 && rm -rf /tmp/pkg \
 && npm cache clean --force
# uid 1000 is the image's "node" user; the Deployment runs it with runAsNonRoot.
USER 1000:1000
EXPOSE 9464
ENTRYPOINT ["wire-federation"]
CMD ["verify", "--help"]
