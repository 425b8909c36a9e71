"""A Dask build's chunks run ahead of a slow first one, as a local pool's do (#13)."""

from __future__ import annotations

import pytest

distributed = pytest.importorskip("distributed")

from corpack.dask_executor import DaskExecutor, local_cluster_options  # noqa: E402


def _first_waits_for_later(index: int, later: int) -> list[tuple[int, bool]]:
    """Chunk 0 waits (two minutes at most) until ``later`` other chunks have run; the others say they ran."""
    queue = distributed.Queue("corpack-test-ran")
    if index == 0:
        try:
            for _ in range(later):
                queue.get(timeout=120)
        except TimeoutError:
            return [(0, False)]
        return [(0, True)]
    queue.put(index)
    return [(index, True)]


def test_dask_workers_run_more_chunks_than_are_in_flight_while_the_first_one_waits_13():
    """Two workers, four chunks in flight: chunk 0 (the largest, so the others may run 4 times its bytes ahead) is
    released only if six chunks after it run meanwhile, so only if chunks are sent as any finishes, not as the
    first one does (#13)."""
    with distributed.LocalCluster(**local_cluster_options(2)) as cluster, DaskExecutor(scheduler=cluster.scheduler_address) as executor:
        assert executor.workers == 2
        items = list(executor.map(_first_waits_for_later, [(n, 6) for n in range(12)], [10] + [1] * 11))
    assert items == [(n, True) for n in range(12)]
