"""Shared by the fetch-* scripts of this folder: the pinned wheel download and check, and the
project's compact int8 word vectors file (quantization, layout, atomic write, text export and the
summary of what was written).

The layout, all little-endian (read by `WordVectors::from_compact` in src/vectors.rs):
    8 bytes   magic "STANCEVC"
    u32       version (1)
    u32       dim
    u32       count (number of words)
    count x   (u16 byte length, UTF-8 bytes of the word), in order
    count x   f32 scale
    count x dim i8 codes, row-major (word 0's dims first)

Needs numpy; the scripts import it first so that a missing numpy is reported with how to install it.
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"STANCEVC"
FORMAT_VERSION = 1


def fail(message):
    """Stop with `message`, prefixed by the running script's name (e.g. `fetch-glove: ...`)."""
    sys.exit(f"{Path(sys.argv[0]).name}: {message}")


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class PinnedWheel:
    """A PyPI wheel pinned by version, file name and SHA-256."""
    package: str
    version: str
    filename: str
    sha256: str


def download_wheel(pin, folder):
    """`pip download` the pinned wheel into `folder` and return its path."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet", "-d", str(folder),
        f"{pin.package}=={pin.version}",
    ]
    print(f"Downloading {pin.package}=={pin.version} from PyPI with pip ...", file=sys.stderr)
    result = subprocess.run(command)
    if result.returncode != 0:
        fail(f"pip download failed (exit {result.returncode}): {' '.join(command)}")
    path = Path(folder) / pin.filename
    if not path.is_file():
        found = ", ".join(p.name for p in Path(folder).iterdir()) or "nothing"
        fail(f"pip download did not produce {pin.filename} (found: {found})")
    return path


def check_wheel(pin, path):
    actual = sha256_file(path)
    if actual != pin.sha256:
        fail(
            f"SHA-256 mismatch for {path}:\n"
            f"  expected {pin.sha256}\n"
            f"  got      {actual}\n"
            f"The wheel is not the pinned {pin.package} {pin.version}; refusing to continue."
        )


def read_pinned_wheel(pin, wheel, read):
    """`read(path)` of the pinned wheel: `wheel` if given (a Path), else a fresh `pip download`
    into a temporary folder that is removed afterwards. The SHA-256 is checked before reading."""
    with tempfile.TemporaryDirectory(prefix=f"{Path(sys.argv[0]).name}-") as folder:
        path = wheel if wheel else download_wheel(pin, folder)
        if not path.is_file():
            fail(f"{path}: no such file")
        check_wheel(pin, path)
        return read(path)


def add_common_arguments(parser, default_words, default_out, out_label, text_format, wheel_name):
    """--words, --out, --text-out and --wheel, as every fetch script takes them; `out_label` is
    how --help names the default output, `text_format` whose text format --text-out writes."""
    parser.add_argument("--words", type=int, default=default_words, metavar="N",
                        help=f"how many words to keep (default {default_words})")
    parser.add_argument("--out", type=Path, default=default_out, metavar="FILE",
                        help=f"the vectors file to write (default {out_label})")
    parser.add_argument("--text-out", type=Path, metavar="FILE",
                        help=f"also write the kept words at full precision in {text_format} "
                             "text format")
    parser.add_argument("--wheel", type=Path, metavar="FILE",
                        help=f"use this copy of {wheel_name} instead of downloading it "
                             "(its SHA-256 is still checked)")


def quantize(vectors):
    """Per-row int8 codes and float32 scales: scale = max|v|/127, code = round(v/scale).

    The arithmetic is the same as `WordVectors::quantize` in src/vectors.rs: float32 division,
    rounding half away from zero (Rust's `f32::round`), so stance re-quantizing the --text-out
    file gives exactly these codes.
    """
    peak = np.abs(vectors).max(axis=1)
    scales = (peak / np.float32(127)).astype(np.float32)
    safe = np.where(scales > 0, scales, np.float32(1)).astype(np.float32)
    quotient = (vectors / safe[:, None]).astype(np.float32).astype(np.float64)
    # Adding 0.5 to a float32 value is exact in float64, so this is round-half-away-from-zero.
    codes = np.trunc(quotient + np.copysign(0.5, quotient))
    codes = np.clip(codes, -127, 127).astype(np.int8)
    codes[scales == 0] = 0
    return scales, codes


def encode(words, scales, codes):
    """The compact file's bytes; the dimension is the codes' number of columns."""
    dim = codes.shape[1]
    parts = [MAGIC, struct.pack("<III", FORMAT_VERSION, dim, len(words))]
    for word in words:
        raw = word.encode("utf-8")
        if len(raw) > 0xFFFF:
            fail(f"word of {len(raw)} bytes does not fit a u16 length")
        parts.append(struct.pack("<H", len(raw)))
        parts.append(raw)
    parts.append(scales.astype("<f4").tobytes())
    parts.append(np.ascontiguousarray(codes, dtype=np.int8).tobytes())
    return b"".join(parts)


def write_atomically(path, chunks):
    """Write the byte strings in `chunks` to `path` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def text_lines(words, vectors):
    """GloVe text lines, each value the shortest decimal that reads back as the same float32."""
    fmt = np.format_float_positional
    for word, row in zip(words, vectors):
        values = " ".join(fmt(v, unique=True, trim="-") for v in row)
        yield f"{word} {values}\n".encode("utf-8")


def errors(vectors, scales, codes):
    original = vectors.astype(np.float64)
    decoded = codes.astype(np.float64) * scales.astype(np.float64)[:, None]
    dot = (original * decoded).sum(axis=1)
    norms = np.linalg.norm(original, axis=1) * np.linalg.norm(decoded, axis=1)
    # An all-zero vector decodes to itself exactly: count it as cosine 1.
    cosine = np.where(norms > 0, dot / np.where(norms > 0, norms, 1.0), 1.0)
    worst = int(np.argmin(cosine))
    return cosine.mean(), cosine[worst], worst, np.abs(original - decoded).max()


def write_and_report(words, vectors, out, text_out, started, header):
    """Quantize the float32 `vectors` (one row per word), write the compact file to `out` (and
    the text format to `text_out` if given), both atomically, then print the summary: the lines
    of `header` (the source, the words kept), then output, size, SHA-256, quantization error,
    text output and the time since `started`."""
    scales, codes = quantize(vectors)
    data = encode(words, scales, codes)
    write_atomically(out, [data])
    if text_out:
        write_atomically(text_out, text_lines(words, vectors))

    mean_cos, min_cos, worst, max_abs = errors(vectors, scales, codes)
    for line in header:
        print(line)
    print(f"output:        {out}")
    print(f"size:          {len(data)} bytes")
    print(f"sha256:        {hashlib.sha256(data).hexdigest()}")
    print(f"cosine:        mean {mean_cos:.6f}, min {min_cos:.6f} ({words[worst]!r})")
    print(f"max abs error: {max_abs:.6g}")
    if text_out:
        print(f"text output:   {text_out} ({text_out.stat().st_size} bytes, "
              f"sha256 {sha256_file(text_out)})")
    print(f"time:          {time.monotonic() - started:.1f} s")
