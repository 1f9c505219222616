# syntax=docker/dockerfile:1
# paypipe images, built from this checkout with the Maven wrapper. Two runtime targets:
#   paypipe      the production jar (worker, ledger, db-writer, reconcile and the operator commands);
#                no broker, no PostgreSQL binaries, no simulator inside. The default target.
#   paypipe-dev  the development jar: gateway-sim and load for the Docker Compose stack (also demo, bench).
#   docker build -t paypipe .                          docker build --target paypipe-dev -t paypipe-dev .

# ---- build: both jars, tests skipped (they run in ./mvnw verify, not in an image build) ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Everything but what .dockerignore leaves out: every module of the reactor must be present for Maven to start.
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -pl cli,cli-dev -am package

# ---- common runtime base: a JRE, an unprivileged user, a writable state directory ----
FROM eclipse-temurin:17-jre AS runtime
RUN useradd --system --uid 10001 --home-dir /var/lib/paypipe --create-home paypipe \
    && mkdir -p /var/lib/paypipe/ledger && chown -R paypipe /var/lib/paypipe
# Container-aware heap; override per service with JAVA_OPTS.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
WORKDIR /var/lib/paypipe

# ---- paypipe-dev: gateway simulator and load publisher ----
FROM runtime AS paypipe-dev
COPY --from=build /src/cli-dev/target/paypipe-dev.jar /opt/paypipe/paypipe-dev.jar
RUN printf '#!/bin/sh\nexec java $JAVA_OPTS -jar /opt/paypipe/paypipe-dev.jar "$@"\n' > /usr/local/bin/paypipe-dev \
    && chmod 755 /usr/local/bin/paypipe-dev
USER paypipe
ENTRYPOINT ["paypipe-dev"]
CMD ["--help"]

# ---- paypipe: the production image (last, so it is the default target) ----
FROM runtime AS paypipe
COPY --from=build /src/cli/target/paypipe.jar /opt/paypipe/paypipe.jar
RUN printf '#!/bin/sh\nexec java $JAVA_OPTS -jar /opt/paypipe/paypipe.jar "$@"\n' > /usr/local/bin/paypipe \
    && chmod 755 /usr/local/bin/paypipe
USER paypipe
# /health/ready on admin.port: 200 when every check (Kafka; Streams on the ledger; the database on the db-writer)
# is up. The compose file points its health checks at the same endpoint.
EXPOSE 8081
ENTRYPOINT ["paypipe"]
CMD ["--help"]
