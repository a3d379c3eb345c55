# Tracker — the two commands a new machine needs are `make run` and `make test`.
#
# Database: when DATABASE_URL is set (in the environment or as `make test DATABASE_URL=...`)
# it is used as is and nothing is started. Otherwise scripts/pg.sh runs a private PostgreSQL
# cluster for this checkout (data in the git-ignored .pgdata/, its own port on 127.0.0.1),
# installing Debian's postgresql package first if the machine lacks it.
#
# `make` alone lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

GO ?= go
BIN := bin/tracker
LISTEN_ADDR ?= 127.0.0.1:8080
CHROMIUM := /usr/bin/chromium
WRK := /usr/bin/wrk

# make bench: relocations in the seeded portfolio (30 milestones each), seconds per wrk run.
BENCH_RELOCATIONS ?= 200
BENCH_SECONDS ?= 8

# The State Design System, vendored into ui/static/dsfr by `make dsfr`.
DSFR_VERSION := 1.15.3
DSFR_SHA256 := 8392703b628ccc29b4048df9fe23fe43fd851c3d40722f1056cb5f674aad3be3
DSFR_DIR := ui/static/dsfr

# axe-core, the accessibility rules engine the browser checks inject into each page; vendored
# into ui/testdata/axe by `make axe` (test data: never embedded, never served by the app).
AXE_VERSION := 4.14.1
AXE_SHA256 := e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
AXE_DIR := ui/testdata/axe

# The W3C Nu HTML Checker (npm vnu-jar, run with Java), vendored into the git-ignored
# ui/testdata/vnu by `make vnu` (about 30 MB: not committed). TestHTMLValid runs it over
# every served page; it needs a Java runtime (`make java` installs Debian's).
VNU_VERSION := 26.9.27
VNU_SHA256 := 5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7
VNU_DIR := ui/testdata/vnu

# WITH_DB, as the first line of a recipe, exports DATABASE_URL: the caller's if set, else the
# private cluster's (started on demand).
WITH_DB = if [ -z "$${DATABASE_URL:-}" ]; then DATABASE_URL=$$(scripts/pg.sh url); fi; export DATABASE_URL

# APT_INSTALL installs Debian packages, through sudo when not root.
APT_INSTALL = apt_install() { \
	local sudo=(); \
	if [ "$$(id -u)" -ne 0 ]; then \
		command -v sudo >/dev/null || { echo "need root or sudo to apt-get install $$*" >&2; return 1; }; \
		sudo=(sudo); \
	fi; \
	local log; log=$$(mktemp); \
	echo "installing $$* with apt-get (once)..." >&2; \
	if ! { "$${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update && \
		"$${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y "$$@"; } >"$$log" 2>&1; then \
		tail -n 30 "$$log" >&2; rm -f "$$log"; echo "apt-get install $$* failed" >&2; return 1; \
	fi; \
	rm -f "$$log"; \
}; apt_install

# The parsers' fuzz targets, as package:target:executions. Budgets count executions, not
# seconds (about 3 s each on an idle 2-core machine): a duration races Go 1.26's fuzz
# coordinator, which can report « context deadline exceeded » with no failing input on a
# loaded machine (golang/go#75804, fixed in Go 1.27).
FUZZ_TARGETS := sites:FuzzParseRoster:8000 sites:FuzzParseCoordinateInput:25000 \
	relocation:FuzzParseFuzzyDate:40000 relocation:FuzzParseFuzzyDateInput:60000 \
	relocation:FuzzParseNumberInput:40000 relocation:FuzzCleanText:40000 \
	relocation:FuzzParseQuestion:1200 ui:FuzzDecodeJSON:12000 ui:FuzzBindForm:12000 \
	ui:FuzzBadFraming:12000 ui:FuzzAcceptabilityOptions:15000

.PHONY: help run test fuzz bench vet fmt build clean db-start db-stop db-status db-url dsfr axe vnu npm java chromium wrk

help: ## List the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z-]+:.*## / { printf "  make %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

run: build ## Start the tracker with the CLEISS demo on http://127.0.0.1:8080
	@$(WITH_DB)
	$(BIN) migrate
	LISTEN_ADDR=$(LISTEN_ADDR) $(BIN) demo
	echo "tracker: http://$(LISTEN_ADDR)/login" >&2
	LISTEN_ADDR=$(LISTEN_ADDR) exec $(BIN) serve

test: chromium vnu ## Run all tests (race detector, real PostgreSQL, headless Chromium), then the parsers' fuzz targets briefly
	@$(WITH_DB)
	$(GO) test -race -count=1 ./...
	$(MAKE) --no-print-directory fuzz

fuzz: ## Run the parsers' fuzz targets briefly (a set number of executions each)
	@for target in $(FUZZ_TARGETS); do
		IFS=: read -r pkg name runs <<< "$$target"
		$(GO) test -run '^$$' -fuzz="^$$name\$$" -fuzztime="$${runs}x" "./$$pkg/"
	done

bench: wrk ## Load each main route with wrk beside a bare-stack reference; print req/s, p50, p99, ratios, peak RSS
	@$(WITH_DB)
	BENCH_RELOCATIONS=$(BENCH_RELOCATIONS) BENCH_SECONDS=$(BENCH_SECONDS) GO=$(GO) scripts/bench.sh

vet: ## Run go vet
	$(GO) vet ./...

fmt: ## Fail when a Go file is not gofmt-formatted (lists them)
	@files=$$(git ls-files --cached --others --exclude-standard '*.go')
	[ -z "$$files" ] || files=$$(gofmt -l $$files)
	if [ -n "$$files" ]; then echo "gofmt would change:" >&2; echo "$$files" >&2; exit 1; fi

build: ## Build bin/tracker
	$(GO) build -o $(BIN) ./cmd/tracker

clean: ## Remove build and test outputs (keeps the database: see db-stop)
	rm -rf bin/ coverage.out coverage.html *.test *.out

db-start: ## Start the private PostgreSQL cluster (nothing when DATABASE_URL is set)
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "DATABASE_URL is set: using it, starting nothing" >&2; exit 0; fi
	scripts/pg.sh start

db-stop: ## Stop the private PostgreSQL cluster
	@scripts/pg.sh stop

db-status: ## Say whether the private PostgreSQL cluster runs
	@scripts/pg.sh status

db-url: ## Print the database URL that run and test use
	@$(WITH_DB)
	echo "$$DATABASE_URL"

chromium: ## Install Debian's chromium for the browser tests when missing
	@if [ ! -x $(CHROMIUM) ]; then $(APT_INSTALL) chromium; fi

java: ## Install Debian's default Java runtime for the HTML checker when java is missing
	@if ! command -v java >/dev/null; then $(APT_INSTALL) default-jre-headless; fi

wrk: ## Install Debian's wrk for make bench when missing
	@if [ ! -x $(WRK) ]; then $(APT_INSTALL) wrk; fi

npm: ## Install Debian's npm (to fetch the pinned DSFR, axe-core and vnu) when missing
	@if ! command -v npm >/dev/null; then $(APT_INSTALL) npm; fi

dsfr: npm ## Vendor the pinned @gouvfr/dsfr (DSFR_VERSION, the files the pages use) into ui/static/dsfr
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT
	scripts/npm-unpack.sh "@gouvfr/dsfr@$(DSFR_VERSION)" $(DSFR_SHA256) "$$tmp"
	src="$$tmp/package/dist"
	# Copy only what the pages load, at the same relative paths so the CSS url()s resolve.
	rm -rf $(DSFR_DIR)
	mkdir -p $(DSFR_DIR)/fonts $(DSFR_DIR)/utility/icons
	cp "$$src/dsfr.min.css" "$$src/dsfr.module.min.js" "$$src/dsfr.nomodule.min.js" $(DSFR_DIR)/
	cp "$$src"/fonts/*.woff2 "$$src"/fonts/*.woff $(DSFR_DIR)/fonts/
	cp -R "$$src/icons" "$$src/favicon" $(DSFR_DIR)/
	cp "$$src/utility/icons/icons.min.css" $(DSFR_DIR)/utility/icons/
	cp "$$tmp/package/LICENSE.md" $(DSFR_DIR)/LICENSE.md
	echo "$(DSFR_VERSION)" > $(DSFR_DIR)/VERSION
	# Every url(...) in the two stylesheets must name a file copied above.
	missing=0
	for css in $(DSFR_DIR)/dsfr.min.css $(DSFR_DIR)/utility/icons/icons.min.css; do
		while read -r ref; do
			path=$$(dirname "$$css")/$${ref%%[?#]*}
			if [ ! -f "$$path" ]; then echo "dsfr: $$css references $$ref, not vendored" >&2; missing=1; fi
		done < <(grep -o 'url([^)]*)' "$$css" | sed -e 's/^url(//' -e 's/)$$//' -e "s/^[\"']//" -e "s/[\"']$$//" | grep -v '^data:' | sort -u)
	done
	[ "$$missing" -eq 0 ] || exit 1
	echo "dsfr $(DSFR_VERSION): $$(find $(DSFR_DIR) -type f | wc -l) files, $$(du -sh --apparent-size $(DSFR_DIR) | cut -f1) in $(DSFR_DIR)"

axe: npm ## Vendor the pinned axe-core (AXE_VERSION) into ui/testdata/axe for the browser checks
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT
	scripts/npm-unpack.sh "axe-core@$(AXE_VERSION)" $(AXE_SHA256) "$$tmp"
	rm -rf $(AXE_DIR)
	mkdir -p $(AXE_DIR)
	cp "$$tmp/package/axe.min.js" "$$tmp/package/LICENSE" "$$tmp/package/LICENSE-3RD-PARTY.txt" $(AXE_DIR)/
	echo "$(AXE_VERSION)" > $(AXE_DIR)/VERSION
	echo "axe-core $(AXE_VERSION): $$(du -sh --apparent-size $(AXE_DIR) | cut -f1) in $(AXE_DIR)"

vnu: java ## Vendor the pinned W3C Nu HTML Checker (VNU_VERSION) into the git-ignored ui/testdata/vnu, once
	@if [ "$$(cat $(VNU_DIR)/VERSION 2>/dev/null)" = "$(VNU_VERSION)" ] && [ -f $(VNU_DIR)/vnu.jar ]; then exit 0; fi
	$(MAKE) --no-print-directory npm
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT
	scripts/npm-unpack.sh "vnu-jar@$(VNU_VERSION)" $(VNU_SHA256) "$$tmp"
	rm -rf $(VNU_DIR)
	mkdir -p $(VNU_DIR)
	cp "$$tmp/package/build/dist/vnu.jar" "$$tmp/package/LICENSE" $(VNU_DIR)/
	echo "$(VNU_VERSION)" > $(VNU_DIR)/VERSION
	echo "vnu $(VNU_VERSION): $$(du -sh --apparent-size $(VNU_DIR) | cut -f1) in $(VNU_DIR)"
