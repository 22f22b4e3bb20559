# `make test` installs what the tests need (Debian packages when run as root, Python packages) and runs them.
PYTHON ?= python3
APT_PACKAGES = virtuoso-opensource raptor2-utils default-jre-headless default-jdk-headless libowlapi-java chromium chromium-driver wrk nginx apache2

.PHONY: install test-deps test conformance example

install:
	$(PYTHON) -m pip install -e .

test-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing (install them as root)"; exit 1; fi; \
	fi
	$(PYTHON) -m pip install -q -e '.[test]'

test: test-deps
	$(PYTHON) -m pytest -q -m "not conformance"

# The field's own judges on kgpub's outputs (`make test` leaves them to this stage; `pytest -q` runs both): the W3C SHACL core suite
# through every entry point, OWL API's OWL 2 DL profile, HermiT and Pellet with RO and FaBiO imported, ROBOT's report queries, rapper, and the
# W3C SPARQL 1.1 Protocol suite against kgpub serve.
conformance: test-deps
	$(PYTHON) -m pytest -q -m conformance tests/conformance tests/serve/test_w3c_protocol.py

example: install
	kgpub build examples/garden --out dist
