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
shot question --search "how many reports of child sexual abuse material"
shot figure-answer --search "grooming 19 seconds"
shot synonyms --search "sextortion"
shot typo --search "sextorsion"
# The PDFs: a seven-excerpt briefing note (pages 1 and 2) and the Voices theme (page 1).
pdfs="$(mktemp -d)"
.venv/bin/python docs/screenshots/make_pdfs.py "$pdfs"
pdftoppm -png -r 80 -f 1 -l 2 "$pdfs/note.pdf" "$pdfs/note"
pdftoppm -png -r 80 -f 1 -l 1 "$pdfs/theme.pdf" "$pdfs/theme"
mv "$pdfs/note-1.png" docs/screenshots/pdf-note-1.png
mv "$pdfs/note-2.png" docs/screenshots/pdf-note-2.png
mv "$pdfs/theme-01.png" docs/screenshots/pdf-theme.png
rm -r "$pdfs"
shot dark-switched --switched --dark --search "generative AI"
shot small-1024 --size 1024x640 --panels tray,figures --search sextortion
shot small-1280 --size 1280x720 --panels tray --search "safety by design"
