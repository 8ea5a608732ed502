# syntax=docker/dockerfile:1
# Linegate's image: built with Maven on a JDK, run on a JRE as a non-root user (docs/operations.md, "Running in
# Docker"). Build: docker build --build-arg LINEGATE_COMMIT="$(git rev-parse HEAD)" -t linegate .
# The build context has no .git (.dockerignore), so the commit that `linegate --version` and linegate_build_info
# show comes from LINEGATE_COMMIT; without it they say "commit unknown". The tests are not run here: scripts/test
# runs them (they start embedded PostgreSQL and need more than an image build should).

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# the dependencies and plugins first, in a layer of their own: a change to the sources does not fetch them again
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
ARG LINEGATE_COMMIT=""
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -Dlinegate.commit="${LINEGATE_COMMIT}" package \
    && java -jar target/linegate.jar --version

FROM eclipse-temurin:25-jre
ARG LINEGATE_COMMIT=""
LABEL org.opencontainers.image.title="Linegate" \
      org.opencontainers.image.description="Messaging gateway for Meta's channels (Instagram Direct, Messenger)" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="${LINEGATE_COMMIT}"
# a fixed uid, so that a volume's owner is the same on every host; no login shell, no home to write
RUN groupadd --system --gid 10001 linegate \
    && useradd --system --uid 10001 --gid linegate --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin linegate \
    && mkdir -p /data && chown linegate:linegate /data && chmod 0700 /data
COPY --from=build /src/target/linegate.jar /app/linegate.jar
COPY deploy/docker-entrypoint.sh deploy/healthcheck.sh /app/
# The embedded database and, when no key is given, the generated master key (master.key beside the database file):
# keep this volume and back it up. With PostgreSQL (LINEGATE_DB_URL=jdbc:postgresql://...) nothing is written here.
VOLUME /data
ENV LINEGATE_DB_URL=jdbc:sqlite:/data/linegate.db \
    MALLOC_ARENA_MAX=2
USER linegate:linegate
WORKDIR /data
EXPOSE 8080
# readiness, not liveness: 'unhealthy' means this node cannot serve sends now (database, log writer, stopping)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["/app/healthcheck.sh"]
# the JVM exits 143 on the SIGTERM of 'docker stop' after its graceful stop (up to 30 s of requests in flight, then
# queued sends' answers): give it time, e.g. docker stop -t 90, stop_grace_period in compose.yaml
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
