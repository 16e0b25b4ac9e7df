"""RecoveryStore: recovery copies round-trip, orphans are found by real process death, corrupt
or half-written entries are listed (never crash), and nothing is deleted behind the user's back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.native import LoadError, dumps_diagram
from cld_editor.recovery import (
    ENV_STATE_DIR,
    RecoveryStore,
    default_recovery_dir,
    pid_alive,
    process_start_identity,
)


def make_diagram(title: str = "Workshop") -> Diagram:
    return Diagram(
        title=title,
        variables=[
            Variable(id="a", label="Staff morale <b>", domain="EX", x=0, y=0),
            Variable(id="b", label="Customer satisfaction", domain="CX", x=200, y=0),
        ],
        links=[
            Link(id="l1", source="a", target="b", polarity="+"),
            Link(id="l2", source="b", target="a", polarity="-", delay=True),
        ],
    )


def run_writer(folder: Path, *, title: str = "From another process", wait: bool = False):
    """A real other process that saves one entry; with ``wait`` it stays alive until its stdin
    closes. Returns the Popen (already exited unless ``wait``)."""
    code = textwrap.dedent(
        f"""
        import sys
        from cld_editor.core.model import Diagram, Variable
        from cld_editor.recovery import RecoveryStore
        store = RecoveryStore({str(folder)!r})
        diagram = Diagram(title={title!r}, variables=[Variable(id="x", label="X", x=1, y=2)])
        store.save("doc1", diagram, "/home/user/loops.cld.json", "loops.cld.json")
        print(store.session_id, flush=True)
        if {wait!r}:
            sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.session_id = proc.stdout.readline().strip()  # type: ignore[attr-defined]
    if not wait:
        proc.wait(timeout=60)
    return proc


def test_save_load_round_trip_with_metadata(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path)
    diagram = make_diagram()
    saved = store.save("doc1", diagram, "/tmp/x/workshop.cld.json", "workshop.cld.json")
    assert saved.data_path.read_bytes() == dumps_diagram(diagram).encode("utf-8")
    [entry] = store.entries()
    assert entry.entry_id == "doc1"
    assert entry.session_id == store.session_id
    assert entry.pid == os.getpid()
    assert entry.original_path == "/tmp/x/workshop.cld.json"
    assert entry.display_name == "workshop.cld.json"
    assert entry.saved_at is not None and entry.problem is None
    assert store.load(entry) == diagram


def test_untitled_entries_and_overwrite(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path)
    store.save("u1", make_diagram("first"), None, "Untitled")
    store.save("u1", make_diagram("second"), None, "Untitled")
    [entry] = store.entries()
    assert entry.untitled and entry.original_path is None
    assert store.load(entry).title == "second"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_own_entries_are_never_orphans(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path)
    store.save("doc1", make_diagram(), None, "Untitled")
    assert store.orphans() == []
    # Another store in the same (living) process: still not an orphan.
    assert RecoveryStore(tmp_path).orphans() == []


def test_entry_of_a_dead_process_is_an_orphan(tmp_path: Path) -> None:
    proc = run_writer(tmp_path)
    assert proc.returncode == 0
    assert not pid_alive(proc.pid)
    store = RecoveryStore(tmp_path)
    [orphan] = store.orphans()
    assert orphan.pid == proc.pid
    assert orphan.session_id == proc.session_id  # type: ignore[attr-defined]
    assert orphan.display_name == "loops.cld.json"
    assert orphan.original_path == "/home/user/loops.cld.json"
    assert orphan.problem is None
    assert store.load(orphan).title == "From another process"


def test_entry_of_a_running_process_is_not_an_orphan(tmp_path: Path) -> None:
    proc = run_writer(tmp_path, wait=True)
    try:
        store = RecoveryStore(tmp_path)
        assert store.orphans() == []
        assert len(store.entries()) == 1
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert [o.pid for o in store.orphans()] == [proc.pid]


@pytest.mark.skipif(process_start_identity(os.getpid()) is None, reason="no /proc here")
def test_reused_pid_is_recognised_by_start_identity(tmp_path: Path) -> None:
    proc = run_writer(tmp_path, wait=True)
    try:
        store = RecoveryStore(tmp_path)
        [entry] = store.entries()
        meta = json.loads(entry.meta_path.read_text())
        assert meta["process_start"] == process_start_identity(proc.pid)
        # Same pid, alive, but a different start: another program got the dead editor's pid.
        meta["process_start"] = "1"
        entry.meta_path.write_text(json.dumps(meta))
        assert [o.pid for o in store.orphans()] == [proc.pid]
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_corrupt_recovery_copy_is_listed_with_its_problem(tmp_path: Path) -> None:
    run_writer(tmp_path)
    store = RecoveryStore(tmp_path)
    [entry] = store.entries()
    entry.data_path.write_bytes(b'{"format": "cld", "version": 1, "variables": [{"id": 3}]')
    [orphan] = store.orphans()
    assert orphan.problem is not None and "cannot be read" in orphan.problem
    with pytest.raises(LoadError):
        store.load(orphan)
    entry.data_path.write_bytes(b"\xff\xfe garbage")
    [orphan] = store.orphans()
    assert "UTF-8" in (orphan.problem or "")
    # Listing never deletes it: the user decides.
    assert entry.data_path.exists()


def test_corrupt_or_missing_metadata_still_offers_the_diagram(tmp_path: Path) -> None:
    run_writer(tmp_path)
    store = RecoveryStore(tmp_path)
    [entry] = store.entries()
    entry.meta_path.write_bytes(b"{ not json")
    [orphan] = store.orphans()
    assert orphan.problem is None
    assert orphan.display_name == "Recovered diagram"
    assert store.load(orphan).title == "From another process"
    # Killed between writing the diagram and its metadata: the diagram alone is enough.
    entry.meta_path.unlink()
    [orphan] = store.orphans()
    assert orphan.pid is not None and not pid_alive(orphan.pid)
    assert store.load(orphan).title == "From another process"


def test_metadata_without_diagram_of_dead_owner_is_cleaned_up(tmp_path: Path) -> None:
    run_writer(tmp_path)
    store = RecoveryStore(tmp_path)
    [entry] = store.entries()
    entry.data_path.unlink()
    assert store.orphans() == []
    assert not entry.meta_path.exists()


def test_missing_recovery_copy_raises_load_error(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path)
    entry = store.save("doc1", make_diagram(), None, "Untitled")
    entry.data_path.unlink()
    with pytest.raises(LoadError, match="gone"):
        store.load(entry)


def test_remove_discard_and_clear_session_touch_only_their_entries(tmp_path: Path) -> None:
    run_writer(tmp_path, title="orphan one")
    run_writer(tmp_path, title="orphan two")
    store = RecoveryStore(tmp_path)
    store.save("mine1", make_diagram(), None, "A")
    store.save("mine2", make_diagram(), None, "B")
    store.remove("mine1")
    assert sorted(e.entry_id for e in store.entries() if e.session_id == store.session_id) == [
        "mine2"
    ]
    first, second = store.orphans()
    store.discard(first)
    assert [store.load(o).title for o in store.orphans()] == [store.load(second).title]
    store.clear_session()
    assert [e.key for e in store.entries()] == [second.key]


def test_claim_moves_an_orphan_into_this_session(tmp_path: Path) -> None:
    run_writer(tmp_path)
    store = RecoveryStore(tmp_path)
    [orphan] = store.orphans()
    entry_id = store.claim(orphan)
    assert store.orphans() == []
    [entry] = store.entries()
    assert entry.session_id == store.session_id and entry.entry_id == entry_id
    assert entry.display_name == "loops.cld.json"
    assert store.load(entry).title == "From another process"
    assert not orphan.data_path.exists() and not orphan.meta_path.exists()
    # Once claimed, a second claim (another window, or a stale list) fails cleanly.
    with pytest.raises(FileNotFoundError):
        RecoveryStore(tmp_path).claim(orphan)
    # After this process dies the claimed copy would be an orphan again; saving replaces it.
    store.save(entry_id, make_diagram("edited"), entry.original_path, entry.display_name)
    assert store.load(store.entries()[0]).title == "edited"


def test_failed_write_keeps_the_previous_copy(tmp_path: Path, monkeypatch) -> None:
    store = RecoveryStore(tmp_path)
    store.save("doc1", make_diagram("good"), None, "Untitled")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        store.save("doc1", make_diagram("never written"), None, "Untitled")
    monkeypatch.undo()
    [entry] = store.entries()
    assert store.load(entry).title == "good"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_temporaries_of_dead_writers_are_removed_but_live_ones_kept(tmp_path: Path) -> None:
    proc = run_writer(tmp_path)
    dead_tmp = tmp_path / f".{proc.session_id}.doc1.cld.json.abc123.tmp"  # type: ignore[attr-defined]
    dead_tmp.write_text("half")
    store = RecoveryStore(tmp_path)
    live_tmp = tmp_path / f".{store.session_id}.doc2.cld.json.abc123.tmp"
    live_tmp.write_text("half")
    store.orphans()
    assert not dead_tmp.exists() and live_tmp.exists()


def test_entry_ids_are_checked(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path)
    for bad in ("", "../evil", "a.b", "x" * 65):
        with pytest.raises(ValueError):
            store.save(bad, make_diagram(), None, "Untitled")
    assert store.new_entry_id() != store.new_entry_id()


def test_unrelated_files_and_missing_folder_are_ignored(tmp_path: Path) -> None:
    assert RecoveryStore(tmp_path / "nowhere").orphans() == []
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "random.cld.json").write_text("{}")
    assert RecoveryStore(tmp_path).entries() == []


def test_default_folder_follows_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path))
    assert default_recovery_dir() == tmp_path / "recovery"
    assert RecoveryStore().folder == tmp_path / "recovery"
    monkeypatch.delenv(ENV_STATE_DIR)
    assert default_recovery_dir().name == "recovery"
    assert "cld-editor" in str(default_recovery_dir())


def test_pid_alive_on_this_and_a_finished_process() -> None:
    assert pid_alive(os.getpid())
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert not pid_alive(int(proc.stdout))
    assert not pid_alive(0) and not pid_alive(-5)


ORPHANS_IN_A_CHILD = """
import json, resource, sys
# A bound on memory, so that reading /dev/zero fails the test instead of the machine.
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from cld_editor.recovery import RecoveryStore
store = RecoveryStore(sys.argv[1])
found = {}
for entry in store.orphans():
    title = None if entry.problem else store.load(entry).title
    found[entry.key] = [entry.display_name, title, entry.problem]
print(json.dumps(found))
"""


def list_orphans_in_a_child(folder: Path) -> dict[str, list]:
    """What the next start would offer, computed in another process: a hang or a runaway read
    fails the test (timeout, memory limit) instead of hanging it."""
    done = subprocess.run(
        [sys.executable, "-c", ORPHANS_IN_A_CHILD, str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_fifos_and_links_to_devices_never_block_or_flood_the_start(tmp_path: Path) -> None:
    for title in ("good", "fifo copy", "zero copy", "fifo meta", "zero meta", "link to good"):
        run_writer(tmp_path, title=title)
    store = RecoveryStore(tmp_path)
    entries = {store.load(e).title: e for e in store.entries()}
    good = entries["good"]
    for title, swap_data in (("fifo copy", True), ("fifo meta", False)):
        path = entries[title].data_path if swap_data else entries[title].meta_path
        path.unlink()
        os.mkfifo(path)
    for title, swap_data in (("zero copy", True), ("zero meta", False)):
        path = entries[title].data_path if swap_data else entries[title].meta_path
        path.unlink()
        path.symlink_to("/dev/zero")
    entries["link to good"].data_path.unlink()
    entries["link to good"].data_path.symlink_to(good.data_path)

    found = list_orphans_in_a_child(tmp_path)

    assert len(found) == 6
    assert found[good.key] == ["loops.cld.json", "good", None]
    # A damaged copy is listed with its problem; damaged metadata leaves a usable copy.
    assert found[entries["fifo copy"].key][2].endswith("not a regular file")
    assert found[entries["zero copy"].key][2].endswith("is a symbolic link")
    assert found[entries["link to good"].key][2].endswith("is a symbolic link")
    assert found[entries["fifo meta"].key] == ["Recovered diagram", "fifo meta", None]
    assert found[entries["zero meta"].key] == ["Recovered diagram", "zero meta", None]


def test_a_recovery_copy_has_the_size_limit_of_file_open(tmp_path: Path, monkeypatch) -> None:
    from cld_editor.formats import native

    store = RecoveryStore(tmp_path)
    entry = store.save("doc1", make_diagram(), None, "Untitled")
    monkeypatch.setattr(native, "MAX_FILE_BYTES", 100)
    with pytest.raises(LoadError, match="file is too large"):
        store.load(entry)
