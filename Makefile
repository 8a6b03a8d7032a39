.PHONY: demo test lint fuzz faults soak bench
# The fault matrix of docs/RELIABILITY.md, every row: the Python rows of the default suite and
# the toxiproxy rows of the interop suite. Figures go to $(FAULT_FIGURES).
FAULT_FIGURES ?= /tmp/zeebe-s3-connector-fault-figures.json
SOAK_MINUTES ?= 10
# Plots need the bench extra (matplotlib); installed once into .venv.
BENCH_SETUP = ./scripts/bootstrap.sh && { .venv/bin/python -c 'import matplotlib' 2>/dev/null \
	|| .venv/bin/python -m pip install --quiet -e ".[test,bench]"; }

demo:
	./scripts/demo.sh
test:
	./scripts/test.sh
lint:
	./scripts/bootstrap.sh && .venv/bin/ruff check connector tests testkit examples benchmarks && .venv/bin/mypy
fuzz:
	./scripts/bootstrap.sh && FUZZ_EXAMPLES=10000 FUZZ_JOBS=300 .venv/bin/pytest -q -p no:cacheprovider \
		tests/unit/test_fuzz_jobs.py tests/e2e/test_hostile_jobs.py
faults:
	./scripts/bootstrap.sh && ./scripts/provide-toxiproxy.sh >/dev/null && rm -f $(FAULT_FIGURES) && \
	FAULT_FIGURES=$(FAULT_FIGURES) .venv/bin/pytest -q -p no:cacheprovider --interop \
		tests/e2e/test_faults.py tests/interop/faults/test_worker_under_toxics.py \
		tests/interop/s3/test_toxiproxy_faults.py tests/integration/test_s3_faults.py \
		tests/e2e/test_worker_process.py::TestLifecycle tests/e2e/test_worker_process.py::TestGatewayAnswers \
		tests/e2e/test_documents.py::TestStoreFailures \
		tests/e2e/test_documents.py::TestDownloadAsDocument::test_store_failure_on_create_is_retryable \
		tests/e2e/test_replicas.py && \
	echo "figures: $(FAULT_FIGURES)"
soak:
	$(BENCH_SETUP) && ./scripts/provide-toxiproxy.sh >/dev/null && \
	.venv/bin/python -m benchmarks.soak --minutes $(SOAK_MINUTES) --publish
bench:
	$(BENCH_SETUP) && .venv/bin/python -m benchmarks.throughput && .venv/bin/python -m benchmarks.memory && \
	.venv/bin/python -m benchmarks.feel_bench && $(MAKE) soak
