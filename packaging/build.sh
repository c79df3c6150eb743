#!/usr/bin/env bash
# Build BriefReader for a delegate's laptop: the frozen one-folder app (PyInstaller), and on
# Linux its two installers. From the repository root, or from anywhere:
#
#   packaging/build.sh                  # dist/briefreader/, dist/briefreader-VERSION-linux-ARCH.tar.gz,
#                                       # dist/briefreader_VERSION_ARCH.deb
#   packaging/build.sh --install-deps   # first: pip install -e '.[package]' into .venv (needs PyPI)
#   packaging/build.sh --no-deb         # the folder and the .tar.gz only
#
# Needs no network once the build dependencies are installed. PYTHON picks the interpreter
# (default: .venv/bin/python, else python3). Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

install_deps=false
make_deb=true
for arg in "$@"; do
  case "$arg" in
    --install-deps) install_deps=true ;;
    --no-deb) make_deb=false ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi

step_started=0
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
step() { step_started=$(now_ms); echo "build: $*"; }
done_step() { local ms=$(($(now_ms) - step_started)); printf 'build:   %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100)); }

if $install_deps; then
  step "installing the build dependencies: $PYTHON -m pip install -e '.[package]'"
  "$PYTHON" -m pip install -q -e '.[package]'
  done_step
fi
if ! "$PYTHON" -c "import PyInstaller, briefreader" 2>/dev/null; then
  echo "build.sh: PyInstaller or briefreader is not installed for $PYTHON." >&2
  echo "  Install them once (needs PyPI): $PYTHON -m pip install -e '.[package]'" >&2
  echo "  or run: packaging/build.sh --install-deps" >&2
  exit 1
fi

version=$("$PYTHON" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")

step "freezing BriefReader $version with PyInstaller into dist/briefreader/"
rm -rf dist/briefreader build/pyinstaller
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/briefreader.spec
done_step

if [ "$(uname -s)" != Linux ]; then
  echo "build: done: dist/briefreader/ (installers are made on Linux only; see packaging/README.md)"
  exit 0
fi

arch=$(uname -m)
# Reproducible archives: every file owned by root, in name order, dated by the last commit.
epoch=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tarball="dist/briefreader-$version-linux-$arch.tar.gz"
step "archiving the folder into $tarball"
tar --create --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
  --directory=dist briefreader | gzip -n -6 > "$tarball"
done_step

if $make_deb; then
  deb_arch=$(dpkg --print-architecture)
  deb="dist/briefreader_${version}_$deb_arch.deb"
  app_id=io.github.briefreader.BriefReader
  step "making the Debian package $deb"
  root=build/deb/root
  rm -rf build/deb
  mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/metainfo" \
    "$root/DEBIAN" "$root/usr/share/doc/briefreader"
  cp -a dist/briefreader "$root/opt/briefreader"
  ln -s /opt/briefreader/briefreader "$root/usr/bin/briefreader"
  install -m 644 "packaging/linux/$app_id.desktop" "$root/usr/share/applications/"
  install -m 644 "packaging/linux/$app_id.metainfo.xml" "$root/usr/share/metainfo/"
  for size in 16 24 32 48 64 128 256; do
    install -D -m 644 "resources/icons/briefreader-$size.png" \
      "$root/usr/share/icons/hicolor/${size}x$size/apps/$app_id.png"
  done
  install -D -m 644 resources/icons/briefreader.svg "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  printf 'BriefReader, an offline briefing reader. License: MIT.\n' > "$root/usr/share/doc/briefreader/copyright"
  # The bundle carries Python, Qt and most libraries; from the system it needs the C library
  # (at least the newest version any bundled file asks for), OpenGL/EGL, the X11 and Wayland
  # client libraries, and fontconfig's configuration with a font.
  glibc=$(find "$root/opt/briefreader" -type f \( -name '*.so*' -o -name briefreader \) -exec objdump -T {} + 2>/dev/null \
    | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
  size_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  cat > "$root/DEBIAN/control" <<CONTROL
Package: briefreader
Version: $version
Architecture: $deb_arch
Maintainer: The BriefReader developers
Installed-Size: $size_kib
Depends: libc6 (>= $glibc), libgl1, libegl1, libxcb1, libwayland-client0, fontconfig-config
Recommends: fonts-dejavu-core
Section: text
Priority: optional
Description: offline reader for the WeProtect Global Alliance 2023 briefing
 BriefReader carries the WeProtect Global Alliance's 2023 annual review and the
 findings and recommendations of its 2023 Global Threat Assessment. Read it by
 theme, search it as you type, and copy excerpts with their citation, with no
 network. A self-contained build: Python and Qt are inside /opt/briefreader.
CONTROL
  find "$root" -exec touch -h -d "@$epoch" {} +
  SOURCE_DATE_EPOCH=$epoch dpkg-deb --build --root-owner-group -Zxz -z3 "$root" "$deb" >/dev/null
  done_step
fi

echo "build: done:"
du -sh dist/briefreader "$tarball" ${deb:+"$deb"} | sed 's/^/build:   /'
