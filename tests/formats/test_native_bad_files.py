"""Every kind of broken or hostile file is refused with LoadError and a specific one-line
message; random bytes and random mutations of a valid file never raise anything else."""

from __future__ import annotations

import copy
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cld_editor.formats import native
from cld_editor.formats.native import MAX_FILE_BYTES, LoadError, load_diagram, loads_diagram

VALID: dict[str, Any] = {
    "format": "cld",
    "version": 1,
    "title": "Valid",
    "description": "d",
    "waterline": 3.5,
    "variables": [
        {"id": "a", "label": "A", "domain": "CX", "x": 0.0, "y": 1.0, "notes": "n"},
        {"id": "b", "label": "B", "domain": "EX", "x": 2.0, "y": 3.0},
    ],
    "links": [
        {"id": "l1", "source": "a", "target": "b", "polarity": "-", "delay": True},
        {"id": "l2", "source": "b", "target": "a", "polarity": "+", "curvature": 0.5},
    ],
    "loop_labels": [{"id": "r1", "loop": ["a", "b"], "x": 1.0, "y": 1.0, "name": "Loop"}],
}


def with_(path: str, value: Any) -> bytes:
    """VALID with the value at a dotted path ("variables.0.x") replaced (or removed if ...)."""
    document = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    node: Any = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return json.dumps(document).encode()


def header(rest: str) -> bytes:
    return ('{"format": "cld", "version": 1, ' + rest + "}").encode()


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "file is empty"),
    ("only whitespace", b" \n\t ", "file is empty"),
    ("binary junk", bytes(range(256)) * 4, "not UTF-8 text (bad byte at offset 128)"),
    ("invalid utf-8", b'{"title": "caf\xe9"}', "not UTF-8 text"),
    ("truncated", json.dumps(VALID).encode()[:-7], "not valid JSON"),
    ("trailing junk", json.dumps(VALID).encode() + b" x", "not valid JSON: extra data at column"),
    (
        "cut inside a string",
        b'{"title": "Service',
        "not valid JSON: unterminated string starting at column 11",
    ),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("deep nesting in a value", header('"title": ' + "[" * 5000 + "]" * 5000), "nested"),
    ("huge integer", header('"waterline": ' + "9" * 5000), "a number has too many digits"),
    ("NaN", header('"waterline": NaN'), "NaN is not allowed"),
    ("Infinity", header('"waterline": -Infinity'), "-Infinity is not allowed"),
    ("gigantic float", header('"waterline": 1e999'), "waterline: must be a finite number"),
    ("big integer", header('"waterline": ' + "9" * 400), "waterline: number is out of range"),
    ("out of range", with_("variables.0.x", 1e12), '(id "a").x: must be at most 1e+09, found'),
    ("top level array", b"[]", "expected a JSON object at the top level, found an array"),
    ("top level string", b'"cld"', "expected a JSON object at the top level, found a string"),
    ("no format", b'{"version": 1}', 'no "format": "cld" key'),
    ("wrong format", with_("format", "drawio"), '"format" is "drawio"'),
    ("format not a string", with_("format", 1), '"format" is 1'),
    ("no version", with_("version", ...), 'missing key "version"'),
    ("version as string", with_("version", "1"), '"version" must be a whole number'),
    ("version zero", with_("version", 0), '"version" must be a whole number >= 1, found 0'),
    ("version float", with_("version", 1.0), '"version" must be a whole number'),
    ("newer version", with_("version", 3), "written by a newer cld-editor (file version 3"),
    ("unknown top key", with_("colour", "red"), 'unknown key "colour"'),
    ("unknown variable key", with_("variables.1.size", 3), 'unknown key "size" in variables[1]'),
    ("unknown link key", with_("links.0.weight", 3), 'unknown key "weight" in links[0] (id "l1")'),
    ("unknown label key", with_("loop_labels.0.z", 3), 'unknown key "z" in loop_labels[0]'),
    ("missing id", with_("variables.0.id", ...), 'missing key "id" in variables[0]'),
    ("missing source", with_("links.1.source", ...), 'missing key "source" in links[1]'),
    ("missing loop", with_("loop_labels.0.loop", ...), 'missing key "loop" in loop_labels[0]'),
    ("title type", with_("title", ["x"]), "title: expected a string, found an array"),
    ("description type", with_("description", 5), "description: expected a string, found a"),
    ("waterline type", with_("waterline", "low"), "waterline: expected a number, found a str"),
    ("variables type", with_("variables", {}), "variables: expected an array, found an object"),
    ("links type", with_("links", "l1"), "links: expected an array, found a string"),
    ("labels type", with_("loop_labels", None), "loop_labels: expected an array, found null"),
    ("variable type", with_("variables.0", 5), "variables[0]: expected an object, found a"),
    ("link type", with_("links.0", []), "links[0]: expected an object, found an array"),
    ("id type", with_("variables.0.id", 7), "variables[0].id: expected a string, found a number"),
    ("label type", with_("variables.0.label", None), '(id "a").label: expected a string, found'),
    ("x as string", with_("variables.0.x", "1"), '(id "a").x: expected a number, found a string'),
    ("x as boolean", with_("variables.0.x", True), "x: expected a number, found a boolean"),
    ("domain", with_("variables.0.domain", "cx"), "domain: expected 'CX' or 'EX', found \"cx\""),
    ("notes type", with_("variables.0.notes", {}), "notes: expected a string, found an object"),
    ("polarity", with_("links.0.polarity", "plus"), "polarity: expected '+', '-' or '?'"),
    ("delay as int", with_("links.0.delay", 1), "delay: expected true or false, found a number"),
    ("curvature", with_("links.0.curvature", "0.2"), "curvature: expected a number, found a st"),
    ("loop type", with_("loop_labels.0.loop", "ab"), "loop: expected an array, found a string"),
    ("loop member", with_("loop_labels.0.loop", [1]), "loop[0]: expected a string, found a num"),
    ("empty loop", with_("loop_labels.0.loop", []), "loop: needs at least 1 item(s), found 0"),
    ("label name", with_("loop_labels.0.name", 3), "name: expected a string, found a number"),
    ("empty id", with_("variables.0.id", ""), ".id: must not be empty"),
    ("id with newline", with_("variables.0.id", "a\nb"), "id: must not contain control char"),
    ("long id", with_("variables.0.id", "i" * 201), "id: too long (201 characters; at most 200)"),
    ("long label", with_("variables.0.label", "x" * 1001), "label: too long (1,001 characters"),
    ("lone surrogate", header('"title": "\\ud800"'), "title: not valid Unicode text"),
    ("duplicate ids", with_("variables.1.id", "a"), "id 'a': variables[0] and variables[1]"),
    ("id shared by tables", with_("links.0.id", "b"), "id 'b': variables[1] and links[0]"),
    ("dangling source", with_("links.0.source", "zz"), "links[0] (id 'l1'): source 'zz' is not a"),
    ("dangling target", with_("links.1.target", "zz"), "links[1] (id 'l2'): target 'zz' is not"),
    (
        "duplicate link",
        with_("links.1", {"id": "l2", "source": "a", "target": "b"}),
        "links[1] (id 'l2') repeats links[0] (id 'l1'): both go from 'a' to 'b'",
    ),
    (
        "too many variables",
        with_("variables", [{"id": f"v{i}", "x": 0, "y": 0} for i in range(50_001)]),
        "variables: too many items (50,001; at most 50,000)",
    ),
    (
        "millions of values",
        header('"title": [' + ",".join(["0"] * 3_000_001) + "]"),
        "too many values for a diagram (more than 1,500,000",
    ),
    (
        "millions of empty records",
        header('"variables": [' + ",".join(["{}"] * 4_000_001) + "]"),
        "too many arrays and objects for a diagram (more than 270,000",
    ),
]


@pytest.mark.parametrize(
    ("data", "message"), [(d, m) for _, d, m in BAD_FILES], ids=[name for name, _, _ in BAD_FILES]
)
def test_each_kind_of_bad_file_is_refused_with_its_own_message(data: bytes, message: str) -> None:
    with pytest.raises(LoadError) as info:
        loads_diagram(data)
    text = str(info.value)
    assert message in text
    assert "\n" not in text and len(text) < 300


def test_the_valid_document_used_above_is_valid() -> None:
    diagram = loads_diagram(json.dumps(VALID).encode())
    assert [v.id for v in diagram.variables] == ["a", "b"]


def test_too_large_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "MAX_FILE_BYTES", 100)
    with pytest.raises(LoadError, match=r"file is too large \(\d+ bytes; the limit is 100 bytes\)"):
        loads_diagram(json.dumps(VALID).encode())
    assert MAX_FILE_BYTES == 64 * 1024 * 1024


def test_too_large_file_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.cld.json"
    path.write_bytes(json.dumps(VALID).encode())
    monkeypatch.setattr(native, "MAX_FILE_BYTES", 100)
    with pytest.raises(LoadError, match="file is too large"):
        load_diagram(path)


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.cld.json"
    path.write_bytes(json.dumps(VALID).encode())
    real_stat, real_fstat = os.stat, os.fstat
    inode = real_stat(path).st_ino

    def stale(result: os.stat_result) -> os.stat_result:
        if result.st_ino == inode:  # as if the file was 10 bytes when it was looked at
            return os.stat_result((result.st_mode, *result[1:6], 10, *result[7:]))
        return result

    monkeypatch.setattr(os, "stat", lambda *a, **k: stale(real_stat(*a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: stale(real_fstat(fd)))
    monkeypatch.setattr(native, "MAX_FILE_BYTES", 100)
    with pytest.raises(LoadError, match="file is too large"):
        load_diagram(path)
    monkeypatch.setattr(native, "MAX_FILE_BYTES", 10_000)
    assert load_diagram(path).title == "Valid"  # read in full although stat() said 10 bytes


@pytest.mark.parametrize(
    "records",
    [
        '"variables": [' + ",".join(["{}"] * 1_000_000) + "]",
        '"links": [' + ",".join(['{"id": "l", "source": "a", "target": "b"}'] * 150_000) + "]",
    ],
    ids=["a million empty variables", "150,000 dangling links"],
)
def test_a_small_file_of_broken_records_is_refused_cheaply(records: str) -> None:
    """Refused at the first broken record: no error list or completed copy of every record
    (which took gigabytes for a few megabytes of file)."""
    data = header(records)
    tracemalloc.start()
    try:
        with pytest.raises(LoadError):
            loads_diagram(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    megabytes = f"{peak / 1e6:.0f} MB for a {len(data) / 1e6:.1f} MB file"
    assert peak < 40 * len(data) + 50_000_000, megabytes


def test_missing_file_folder_and_fifo(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_diagram(tmp_path / "nope.cld.json")
    with pytest.raises(LoadError, match="not a valid file name"):
        load_diagram(str(tmp_path / "nul\x00.cld.json"))
    with pytest.raises(LoadError, match="too long"):
        load_diagram(tmp_path / ("x" * 5000))
    with pytest.raises(LoadError, match="is a folder"):
        load_diagram(tmp_path)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.cld.json"
        os.mkfifo(fifo)
        with pytest.raises(LoadError, match="not a regular file"):
            load_diagram(fifo)  # must not block waiting for a writer


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.cld.json"
    path.write_bytes(json.dumps(VALID).encode())
    path.chmod(0)
    with pytest.raises(LoadError, match="permission denied"):
        load_diagram(path)


# -- fuzzing -------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_load_errors(data: bytes | str) -> None:
    """Loading may succeed or raise LoadError with a one-line message; nothing else."""
    try:
        loads_diagram(data)
    except LoadError as exc:
        assert str(exc) and "\n" not in str(exc)


@FUZZ
@given(st.binary(max_size=300))
@example(b"\xef\xbb\xbf")
@example(b'{"format":"cld","version":1,"variables":[{"id":"a","x":0,"y":0}]}\x00')
def test_random_bytes_raise_only_load_errors(data: bytes) -> None:
    only_load_errors(data)


@FUZZ
@given(st.text(st.one_of(st.characters(), st.sampled_from('\ud800\udfff"{}[]:,')), max_size=300))
@example("\ud800")
@example('{"format":"cld","version":1,"title":"\ud800"}')
def test_random_text_raises_only_load_errors(text: str) -> None:
    only_load_errors(text)


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
    st.sampled_from(["a", "b", "l1", "+", "-", "?", "CX", "EX", "cld", "", "\ud800"]),
)
json_values = st.recursive(
    json_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """VALID after a few random edits: values swapped or replaced, keys dropped or added,
    records duplicated, values wrapped in extra nesting."""
    document = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths[1:]))
        *parent_path, last = path
        parent: Any = document
        for part in parent_path:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "drop", "add", "nest", "swap", "duplicate"]))
        if action == "replace":
            parent[last] = draw(json_values)
        elif action == "drop":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=6))] = draw(json_values)
        elif action == "nest":
            parent[last] = draw(st.sampled_from([[parent[last]], {"x": parent[last]}]))
        elif action == "swap":
            other = draw(st.sampled_from(paths[1:]))
            source: Any = document
            for part in other:
                source = source[part] if isinstance(source, dict | list) else None
                if source is None:
                    break
            parent[last] = copy.deepcopy(source)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(mutated_documents())
@example(with_("links.1", {"id": {"x": "l2"}, "source": "b", "target": "a"})[:-1] + b" ")
@example(with_("links.0.id", {"x": "l2"}).replace(b'"id": "l2", ', b""))
def test_mutated_documents_raise_only_load_errors(data: bytes) -> None:
    only_load_errors(data)


@FUZZ
@given(mutated_documents(), st.integers(0, 10_000), st.binary(min_size=1, max_size=3))
def test_damaged_bytes_raise_only_load_errors(data: bytes, where: int, junk: bytes) -> None:
    where %= len(data)
    only_load_errors(data[:where] + junk + data[where + len(junk) :])
    only_load_errors(data[:where])


@FUZZ
@given(mutated_documents())
def test_the_fast_path_never_accepts_what_the_slow_path_refuses(data: bytes) -> None:
    try:
        fast = native._loads_fast(data)
    except LoadError:
        fast_error = True
        fast = None
    else:
        fast_error = False
    if fast is None and not fast_error:
        return  # the fast path declined; the slow path decides alone
    try:
        slow = native._loads_slow(data)
    except LoadError:
        assert fast_error, "the fast path accepted a file the slow path refuses"
        return
    assert not fast_error, "the fast path refused a file the slow path accepts"
    assert fast == slow


@pytest.mark.fuzz
def test_long_fuzzing_run(request: pytest.FixtureRequest) -> None:
    """The fuzz tests above with a large budget: ``pytest -m fuzz tests/formats``."""
    if "fuzz" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long fuzzing run: select it with -m fuzz")
    big = settings(FUZZ, max_examples=5000, database=None)
    for test, strategies in (
        (test_random_bytes_raise_only_load_errors, (st.binary(max_size=2000),)),
        (test_mutated_documents_raise_only_load_errors, (mutated_documents(),)),
        (
            test_damaged_bytes_raise_only_load_errors,
            (mutated_documents(), st.integers(0, 10_000), st.binary(min_size=1, max_size=3)),
        ),
        (test_the_fast_path_never_accepts_what_the_slow_path_refuses, (mutated_documents(),)),
    ):
        given(*strategies)(big(test.hypothesis.inner_test))()


def test_broken_json_names_its_line_as_file_line(tmp_path, capsys) -> None:
    from cld_editor.cli import main

    path = tmp_path / "bad.cld.json"
    path.write_text(
        '{"format": "cld",\n "version": 1,\n "variables": [\n  {"id": "a" "label": "A"}]}'
    )
    with pytest.raises(LoadError) as caught:
        load_diagram(path)
    assert caught.value.line == 4
    assert caught.value.where(path) == f"{path}:4"
    assert "line" not in str(caught.value)  # the line is in FILE:LINE, not said twice
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {path}:4: not valid JSON: expecting ',' delimiter at column")
    assert len(err.splitlines()) == 1
