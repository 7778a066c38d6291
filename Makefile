# Two entry points for a fresh machine (see README): `make demo` and `make test`.
# Everything installs into .venv/ (Python) and toolchain/node_modules/ (pinned npm tools).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := toolchain/node_modules/.installed

.PHONY: demo test install toolchain check lint typecheck pytest rust-test bench clean

demo: install toolchain
	$(BIN)/zksolvency demo

test: install toolchain check rust-test pytest

install: $(PY_STAMP)

# The editable install also builds the Rust extension (prover/native, maturin): rebuild when it changes.
NATIVE_SRC := prover/native/Cargo.toml prover/native/Cargo.lock prover/native/build.rs $(wildcard prover/native/src/*.rs)

$(PY_STAMP): pyproject.toml $(NATIVE_SRC)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

toolchain: $(NPM_STAMP)

$(NPM_STAMP): toolchain/package.json toolchain/package-lock.json
	cd toolchain && npm ci --no-audit --no-fund --loglevel=error
	touch $@

check: lint typecheck

lint: install
	$(BIN)/ruff check prover tests benchmarks
	$(BIN)/ruff format --check prover tests benchmarks

typecheck: install
	$(BIN)/mypy

pytest: install toolchain
	$(BIN)/pytest

# The native crate's own tests (both MSM paths, the ceremony kernels) against arkworks.
rust-test: install
	cd prover/native && cargo test --release --lib --locked

bench: install toolchain
	$(BIN)/python benchmarks/groth16_reference.py

clean:
	rm -rf $(VENV) toolchain/node_modules .zksolvency-cache demo-out benchmarks/work prover/native/target
	rm -f prover/zksolvency/_native*.so
