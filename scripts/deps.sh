#!/usr/bin/env bash
# Installs the Debian packages a build needs that are missing.
# Usage: scripts/deps.sh native|neon|fuzz
# native: compiler, libraries, test framework, benchmark library, OpenBLAS,
#         LAPACKE (the eigendecomposition behind FID), nettle (SHA-256), valgrind
#         (make test-valgrind).
# neon: the AArch64 cross compiler, qemu-user and the arm64 libraries the NEON
#       kernel tests link (multiarch, via dpkg --add-architecture arm64);
#       libc6:arm64 is the runtime qemu loads them with (QEMU_LD_PREFIX=/).
# fuzz: clang and its runtimes for -fsanitize=fuzzer,address,undefined
#       (libclang-rt-dev: clang's packages only recommend it, and recommends
#       are not installed here).
set -euo pipefail

case "${1:-}" in
native)
    packages="gcc g++ make pkg-config curl ca-certificates liblua5.4-dev libpng-dev zlib1g-dev
              libsleef-dev libcmocka-dev libbenchmark-dev libopenblas-dev
              liblapacke-dev nettle-dev valgrind" ;;
neon)
    packages="pkg-config gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
              libc6:arm64 libsleef-dev:arm64 libcmocka-dev:arm64" ;;
fuzz)
    packages="clang libclang-rt-dev" ;;
*)
    echo "usage: $0 native|neon|fuzz" >&2; exit 2 ;;
esac

installed() { dpkg-query -W -f='${db:Status-Abbrev}\n' "$1" 2>/dev/null | grep -q '^ii'; }

missing=""
for p in $packages; do
    installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: installing$missing" >&2
if [ "$1" = neon ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64
fi
$sudo apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
