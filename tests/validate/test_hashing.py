"""Key hashes (#5): equal keys hash alike however Arrow stores them, so a streamed key check can trust a
hash that does not repeat; distinct keys do not collide in practice."""

from __future__ import annotations

import datetime
import itertools
import random

import hypothesis.strategies as st
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings

from dpcheck import hashing

texts = st.text(alphabet=st.sampled_from("ab0é统\x00 "), max_size=hashing.SHORT + 12)


def _chunked(values: list[str], cuts: list[int], kind: pa.DataType) -> pa.ChunkedArray:
    """``values`` as a chunked array cut at ``cuts``, each chunk a slice of a larger array (non-zero offset)."""
    bounds = sorted({0, len(values), *[c % (len(values) + 1) for c in cuts]})
    chunks = []
    for a, b in itertools.pairwise(bounds):
        padded = pa.array(["pad"] + values[a:b] + ["pad"], pa.string())
        chunk = padded.slice(1, b - a)
        if pa.types.is_dictionary(kind):
            chunk = chunk.dictionary_encode()
        elif kind != pa.string():
            chunk = chunk.cast(kind)
        chunks.append(chunk)
    return pa.chunked_array(chunks, chunks[0].type if chunks else kind)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=40), st.lists(st.integers(0, 40), max_size=4),
       st.sampled_from([pa.string(), pa.large_string(), pa.string_view(), pa.dictionary(pa.int32(), pa.string())]))
def test_equal_strings_hash_alike_and_distinct_ones_differ_5(values: list[str], cuts: list[int], kind: pa.DataType) -> None:
    """Whatever the chunking, offsets, lengths (short, long, empty, mixed) and storage of the strings."""
    plain = hashing.key_hashes([pa.array(values)])
    other = hashing.key_hashes([_chunked(values, cuts, kind)])
    assert plain is not None and other is not None
    assert plain.tolist() == other.tolist()
    by_value = dict(zip(values, plain.tolist()))
    assert len(set(by_value.values())) == len(by_value)  # no collision among these few
    assert all(by_value[v] == h for v, h in zip(values, other.tolist()))


def test_one_width_and_mixed_widths_hash_a_value_alike_5() -> None:
    """The one-width fast path (ids) and the by-length path give a value the same hash."""
    ids = [f"s{i:08d}" for i in range(1000)]
    mixed = ids + ["x", "y" * 40, ""]
    assert hashing.key_hashes([pa.array(ids)]).tolist() == hashing.key_hashes([pa.array(mixed)])[:1000].tolist()


def test_many_distinct_ids_do_not_collide_5() -> None:
    ids = pa.array([f"d{i:07d}" for i in range(200_000)] + [f"long-identifier-{i:030d}" for i in range(20_000)])
    assert not hashing.repeats(hashing.key_hashes([ids]))


def test_a_repeated_value_is_a_repeated_hash_5() -> None:
    values = [f"k{i}" for i in range(500)] + ["z" * 50] * 2
    random.Random(3).shuffle(values)
    assert hashing.repeats(hashing.key_hashes([pa.array(values)]))


def test_integers_dates_and_booleans_hash_by_value_5() -> None:
    assert hashing.key_hashes([pa.array([1, 2, 300], pa.int16())]).tolist() == \
        hashing.key_hashes([pa.array([1, 2, 300], pa.int64())]).tolist()
    day = datetime.date(2020, 1, 2)
    dates = hashing.key_hashes([pa.array([day, day, datetime.date(2020, 1, 3)])])
    assert dates[0] == dates[1] != dates[2]
    flags = hashing.key_hashes([pa.array([True, False, True])])
    assert flags[0] == flags[2] != flags[1]


def test_composite_keys_combine_their_columns_5() -> None:
    a = pa.array(["x", "x", "y", "x"])
    b = pa.array([1, 2, 1, 1])
    h = hashing.key_hashes([a, b])
    assert h[0] == h[3] and len({h[0], h[1], h[2]}) == 3
    swapped = hashing.key_hashes([pa.array(["1", "x"]), pa.array(["x", "1"])])
    assert swapped[0] != swapped[1]  # order of the columns counts


@pytest.mark.parametrize("column", [pa.array(["a", None]), pa.array([1.0, 2.0]), pa.array([[1], [2]]),
                                    pa.array([{"a": 1}])])
def test_nulls_floats_and_nested_types_are_not_hashed_5(column: pa.Array) -> None:
    assert hashing.key_hashes([column]) is None


def test_hashes_are_writable_for_sorting_in_place_5() -> None:
    h = hashing.key_hashes([pa.array(["b", "a"])])
    assert h.flags.writeable and h.dtype == np.uint64
    assert hashing.key_hashes([pa.array([], pa.string())]).tolist() == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2**64 - 1), max_size=30), max_size=6), st.booleans(), st.sampled_from([1, 2, 3]))
def test_a_repeat_across_parts_is_found_bucket_by_bucket_14(parts: list[list[int]], repeat: bool, workers: int) -> None:
    """As sorting all the hashes together finds it, whatever the parts and the threads."""
    if repeat and any(parts):
        donor = next(p for p in parts if p)
        parts = parts + [[donor[len(donor) // 2]]]  # (one hash again, in a part of its own)
    arrays = [np.array(p, dtype=np.uint64) for p in parts]
    whole = np.sort(np.concatenate(arrays)) if arrays else np.empty(0, np.uint64)
    expected = bool(np.any(whole[1:] == whole[:-1]))
    assert hashing.repeats_across([hashing.bucketed(a) for a in arrays], workers) == expected
    assert hashing.repeats(whole[::-1].copy()) == expected


def test_buckets_hold_every_hash_grouped_by_its_top_byte_14() -> None:
    h = np.array([2**64 - 1, 5, 2**63, 7, 2**56], dtype=np.uint64)
    found = hashing.bucketed(h)
    assert sorted(found.hashes.tolist()) == sorted(h.tolist())
    assert found.starts[0] == 0 and found.starts[-1] == 5 and len(found.starts) == 257
    for b in range(256):
        assert all(v >> 56 == b for v in found.hashes[found.starts[b]:found.starts[b + 1]].tolist())


@pytest.mark.parametrize("low", [0, 1])
def test_hashes_alike_under_their_top_byte_but_for_the_low_bits_are_told_apart_14(low: int) -> None:
    # A bucket is first sorted on the 32 bits under its top byte; two hashes equal there but not in their
    # low 24 bits are no repeat, and two equal in full are one.
    same_middle = [(7 << 56) | (0xDEADBEEF << 24) | 5, (7 << 56) | (0xDEADBEEF << 24) | (5 + low)]
    others = [(7 << 56) | (i << 24) for i in range(100)]
    parts = [np.array(same_middle[:1] + others[:50], np.uint64), np.array(same_middle[1:] + others[50:], np.uint64)]
    assert hashing.repeats_across([hashing.bucketed(a) for a in parts], 2) is (low == 0)
