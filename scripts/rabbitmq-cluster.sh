#!/usr/bin/env bash
# A local 3-node RabbitMQ cluster for cluster work and the cluster tests, from the installed
# rabbitmq-server (no Docker). It never touches the machine's default broker (rabbit@localhost on
# 5672): its nodes have names, ports, configuration, data and logs of their own.
#
#   scripts/rabbitmq-cluster.sh up            start the three nodes, cluster them, wait until all run
#   scripts/rabbitmq-cluster.sh down          stop the three nodes; nothing of theirs keeps running
#   scripts/rabbitmq-cluster.sh status        one line per node: running or stopped, and its port
#   scripts/rabbitmq-cluster.sh stop-node N   stop node N (1-3), as a crash or maintenance would
#   scripts/rabbitmq-cluster.sh start-node N  start node N again and wait until it runs
#   scripts/rabbitmq-cluster.sh leader QUEUE  the number of the node leading quorum queue QUEUE
#   scripts/rabbitmq-cluster.sh queues PREFIX the queues whose name starts with PREFIX: type, leader,
#                                             online members, messages, ready, unacknowledged
#   scripts/rabbitmq-cluster.sh tls-dir       the folder of the test certificates (see below)
#
# Node N is hare-cN@localhost with AMQP on 127.0.0.1:568N and distribution on 2568N. Node 1 also
# listens with TLS on 127.0.0.1:5691 and requires a client certificate: the certificates are made
# with openssl into tls-dir, once: ca.pem (the CA), server.pem/key (for host name localhost only),
# client.pem/key (signed by the CA), and other-ca.pem (a CA that signed nothing here).
# Environment: HARE_CLUSTER_DIR (default ${TMPDIR:-/tmp}/hare-rabbitmq-cluster) holds each node's
# configuration, data, logs and PID file; HARE_CLUSTER_TIMEOUT (seconds, default 120) bounds waits.
set -euo pipefail

NODES=(1 2 3)
BASE_DIR="${HARE_CLUSTER_DIR:-${TMPDIR:-/tmp}/hare-rabbitmq-cluster}"
TIMEOUT="${HARE_CLUSTER_TIMEOUT:-120}"
RABBITMQ_BIN="${RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}"
if [ ! -x "$RABBITMQ_BIN/rabbitmq-server" ]; then
  RABBITMQ_BIN="$(dirname "$(command -v rabbitmq-server 2>/dev/null || echo /nonexistent/x)")"
fi

die() {
  echo "rabbitmq-cluster: $*" >&2
  exit 1
}

node_name() { echo "hare-c$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
dist_port() { echo $((25680 + $1)); }
node_dir() { echo "$BASE_DIR/node$1"; }
TLS_PORT=5691
tls_dir() { echo "$BASE_DIR/tls"; }

# Test certificates only: a CA, a server certificate for localhost and a client certificate.
make_certificates() {
  local dir
  dir="$(tls_dir)"
  [ -s "$dir/client.pem" ] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl is not installed: it makes the TLS test certificates"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/CN=Hare test CA" 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 3650 \
      -subj "/CN=Another CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 3650 \
      -extfile server.ext 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=hare-client" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 3650 \
      -extfile client.ext 2>/dev/null
    rm -f ./*.csr ./*.ext ./*.srl
  )
}

check_installed() {
  [ -x "$RABBITMQ_BIN/rabbitmq-server" ] && [ -x "$RABBITMQ_BIN/rabbitmqctl" ] \
    || die "rabbitmq-server is not installed (looked in $RABBITMQ_BIN): install RabbitMQ (apt-get install rabbitmq-server) to run a local cluster"
}

check_node_number() {
  case "${1:-}" in
    1|2|3) ;;
    *) die "node number must be 1, 2 or 3, not '${1:-}'" ;;
  esac
}

# Runs a RabbitMQ command as the broker's user, who owns the Erlang cookie, when we are root.
as_broker_user() {
  if [ "$(id -u)" = 0 ] && id -u rabbitmq >/dev/null 2>&1; then
    runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq "$@"
  else
    "$@"
  fi
}

ctl() {
  local n="$1"
  shift
  as_broker_user "$RABBITMQ_BIN/rabbitmqctl" -q -n "$(node_name "$n")" "$@"
}

pid_of() {
  local file
  file="$(node_dir "$1")/rabbit.pid"
  if [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null; then
    cat "$file"
  fi
}

# Own configuration files, so that the machine's /etc/rabbitmq (its listener on 5672, its node
# name) never applies to these nodes.
write_config() {
  local n="$1" dir
  dir="$(node_dir "$n")"
  mkdir -p "$dir/mnesia" "$dir/log"
  : >"$dir/enabled_plugins"
  cat >"$dir/rabbitmq-env.conf" <<EOF
ERL_EPMD_ADDRESS=127.0.0.1
EOF
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")
loopback_users = none
disk_free_limit.absolute = 50MB
cluster_partition_handling = pause_minority
EOF
  # RabbitMQ 3.10's at-least-once dead-letter worker can lose the publish of an expired message
  # when the target quorum queue's leader changes at that moment (a node stopping), and re-sends it
  # only after this timeout, 3 minutes by default: delayed messages and retries then arrive minutes
  # late. Hare's docs recommend the same setting for production clusters (docs/cluster.md).
  cat >"$dir/advanced.config" <<EOF
[{rabbit, [{dead_letter_worker_publisher_confirm_timeout, 10000}]}].
EOF
  if [ "$n" = 1 ]; then
    make_certificates
    cat >>"$dir/rabbitmq.conf" <<EOF
listeners.ssl.1 = 127.0.0.1:$TLS_PORT
ssl_options.cacertfile = $(tls_dir)/ca.pem
ssl_options.certfile = $(tls_dir)/server.pem
ssl_options.keyfile = $(tls_dir)/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = true
EOF
  fi
  if [ "$(id -u)" = 0 ] && id -u rabbitmq >/dev/null 2>&1; then
    chown -R rabbitmq:rabbitmq "$BASE_DIR"
  fi
}

start_node() {
  local n="$1" dir
  dir="$(node_dir "$n")"
  if [ -n "$(pid_of "$n")" ]; then
    return 0
  fi
  write_config "$n"
  local command=(env
    RABBITMQ_NODENAME="$(node_name "$n")"
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$(amqp_port "$n")"
    RABBITMQ_DIST_PORT="$(dist_port "$n")"
    RABBITMQ_MNESIA_BASE="$dir/mnesia"
    RABBITMQ_LOG_BASE="$dir/log"
    RABBITMQ_PID_FILE="$dir/rabbit.pid"
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    "$RABBITMQ_BIN/rabbitmq-server")
  # setsid: the node outlives this script and whatever called it (a test JVM).
  as_broker_user setsid "${command[@]}" >>"$dir/log/console.log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 30))
  until [ -n "$(pid_of "$n")" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "node $(node_name "$n") wrote no PID file in 30s; see $dir/log"
    sleep 0.5
  done
}

await_node() {
  local n="$1"
  if ! ctl "$n" await_startup --timeout "$TIMEOUT" >/dev/null 2>&1; then
    # The PID file appears late; wait for the node to answer at all first.
    local deadline=$((SECONDS + TIMEOUT))
    until ctl "$n" await_startup --timeout 10 >/dev/null 2>&1; do
      [ "$SECONDS" -lt "$deadline" ] || die "node $(node_name "$n") did not start in ${TIMEOUT}s; see $(node_dir "$n")/log"
      sleep 1
    done
  fi
}

running_nodes() {
  ctl 1 eval 'length(rabbit_nodes:all_running()).' 2>/dev/null || echo 0
}

up() {
  check_installed
  for n in "${NODES[@]}"; do start_node "$n"; done
  for n in "${NODES[@]}"; do await_node "$n"; done
  for n in 2 3; do
    if ! ctl 1 cluster_status --formatter json 2>/dev/null | grep -q "disk_nodes.*$(node_name "$n")"; then
      echo "Joining $(node_name "$n") to $(node_name 1)..."
      ctl "$n" stop_app >/dev/null
      ctl "$n" reset >/dev/null
      ctl "$n" join_cluster "$(node_name 1)" >/dev/null 2>&1
      ctl "$n" start_app >/dev/null
      await_node "$n"
    fi
  done
  local deadline=$((SECONDS + TIMEOUT))
  until [ "$(running_nodes)" = 3 ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "the cluster did not reach 3 running nodes in ${TIMEOUT}s"
    sleep 1
  done
  status
}

stop_one() {
  local n="$1" pid
  pid="$(pid_of "$n")"
  [ -n "$pid" ] || return 0
  ctl "$n" stop >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      # Only this node's own process, by the PID it wrote.
      kill -9 "$pid" 2>/dev/null || true
    fi
    sleep 0.5
  done
}

down() {
  for n in "${NODES[@]}"; do stop_one "$n"; done
  status
}

status() {
  for n in "${NODES[@]}"; do
    local state=stopped
    if [ -n "$(pid_of "$n")" ]; then
      state=starting
      if ctl "$n" eval 'rabbit:is_running().' 2>/dev/null | grep -q true; then
        state=running
      fi
    fi
    echo "$(node_name "$n") $state amqp://127.0.0.1:$(amqp_port "$n")"
  done
}

# Asks every running node, so that it answers while any one of them is stopped.
leader() {
  local queue="$1" n
  for n in "${NODES[@]}"; do
    [ -n "$(pid_of "$n")" ] || continue
    local node
    node="$(ctl "$n" list_queues name leader --no-table-headers 2>/dev/null \
      | awk -v q="$queue" '$1 == q { print $2 }')" || continue
    case "$node" in
      hare-c[123]@localhost) echo "${node:6:1}"; return 0 ;;
    esac
  done
  die "no running node knows a leader of queue '$queue'"
}

# Asks the first running node; for a test that says where its messages wait when it fails.
queues() {
  local prefix="$1" n listed
  for n in "${NODES[@]}"; do
    [ -n "$(pid_of "$n")" ] || continue
    listed="$(ctl "$n" list_queues name type leader online messages messages_ready messages_unacknowledged \
      --no-table-headers 2>/dev/null)" || continue
    echo "$listed" | awk -v p="$prefix" 'index($1, p) == 1'
    return 0
  done
  die "no running node answers list_queues"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  stop-node) check_node_number "${2:-}"; stop_one "$2"; status ;;
  start-node) check_installed; check_node_number "${2:-}"; start_node "$2"; await_node "$2"; status ;;
  leader) [ -n "${2:-}" ] || die "usage: $0 leader QUEUE"; leader "$2" ;;
  queues) [ -n "${2:-}" ] || die "usage: $0 queues PREFIX"; queues "$2" ;;
  tls-dir) tls_dir ;;
  *) die "usage: $0 up|down|status|stop-node N|start-node N|leader QUEUE|queues PREFIX|tls-dir" ;;
esac
