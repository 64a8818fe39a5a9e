# Gapwise: `make run` and `make test` work on a fresh machine; each installs what
# is missing and skips what is there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
LEPTOSFMT_VERSION := 0.1.33
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3; exit}' Cargo.lock)
E2E_PORT ?= 3100

.PHONY: run test fmt tools tool-wasm tool-leptos tool-bindgen tool-leptosfmt tool-chromium tool-npm tool-wasm-opt build lint unit-tests pg-tests e2e bench clean

## Build and serve at http://127.0.0.1:3000 with the demo agency on first start.
run: tool-wasm tool-leptos tool-bindgen
	cargo leptos build
	@mkdir -p data
	LEPTOS_SITE_ROOT=target/site ./target/debug/gapwise serve --demo

## Every check: formatting, lints per side, unit + integration tests (SQLite, and
## Postgres when TEST_POSTGRES_URL is set), and the browser suite (JS on and off).
test: tools lint unit-tests pg-tests e2e

tools: tool-wasm tool-leptos tool-bindgen tool-leptosfmt tool-chromium tool-npm

tool-wasm:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

tool-leptos:
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || \
		cargo install --locked cargo-leptos@$(CARGO_LEPTOS_VERSION) --features no_downloads

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
tool-bindgen:
	@test -f Cargo.lock || cargo generate-lockfile
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || \
		cargo install wasm-bindgen-cli@$(WASM_BINDGEN_VERSION)

# Formats the markup inside view! macros, which rustfmt leaves alone.
tool-leptosfmt:
	@leptosfmt --version 2>/dev/null | grep -q "$(LEPTOSFMT_VERSION)" || \
		cargo install --locked leptosfmt@$(LEPTOSFMT_VERSION)

tool-chromium:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "Please install Debian's chromium package (sudo apt-get install chromium)"; exit 1; fi; }

# `cargo leptos build --release` runs wasm-opt, from Debian's binaryen package.
tool-wasm-opt:
	@command -v wasm-opt >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binaryen; \
		else echo "Please install Debian's binaryen package (sudo apt-get install binaryen)"; exit 1; fi; }

tool-npm:
	@test -x end2end/node_modules/.bin/playwright || (cd end2end && npm ci --no-audit --no-fund)

lint: tool-leptosfmt
	leptosfmt --check app/src
	cargo fmt --all --check
	cargo clippy -p gapwise-app --features ssr --all-targets -- -D warnings
	cargo clippy -p gapwise-server -p gapwise-migrations --all-targets -- -D warnings
	cargo clippy -p gapwise-app --features hydrate --target wasm32-unknown-unknown -- -D warnings

# Load tests are #[ignore]d in the first pass and run alone in the second. Tests
# run one at a time: beside each other on two cores, a page load now and then
# stalls past the client's 60 s timeout (an open bug, not yet understood; see
# README, Tests).
# Each test process seeds the demo once into a template (gapwise_t_tmpl_*) and
# copies it for each test; a later process removes a finished one's, and these
# targets the last one's.
unit-tests:
	cargo test --workspace -- --test-threads=1
	cargo test -p gapwise-server --test it -- --ignored --test-threads=1
	rm -rf "$${TMPDIR:-/tmp}"/gapwise_t_tmpl_*

# The same integration suite against Postgres, one fresh database per test.
pg-tests:
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		status=0; \
		{ GAPWISE_TEST_BACKEND=postgres cargo test -p gapwise-server --tests -- --test-threads=1 && \
		GAPWISE_TEST_BACKEND=postgres cargo test -p gapwise-server --test it -- --ignored --test-threads=1; } || status=$$?; \
		for db in $$(psql "$$TEST_POSTGRES_URL" -Atc "select datname from pg_database where datname like 'gapwise\_t\_%'"); do \
			psql "$$TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $$db WITH (FORCE)"; done; \
		exit $$status; \
	else echo "TEST_POSTGRES_URL not set: Postgres integration run skipped"; fi

build:
	cargo leptos build

e2e: build
	cd end2end && E2E_PORT=$(E2E_PORT) npx playwright test

## Release build on a fresh SQLite database, driven by oha from another process.
bench: tools tool-wasm-opt
	cargo leptos build --release
	BENCH_SKIP_BUILD=1 bash end2end/bench.sh
	BENCH_SKIP_BUILD=1 bash end2end/bench-gaps.sh
	BENCH_SKIP_BUILD=1 bash end2end/bench-exam.sh

## Formats Rust code and the markup in view! macros.
fmt: tool-leptosfmt
	leptosfmt app/src
	cargo fmt --all

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/test-results
