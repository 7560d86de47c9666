#!/usr/bin/env bash
# The production shape of docker-compose.yml, without Docker: the frontend's own
# frontend/nginx.conf, run by Debian's nginx (only the upstream address, the listen port
# and the paths changed), in front of three `cabina serve` replicas started at once on one
# fresh PostgreSQL database, with an SMTP sink for their e-mail. Then curl checks what a
# browser and an operator get. See README.md beside this file for what each check means.
#
# Needs: the server binary (CABINA_BIN, default target/debug/cabina), the built web
# application (make frontend), nginx, curl, jq, python3, PostgreSQL at 127.0.0.1:5432
# (user postgres, trust auth). DEPLOY_LOG=1 prints the replicas' and nginx's logs at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=${CABINA_BIN:-$root/target/debug/cabina}
dist=$root/frontend/dist
nginx=$(command -v nginx || echo /usr/sbin/nginx)
pg=(-h 127.0.0.1 -p 5432 -U postgres)


# shellcheck source-path=SCRIPTDIR source=venv.sh
. "$here/venv.sh"
[ -x "$binary" ] || { echo "no server binary at $binary (cargo build -p cabina-backend)" >&2; exit 1; }
[ -f "$dist/index.html" ] || { echo "no web application in $dist (make frontend)" >&2; exit 1; }

work=$(mktemp -d)
db="cabina_deploy_$$"
names=(a b c)
pids=()
cleanup() {
  local status=$?
  # Whatever fails in here, or happens to our output (a reader that went away), finish.
  set +e
  trap '' PIPE
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${DEPLOY_LOG:-0}" = 1 ] || [ "$status" -ne 0 ]; then
    for name in "${names[@]}"; do
      # Its last lines other than the one per request.
      [ -f "$work/$name.log" ] && { echo "--- replica $name"; grep -v '"message":"request"' "$work/$name.log" | tail -n 20; }
    done
    [ -f "$work/nginx-error.log" ] && { echo "--- nginx errors"; tail -n 20 "$work/nginx-error.log"; }
  fi >&2
  dropdb --if-exists --force "${pg[@]}" "$db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Interrupted: exit, which runs the cleanup.
trap 'exit 130' INT TERM

passed=0
failed=0
# check WHAT EXPECTED GOT: one line per check; a failure says what it expected and got.
check() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "ok   $1"
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n     expected: %s\n     got:      %s\n' "$1" "$2" "$3"
  fi
}
die() { echo "deploy: $*" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# fetch NAME URL [CURL ARGS]: keeps the answer's headers and body as $work/r/NAME.*, prints
# its status.
mkdir -p "$work/r"
fetch() {
  local name=$1 url=$2
  shift 2
  curl -sS --max-time 20 -o "$work/r/$name.body" -D "$work/r/$name.headers" -w '%{http_code}' "$@" "$url"
}
# header NAME FIELD: the value of that header field in the answer kept as NAME; several
# values (a header sent twice) are joined by " | ".
header() {
  { grep -i "^$2:" "$work/r/$1.headers" || true; } | cut -d: -f2- | sed 's/^ *//; s/\r$//' |
    paste -sd'|' | sed 's/|/ | /g'
}
body() { cat "$work/r/$1.body"; }

# --- The database, the SMTP sink, the replicas -----------------------------------------
createdb "${pg[@]}" "$db"
mkdir -p "$work/mail"
smtp_port=$(free_port)
python3 "$here/smtp_sink.py" "$smtp_port" "$work/mail" &
pids+=($!)

nginx_port=$(free_port)
public="http://127.0.0.1:$nginx_port"
admin_email=deploy@cabina.local
admin_password=deploy-password-1
# As in docker-compose.yml: production, one signing secret for all, JSON logs, and
# X-Forwarded-For believed from nginx's address only (here every process is on 127.0.0.1).
jwt_secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
ports=()
for name in "${names[@]}"; do
  port=$(free_port)
  ports+=("$port")
  mkdir -p "$work/$name"
  CABINA_ENV=production CABINA_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" \
  CABINA_LISTEN="127.0.0.1:$port" CABINA_PUBLIC_URL="$public" CABINA_JWT_SECRET="$jwt_secret" \
  CABINA_ADMIN_EMAIL=$admin_email CABINA_ADMIN_PASSWORD=$admin_password \
  CABINA_TRUSTED_PROXIES=127.0.0.1 CABINA_LOG_FORMAT=json CABINA_LOG=info \
  CABINA_SMTP_URL="smtp://127.0.0.1:$smtp_port" CABINA_MAIL_FROM="cabina <noreply@cabina.test>" \
  CABINA_FRONTEND_DIR="$work/no-frontend" CABINA_DATA_DIR="$work/$name" \
    "$binary" serve 2>"$work/$name.log" &
  pids+=($!)
done
direct() { echo "http://127.0.0.1:${ports[$1]}"; }

# --- nginx with the shipped configuration ----------------------------------------------
# Each substitution must match exactly as often as the shipped file has that line: if the
# file changes shape, this fails here instead of testing something else.
conf=$root/frontend/nginx.conf
expect_lines() {
  local got
  got=$(grep -cF -- "$1" "$conf" || true)
  [ "$got" = "$2" ] || die "frontend/nginx.conf: expected $2 line(s) with '$1', found $got; update $0"
}
expect_lines 'server backend:8080 resolve;' 1
expect_lines 'listen 8080;' 1
expect_lines 'root /usr/share/nginx/html;' 1
expect_lines 'include /etc/nginx/snippets/cabina-security-headers.conf;' 3
expect_lines 'access_log /var/log/nginx/access.log cabina;' 1
upstreams=$(printf 'server 127.0.0.1:%s; ' "${ports[@]}")
sed -e "s|server backend:8080 resolve;|$upstreams|" \
    -e "s|listen 8080;|listen 127.0.0.1:$nginx_port;|" \
    -e "s|root /usr/share/nginx/html;|root $dist;|" \
    -e "s|/etc/nginx/snippets/cabina-security-headers.conf|$root/frontend/nginx-security-headers.conf|" \
    -e "s|/var/log/nginx/access.log|$work/access.log|" \
    "$conf" >"$work/cabina.conf"
# What the image's own nginx.conf provides around it: the http block, MIME types, and
# (ours) temporary files under the work folder. As root, the workers stay this user.
mkdir -p "$work/nginx-tmp"
{
  [ "$(id -u)" = 0 ] && echo "user $(id -un) $(id -gn);"
  cat <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $work/nginx-tmp/body;
    proxy_temp_path $work/nginx-tmp/proxy;
    fastcgi_temp_path $work/nginx-tmp/fastcgi;
    uwsgi_temp_path $work/nginx-tmp/uwsgi;
    scgi_temp_path $work/nginx-tmp/scgi;
    include $work/cabina.conf;
}
NGINX
} >"$work/nginx.conf"
"$nginx" -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log"

# --- Start-up --------------------------------------------------------------------------
# All three at once on the empty database, as `docker compose up --scale backend=3` starts
# them: one migrates and seeds while the others wait for the start-up lock.
for i in 0 1 2; do
  for _ in $(seq 150); do curl -sf "$(direct $i)/api/v1/status" >/dev/null && break; sleep 0.2; done
done
up=0
for i in 0 1 2; do curl -sf "$(direct $i)/api/v1/status" >/dev/null && up=$((up + 1)); done
check "three replicas started at once on one empty database all answer /status" 3 "$up"
[ "$up" = 3 ] || die "not every replica started"
for _ in $(seq 50); do curl -sf "$public/" >/dev/null && break; sleep 0.1; done

# --- What a browser gets: the web application --------------------------------------------
# The security headers nginx must add are the backend's own (the same policy whoever
# serves the page): read them from a replica.
fetch backend "$(direct 0)/api/v1/status" >/dev/null
security=(Content-Security-Policy X-Content-Type-Options X-Frame-Options Referrer-Policy
  Cross-Origin-Opener-Policy Permissions-Policy)
present=$(for field in "${security[@]}"; do [ -n "$(header backend "$field")" ] && echo "$field"; done | wc -l)
check "the backend sends all ${#security[@]} security headers" "${#security[@]}" "$present"
check "the backend's X-Content-Type-Options is nosniff" nosniff "$(header backend X-Content-Type-Options)"
check "the backend's X-Frame-Options is DENY" DENY "$(header backend X-Frame-Options)"
# (A glob, not `find | head`: under pipefail, head closing the pipe early fails the script.)
scripts=("$dist"/assets/*.js)
[ -f "${scripts[0]}" ] || die "no JavaScript asset in $dist/assets"
asset=assets/$(basename "${scripts[0]}")
for page in / /catalogo "/$asset"; do
  status=$(fetch page "$public$page")
  check "GET $page answers 200" 200 "$status"
  for field in "${security[@]}"; do
    check "GET $page carries $field once, as the backend sends it" \
      "$(header backend "$field")" "$(header page "$field")"
  done
  case $page in
    /assets/*) check "GET $page is cached for a year, immutable" \
      "public, max-age=31536000, immutable" "$(header page Cache-Control)" ;;
    *) check "GET $page is revalidated on every visit" "no-cache" "$(header page Cache-Control)"
       check "GET $page is the application's index.html" "$(sha256sum <"$dist/index.html")" \
         "$(body page | sha256sum)" ;;
  esac
done
check "a missing asset is a 404, not index.html" 404 "$(fetch missing "$public/assets/no-such-file.js")"
fetch gz "$public/$asset" -H 'Accept-Encoding: gzip' >/dev/null
check "assets are compressed for browsers that ask" gzip "$(header gz Content-Encoding)"

# --- What a browser gets: the API through the proxy --------------------------------------
status=$(fetch status "$public/api/v1/status")
check "GET /api/v1/status through nginx answers 200" 200 "$status"
check "… with the status document" OK "$(body status | jq -r .title)"
for field in "${security[@]}" Cache-Control; do
  check "… with one $field, the backend's (nginx adds none)" \
    "$(header backend "$field")" "$(header status "$field")"
done
token=$(curl -sS -H 'content-type: application/json' \
  -d "{\"email\":\"$admin_email\",\"password\":\"$admin_password\"}" "$public/api/v1/auth/login" |
  jq -r .access_token)
[ -n "$token" ] && [ "$token" != null ] || die "cannot log in through nginx"
auth=(-H "Authorization: Bearer $token")
fetch me "$public/api/v1/auth/me" "${auth[@]}" -H 'Accept-Encoding: gzip' >/dev/null
check "a signed-in answer is never compressed, not by nginx either (BREACH)" "" \
  "$(header me Content-Encoding)"
check "… and is the signed-in admin" "$admin_email" "$(body me | jq -r .email)"

# --- What an operator gets: every replica serves ------------------------------------------
# Each replica logs one JSON line per request (CABINA_LOG_FORMAT=json).
requests_to() {
  jq -cR 'fromjson? | select(.fields["http.route"] == "/api/v1/catalogue/courses")' "$work/$1.log" | wc -l
}
for _ in $(seq 30); do curl -sf "$public/api/v1/catalogue/courses" >/dev/null; done
counts=$(for name in "${names[@]}"; do requests_to "$name"; done | tr '\n' ' ')
spread=$(for n in $counts; do [ "$n" -ge 5 ] && echo yes || echo no; done | tr '\n' ' ')
check "30 requests through nginx reach every replica, at least 5 each (got $counts)" \
  "yes yes yes " "$spread"

{
  fetch rid "$public/api/v1/status" -H 'X-Request-Id: forged-by-the-client' >/dev/null
  sleep 0.2
  logged=$(grep -o 'request_id=[0-9a-f]*' "$work/access.log" | tail -n 1 | cut -d= -f2)
  check "the answer carries nginx's X-Request-Id, not the client's" "$logged" "$(header rid X-Request-Id)"
}

# --- The client's address, seen through the trusted proxy --------------------------------
# Each replica counts requests per client address (X-RateLimit-Remaining). A client at
# 127.0.0.2 sends 12 requests through nginx, each with a different forged X-Forwarded-For;
# nginx's access log says which replica answered each. On every replica its requests must
# count down one bucket of its own from the limit: the proxy's address (127.0.0.1, shared
# with every earlier request) would start lower, a believed forged address would never
# count down.
: >"$work/remaining"
for n in $(seq 12); do
  fetch client "$public/api/v1/catalogue/courses" --interface 127.0.0.2 \
    -H "X-Forwarded-For: 198.51.100.$n" >/dev/null
  echo "$(header client X-RateLimit-Limit) $(header client X-RateLimit-Remaining)" >>"$work/remaining"
done
sleep 0.2
grep '^127\.0\.0\.2 ' "$work/access.log" | grep -o '"127.0.0.1:[0-9]*"' | tail -n 12 >"$work/upstreams"
check "nginx logged the 12 requests from 127.0.0.2 with the replica that answered" 12 \
  "$(wc -l <"$work/upstreams")"
# Per replica, in order: "port: remaining remaining …", expected and got.
expected=""
got=""
for port in "${ports[@]}"; do
  seen=0
  expected+="$port:"
  got+="$port:"
  while read -r upstream <&3 && read -r limit remaining <&4; do
    [ "$upstream" = "\"127.0.0.1:$port\"" ] || continue
    seen=$((seen + 1))
    expected+=" $((limit - seen))"
    got+=" $remaining"
  done 3<"$work/upstreams" 4<"$work/remaining"
  # Two requests at least, or a believed forged address would go unnoticed.
  [ "$seen" -ge 2 ] || got+=" (only $seen request(s))"
  expected+="; "
  got+="; "
done
check "the client behind the proxy has its own rate-limit bucket on each replica" "$expected" "$got"

# --- A catalogue change made through one replica is seen by every replica ----------------
provider=$(curl -sS "${auth[@]}" -H 'content-type: application/json' "$public/api/v1/providers" \
  -d '{"name":"Ente di prova","tax_code":"00743110157","qualification_status":"qualified","themes":["privacy"]}' |
  jq -r .id)
course=$(curl -sS "${auth[@]}" -H 'content-type: application/json' "$public/api/v1/courses" \
  -d "{\"title\":\"Prima versione\",\"theme_code\":\"privacy\",\"provider_id\":$provider,\"hours\":6,\"modality\":\"in_person\",\"status\":\"published\"}" |
  jq -r .id)
[[ "$course" =~ ^[0-9]+$ ]] || die "cannot create a course (provider $provider, course $course)"
title_on() {
  curl -sS "$(direct "$1")/api/v1/catalogue/courses?limit=200" | jq -r ".items[] | select(.id == $course) | .title"
}
# Every replica renders and caches the catalogue with the first title…
check "every replica lists the new course" "Prima versione Prima versione Prima versione" \
  "$(title_on 0) $(title_on 1) $(title_on 2)"
# …then replica a changes it, and b and c are asked at once, from their caches.
status=$(curl -sS -o /dev/null -w '%{http_code}' -X PATCH "${auth[@]}" \
  -H 'content-type: application/merge-patch+json' -d '{"title":"Seconda versione"}' \
  "$(direct 0)/api/v1/courses/$course")
check "replica a changes the course's title" 200 "$status"
check "replicas b, c and a list the new title at once" "Seconda versione Seconda versione Seconda versione" \
  "$(title_on 1) $(title_on 2) $(title_on 0)"

# --- No e-mail sent twice ------------------------------------------------------------------
# Five employees with an address in each of three comuni; the three comuni's invitations
# are asked at the same moment of replicas a, b and c, so each replica's mail sender wakes
# at once and all three claim from the same outbox.
comuni=$(curl -sS "$public/api/v1/comuni?limit=3" | jq -r '.items[].istat_code')
# A valid synthetic codice fiscale per n (as tests/api/helpers.rs::tax_code makes them).
tax_code() {
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
letter = lambda i: chr(ord("A") + i % 26)
stem = f"{letter(n // 676)}{letter(n // 26)}{letter(n)}MRA80A01E290"
value = lambda c: int(c) if c.isdigit() else ord(c) - ord("A")
print(stem + letter(sum(odd[value(c)] if i % 2 == 0 else value(c) for i, c in enumerate(stem))))
PY
}
n=0
for comune in $comuni; do
  csv="codice_fiscale,nome,cognome,area,profilo,email"
  for _ in 1 2 3 4 5; do
    n=$((n + 1))
    csv+=$'\n'"$(tax_code "$n"),Persona,Numero $n,tributi,istruttore,persona$n@comune.test"
  done
  status=$(curl -sS -o "$work/import.json" -w '%{http_code}' "${auth[@]}" -H 'content-type: text/csv' \
    --data-binary "$csv" "$public/api/v1/employee-imports?comune_istat_code=$comune")
  [ "$status" = 200 ] || die "employee import for $comune: $status $(cat "$work/import.json")"
done
i=0
invitations=()
for comune in $comuni; do
  curl -sS -o "$work/invite-$comune.json" "${auth[@]}" -H 'content-type: application/json' \
    -d "{\"comune_istat_code\":\"$comune\"}" "$(direct $i)/api/v1/invitations" &
  invitations+=($!)
  i=$((i + 1))
done
for pid in "${invitations[@]}"; do wait "$pid"; done
invited=$(cat "$work"/invite-*.json | jq -s '[.[].invited | length] | add')
check "three invitation rounds invite 15 people" 15 "$invited"
# Until the outbox says every message went out, then a moment more for a late double.
for _ in $(seq 100); do
  sent=$(curl -sS "${auth[@]}" "$public/api/v1/outbox?delivery=sent&limit=1" | jq -r .total)
  [ "$sent" -ge 15 ] && break
  sleep 0.3
done
sleep 2
check "the outbox says 15 messages were sent" 15 "$sent"
expected=$(for k in $(seq 15); do echo "persona$k@comune.test 1"; done | sort)
got=$(for f in "$work"/mail/*.eml; do [ -e "$f" ] && head -n 1 "$f"; done | sort | uniq -c |
  awk '{print $2, $1}' | sort)
check "each invitation reached its person exactly once" "$(echo "$expected" | tr '\n' ' ')" \
  "$(echo "$got" | tr '\n' ' ')"

# --- What the public never gets -------------------------------------------------------------
check "GET /metrics through nginx is 404" 404 "$(fetch metrics "$public/metrics")"
check "… also as /api/../metrics" 404 "$(fetch metrics "$public/api/../metrics" --path-as-is)"
check "… also as /api/v1/%2e%2e/%2e%2e/metrics" 404 \
  "$(fetch metrics "$public/api/v1/%2e%2e/%2e%2e/metrics" --path-as-is)"
{
  # So that the 404 above is nginx's doing: the replica itself does serve them.
  check "GET /metrics on a replica's own port is 200" 200 "$(fetch metrics "$(direct 0)/metrics")"
}

# --- The compose file's health check, run as Docker would run it in the container ---------
healthcheck=$("$deploy_venv/bin/python" "$here/compose_healthcheck.py" "$root/docker-compose.yml" backend)
check "the backend's health check passes against a running replica" 0 \
  "$(bash -c "${healthcheck//127.0.0.1\/8080/127.0.0.1/${ports[1]}}" >/dev/null 2>&1; echo $?)"
check "… and fails where nothing answers" 1 \
  "$(bash -c "${healthcheck//127.0.0.1\/8080/127.0.0.1/$(free_port)}" >/dev/null 2>&1 && echo 0 || echo 1)"

echo "deploy: $passed passed, $failed failed"
[ "$failed" = 0 ]
