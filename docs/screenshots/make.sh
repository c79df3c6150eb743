#!/usr/bin/env bash
# Regenerates the README's screenshots with the app's own --screenshot option (offscreen).
set -euo pipefail
cd "$(dirname "$0")/../.."
export QT_QPA_PLATFORM=offscreen
shot() { .venv/bin/briefreader --screenshot "docs/screenshots/$1.png" "${@:2}"; }
shot start
shot theme-voices --tab voices
shot search --search "safety by design"
shot passage --search "sextortion"
shot dark --dark --search "generative AI"
shot zoomed --tab recommendations --zoom 150
shot dark-switched --switched --dark --search "generative AI"
shot small-1024 --size 1024x640 --panels tray,figures --search sextortion
shot small-1280 --size 1280x720 --panels tray --search "safety by design"
