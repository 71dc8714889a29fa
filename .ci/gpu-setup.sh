#!/usr/bin/env bash
# System packages for the gpu.js backends (owned by gpu/; docs/gpu.md). .ci/run calls this before
# `npm ci`. Idempotent: installing what is already installed changes nothing.
#
# - webgpu: Dawn (npm package "webgpu") has no GPU here, so it runs on Mesa's software OpenGL ES
#   (llvmpipe) through EGL's surfaceless platform: libEGL (glvnd) + Mesa's EGL vendor library +
#   libGLESv2 + the DRI drivers (swrast/llvmpipe live in libgl1-mesa-dri, which nothing above
#   depends on). Dawn dlopen()s the unversioned "libEGL.so", which only libegl-dev provides:
#   without it a clean Debian 12 gets "Failed to load libEGL.so" and no adapter.
# - cpu, webasm: nothing beyond Node.
# - headlessgl (optional, not in CI): AHOP_GPU_SETUP_HEADLESSGL=1 adds the tool chain and headers
#   that gl's native build needs (package.json denies its install script; docs/gpu.md says how to
#   build it), and Xvfb to run it under (xvfb-run -a).
set -euo pipefail

packages=(libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri libegl-dev)
if [ "${AHOP_GPU_SETUP_HEADLESSGL:-0}" = 1 ]; then
  packages+=(build-essential python3 pkg-config libxi-dev libglu1-mesa-dev libglew-dev xvfb xauth)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

# apt-get update first, always; if it fails while nothing is missing, carry on.
if ! "${sudo[@]}" apt-get update -qq; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "gpu-setup: apt-get update failed and these packages are missing: ${missing[*]}" >&2
    exit 1
  fi
  echo "gpu-setup: apt-get update failed; the packages are installed already, continuing" >&2
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "gpu-setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "gpu-setup: ${packages[*]} already installed"
fi
