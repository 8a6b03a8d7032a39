.PHONY: demo test lint
demo:
	./scripts/demo.sh
test:
	./scripts/test.sh
lint:
	./scripts/bootstrap.sh && .venv/bin/ruff check connector tests testkit examples benchmarks && .venv/bin/mypy
