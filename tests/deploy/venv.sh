# shellcheck shell=bash
# Sourced by the scripts beside it: the Python tools they share, in tests/deploy/.venv,
# installed once from requirements.txt (again when it changes).
deploy_venv=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.venv
if ! cmp -s "$deploy_venv/requirements.txt" "$(dirname "$deploy_venv")/requirements.txt"; then
  rm -rf "$deploy_venv"
  python3 -m venv "$deploy_venv"
  "$deploy_venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
    -r "$(dirname "$deploy_venv")/requirements.txt"
  cp "$(dirname "$deploy_venv")/requirements.txt" "$deploy_venv/requirements.txt"
fi
