#!/usr/bin/env bash
# The deployment files, checked without a Docker engine: docker-compose.yml against the
# compose specification's JSON schema and against what check_compose.py keeps true, and
# both Dockerfiles with hadolint. The tools come from PyPI as wheels (requirements.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=venv.sh
. "$here/venv.sh"
bin=$deploy_venv/bin

passed=0
failed=0
# run COMMAND…: one line per check, named by its command (without the venv's path).
run() {
  local name="$*"
  name=${name//"$bin/"/}
  if "$@"; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    failed=$((failed + 1))
  fi
}
cd "$root"
run "$bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml
run "$bin/python" "$here/check_compose.py" docker-compose.yml
run "$bin/hadolint" --no-color backend/Dockerfile frontend/Dockerfile
# Every base image pinned to a full version (rust:1.95.0-…, debian:bookworm-20260824-…),
# not a tag that moves; a stage built earlier in the same file is no base image.
unpinned=""
for dockerfile in backend/Dockerfile frontend/Dockerfile; do
  stages=$(grep -oiE '^FROM .* AS [a-z0-9_-]+$' "$dockerfile" | awk '{print $NF}')
  while read -r _ image _; do
    grep -qxF -- "$image" <<<"$stages" && continue
    [[ "$image" =~ :v?[0-9]+\.[0-9]+|:[a-z]+-[0-9]{8}- ]] || unpinned+="$dockerfile: $image; "
  done < <(grep -E '^FROM ' "$dockerfile")
done
if [ -z "$unpinned" ]; then
  echo "ok   every base image is pinned to a version"
  passed=$((passed + 1))
else
  echo "FAIL base images not pinned to a version: $unpinned"
  failed=$((failed + 1))
fi
echo "deploy lint: $passed passed, $failed failed"
[ "$failed" = 0 ]
