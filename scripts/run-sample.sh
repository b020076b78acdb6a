#!/usr/bin/env bash
# Runs the sample application: starts the local RabbitMQ and PostgreSQL if they are installed and
# down, builds, runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-rabbitmq.sh
bash scripts/ensure-postgres.sh
mvn -B -q -DskipTests package
exec java -jar hare-sample-app/target/hare-sample-app-*.jar "$@"
