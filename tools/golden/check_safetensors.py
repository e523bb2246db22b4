#!/usr/bin/python3
"""Interoperability checks between distill4j's safetensors files and PyTorch.

The `safetensors` Python package is not packaged for Debian, so this script carries its own small,
independent implementation of the format (struct + json), written to the same rules as the reference
writer: 8-byte little-endian header length N, N bytes of compact UTF-8 JSON ("__metadata__" first),
padded with spaces to a multiple of 8, then the tensors' little-endian bytes, ordered by descending
dtype (I64 > F64 > F32, the reference's enum order) and then by name. Tensors are loaded into and
produced from PyTorch (Debian's python3-torch) when it is installed.

Files written by distill4j record, in "__metadata__", "distill4j.sha256": the SHA-256 (64 lowercase hex
digits) of the whole data buffer, i.e. every byte after the header. `read` verifies it when present (an
independent check of the Java writer); files without it (PyTorch's) are read as before.

Usage (with /usr/bin/python3, which has python3-torch):
  check_safetensors.py read FILE          validate FILE strictly, print its tensors (as torch tensors)
  check_safetensors.py roundtrip IN OUT   read IN, write its tensors to OUT, say whether the bytes match
  check_safetensors.py golden DIR         write the golden files the Java tests read:
                                           DIR/pytorch_golden.safetensors, DIR/pytorch_i64_vector.safetensors

To regenerate the committed goldens (CI never runs Python):
  /usr/bin/python3 tools/golden/check_safetensors.py golden engine/src/test/resources/safetensors
To check a file written by the Java side (SafetensorsInteropTest writes it on every test run):
  /usr/bin/python3 tools/golden/check_safetensors.py roundtrip \
      engine/target/safetensors-interop/java_written.safetensors /tmp/python_rewritten.safetensors
"""
import hashlib
import json
import math
import struct
import sys

try:
    import torch
except ImportError:  # the format checks still run; tensors are printed as Python lists
    torch = None

DTYPES = {"F32": ("<f", 4), "F64": ("<d", 8), "I64": ("<q", 8)}
# The reference implementation's Dtype enum order (subset): higher sorts first in the data buffer.
DTYPE_RANK = {"F32": 0, "F64": 1, "I64": 2}
TORCH_DTYPES = {"F32": "float32", "F64": "float64", "I64": "int64"}
MAX_HEADER = 100_000_000
CHECKSUM_KEY = "distill4j.sha256"


class FormatError(Exception):
    pass


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise FormatError(f"duplicate key {k!r} in header")
        out[k] = v
    return out


def read(path):
    """Returns (metadata dict, list of (name, dtype, shape, raw bytes)) in header order, strictly checked."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise FormatError(f"{path}: {len(blob)} bytes, too short")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8 or n > MAX_HEADER:
        raise FormatError(f"{path}: header length {n} larger than the file ({len(blob)} bytes) or the limit")
    header = json.loads(blob[8:8 + n].decode("utf-8"), object_pairs_hook=_no_duplicates)
    if not isinstance(header, dict):
        raise FormatError(f"{path}: header is not an object")
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise FormatError(f"{path}: __metadata__ must map str to str")
    buf = blob[8 + n:]
    tensors, spans = [], []
    for name, info in header.items():
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in DTYPES:
            raise FormatError(f"{path}: {name}: unsupported dtype {dtype}")
        if not all(isinstance(d, int) and d >= 0 for d in shape):
            raise FormatError(f"{path}: {name}: bad shape {shape}")
        size = math.prod(shape) * DTYPES[dtype][1]
        if not (0 <= begin <= end <= len(buf)) or end - begin != size:
            raise FormatError(f"{path}: {name}: offsets [{begin}, {end}] vs shape {shape} {dtype}, buffer {len(buf)}")
        tensors.append((name, dtype, shape, buf[begin:end]))
        spans.append((begin, end, name))
    at = 0
    for begin, end, name in sorted(spans):
        if begin != at:
            raise FormatError(f"{path}: {name} starts at {begin}, expected {at} (gap or overlap)")
        at = end
    if at != len(buf):
        raise FormatError(f"{path}: tensors cover {at} of {len(buf)} buffer bytes")
    if CHECKSUM_KEY in metadata:
        recorded, actual = metadata[CHECKSUM_KEY], hashlib.sha256(buf).hexdigest()
        if recorded != actual:
            raise FormatError(f"{path}: {CHECKSUM_KEY} is {recorded}, but the data buffer's SHA-256 is {actual}")
    return metadata, tensors


def serialize(metadata, tensors):
    """tensors: list of (name, dtype, shape, raw little-endian bytes). Reference layout and header."""
    order = sorted(tensors, key=lambda t: (-DTYPE_RANK[t[1]], t[0].encode("utf-8")))
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    for name, dtype, shape, raw in order:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(t[3] for t in order)


def write(path, metadata, tensors):
    with open(path, "wb") as f:
        f.write(serialize(metadata, tensors))


def to_torch(dtype, shape, raw):
    if torch is None:
        fmt, size = DTYPES[dtype]
        return [struct.unpack(fmt, raw[i:i + size])[0] for i in range(0, len(raw), size)]
    if not raw:
        return torch.zeros(shape, dtype=getattr(torch, TORCH_DTYPES[dtype]))
    return torch.frombuffer(bytearray(raw), dtype=getattr(torch, TORCH_DTYPES[dtype])).reshape(shape)


def from_torch(name, t):
    dtype = {v: k for k, v in TORCH_DTYPES.items()}[str(t.dtype).replace("torch.", "")]
    return (name, dtype, list(t.shape), t.contiguous().numpy().tobytes())


def cmd_read(path):
    metadata, tensors = read(path)
    checked = f"{CHECKSUM_KEY} verified" if CHECKSUM_KEY in metadata else f"no {CHECKSUM_KEY}"
    print(f"{path}: OK, {len(tensors)} tensors, {checked}, metadata {metadata}")
    for name, dtype, shape, raw in tensors:
        print(f"  {name!r} {dtype} {shape}: {to_torch(dtype, shape, raw)}")


def cmd_roundtrip(src, dst):
    metadata, tensors = read(src)
    if torch is not None:  # pass every tensor through PyTorch and back
        tensors = [from_torch(name, to_torch(dtype, shape, raw)) for name, dtype, shape, raw in tensors]
    write(dst, metadata, tensors)
    same = open(src, "rb").read() == open(dst, "rb").read()
    print(f"{src}: OK, {len(tensors)} tensors; rewritten to {dst}; byte-identical: {same}")
    return 0 if same else 1


def golden_tensors():
    """The golden contents; SafetensorsInteropTest recomputes every value from the same formulas."""
    z = torch.tensor([[-3.0, 0.5, 2.0, 7.25, -1.0], [10.0, -10.0, 0.0, 3.5, 3.0]], dtype=torch.float32)
    return [
        # (i − 5.5) / 4, i = 0..11: exact in float32
        ("fc1.weight", torch.arange(12, dtype=torch.float32).sub(5.5).div(4).reshape(3, 4)),
        ("fc1.bias", torch.tensor([0.5, -0.25, 1.0e-3], dtype=torch.float32)),
        # IEEE specials and extremes: +0, −0, inf, −inf, NaN, smallest subnormal, largest finite
        ("specials", torch.tensor([0.0, -0.0, math.inf, -math.inf, math.nan, 1.4e-45, 3.4028234663852886e38],
                                  dtype=torch.float32)),
        # PyTorch's softmax with temperature T = 4 of the logits z above
        ("teacher.soft_targets_T4", torch.softmax(z / 4.0, dim=1)),
        ("empty", torch.zeros((0, 3), dtype=torch.float32)),
        ("temperature", torch.tensor(4.0, dtype=torch.float32)),  # 0-dim F32
        ("größe.μ", torch.tensor([2.5], dtype=torch.float32)),     # non-ASCII name
        # i / 3, i = 0..5 in float64 (not exact in float32: tests the narrowing)
        ("h.f64", torch.arange(6, dtype=torch.float64).div(3).reshape(2, 3)),
        ("optimizer.step", torch.tensor(7, dtype=torch.int64)),   # 0-dim I64, like a step count
    ]


GOLDEN_METADATA = {"format": "pt", "note": "written by tools/golden/check_safetensors.py: \"ünï\" \\ \t"}


def cmd_golden(out_dir):
    if torch is None:
        sys.exit("golden files are produced with PyTorch: apt-get install python3-torch")
    tensors = [from_torch(name, t) for name, t in golden_tensors()]
    path = f"{out_dir}/pytorch_golden.safetensors"
    write(path, GOLDEN_METADATA, tensors)
    read(path)
    vec = [from_torch("counts", torch.tensor([0, -1, 2 ** 40, -(2 ** 63)], dtype=torch.int64))]
    path2 = f"{out_dir}/pytorch_i64_vector.safetensors"
    write(path2, {}, vec)
    read(path2)
    print(f"wrote {path} and {path2} (torch {torch.__version__})")


def main(argv):
    if len(argv) == 3 and argv[1] == "read":
        cmd_read(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "roundtrip":
        return cmd_roundtrip(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "golden":
        cmd_golden(argv[2])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
