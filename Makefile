# ddim-lab build. `make` builds build/ddim-lab; `make help` lists the targets.
#
# Variables a caller may set:
#   BUILD=dir       where objects and binaries go (default build)
#   SANITIZE=1      build with AddressSanitizer + UndefinedBehaviorSanitizer
#   FUZZ=1          build for libFuzzer with clang, ASan + UBSan (what `make fuzz` builds with)
#   FUZZ_SECONDS=n  how long `make fuzz` runs each target (default 60)
#   TARGET_ARCH=aarch64  cross-build the kernel tests with aarch64-linux-gnu-gcc

BUILD ?= build
TARGET_ARCH ?= $(shell uname -m)
VERSION := 0.1.0

ifeq ($(TARGET_ARCH),aarch64)
  ifneq ($(shell uname -m),aarch64)
    CC := aarch64-linux-gnu-gcc
    PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig pkg-config
  endif
endif
CC ?= gcc
CXX ?= g++
PKG_CONFIG ?= pkg-config

CFLAGS := -std=c11 -O2 -g -Wall -Wextra -D_POSIX_C_SOURCE=200809L -MMD -MP -I.
# Threads through OpenMP on native builds; the qemu-run NEON build stays
# single-threaded (its kernels give the same results either way).
ifeq ($(TARGET_ARCH),$(shell uname -m))
  CFLAGS += -fopenmp
  LDFLAGS += -fopenmp
endif
ifeq ($(SANITIZE),1)
  CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=address,undefined
endif
# Every object with libFuzzer's coverage hooks, ASan and UBSan; a UBSan
# report aborts, so that the fuzzer keeps its input. The fuzz targets run
# on one thread: no OpenMP (clang's would need libomp).
ifeq ($(FUZZ),1)
  CFLAGS := $(filter-out -fopenmp,$(CFLAGS)) -fsanitize=fuzzer-no-link,address,undefined \
            -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS := $(filter-out -fopenmp,$(LDFLAGS)) -fsanitize=fuzzer,address,undefined
endif

# Each ISA directory gets exactly the flags of its ISA; everything else is
# built for the baseline of the architecture and picks kernels at run time.
ISA_FLAGS_ref := -fno-tree-vectorize
ISA_FLAGS_avx2 := -mavx2 -mfma
ISA_FLAGS_avx512 := -mavx512f -mavx2 -mfma
ISA_FLAGS_neon :=
ifeq ($(TARGET_ARCH),x86_64)
  ISAS := ref avx2 avx512
else ifeq ($(TARGET_ARCH),aarch64)
  ISAS := ref neon
else
  ISAS := ref
endif
CFLAGS += $(foreach isa,$(ISAS),-DDDIM_HAVE_$(isa))

KERNEL_SRC := $(wildcard kernels/*.c) $(foreach isa,$(ISAS),$(wildcard kernels/$(isa)/*.c))
RUNTIME_SRC := $(filter-out runtime/cli/main.c,$(wildcard runtime/*/*.c))
KERNEL_TEST_SRC := tests/test_main.c tests/test_util.c $(wildcard tests/test_kernels*.c)
RUNTIME_TEST_SRC := $(filter-out $(KERNEL_TEST_SRC),$(wildcard tests/*.c))

KERNEL_LIBS = $(shell $(PKG_CONFIG) --libs sleef) -lm
RUNTIME_LIBS = $(shell $(PKG_CONFIG) --libs lua5.4 libpng zlib lapacke nettle)
RUNTIME_CFLAGS = $(shell $(PKG_CONFIG) --cflags lua5.4 libpng zlib lapacke nettle)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
KERNEL_OBJ := $(call obj,$(KERNEL_SRC))
RUNTIME_OBJ := $(call obj,$(RUNTIME_SRC))

.PHONY: all install quick deps deps-neon data test test-kernels test-neon test-sanitize test-layers test-sizes test-docs check \
        bench bench-torch clean help fuzz fuzz-seeds test-valgrind
all: $(BUILD)/ddim-lab

help:
	@echo "make            build build/ddim-lab"
	@echo "make quick      the main job: the seed's two networks beside the digits-in-minutes recipe, --quick, seed 1"
	@echo "make deps       install missing Debian packages (apt-get; sudo when not root)"
	@echo "make data       fetch and verify MNIST into data/mnist/"
	@echo "make test       all tests, every ISA this CPU runs"
	@echo "make test-neon  the kernel tests cross-built for AArch64, run under qemu-aarch64"
	@echo "make test-sanitize  the tests under AddressSanitizer + UBSan"
	@echo "make test-layers  every include in runtime/ from its own folder or one below (docs/architecture.md)"
	@echo "make test-sizes   no file in runtime/ or kernels/ over 500 lines, no function over 100"
	@echo "make test-docs    every file:function hop of docs/architecture.md exists"
	@echo "make check      test-layers + test-sizes + test-docs + test + test-neon + test-sanitize (what CI runs)"
	@echo "make fuzz       each reader's libFuzzer target (clang, ASan + UBSan) for FUZZ_SECONDS (60) in turn"
	@echo "make fuzz-seeds rewrite the fuzz targets' seeds in fuzz/corpus/ with the project's writers"
	@echo "make test-valgrind  a tiny experiment run under valgrind's memcheck: no errors, no leaks"
	@echo "make bench      kernel benchmarks against the measured FMA peak and OpenBLAS, then the training step's"
	@echo "make bench-torch  the networks' training step and sampling in PyTorch (NCHW, channels_last; 1, 2 threads)"
	@echo "                 beside ddim-lab bench's; skipped when python3-torch is absent (BENCH_TORCH_FLAGS=--quick)"

# Installing packages is order-only: it never makes anything out of date.
$(BUILD)/.deps-native: scripts/deps.sh
	@scripts/deps.sh native
	@mkdir -p $(@D) && touch $@
$(BUILD)/.deps-neon: scripts/deps.sh
	@scripts/deps.sh neon
	@mkdir -p $(@D) && touch $@
deps: $(BUILD)/.deps-native
deps-neon: $(BUILD)/.deps-neon
DEPS_STAMP := $(if $(filter aarch64,$(TARGET_ARCH)),$(if $(filter aarch64,$(shell uname -m)),$(BUILD)/.deps-native,$(BUILD)/.deps-neon),$(BUILD)/.deps-native)

$(BUILD)/kernels/%.o: kernels/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ISA_FLAGS_$(firstword $(subst /, ,$(dir $*)))) -c $< -o $@

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(RUNTIME_CFLAGS) -DDDIM_VERSION='"$(VERSION)"' -c $< -o $@

$(BUILD)/ddim-lab: $(call obj,runtime/cli/main.c) $(RUNTIME_OBJ) $(KERNEL_OBJ)
	$(CC) $(LDFLAGS) $^ $(RUNTIME_LIBS) $(KERNEL_LIBS) -o $@

# The MNIST digests live in runtime/base/mnist.sha256 (which scripts/fetch-mnist.sh
# reads); C gets them as initializers { "name.gz", "digest" }.
$(BUILD)/gen/mnist_digests.h: runtime/base/mnist.sha256
	@mkdir -p $(@D)
	sed -nE 's/^([0-9a-f]{64}) +(.+)$$/{ "\2.gz", "\1" },/p' $< > $@
$(BUILD)/runtime/base/mnist.o: $(BUILD)/gen/mnist_digests.h
$(BUILD)/runtime/base/mnist.o: CFLAGS += -I$(BUILD)/gen
# What a run's meta.json says built it: the commit (with -dirty for local
# changes) and the flags. Rewritten only when that changes, so a build of
# the same tree does not recompile.
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
$(BUILD)/gen/build_info.h: FORCE
	@mkdir -p $(@D)
	@printf '#define DDIM_GIT_COMMIT "%s"\n#define DDIM_CFLAGS "%s"\n' '$(GIT_COMMIT)' '$(CFLAGS)' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
$(BUILD)/runtime/report/run_meta.o: $(BUILD)/gen/build_info.h
$(BUILD)/runtime/report/run_meta.o: CFLAGS += -I$(BUILD)/gen
FORCE:
# The U-Net layers' loops run over a block of channels whose count is known
# only at run time; -O3's vectoriser takes such loops, -O2's does not.
$(BUILD)/kernels/image_ops.o: CFLAGS += -O3
# So is the check of every weight after every training step (finite.h).
$(BUILD)/runtime/base/finite.o: CFLAGS += -O3
# The CLI tests run the binary of this build.
$(BUILD)/tests/test_program.o $(BUILD)/tests/test_diffusion.o \
$(BUILD)/tests/test_classifier_file.o $(BUILD)/tests/test_resume.o: \
  CFLAGS += -DDDIM_LAB_BINARY='"$(BUILD)/ddim-lab"'

# Kernel tests alone (what runs under qemu) and the full suite.
$(BUILD)/test-kernels: $(call obj,$(KERNEL_TEST_SRC)) $(KERNEL_OBJ)
	$(CC) $(LDFLAGS) $^ $(KERNEL_LIBS) $(shell $(PKG_CONFIG) --libs cmocka) -o $@
$(BUILD)/test-all: $(call obj,$(KERNEL_TEST_SRC) $(RUNTIME_TEST_SRC)) $(RUNTIME_OBJ) $(KERNEL_OBJ)
	$(CC) $(LDFLAGS) $^ $(RUNTIME_LIBS) $(KERNEL_LIBS) $(shell $(PKG_CONFIG) --libs cmocka) -o $@

test: data $(BUILD)/test-all $(BUILD)/ddim-lab
	tests/test-fetch-mnist.sh
	tests/test-install.sh
	$(BUILD)/test-all

test-kernels: $(BUILD)/test-kernels
	$(BUILD)/test-kernels

# The guest's loader, libc, libsleef and libcmocka all come from the arm64
# multiarch packages (/lib/aarch64-linux-gnu), so qemu's guest root is /;
# /usr/aarch64-linux-gnu would pair the cross toolchain's ld.so with the
# multiarch libc, two different glibc builds. The kernel tests use none of
# the runtime's libraries, which are not installed for arm64: RUNTIME_CFLAGS=
# keeps pkg-config from looking for them.
test-neon: deps-neon
	$(MAKE) --no-print-directory BUILD=$(BUILD)/neon TARGET_ARCH=aarch64 RUNTIME_CFLAGS= $(BUILD)/neon/test-kernels
	QEMU_LD_PREFIX=/ qemu-aarch64 $(BUILD)/neon/test-kernels

# The cmocka suite (which also runs the sanitized ddim-lab for the CLI tests).
test-sanitize: data
	$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize SANITIZE=1 $(BUILD)/sanitize/test-all $(BUILD)/sanitize/ddim-lab
	$(BUILD)/sanitize/test-all

# The include layering of runtime/ (scripts/check-layers.sh says the order).
test-layers:
	scripts/check-layers.sh

# Files and functions small enough to read (scripts/check-sizes.sh).
test-sizes:
	scripts/check-sizes.sh

# The hops docs/architecture.md names (scripts/check-architecture-doc.sh).
test-docs:
	scripts/check-architecture-doc.sh

check: test-layers test-sizes test-docs test test-neon test-sanitize

# Medians of 5 repetitions: the machines are shared and noisy.
BENCH_FLAGS ?= --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_min_time=0.2
CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -MMD -MP -I.
$(BUILD)/bench/%.o: bench/%.cc | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(shell $(PKG_CONFIG) --cflags benchmark openblas) -c $< -o $@
$(BUILD)/bench-kernels: $(BUILD)/bench/bench_kernels.o $(KERNEL_OBJ)
	$(CXX) $(LDFLAGS) $^ $(shell $(PKG_CONFIG) --libs benchmark openblas) $(KERNEL_LIBS) -lpthread -o $@
# Our kernels on one core (OMP_NUM_THREADS=1): the figures are fractions of
# one core's peak. The OpenBLAS rows set their own thread counts.
bench: $(BUILD)/bench-kernels $(BUILD)/ddim-lab
	OMP_NUM_THREADS=1 $(BUILD)/bench-kernels $(BENCH_FLAGS) --benchmark_out=$(BUILD)/bench.json --benchmark_out_format=json
	$(BUILD)/ddim-lab bench experiments/skip_vs_noskip.lua

# Optional: the same networks, batch and step in PyTorch, ratios beside
# ddim-lab's (bench/bench_torch.py). Any python3 on PATH that imports torch,
# else Debian's /usr/bin/python3 (a pyenv or venv python3 does not see
# python3-torch); neither: one line saying so, and success.
BENCH_TORCH_FLAGS ?=
bench-torch: $(BUILD)/ddim-lab
	@py=; for p in python3 /usr/bin/python3; do \
	  if $$p -c 'import torch' 2>/dev/null; then py=$$p; break; fi; done; \
	if [ -z "$$py" ]; then \
	  echo "make bench-torch: skipped: python3-torch is not installed (apt-get install python3-torch)"; \
	else \
	  $$py bench/bench_torch.py --ddim-lab $(BUILD)/ddim-lab $(BENCH_TORCH_FLAGS); \
	fi

# The main job, a smoke test of a few minutes: one seed, so that a first run
# shows the contrast (the seed's networks draw noise, the recipe digits) soon.
quick: data $(BUILD)/ddim-lab models/mnist_classifier_v2.ddim
	$(BUILD)/ddim-lab experiments/skip_vs_noskip.lua --quick --seed 1

# The classifier that scores samples is in the repository, so that every
# machine's FID and recognisable % come from the same one (as FID's
# Inception weights are fixed); this retrains it when it is missing (about
# 3 to 5 minutes on 2 cores). tests/test_classifier.c checks the committed
# one: trained from experiments/lib/classifier.lua as it is, 99% or more.
models/mnist_classifier_v2.ddim: | data $(BUILD)/ddim-lab
	$(BUILD)/ddim-lab classifier --out $@

data: $(BUILD)/.deps-native
	scripts/fetch-mnist.sh data/mnist

# The binary, the experiments with their lib/ (where an installed
# ddim-lab's `require "lib.NAME"` finds them) and the man page.
PREFIX ?= /usr/local
install: $(BUILD)/ddim-lab
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ddim-lab/experiments/lib \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/ddim-lab $(DESTDIR)$(PREFIX)/bin/
	install -m 644 experiments/*.lua $(DESTDIR)$(PREFIX)/share/ddim-lab/experiments/
	install -m 644 experiments/lib/*.lua $(DESTDIR)$(PREFIX)/share/ddim-lab/experiments/lib/
	install -m 644 man/ddim-lab.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf $(BUILD)

# Fuzzing: one libFuzzer target per reader of input files, the experiment
# loader among them (fuzz/fuzz_*.c),
# built in $(BUILD)/fuzz and run one after the other (fuzz/run-fuzzers.sh).
# The regression test replays the kept findings through the same feeds.
FUZZ_TARGETS := fuzz_mnist_idx fuzz_checkpoint fuzz_classifier_file fuzz_report_csv fuzz_experiment
FUZZ_SECONDS ?= 60
$(BUILD)/.deps-fuzz: scripts/deps.sh
	@scripts/deps.sh fuzz
	@mkdir -p $(@D) && touch $@
$(BUILD)/fuzz_%: $(call obj,fuzz/fuzz_%.c fuzz/fuzz_feed.c) $(RUNTIME_OBJ) $(KERNEL_OBJ)
	$(CC) $(LDFLAGS) $^ $(RUNTIME_LIBS) $(KERNEL_LIBS) -o $@
$(BUILD)/test-all: $(call obj,fuzz/fuzz_feed.c)
fuzz: $(BUILD)/.deps-fuzz
	$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz FUZZ=1 CC=clang $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
	fuzz/run-fuzzers.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)
$(BUILD)/make-fuzz-seeds: $(call obj,fuzz/make_seeds.c) $(RUNTIME_OBJ) $(KERNEL_OBJ)
	$(CC) $(LDFLAGS) $^ $(RUNTIME_LIBS) $(KERNEL_LIBS) -o $@
fuzz-seeds: $(BUILD)/make-fuzz-seeds $(BUILD)/ddim-lab
	fuzz/make-seeds.sh $(BUILD)

# A tiny run under valgrind's memcheck (2 to 3 minutes): two training steps
# of 16 images, 2 sampling steps, 16 samples scored by the tiny classifier
# of fuzz/ (fuzz/tiny_classifier.lua), the report written. Any memory error
# or definite or possible leak fails it. One thread, so that no OpenMP
# worker threads run; valgrind hides AVX-512, so the kernels are AVX2's.
test-valgrind: data $(BUILD)/ddim-lab
	rm -rf $(BUILD)/valgrind
	valgrind --error-exitcode=1 --leak-check=full $(BUILD)/ddim-lab experiments/skip_vs_noskip.lua \
	  --variant skip --seed 1 --threads 1 train.max_images=32 train.batch_size=16 train.epochs=1 \
	  diffusion.steps=2 sample.metric_samples=16 sample.grid=2 \
	  --classifier fuzz/corpus/fuzz_classifier_file/classifier.ddim --out $(BUILD)/valgrind

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
