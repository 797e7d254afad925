#!/usr/bin/env bash
# Run all checks on a private virtual X display:
#   set-up (with the dev, train, package, llama and serve extras) -> Xvfb -> ruff check -> lint-imports -> pytest
# Arguments are passed on to pytest, e.g. scripts/run-tests.sh -k recorder -x
# Stops at the first failing stage and exits with its exit code.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" --test-tools --build-tools dev train package llama serve
cd "$ROOT"

SCREEN_SIZE=1280x800
tmp="$(mktemp -d -t rpa-tests.XXXXXX)"
xvfb_pid=""
cleanup() {
    if [[ -n $xvfb_pid ]]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A real cookie, as on a desktop: Xvfb checks it, and every X client finds its entry
# (an empty file makes python-xlib print a warning on stdout at every connection).
export XAUTHORITY="$tmp/Xauthority"
: >"$XAUTHORITY"
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# Start Xvfb on the first free display from :90 up; retry if another process takes it first.
start_xvfb() {
    local n
    for ((n = 90; n < 190; n++)); do
        [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] && continue
        xauth -q -f "$XAUTHORITY" add ":$n" . "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
        Xvfb ":$n" -screen 0 "${SCREEN_SIZE}x24" -nolisten tcp -noreset -auth "$XAUTHORITY" \
            >"$tmp/xvfb.log" 2>&1 &
        xvfb_pid=$!
        local deadline=$((SECONDS + 15))
        while ((SECONDS < deadline)); do
            if ! kill -0 "$xvfb_pid" 2>/dev/null; then
                wait "$xvfb_pid" 2>/dev/null || true
                xvfb_pid=""
                continue 2 # died (display taken meanwhile?): try the next number
            fi
            if DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then
                export DISPLAY=":$n"
                return 0
            fi
            sleep 0.1
        done
        echo "run-tests: ERROR: Xvfb :$n did not answer xdpyinfo within 15 s; its log:" >&2
        cat "$tmp/xvfb.log" >&2
        return 1
    done
    echo "run-tests: ERROR: no free X display number in :90-:189 (or Xvfb keeps failing); last log:" >&2
    cat "$tmp/xvfb.log" >&2 2>/dev/null || true
    return 1
}
start_xvfb
echo "run-tests: Xvfb on $DISPLAY (${SCREEN_SIZE}x24)" >&2

export XDG_SESSION_TYPE=x11   # pyscreeze takes screenshots with scrot only on x11
export QT_QPA_PLATFORM=xcb
export RPA_TEST_DISPLAY=xvfb  # tests/test_environment.py checks the exact set-up when set
export RPA_TEST_SCREEN="$SCREEN_SIZE"
unset WAYLAND_DISPLAY
export PATH="$ROOT/.venv/bin:$PATH"

stage() {
    local name="$1"
    shift
    echo "run-tests: == $name: $*" >&2
    local rc=0
    "$@" || rc=$?
    if ((rc != 0)); then
        if [[ $name == pytest && $rc == 5 ]]; then
            echo "run-tests: FAILED: pytest collected no tests (exit 5)" >&2
        else
            echo "run-tests: FAILED: $name (exit $rc)" >&2
        fi
        exit "$rc"
    fi
}

stage ruff ruff check .
stage import-linter lint-imports
stage pytest python -m pytest "$@"
echo "run-tests: all checks passed" >&2
