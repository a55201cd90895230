# berth — the commands of the README.
#   make up     install what is missing, build, run the whole system in the
#               background (berth up: etcd, dockerd, HAProxy, agent, confd, 3 nginx)
#   make status / make down   what runs / stop it all
#   make seed   render the seed article's haproxy.cfg once (file backend) and print it
#   make test   install what is missing, build, run every test (also under ASan+UBSan)
#   make build  build build/berth
#   make bench  run the benchmarks (numbers go to docs/performance.md)
#   make fuzz   run each fuzz target for FUZZ_SECONDS (clang, libFuzzer)

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CTEST_FLAGS ?= --output-on-failure --timeout 600

.PHONY: all deps build build-asan test unit-test up down status seed bench fuzz format clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBERTH_SANITIZE=ON -DBERTH_BENCH=OFF

build-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD) -j $(JOBS)

test: build build-asan
	cd $(BUILD) && ctest $(CTEST_FLAGS) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest $(CTEST_FLAGS) -j $(JOBS) -L 'unit|conformance'

# UP_FLAGS: more flags for berth up, e.g. UP_FLAGS="--port 8081 --instances 5"
up: build
	./$(BUILD)/berth up $(UP_FLAGS)

down:
	./$(BUILD)/berth down

status:
	./$(BUILD)/berth status

seed: build
	./scripts/seed.sh

bench: build
	./scripts/bench.sh

fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-16 -DBERTH_FUZZ=ON -DBERTH_BENCH=OFF
	ninja -C $(FUZZ_BUILD) -j $(JOBS) fuzz_targets
	./scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

format:
	find src tests bench -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
