#!/usr/bin/env bash
# Set up RPA Assistant on a Debian 12 (bookworm) machine: apt packages, a virtual
# environment at .venv and the package installed into it in editable mode.
#
#   scripts/setup.sh [--test-tools] [--build-tools] [EXTRA ...]
#
#   --test-tools   also install the apt tools the tests need (Xvfb, xdotool, ...)
#   --build-tools  also install the apt tools the package build needs (binutils)
#   EXTRA          extras of pyproject.toml to install, e.g. "dev" (none by default)
#
# Environment:
#   PYTHON   interpreter used to create .venv (default: python3); must be >= 3.11
#
# Every step is skipped when already done, so a second run takes about a second.
set -euo pipefail

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.rpa-setup-stamp"

test_tools=0
build_tools=0
extras=()
for arg in "$@"; do
    case "$arg" in
        --test-tools) test_tools=1 ;;
        --build-tools) build_tools=1 ;;
        -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option: $arg" ;;
        *) IFS=', ' read -r -a parts <<<"$arg"; extras+=("${parts[@]}") ;;
    esac
done

# --- apt packages -----------------------------------------------------------
# Qt's xcb platform plugin (the exact minimal set for bookworm), clipboard, CJK font.
apt_app=(libdbus-1-3 libegl1 libfontconfig1 libgl1 libglib2.0-0 libxcb-cursor0 libxcb-icccm4
    libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0 xclip fonts-wqy-microhei)
# Virtual display and the tools the tests drive it with.
apt_tests=(xvfb xauth xdotool x11-utils scrot)
# PyInstaller reads binaries with objdump; the package build strips libpython with strip.
apt_build=(binutils)

# The llama extra compiles llama.cpp (PyPI has only llama-cpp-python's sources).
apt_llama=(g++ cmake ninja-build)

wanted=("${apt_app[@]}")
[[ $test_tools == 1 ]] && wanted+=("${apt_tests[@]}")
[[ $build_tools == 1 ]] && wanted+=("${apt_build[@]}")
[[ " ${extras[*]} " == *" llama "* ]] && wanted+=("${apt_llama[@]}")

# --- Python interpreter -----------------------------------------------------
PY="${PYTHON:-python3}"
command -v "$PY" >/dev/null 2>&1 ||
    die "Python interpreter '$PY' not found; install Python >= 3.11 or set PYTHON=/path/to/python3.11"
py_ver="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" ||
    die "could not run '$PY'"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "Python >= 3.11 is required, '$PY' is $py_ver; set PYTHON=/path/to/python3.11 (or newer)"

venv_ok() { [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; }

# Debian ships ensurepip (needed by `python3 -m venv`) in a separate package.
if [[ ! -e $VENV ]] && ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    py_path="$("$PY" -c 'import sys; print(sys.executable)')"
    case "$py_path" in
        /usr/bin/*) wanted+=("python$py_ver-venv") ;;
        *) die "'$PY' ($py_path) cannot create virtual environments (no ensurepip/venv module)" ;;
    esac
fi

missing=()
for pkg in "${wanted[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
    [[ $status == ii* ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
    command -v apt-get >/dev/null 2>&1 ||
        die "missing system packages (${missing[*]}) and no apt-get; install them with your package manager"
    apt_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $(id -u) == 0 ]]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        die "missing system packages and not root (no sudo); run as root:
    $apt_cmd"
    fi
    log "installing apt packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 ||
        die "apt-get update failed; run as root: $apt_cmd"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
        die "apt-get install failed; run as root: $apt_cmd"
fi

# --- virtual environment ----------------------------------------------------
if [[ ! -e $VENV ]]; then
    log "creating virtual environment .venv with $PY ($py_ver)"
    "$PY" -m venv "$VENV" || { rm -rf "$VENV"; die "'$PY -m venv' failed"; }
elif ! venv_ok; then
    die "$VENV exists but its python does not run (made by another interpreter or user?);
    remove it (rm -rf .venv) and run again"
fi

# Stamp line: "<sha256 of pyproject.toml> <extra,extra,...>". A run asking for a subset
# of the recorded extras with an unchanged pyproject.toml skips pip entirely.
py_hash="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
have_hash="" have_extras=""
[[ -f $STAMP ]] && read -r have_hash have_extras <"$STAMP" || true

need_install=0
[[ $have_hash == "$py_hash" ]] || need_install=1
for e in "${extras[@]}"; do
    [[ ",$have_extras," == *",$e,"* ]] || need_install=1
done

if [[ $need_install == 1 ]]; then
    # Keep extras installed earlier (e.g. "dev") so app and test runs do not reinstall in turn.
    all_extras="$(printf '%s\n' "${extras[@]}" ${have_extras//,/ } | sed '/^$/d' | sort -u | paste -sd, -)"
    spec="."
    [[ -n $all_extras ]] && spec=".[$all_extras]"
    log "installing Python packages: pip install -e \"$spec\" (first run takes a few minutes)"
    # llama-cpp-python compiles llama.cpp: for any x86-64 CPU, not only this one, and
    # without the multimodal part nothing here uses
    export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF}"
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e "$spec" >&2)

    # pynput needs python-xlib (0.33) and PyAutoGUI needs python3-Xlib (0.15); both install the
    # same `Xlib` package and whichever pip writes last wins. 0.15 breaks without ~/.Xauthority.
    if ! "$VENV/bin/python" -c 'import sys, Xlib; sys.exit(Xlib.__version__ < (0, 33))' 2>/dev/null; then
        log "Xlib is older than 0.33 (PyAutoGUI's python3-Xlib won); reinstalling python-xlib"
        "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
            --force-reinstall --no-deps "python-xlib>=0.33" >&2
    fi
    "$VENV/bin/python" -c 'import Xlib; assert Xlib.__version__ >= (0, 33), Xlib.__version__' ||
        die "the virtual environment's Xlib is still older than 0.33"
    printf '%s %s\n' "$py_hash" "$all_extras" >"$STAMP"
fi

log "ready (.venv, Python $("$VENV/bin/python" -c 'import platform; print(platform.python_version())'))"
