#!/usr/bin/env bash
# Build the packaged app: one folder, dist/rpa-assistant/, with the program
# dist/rpa-assistant/rpa-assistant that runs without Python or the virtual environment.
#
#   scripts/build-package.sh [--clean] [--check]
#
#   --clean   forget PyInstaller's cache (build/pyinstaller) and analyse everything again
#   --check   afterwards, run the packaged program's --self-test (needs a display)
#
# Sets up what is missing first (scripts/setup.sh with the "package" extra: PyInstaller),
# then runs PyInstaller on build.spec and prints the build time and the folder's size.
set -euo pipefail

log() { printf 'build-package: %s\n' "$*" >&2; }
die() { printf 'build-package: ERROR: %s\n' "$*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
APP="$DIST/rpa-assistant"

clean=0 check=0
for arg in "$@"; do
    case "$arg" in
        --clean) clean=1 ;;
        --check) check=1 ;;
        -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $arg (see --help)" ;;
    esac
done

bash "$ROOT/scripts/setup.sh" --build-tools package
cd "$ROOT"

options=(--noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK")
[[ $clean == 1 ]] && options+=(--clean)
log "pyinstaller ${options[*]} build.spec"
started=$SECONDS
.venv/bin/python -m PyInstaller "${options[@]}" build.spec ||
    die "PyInstaller failed (its messages are above)"
seconds=$((SECONDS - started))

[[ -x $APP/rpa-assistant || -f $APP/rpa-assistant.exe ]] ||
    die "PyInstaller finished but $APP has no rpa-assistant program"
size="$(du -sh "$APP" | cut -f1)"
log "built $APP in ${seconds} s: $size"
log "largest parts:"
du -sh "$APP"/_internal/* | sort -rh | awk 'NR <= 8 { print "build-package:   " $0 }' >&2

if [[ $check == 1 ]]; then
    log "running the packaged self-test"
    "$APP/rpa-assistant" --self-test
fi
