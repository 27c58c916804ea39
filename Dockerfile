# syntax=docker/dockerfile:1
# The federation exporter image: `wire-federation verify --serve` (docs/monitoring.md).
# The release workflow builds and publishes it as ghcr.io/<owner>/<repository>:<package version>,
# the default of `monitoring.image`. Build it yourself:
#   docker build -t wire-federation-cdktf:local .

# Node 22 (LTS until 2027-04-30): Node 20 is end of life since 2026-04-30. The package itself
# still runs on Node >= 20 (package.json engines).
#
# The base image is pinned by digest (a tag moves; a digest is the image that was reviewed).
# To move to a newer node:22-bookworm-slim, take the digest of its multi-platform index:
#   docker buildx imagetools inspect node:22-bookworm-slim   (the "Digest:" line)
# and replace it in both FROM lines (Dependabot's docker ecosystem proposes the same update).

# Build: compile the package and pack it as npm would publish it.
FROM node:22-bookworm-slim@sha256:f32b81066cde10a75dbac96646099533316d94bac4150c55da1636e1f0ffdc46 AS build
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

# Run: the packed package, installed globally with its production dependencies only, as a
# non-root user. --omit=peer: cdktf, constructs and the providers are peer dependencies of the
# constructs; the CLI's `verify` (all this image runs) never loads them (bin/commands/index.ts
# loads only the command that runs; __tests__/package/production-install.test.ts installs the
# packed package this way and runs verify).
FROM node:22-bookworm-slim@sha256:f32b81066cde10a75dbac96646099533316d94bac4150c55da1636e1f0ffdc46
ENV NODE_ENV=production
# openssl: verify's calling checks make their DTLS handshakes with `openssl s_client -dtls1_2`
# (docs/verify-calling.md); the slim image has the library but not the program.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /pkg/ /tmp/pkg/
RUN npm install --global --omit=dev --omit=peer --no-audit --no-fund /tmp/pkg/*.tgz \
 && rm -rf /tmp/pkg \
 && npm cache clean --force
# uid 1000 is the image's "node" user; the Deployment runs it with runAsNonRoot.
USER 1000:1000
EXPOSE 9464
ENTRYPOINT ["wire-federation"]
CMD ["verify", "--help"]
