#!/usr/bin/env bash
# The change feed as an outside integrator uses it: a client generated from the published
# document by a third-party generator (openapi-python-client) keeps a mirror of the
# catalogue while several writers edit it through two replicas of the server sharing one
# PostgreSQL database; at the end the mirror must equal a fresh full pull (mirror.py, and
# README.md beside this file).
#
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth), as the API tests do.
# CABINA_BIN: the server binary (default target/debug/cabina); MIRROR_SECONDS: how long
# the writers write (default 45); MIRROR_LOG: the replicas' CABINA_LOG (default error,
# their logs' ends are shown when the run fails).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=${CABINA_BIN:-$root/target/debug/cabina}
pg_host=127.0.0.1
pg_port=5432

if [ ! -x "$here/.venv/bin/openapi-python-client" ]; then
  [ -x "$here/.venv/bin/python" ] || python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi

work=$(mktemp -d)
db="cabina_mirror_$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  dropdb --if-exists --force -h "$pg_host" -p "$pg_port" -U postgres "$db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The client first: a document the generator cannot read whole fails here, before any server.
if ! "$here/.venv/bin/openapi-python-client" generate --path "$root/openapi/openapi.json" \
  --output-path "$work/client" --config "$here/openapi-python-client.yml" --fail-on-warning \
  >"$work/generator.log" 2>&1; then
  echo "openapi-python-client refused openapi/openapi.json or warned about it:" >&2
  cat "$work/generator.log" >&2
  exit 1
fi

createdb -h "$pg_host" -p "$pg_port" -U postgres "$db"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Two replicas behind one address, as in production: one signing secret (each accepts the
# other's tokens) and one public URL (the links and URLs in the catalogue are the same).
jwt_secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
replicas=()
for name in a b; do
  port=$(free_port)
  mkdir -p "$work/$name"
  CABINA_DATABASE_URL="postgres://postgres@$pg_host:$pg_port/$db" CABINA_LISTEN="127.0.0.1:$port" \
  CABINA_PUBLIC_URL="https://cabina.example" CABINA_DATA_DIR="$work/$name" CABINA_LOG="${MIRROR_LOG:-error}" \
  CABINA_FRONTEND_DIR="$work/no-frontend" CABINA_JWT_SECRET="$jwt_secret" \
  CABINA_ADMIN_EMAIL=mirror@cabina.local CABINA_ADMIN_PASSWORD=mirror-password-1 \
  CABINA_RATE_LIMIT=1000000000 \
    "$binary" serve >"$work/$name.log" 2>&1 &
  pids+=($!)
  replicas+=("http://127.0.0.1:$port/api/v1")
done
# Both at once on the empty database, as `docker compose up --scale` starts them: one
# migrates while the other waits for the start-up lock.
names=(a b)
for i in 0 1; do
  base=${replicas[$i]}
  for _ in $(seq 150); do curl -sf "$base/status" >/dev/null && break; sleep 0.2; done
  if ! curl -sf "$base/status" >/dev/null; then
    echo "replica ${names[$i]} did not start:" >&2
    cat "$work/${names[$i]}.log" >&2
    exit 1
  fi
done

status=0
MIRROR_REPLICAS="${replicas[*]}" MIRROR_ADMIN_EMAIL=mirror@cabina.local \
MIRROR_ADMIN_PASSWORD=mirror-password-1 PYTHONPATH="$work/client" \
  "$here/.venv/bin/python" "$here/mirror.py" || status=$?
if [ "$status" -ne 0 ]; then
  for name in a b; do
    echo "--- the end of replica $name's log (CABINA_LOG=${MIRROR_LOG:-error})" >&2
    tail -n 40 "$work/$name.log" >&2
  done
fi
exit "$status"
