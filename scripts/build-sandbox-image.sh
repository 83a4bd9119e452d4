#!/usr/bin/env bash
# Builds the Nook sandbox image from Debian packages (debootstrap + docker import) and
# prints its tag on the last line: nook-sandbox:<first 12 hex of sha256 over the recipe>.
# Idempotent: when that tag exists, nothing is built. Needs root, debootstrap, a Docker
# daemon and Debian's default mirror (the only network this uses).
#
#   NOOK_SANDBOX_BUILD_DIR  where rootfs trees are built (default: <repo>/.tmp/sandbox-image)
#   NOOK_DEBIAN_MIRROR      debootstrap mirror (default: Debian's default mirror)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
recipe="$root/relay/sandbox/image"
build_dir="${NOOK_SANDBOX_BUILD_DIR:-$root/.tmp/sandbox-image}"
log() { printf '[build-sandbox-image] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# The tag hashes every recipe file (name + content) and this script (its import flags are
# part of the recipe), so any change builds a new image.
recipe_hash() {
  {
    (cd "$recipe" && find . -type f ! -name '*.md' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    sha256sum <"${BASH_SOURCE[0]}"
  } | sha256sum | cut -c1-12
}
hash="$(recipe_hash)"
tag="nook-sandbox:$hash"

if docker image inspect "$tag" >/dev/null 2>&1; then
  log "image $tag exists; nothing to build"
  echo "$tag"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "building the image needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found (apt-get install debootstrap)"

packages="$(grep -vE '^\s*(#|$)' "$recipe/packages.txt" | tr -d ' ' | paste -sd, -)"
# The debootstrapped base depends only on the package list: cache it across recipe edits.
base_hash="$(sha256sum "$recipe/packages.txt" | cut -c1-12)"
base="$build_dir/base-$base_hash"
work="$build_dir/work-$hash"
mkdir -p "$build_dir"
# One build at a time (test script, bench and a developer may race); re-check after waiting.
exec 9>"$build_dir/.lock"
flock 9
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi
t0=$(date +%s)

if [ ! -f "$base/.nook-complete" ]; then
  # Older cached bases (another package list) are this script's own output: drop them.
  find "$build_dir" -maxdepth 1 \( -name 'base-*' -o -name 'debootstrap-*.log' \) \
    ! -name "base-$base_hash" ! -name "debootstrap-$base_hash.log" -exec rm -rf {} +
  rm -rf "$base"
  blog="$build_dir/debootstrap-$base_hash.log"
  log "debootstrap bookworm (minbase), then apt-get install --no-install-recommends $packages…"
  # Packages go in with apt inside the chroot, not debootstrap --include: debootstrap's
  # resolver drags in Recommends-like extras (scipy, sympy, compilers: +700 MB).
  # shellcheck disable=SC2086
  debootstrap --variant=minbase bookworm "$base" ${NOOK_DEBIAN_MIRROR:-} >"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; die "debootstrap failed"; }
  # shellcheck disable=SC2086
  { chroot "$base" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive chroot "$base" apt-get install -y -qq --no-install-recommends \
      ${packages//,/ }; } >>"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; die "apt-get install in the rootfs failed"; }
  touch "$base/.nook-complete"
fi

cleanup() { rm -rf "$work"; }
trap cleanup EXIT
rm -rf "$work"
cp -a "$base" "$work"
rm -f "$work/.nook-complete"
cp "$recipe/supervisor.py" "$work/tmp/nook-supervisor.py"
cp "$recipe/setup.sh" "$work/tmp/nook-setup.sh"
cp "$recipe/drop-packages.txt" "$work/tmp/nook-drop-packages.txt"
chroot "$work" /bin/sh /tmp/nook-setup.sh
rm -f "$work/tmp/nook-setup.sh"

log "docker import → $tag"
tar --numeric-owner -C "$work" -c . | docker import \
  --change 'USER 1000:1000' \
  --change 'WORKDIR /home/sandbox' \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8' \
  --change 'LABEL nook.sandbox.image=1' \
  --change 'CMD ["python3", "-I", "-u", "/opt/nook/supervisor.py"]' \
  - "$tag" >/dev/null
log "built $tag in $(( $(date +%s) - t0 )) s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$tag"
