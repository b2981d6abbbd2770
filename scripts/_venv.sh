# Sourced by scripts/narrator and scripts/test: make .venv current, quietly and only when needed.
# Usage: ensure_venv [EXTRAS]   (e.g. ensure_venv test, ensure_venv bench,piper)
# The venv is rebuilt when it is missing or pyproject.toml changed since; extras it lacks are
# added to those it has.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

_pick_python() {
    for candidate in "${NARRATOR_PYTHON:-}" python3 python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "narrator: error: Python 3.10 or newer is needed (set NARRATOR_PYTHON to one)" >&2
    return 1
}

_has_extras() {  # HAVE WANTED (comma lists): whether every wanted extra is had
    local extra
    for extra in ${2//,/ }; do
        case ",$1," in *",$extra,"*) ;; *) return 1 ;; esac
    done
}

_union() {  # A B (comma lists) -> their union, sorted, as a comma list
    printf '%s\n' ${1//,/ } ${2//,/ } | sort -u | paste -sd, -
}

# Two first runs at once (./scripts/narrator and ./scripts/test on a fresh clone) would
# delete and recreate each other's .venv: set-up runs under an exclusive lock on
# .venv.lock, and the second run, once it has the lock, finds the venv ready.
_lock_venv() {
    exec 9>"$ROOT/.venv.lock" || return 1
    if command -v flock >/dev/null 2>&1; then
        flock 9
    else
        # The lock belongs to the open file, which this shell keeps: it outlives Python.
        "$(_pick_python)" -c 'import fcntl; fcntl.flock(9, fcntl.LOCK_EX)'
    fi
}

ensure_venv() {
    _lock_venv || return 1
    _ensure_venv_locked "$@"
    local status=$?
    exec 9>&-
    return $status
}

_ensure_venv_locked() {
    local extras="${1:-}"
    local stamp="$VENV/.narrator-stamp" hash have_hash="" have_extras=""
    hash="$(cksum < "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ]; then
        read -r have_hash have_extras < "$stamp" || true
    fi
    if [ "$have_hash" = "$hash" ]; then
        # A venv that already has these extras (or a command that needs none) starts at once.
        if _has_extras "$have_extras" "$extras"; then
            return 0
        fi
    else
        local python
        python="$(_pick_python)" || return 1
        echo "narrator: setting up $VENV (first run, or pyproject.toml changed) ..." >&2
        rm -rf "$VENV"
        "$python" -m venv "$VENV" >&2 || return 1
        have_extras=""
    fi
    extras="$(_union "$have_extras" "$extras")"
    local spec="$ROOT"
    [ -n "$extras" ] && spec="$ROOT[$extras]"
    local log="$VENV/.pip-install.log"
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" >"$log" 2>&1; then
        cat "$log" >&2
        echo "narrator: error: installing into $VENV failed (see the pip output above)" >&2
        rm -f "$stamp"
        return 1
    fi
    # Byte-compiled now, as pip does for an installed package: with PYTHONDONTWRITEBYTECODE
    # set, every run would otherwise compile narrator from source (about 0.1 s).
    "$VENV/bin/python" -m compileall -q "$ROOT/narrator" >/dev/null 2>&1 || true
    echo "$hash $extras" > "$stamp"
}
