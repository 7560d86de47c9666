#!/usr/bin/env bash
# Benchmark of enrolments under contention: 64 connections enrolling the demo's staff into
# ONE edition of 50 seats for 10 seconds (each enrolment locks the edition), on SQLite and
# PostgreSQL; then checks the invariant (exactly 50 confirmed, every other one waitlisted).
# Usage: make bench (needs PostgreSQL on 127.0.0.1:5432, wrk, curl, python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
db="cabina_enrol_bench_$$"
port=18192
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cargo build -q --release -p cabina-backend

cat > "$work/enrol.lua" <<'LUA'
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local i = 0
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
request = function()
  i = i + 1
  local id = ids[((i - 1) % #ids) + 1]
  return wrk.format("POST", "/api/v1/enrolments", headers,
    '{"edition_id":' .. os.getenv("EDITION") .. ',"employee_id":' .. id .. '}')
end
LUA

api() { curl -sf -H "Authorization: Bearer $token" -H 'content-type: application/json' "$@"; }

run() {
  local name=$1 url=$2
  CABINA_DATABASE_URL="$url" CABINA_LOG=warn ./target/release/cabina demo >/dev/null 2>&1
  CABINA_DATABASE_URL="$url" CABINA_LISTEN="127.0.0.1:$port" CABINA_DATA_DIR="$work" CABINA_LOG=warn \
    CABINA_RATE_LIMIT=1000000000 ./target/release/cabina serve &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/v1/status" >/dev/null; do sleep 0.2; done
  base="http://127.0.0.1:$port/api/v1"
  token=$(curl -s -H 'content-type: application/json' -d '{"email":"formazione@provincia.demo.example","password":"demo-cabina-2027"}' \
    "$base/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  course=$(api "$base/courses?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  edition=$(python3 - "$course" <<'PY' | api -d @- "$base/courses/$course/editions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
import json, sys, datetime as dt
now = dt.datetime.now(dt.timezone.utc)
iso = lambda d: (now + dt.timedelta(days=d)).isoformat()
print(json.dumps({"title": "Banco di prova", "delivery": "live_webinar", "capacity": 50, "status": "open",
    "enrolment_opens_at": iso(-1), "enrolment_closes_at": iso(10), "access_url": "https://webinar.example/banco",
    "sessions": [{"starts_at": iso(20), "ends_at": iso(20.1)}]}))
PY
)
  : > "$work/ids"
  for offset in $(seq 0 200 2400); do
    api "$base/employees?limit=200&offset=$offset" | python3 -c 'import json,sys; [print(e["id"]) for e in json.load(sys.stdin)["items"]]' >> "$work/ids"
  done
  echo "$name: $(wc -l < "$work/ids") employees, one edition of 50 seats, 64 connections, 10 s"
  IDS="$work/ids" TOKEN="$token" EDITION="$edition" wrk -t1 -c64 -d10s -s "$work/enrol.lua" "http://127.0.0.1:$port" \
    | grep -E "Requests/sec|Latency|Non-2xx"
  api "$base/enrolments?edition_id=$edition" | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
by = {}
for e in items: by[e["status"]] = by.get(e["status"], 0) + 1
waiting = sorted(e["waitlist_position"] for e in items if e["status"] == "waitlisted")
assert by.get("confirmed") == 50, by
assert waiting == list(range(1, len(waiting) + 1)), "waitlist positions are not 1..n"
print(f"  invariant holds: {by}")'
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}
run SQLite "sqlite://$work/cabina.db?mode=rwc"
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null
run PostgreSQL "postgres://postgres@127.0.0.1:5432/$db"
