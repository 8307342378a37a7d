# syntax=docker/dockerfile:1
# agent-gateway — JVM image of the Quarkus fast-jar (agent-gateway/target/quarkus-app). Build from the repository root
# after `mvn -B -DskipTests package`:
#   docker build -f deploy/docker/agent-gateway.Dockerfile -t rewind/agent-gateway:local .
# (agent-gateway.Dockerfile.dockerignore keeps the build context to the fast-jar.)
FROM debian:12.11-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 185 rewind \
 && useradd --system --uid 185 --gid 185 --home-dir /deployments --no-create-home --shell /usr/sbin/nologin rewind

# owned by root, readable by the service: the application cannot change its own code
WORKDIR /deployments
COPY agent-gateway/target/quarkus-app/lib/ /deployments/lib/
COPY agent-gateway/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY agent-gateway/target/quarkus-app/app/ /deployments/app/
COPY agent-gateway/target/quarkus-app/quarkus/ /deployments/quarkus/

# non-root; the root filesystem may be read-only: only /tmp needs to be writable
USER 185:185
ENV QUARKUS_HTTP_PORT=8084 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8084
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar /deployments/quarkus-run.jar"]
