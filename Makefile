# Thin wrapper over Meson/Ninja. `make test` and `make demo` do all set-up on a fresh Debian 12
# machine (they call `make deps` first). See README.md.
BUILD      ?= build
TEST_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan
FUZZ_SECONDS ?= 10
MESON      ?= meson

.PHONY: all deps conformance build test demo format lint fuzz clean

all: build

deps:
	@bash scripts/deps.sh

# Published conformance suites and data sets from npm (pinned in tests/conformance).
conformance: tests/conformance/node_modules/.package-lock.json

tests/conformance/node_modules/.package-lock.json: tests/conformance/package-lock.json | deps
	npm ci --prefix tests/conformance --no-audit --no-fund --loglevel=error

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=debugoptimized -Dwerror=true -Dtests=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(TEST_BUILD)/build.ninja:
	$(MESON) setup $(TEST_BUILD) --buildtype=debug -Dwerror=true \
	    -Db_sanitize=address,undefined -Db_lundef=false

$(TSAN_BUILD)/build.ninja:
	$(MESON) setup $(TSAN_BUILD) --buildtype=debug -Dwerror=true \
	    -Db_sanitize=thread -Db_lundef=false

# Everything, as CI runs it: lint, the optimized build (-O2 finds warnings -O0 cannot), the
# ASan+UBSan build and every test, the threaded tests again under TSan, a short fuzz run, and
# the summary line. The summary is printed even when tests fail; the exit status tells.
test: deps conformance lint build $(TEST_BUILD)/build.ninja $(TSAN_BUILD)/build.ninja
	ninja -C $(TEST_BUILD)
	ninja -C $(TSAN_BUILD) tests/jobs_pool tests/jobs_queue tests/app_pipeline
	@status=0; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	$(MESON) test -C $(TEST_BUILD) --print-errorlogs --num-processes 2 || status=1; \
	TSAN_OPTIONS=halt_on_error=1 \
	$(MESON) test -C $(TSAN_BUILD) --no-rebuild --suite threads --print-errorlogs || status=1; \
	bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) || status=1; \
	python3 scripts/test-summary.py $(TEST_BUILD)/meson-logs/testlog.json \
	    $(TSAN_BUILD)/meson-logs/testlog.json $(FUZZ_BUILD)/fuzz-results.tap || status=1; \
	exit $$status

demo: build
	@bash scripts/demo.sh $(BUILD)/src/cli/prospect

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

lint: deps
	@bash scripts/lint.sh

# Longer fuzzing on demand: make fuzz FUZZ_SECONDS=600
fuzz: deps
	@bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD) $(TSAN_BUILD)
