# shellcheck shell=bash disable=SC2034  # (the variables are used by the scripts that source this)
# Shared helpers for scripts/bench/accuracy, speed and memory (sourced, not run).
#
# After sourcing, the working directory is the repository root, and these are set:
#   DATA    ../shared/data (read in place, never copied into the repo)
#   VENV    target/bench-venv, the Python environment for the baselines
#   PY      the venv's python
#   STANCE  target/release/stance (build_stance points it at a snapshot copy)

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
DATA=../shared/data
VENV=target/bench-venv
PY=$VENV/bin/python
STANCE=target/release/stance
STANCE_VERSION=

# The Python baselines run with single-threaded BLAS/OpenMP: on this 2-core machine OpenBLAS's
# threads made LogisticRegression's fit about 5x slower than one thread, so this is the fair setting.
PY_RUN=(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$PY")

# Pinned baseline versions (wheels exist for CPython 3.11 on x86-64 Linux).
PIP_PINS_SKLEARN=(numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1)
PIP_PINS_FASTTEXT=(fasttext-numpy2==0.10.4)
# The Python package's own test and benchmark needs (maturin, pytest, pandas, pyarrow, pyspark).
mapfile -t PIP_PINS_PYTHON < <(grep -v '^#' tests/python/requirements.txt)

die() {
    echo "error: $*" >&2
    exit 1
}

log() {
    echo "== $*" >&2
}

# ensure_venv PIN...: create the venv if missing and install the pinned packages it lacks.
ensure_venv() {
    if [[ ! -x $PY ]]; then
        log "creating $VENV"
        python3 -m venv "$VENV" || die "python3 -m venv failed (is python3-venv installed?)"
    fi
    local missing=()
    local pin
    for pin in "$@"; do
        # `pip show` is slow; compare against `pip freeze` once instead.
        grep -qixF "$pin" <<<"$("$PY" -m pip freeze --disable-pip-version-check 2>/dev/null)" ||
            missing+=("$pin")
    done
    if ((${#missing[@]})); then
        log "installing ${missing[*]} into $VENV"
        "$PY" -m pip install --quiet --disable-pip-version-check "${missing[@]}" ||
            die "pip install ${missing[*]} failed"
    fi
}

# build_stance DIR SUBCOMMAND...: build the release binary, check it has the given subcommands,
# and point STANCE at a copy in DIR, so that a rebuild during the run (someone else's
# `cargo build`) cannot swap the binary between training and scoring.
build_stance() {
    local dir=$1
    shift
    log "cargo build --release"
    cargo build --release --quiet || die "cargo build --release failed; stance cannot be benchmarked"
    [[ -x $STANCE ]] || die "$STANCE was not built"
    local sub
    for sub in "$@"; do
        "$STANCE" "$sub" --help >/dev/null 2>&1 ||
            die "$STANCE does not support the '$sub' subcommand yet ('$STANCE $sub --help' fails)"
    done
    mkdir -p "$dir"
    cp "$STANCE" "$dir/stance"
    STANCE=$dir/stance
    STANCE_VERSION=$("$STANCE" --version)
}

# install_python_package: build the Python package (python/, with maturin) into $VENV.
install_python_package() {
    log "pip install ./python into $VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check ./python ||
        die "pip install ./python failed"
}

# check_data FILE...: fail early with a clear message if a data file is missing.
check_data() {
    local f
    for f in "$@"; do
        [[ -s $f ]] || die "missing data file $f (expected the shared data beside the repo)"
    done
}
