#!/usr/bin/env bash
# Benchmark of the public catalogue, side by side with nginx serving the same body as a
# static file, on this machine, in one run. Usage: make bench (needs wrk and nginx from
# Debian, PostgreSQL on 127.0.0.1:5432; BENCH_SECONDS, BENCH_CONNECTIONS to tune).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
work=$(mktemp -d)
db="cabina_bench_$$"
port=18181
nginx_port=18182
cleanup() {
  if [ -n "${cabina_pid:-}" ]; then kill "$cabina_pid" 2>/dev/null || true; wait "$cabina_pid" 2>/dev/null || true; fi
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk nginx psql curl python3; do command -v $tool >/dev/null || { echo "bench needs $tool"; exit 1; }; done
cargo build -q --release -p cabina-backend
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null

CABINA_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" CABINA_LISTEN="127.0.0.1:$port" \
CABINA_PUBLIC_URL="http://127.0.0.1:$port" CABINA_DATA_DIR="$work" CABINA_LOG=warn \
CABINA_ADMIN_EMAIL=bench@cabina.local CABINA_ADMIN_PASSWORD=bench-password-1 CABINA_RATE_LIMIT=100000000 \
  ./target/release/cabina serve &
cabina_pid=$!
until curl -sf "http://127.0.0.1:$port/api/v1/status" >/dev/null; do sleep 0.2; done

# A catalogue the size of a Province's year: 50 published courses, 2 editions each.
python3 - "$port" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}/api/v1"
def call(method, path, body, token=None, ctype="application/json"):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode(),
                                 headers={"content-type": ctype, **({"authorization": f"Bearer {token}"} if token else {})})
    return json.load(urllib.request.urlopen(req))
token = call("POST", "/auth/login", {"email": "bench@cabina.local", "password": "bench-password-1"})["access_token"]
provider = call("POST", "/providers", {"name": "Ente", "tax_code": "00743110157", "qualification_status": "qualified",
                                       "themes": ["privacy"]}, token)["id"]
venue = call("POST", "/venues", {"name": "Sala", "address": "Via Roma 1", "comune_istat_code": "008031", "capacity": 50}, token)["id"]
for i in range(50):
    course = call("POST", "/courses", {"title": f"Corso {i}", "theme_code": "privacy", "provider_id": provider,
                                       "hours": 6, "modality": "in_person", "status": "published",
                                       "description": "Descrizione del corso " * 10}, token)["id"]
    for j in range(2):
        call("POST", f"/courses/{course}/editions", {"title": f"Edizione {j}", "delivery": "in_person", "capacity": 30,
             "enrolment_opens_at": "2027-01-01T08:00:00Z", "enrolment_closes_at": "2027-02-01T08:00:00Z", "status": "open",
             "sessions": [{"starts_at": f"2027-03-{j+10}T08:00:00Z", "ends_at": f"2027-03-{j+10}T12:00:00Z", "venue_id": venue}]}, token)
PY

path="/api/v1/catalogue/editions?limit=50"
curl -s "http://127.0.0.1:$port$path" > "$work/editions.json"
etag=$(curl -sI "http://127.0.0.1:$port$path" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')
cat > "$work/nginx.conf" <<NGINX
daemon on; worker_processes 2; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$nginx_port; root $work; } }
NGINX
nginx -c "$work/nginx.conf"

run() {
  local name=$1; shift
  local rps
  rps=$(wrk -t2 -c"$connections" -d"${seconds}s" "$@" | awk '/Requests\/sec/{print $2}')
  printf '%-58s %12s req/s\n' "$name" "$rps"
}
echo "catalogue of $(python3 -c "import json;print(json.load(open('$work/editions.json'))['total'])") editions, body $(wc -c < "$work/editions.json") bytes; wrk -t2 -c$connections -d${seconds}s; $(nproc) cores"
run "nginx, the same body as a static file"          "http://127.0.0.1:$nginx_port/editions.json"
run "cabina, cached catalogue (200, full body)"       "http://127.0.0.1:$port$path"
run "cabina, cached catalogue revalidated (304)"      -H "If-None-Match: $etag" "http://127.0.0.1:$port$path"
run "cabina, /status (one database round trip)"       "http://127.0.0.1:$port/api/v1/status"
