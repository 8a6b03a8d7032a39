.PHONY: demo test lint fuzz
demo:
	./scripts/demo.sh
test:
	./scripts/test.sh
lint:
	./scripts/bootstrap.sh && .venv/bin/ruff check connector tests testkit examples benchmarks && .venv/bin/mypy
fuzz:
	./scripts/bootstrap.sh && FUZZ_EXAMPLES=10000 FUZZ_JOBS=300 .venv/bin/pytest -q -p no:cacheprovider \
		tests/unit/test_fuzz_jobs.py tests/e2e/test_hostile_jobs.py
