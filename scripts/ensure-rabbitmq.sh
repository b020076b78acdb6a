#!/usr/bin/env bash
# Starts the local RabbitMQ broker if it is installed and not running, waits until it is up, and
# enables the stream plugin (stream protocol on port 5552) on the running node.
# Does nothing when a broker is given through RABBITMQ_URL or already answers.
set -euo pipefail

if [ -n "${RABBITMQ_URL:-}" ]; then
  exit 0
fi
if ! command -v rabbitmqctl >/dev/null 2>&1; then
  echo "rabbitmqctl not found: install RabbitMQ, or set RABBITMQ_URL, or have Docker for Testcontainers." >&2
  exit 0
fi
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  echo "Starting the local RabbitMQ broker..."
  # Each quorum queue holds about 3 file handles, so the usual soft limit of 1024 stops a
  # broker at a few hundred listeners: start it with the hard limit. (The packaged wrapper
  # switches to the rabbitmq user through su, which resets the limit, so do that here.)
  if [ "$(id -u)" = 0 ] && id -u rabbitmq >/dev/null 2>&1 && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    (cd /var/lib/rabbitmq && su rabbitmq -s /bin/sh -c \
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; /usr/lib/rabbitmq/bin/rabbitmq-server -detached')
  else
    rabbitmq-server -detached
  fi
  # Wait until the node answers at all; await_startup gives up at once on a node not yet there.
  for _ in $(seq 1 60); do
    rabbitmqctl -q ping >/dev/null 2>&1 && break
    sleep 1
  done
fi
# A stopped application (rabbitmqctl stop_app, as the fault tests do) is started again too.
rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1 || rabbitmqctl -q start_app
rabbitmqctl -q await_startup --timeout 120
# Enabling a plugin on a running node starts it there, without restarting the broker.
if ! rabbitmq-plugins -q is_enabled rabbitmq_stream >/dev/null 2>&1; then
  rabbitmq-plugins -q enable rabbitmq_stream
fi
echo "RabbitMQ is up (stream protocol on port 5552)."
