# The two commands of the README, and the few others a developer needs.
#   make run    build everything and serve API + UI on http://127.0.0.1:8080 (SQLite, real comuni)
#   make test   every test: Rust unit and API tests on SQLite and PostgreSQL, OpenAPI lint,
#               Schemathesis, a generated client's mirror of the catalogue, frontend type
#               and drift checks, browser end-to-end tests, the deployment (compose file and
#               Dockerfiles linted, nginx in front of three replicas)

# Development defaults for the first admin; production sets its own (see README).
CABINA_ADMIN_EMAIL ?= admin@cabina.local
CABINA_ADMIN_PASSWORD ?= cambiami-subito
export CABINA_ADMIN_EMAIL CABINA_ADMIN_PASSWORD

NPM_INSTALL = npm ci --no-audit --no-fund --loglevel=error

.PHONY: run test test-rust test-conformance test-frontend test-deploy frontend openapi lint bench

run: frontend
	cargo build --release -p cabina-backend
	./target/release/cabina demo
	./target/release/cabina serve

frontend: frontend/node_modules
	cd frontend && npm run -s build

frontend/node_modules: frontend/package-lock.json
	cd frontend && $(NPM_INSTALL)
	touch $@

tests/conformance/node_modules: tests/conformance/package-lock.json
	cd tests/conformance && $(NPM_INSTALL)
	touch $@

test: test-rust test-conformance test-frontend test-deploy

# The server binary first: black-box tests (tests/api/login_burst.rs) run the real
# `cabina serve`, which `cargo test` alone does not build.
test-rust:
	cargo build -p cabina-backend
	cargo test --workspace

test-conformance: tests/conformance/node_modules
	cd tests/conformance && npm run -s lint-openapi
	cargo build -p cabina-backend
	tests/conformance/schemathesis.sh
	tests/conformance/mirror.sh

test-frontend: frontend
	cd frontend && npm run -s check-api
	cargo build -p cabina-backend
	cd frontend && npm run -s e2e

# The production shape without Docker (there is no engine here): docker-compose.yml and the
# Dockerfiles validated and linted, then frontend/nginx.conf run by Debian's nginx in front
# of three replicas on one PostgreSQL database (tests/deploy/README.md).
test-deploy: frontend
	tests/deploy/lint.sh
	cargo build -p cabina-backend
	tests/deploy/replicas.sh

# Regenerates the committed OpenAPI document and the frontend's types from the code.
openapi:
	cargo run -q -p cabina-backend -- openapi --public-url http://127.0.0.1:8080 > openapi/openapi.json
	cd frontend && npm run -s generate-api

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	tests/deploy/lint.sh

# The annual plan (Imperia and all of Italy, time, memory and proven gap); catalogue
# throughput next to nginx serving the same body, the CSV import and enrolments under
# contention (need wrk, nginx, PostgreSQL).
bench:
	cargo run --release -q -p cabina-planner --example plan_bench -- backend/seed/comuni-italia.csv
	backend/benches/catalogue.sh
	backend/benches/import.sh
	backend/benches/enrolments.sh
