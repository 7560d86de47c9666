#!/usr/bin/env bash
# Benchmark of the employees' CSV import: 5,000 rows (the size of a large comune's staff
# many times over), a dry run, a first import and a re-import, on SQLite and PostgreSQL.
# Usage: make bench (needs PostgreSQL on 127.0.0.1:5432, curl, python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
db="cabina_import_bench_$$"
port=18191
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cargo build -q --release -p cabina-backend

# 5,000 people with valid (fictitious) tax codes, as a spreadsheet exports them.
python3 - > "$work/staff.csv" <<'PY'
import random
odd = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               [1,0,5,7,9,13,15,17,19,21,1,0,5,7,9,13,15,17,19,21,2,4,18,20,11,3,6,8,12,14,16,10,22,25,24,23]))
even = lambda c: int(c) if c.isdigit() else ord(c) - 65
random.seed(2026)
print("codice_fiscale;nome;cognome;area;profilo;ruoli_sicurezza;data_assunzione")
seen = set()
while len(seen) < 5000:
    code = "".join(random.choice("BCDFGLMNPRSTVZ") for _ in range(6)) + f"{random.randint(50, 99)}" \
        + random.choice("ABCDEHLMPRST") + f"{random.randint(1, 28):02d}H501"
    code += chr(65 + sum(odd[c] if i % 2 == 0 else even(c) for i, c in enumerate(code)) % 26)
    if code not in seen:
        seen.add(code)
        print(f"{code};Nome {len(seen)};Cognome;Tributi;istruttore;preposto;01/02/2010")
PY

run() {
  local name=$1 url=$2
  CABINA_DATABASE_URL="$url" CABINA_LISTEN="127.0.0.1:$port" CABINA_DATA_DIR="$work" CABINA_LOG=warn \
  CABINA_ADMIN_EMAIL=bench@cabina.local CABINA_ADMIN_PASSWORD=bench-password-1 ./target/release/cabina serve &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/v1/status" >/dev/null; do sleep 0.2; done
  token=$(curl -s -H 'content-type: application/json' -d '{"email":"bench@cabina.local","password":"bench-password-1"}' \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  for step in "dry run:&dry_run=true" "first import:" "re-import (updates):"; do
    curl -s -o /dev/null -w "$name, 5,000 rows, ${step%%:*}: %{time_total} s (HTTP %{http_code})\n" \
      -H "Authorization: Bearer $token" -H 'content-type: text/csv' --data-binary @"$work/staff.csv" \
      "http://127.0.0.1:$port/api/v1/employee-imports?comune_istat_code=008031${step#*:}"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}
run SQLite "sqlite://$work/cabina.db?mode=rwc"
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null
run PostgreSQL "postgres://postgres@127.0.0.1:5432/$db"
