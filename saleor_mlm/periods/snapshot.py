"""A run's snapshot: the engine's inputs (and, once computed, its ranks) as arrays.

The database holds the snapshot (`PeriodRunArray`: one zlib-compressed `.npy` per
array), written in the transaction that records the run's phase, so a run resumes from
exactly the inputs it started with and a statement is recomputed from exactly what the
period was closed with. `sha256` over the input arrays is kept on the run and checked
when the arrays are read back.

Statements need a few hundred rows of arrays with a million entries, in milliseconds:
each process unpacks a run's arrays once into a cache directory (uncompressed `.npy`,
memory-mapped, so only the pages a statement touches are read) together with the
child lists that let a statement find a partner's downline without the whole network.
The directory is `settings.MLM_PERIOD_CACHE_DIR` (default `<DATA_DIR>/period-cache`);
deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import threading
import zlib
from collections import OrderedDict
from pathlib import Path

import numpy as np
from django.conf import settings

from .models import PeriodRun, PeriodRunArray

# zlib level 1: a snapshot of a million partners compresses at several hundred MB/s; higher
# levels save a few percent for several times the time of the close.
COMPRESSION_LEVEL = 1
# Runs whose memory-mapped arrays a process keeps open.
_OPEN_RUNS = 8

_lock = threading.Lock()
_open: OrderedDict[int, dict[str, np.ndarray]] = OrderedDict()


class SnapshotError(RuntimeError):
    """The stored snapshot is missing or does not match its digest."""


def digest(arrays: dict[str, np.ndarray]) -> str:
    hasher = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        hasher.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        hasher.update(memoryview(array).cast("B"))
    return hasher.hexdigest()


def _pack(array: np.ndarray) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    raw = buffer.getbuffer()
    return zlib.compress(raw, COMPRESSION_LEVEL), raw.nbytes


def _unpack(data: bytes | memoryview) -> np.ndarray:
    return np.load(io.BytesIO(zlib.decompress(data)), allow_pickle=False)


def save_arrays(run: PeriodRun, arrays: dict[str, np.ndarray]) -> None:
    """Store arrays of a run, replacing stored arrays of the same names (call inside the
    transaction that records the phase)."""
    PeriodRunArray.objects.filter(run=run, name__in=list(arrays)).delete()
    rows = []
    for name, array in arrays.items():
        data, size = _pack(array)
        rows.append(PeriodRunArray(run=run, name=name, data=data, size=size))
    PeriodRunArray.objects.bulk_create(rows, batch_size=1)  # one statement per array: they are large


def load_arrays(run: PeriodRun, names: list[str] | None = None) -> dict[str, np.ndarray]:
    rows = PeriodRunArray.objects.filter(run=run)
    if names is not None:
        rows = rows.filter(name__in=names)
    arrays = {name: _unpack(data) for name, data in rows.values_list("name", "data").iterator(chunk_size=1)}
    if names is not None and set(names) - set(arrays):
        raise SnapshotError(f"run {run.pk} has no array {sorted(set(names) - set(arrays))}")
    return arrays


def verify(run: PeriodRun, arrays: dict[str, np.ndarray], names) -> None:
    if digest({name: arrays[name] for name in names}) != run.snapshot_digest:
        raise SnapshotError(f"the snapshot of run {run.pk} does not match its digest")


def cache_dir() -> Path:
    configured = getattr(settings, "MLM_PERIOD_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "period-cache"


def _run_dir(run: PeriodRun) -> Path:
    return cache_dir() / f"run-{run.pk}-{run.snapshot_digest[:16]}"


def children_lists(parents: list[np.ndarray], count: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR lists of child rows per parent ordinal: `order[pointer[p]:pointer[p+1]]` are the
    rows whose parent (in any of `parents`, -1 for none) is `p`."""
    child = np.concatenate([np.flatnonzero(parent >= 0) for parent in parents]).astype(np.int64)
    parent = np.concatenate([parent[parent >= 0] for parent in parents]).astype(np.int64)
    by_parent = np.argsort(parent, kind="stable")
    pointer = np.searchsorted(parent[by_parent], np.arange(count + 1)).astype(np.int64)
    return child[by_parent], pointer


def _derived(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    count = arrays["partner_pk"].size
    down, down_pointer = children_lists([arrays["partner_sponsor"], arrays["partner_care"]], count)
    customers, customer_pointer = children_lists([arrays["customer_sponsor"], arrays["customer_care"]], count)
    return {"down": down, "down_pointer": down_pointer, "customers": customers, "customer_pointer": customer_pointer}


def cached_arrays(run: PeriodRun, input_names) -> dict[str, np.ndarray]:
    """The run's arrays, memory-mapped from the cache directory (filled on first use)."""
    with _lock:
        arrays = _open.get(run.pk)
        if arrays is not None:
            _open.move_to_end(run.pk)
            return arrays
    directory = _run_dir(run)
    if not (directory / "complete").exists():
        _fill(run, directory, input_names)
    arrays = {path.stem: np.load(path, mmap_mode="r", allow_pickle=False) for path in directory.glob("*.npy")}
    with _lock:
        _open[run.pk] = arrays
        while len(_open) > _OPEN_RUNS:
            _open.popitem(last=False)
    return arrays


def _fill(run: PeriodRun, directory: Path, input_names) -> None:
    arrays = load_arrays(run)
    if not run.snapshot_digest or any(name not in arrays for name in input_names):
        raise SnapshotError(f"run {run.pk} has no complete snapshot")
    verify(run, arrays, input_names)
    arrays.update(_derived(arrays))
    directory.parent.mkdir(parents=True, exist_ok=True)
    # Written to a fresh directory and renamed: readers see all arrays or none, and two
    # processes filling at once both succeed (the second rename finds the first).
    temporary = Path(tempfile.mkdtemp(prefix=f".run-{run.pk}-", dir=directory.parent))
    try:
        for name, array in arrays.items():
            np.save(temporary / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        (temporary / "complete").touch()
        try:
            os.rename(temporary, directory)
        except OSError:
            if not (directory / "complete").exists():
                raise
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def forget(run_id: int) -> None:
    """Drop a run's arrays from this process and its cache directory (superseded runs)."""
    from .statement_pages import forget as forget_openings

    with _lock:
        _open.pop(run_id, None)
    forget_openings(run_id)  # the networks and openings built from those arrays
    root = cache_dir()
    if root.exists():
        for path in root.glob(f"run-{run_id}-*"):
            shutil.rmtree(path, ignore_errors=True)
