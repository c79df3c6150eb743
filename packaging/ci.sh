#!/usr/bin/env bash
# CI: build the frozen app and its installers on this checkout, then try them as a delegate's
# laptop would: no Python on the PATH, an empty environment, no network (unshare -n); then
# install the .deb, run it from the launcher's command, and remove it, checking that nothing
# is left. Fails on the first step that fails; prints how long each step took.
# Needs root (unshare -n, dpkg -i), and PyPI once to install the build dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
ci_started=$(now_ms)
step_name=""
step_started=0
step() { finish; step_name=$*; step_started=$(now_ms); echo "packaging-ci: $step_name"; }
finish() {
  if [ -n "$step_name" ]; then
    local ms=$(($(now_ms) - step_started))
    printf 'packaging-ci:   ok, %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))
  fi
  step_name=""
}
fail() { echo "packaging-ci: FAILED: $step_name: $*" >&2; exit 1; }
trap 'rc=$?; [ $rc = 0 ] || echo "packaging-ci: FAILED (exit $rc) in: $step_name" >&2' EXIT

work=$(mktemp -d /tmp/briefreader-packaging-ci.XXXXXX)
trap 'rc=$?; rm -rf "$work"; [ $rc = 0 ] || echo "packaging-ci: FAILED (exit $rc) in: $step_name" >&2' EXIT

version=$("$PYTHON" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")
arch=$(uname -m)
deb_arch=$(dpkg --print-architecture)
app_id=io.github.briefreader.BriefReader

step "install the build dependencies (.[package], pinned in pyproject.toml)"
"$PYTHON" -m pip install -q -e '.[package]' 2>&1 | grep -v '^WARNING: Location' || true
"$PYTHON" -c "import PyInstaller" || fail "PyInstaller did not install"

step "build: packaging/build.sh"
if ! packaging/build.sh > "$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  fail "packaging/build.sh failed"
fi
grep '^build:' "$work/build.log"
bundle=dist/briefreader
tarball=dist/briefreader-$version-linux-$arch.tar.gz
deb=dist/briefreader_${version}_$deb_arch.deb
for f in "$bundle/briefreader" "$tarball" "$deb"; do [ -e "$f" ] || fail "missing $f"; done

step "the bundle ships only the Qt modules the app uses"
shipped=$(find "$bundle" -name 'libQt6*.so*' -printf '%f\n' | sed 's/\.so.*//' | sort -u | tr '\n' ' ')
echo "packaging-ci:   Qt libraries: $shipped"
for unwanted in Network Qml Quick Pdf WebEngine Multimedia Test Sql; do
  if find "$bundle" -name "libQt6$unwanted*" -o -name "Qt$unwanted.*" | grep -q .; then
    fail "Qt$unwanted is in the bundle"
  fi
done
echo "packaging-ci:   folder $(du -sh "$bundle" | cut -f1), archive $(du -h "$tarball" | cut -f1), deb $(du -h "$deb" | cut -f1)"

# A delegate's laptop: an empty environment, a PATH with a shell and no Python, no network.
mkdir -p "$work/bin" "$work/home"
ln -s "$(command -v sh)" "$work/bin/sh"
laptop() {
  unshare -n env -i HOME="$work/home" PATH="$work/bin" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
}
laptop sh -c 'command -v python3 || command -v python' && fail "python is on the test PATH"
if command -v ip >/dev/null; then
  [ "$(unshare -n ip -o link | grep -vc ': lo:')" = 0 ] || fail "unshare -n left a network device"
fi

step "frozen: --version, with no Python and no network"
out=$(laptop "$bundle/briefreader" --version) || fail "--version exited $?"
[ "$out" = "briefreader $version" ] || fail "--version printed '$out'"

step "frozen: search grooming --json"
laptop "$bundle/briefreader" search grooming --json > "$work/hits.json" || fail "search exited $?"
section=$("$PYTHON" -c "import json,sys; h=json.load(open(sys.argv[1])); assert h, 'no hit'; print(h[0]['id'])" "$work/hits.json") \
  || fail "search printed no hit as JSON"
echo "packaging-ci:   first hit: $section"

step "frozen: the index build worker (--build-index-part) writes a segment"
# What a large briefing's build starts (core/search/workers.py): the bundle's own executable
# with a hidden argument, fed its sections as JSON lines on standard input.
mkdir -p "$work/part"
printf '%s\n' '{"format": 1, "sections": 1}' \
  '["t/grooming", "t", "review", "Grooming", "Online grooming of children.", ""]' \
  | laptop "$bundle/briefreader" --build-index-part "$work/part" > "$work/worker.txt" \
  || fail "the worker exited $?: $(cat "$work/worker.txt")"
[ "$(tail -1 "$work/worker.txt")" = "done 1" ] || fail "the worker said: $(cat "$work/worker.txt")"
ls "$work/part" | grep -q '^_MAIN_1\.toc$' || fail "the worker wrote no index: $(ls "$work/part")"

step "frozen: a briefing of 368 sections is indexed by the frozen worker"
# The bundled briefing's themes four times over (more than index.IN_PROCESS_MAX_SECTIONS):
# the frozen app starts itself as the build worker, with no Python and no network.
cp -r content "$work/big"
"$PYTHON" - "$work/big" <<'PY' || fail "could not make the larger briefing"
import pathlib, re, sys, tomllib
root = pathlib.Path(sys.argv[1])
manifest = root / "briefing.toml"
themes = tomllib.loads(manifest.read_text(encoding="utf-8"))["themes"]
extra = []
for copy in (2, 3, 4):
    for theme in themes:
        names = []
        for name in theme["files"]:
            text = (root / "themes" / name).read_text(encoding="utf-8")
            text = re.sub(r'^theme = "([^"]+)"', rf'theme = "\1-{copy}"', text, count=1, flags=re.M)
            names.append(name.replace(".md", f"-{copy}.md"))
            (root / "themes" / names[-1]).write_text(text, encoding="utf-8")
        files = ", ".join(f'"{n}"' for n in names)
        extra.append(f'\n[[themes]]\nid = "{theme["id"]}-{copy}"\ntitle = "{theme["title"]} ({copy})"\nfiles = [{files}]\n')
manifest.write_text(manifest.read_text(encoding="utf-8") + "".join(extra), encoding="utf-8")
PY
big() { laptop /usr/bin/env BRIEFREADER_CONTENT_DIR="$work/big" BRIEFREADER_CACHE_DIR="$work/big-cache" "$bundle/briefreader" "$@"; }
out=$(big index 2>&1) || fail "index exited $?: $out"
grep -q "^Built the index of 368 sections" <<<"$out" || fail "index said: $out"
grep -q "warning" <<<"$out" && fail "index warned: $out"
big search grooming | grep -q "passages\? match" || fail "no match for grooming in the larger briefing"

step "frozen: excerpt $section"
laptop "$bundle/briefreader" excerpt "$section" > "$work/excerpt.txt" || fail "excerpt exited $?"
grep -q "WeProtect Global Alliance" "$work/excerpt.txt" || fail "the excerpt has no citation"

step "frozen: --screenshot (offscreen)"
laptop "$bundle/briefreader" --screenshot "$work/frozen.png" || fail "--screenshot exited $?"
[ "$(head -c 8 "$work/frozen.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
[ "$(stat -c %s "$work/frozen.png")" -gt 50000 ] || fail "the screenshot is nearly empty"

step "the .tar.gz runs from wherever it is unpacked (a path with a space)"
mkdir -p "$work/USB stick"
tar -xzf "$tarball" -C "$work/USB stick"
out=$(laptop "$work/USB stick/briefreader/briefreader" search sextortion) || fail "search exited $?"
grep -q "passages\? match" <<<"$out" || fail "no match for sextortion from the unpacked archive"

if command -v desktop-file-validate >/dev/null && command -v appstreamcli >/dev/null; then
  step "desktop entry and AppStream metainfo validate"
  desktop-file-validate "packaging/linux/$app_id.desktop" || fail "desktop-file-validate"
  appstreamcli validate --no-net "packaging/linux/$app_id.metainfo.xml" || fail "appstreamcli validate"
fi

step "the .deb installs (dpkg -i), runs and shows in the applications list"
if dpkg -s briefreader >/dev/null 2>&1; then dpkg -r briefreader >/dev/null; fi
dpkg -i "$deb" >/dev/null || fail "dpkg -i"
dpkg -L briefreader > "$work/installed.txt"
[ -x /opt/briefreader/briefreader ] && [ -L /usr/bin/briefreader ] || fail "not under /opt with a /usr/bin link"
[ -f "/usr/share/applications/$app_id.desktop" ] || fail "no desktop entry"
[ -f "/usr/share/icons/hicolor/256x256/apps/$app_id.png" ] || fail "no icon"
[ -f "/usr/share/metainfo/$app_id.metainfo.xml" ] || fail "no metainfo"
out=$(unshare -n env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen briefreader --version) \
  || fail "the installed briefreader --version exited $?"
[ "$out" = "briefreader $version" ] || fail "installed --version printed '$out'"
unshare -n env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  briefreader --screenshot "$work/installed.png" || fail "the installed --screenshot exited $?"

step "the .deb removes cleanly (dpkg -r): none of its files is left"
dpkg -r briefreader >/dev/null || fail "dpkg -r"
left=$(while read -r path; do
  # Directories shared with other packages (/usr/share/icons/hicolor/...) stay; our files go.
  if [ -L "$path" ] || [ -f "$path" ] || { [ -d "$path" ] && [[ "$path" == /opt/briefreader* ]]; }; then
    echo "$path"
  fi
done < "$work/installed.txt")
[ -z "$left" ] || fail "left after removal: $(head -5 <<<"$left")"
[ ! -e /opt/briefreader ] || fail "/opt/briefreader is left"
finish

ms=$(($(now_ms) - ci_started))
printf 'packaging-ci: all steps passed in %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))
