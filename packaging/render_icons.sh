#!/usr/bin/env bash
# Render the application icon's PNG sizes from its SVG source (resources/icons/briefreader.svg).
# The PNGs are committed: run this only after changing the SVG. Needs rsvg-convert (Debian:
# librsvg2-bin; macOS: brew install librsvg).
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for size in 16 24 32 48 64 128 256; do
  rsvg-convert --width "$size" --height "$size" briefreader.svg --output "briefreader-$size.png"
done
ls -l briefreader-*.png
