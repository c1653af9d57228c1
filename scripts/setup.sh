#!/usr/bin/env bash
# Installs everything callscribe needs on a fresh Debian machine with Node 20: the Debian packages
# (decoding, speech recognition, speech synthesis for tests, a browser for UI tests, bench tools)
# when missing, then the npm packages (which also builds dist/ through the `prepare` script).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  ffmpeg sox libsox-fmt-all            # decoding, resampling, mixing
  pocketsphinx pocketsphinx-en-us      # the embedded speech recogniser and its US English model
  python3-pocketsphinx                 # its Python binding: the long-lived recogniser worker process
  pocketsphinx-testdata                # real recordings the speech tests measure against
  sphinxtrain                          # acoustic-model adaptation tools (MLLR/MAP)
  sphinxbase-utils irstlm              # sphinx_fe features for adaptation; IRSTLM n-gram estimation (tuning scripts)
  flite                                # speech synthesis for generated test calls
  sctk                                 # sclite, the standard word-error-rate scorer
  chromium fonts-dejavu-core           # the browser the UI tests drive (no browser download), and a font
  nginx-light wrk                      # baselines and load generator for bench/
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# onnxruntime-node's postinstall would fetch CUDA binaries from outside the npm registry; its CPU
# build (all callscribe uses, for the Silero VAD) ships inside the npm tarball.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
