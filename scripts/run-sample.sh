#!/usr/bin/env bash
# Runs the sample application: starts the local RabbitMQ if it is installed and down, builds, runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-rabbitmq.sh
mvn -B -q -DskipTests package
exec java -jar hare-sample-app/target/hare-sample-app-*.jar "$@"
