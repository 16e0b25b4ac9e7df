"""Loader fuzzing with a large budget: only ``LoadError`` may ever come out of ``loads_diagram``.

Run: ``python -m benchmarks.fuzz_loader [--seconds S | --cases N] [--seed K] [--large]``. Cases
are drawn from a seeded generator, so a failure names the seed and case number that reproduce
it (the offending bytes are also written to ``fuzz-failure-<seed>-<case>.bin``). Each case is one
of: random bytes; a valid document (an example file or a random diagram) with JSON-level
mutations (a value replaced by one of another type or an extreme one, keys dropped or added,
records duplicated, references broken, nesting added, envelope changed); or the valid text with
byte-level damage (flips, cuts, invalid UTF-8, spliced slices). A file that loads must round-trip
(dump, load, dump gives the same bytes). ``--large`` also times the biggest inputs: a 20,000
variable file, a file over the size limit, deep nesting and an integer of 100,000 digits, with
tracemalloc peaks. The CI-sized fuzz test lives in tests/formats (another helper's); this is
the long run. Prints cases run per kind, failures, and the time taken.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cld_editor.core.model import MAX_LINKS, MAX_VARIABLES
from cld_editor.formats.native import (
    MAX_FILE_BYTES,
    LoadError,
    dumps_diagram,
    load_diagram,
    loads_diagram,
)

try:
    from benchmarks.diagrams import random_diagram
except ImportError:  # run as a script from inside benchmarks/
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks.diagrams import random_diagram

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"


def seed_documents(rng: random.Random) -> list[str]:
    """Valid texts to mutate: every example, plus a few random diagrams with loop labels."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.cld.json"))]
    for n in (3, 12, 40):
        diagram = random_diagram(n, 1.5, rng.randrange(1000), unknown=0.1, self_links=True)
        raw = json.loads(dumps_diagram(diagram))
        raw["waterline"] = 12.5
        raw["loop_labels"] = [{"id": "ll1", "loop": ["v0", "v1"], "x": 1, "y": 2, "name": "R"}]
        raw["variables"][0]["notes"] = "<b>note</b>"
        texts.append(json.dumps(raw))
    return texts


def odd_value(rng: random.Random) -> Any:
    """A JSON value of a random type, often an extreme one."""
    return rng.choice(
        [
            None,
            True,
            False,
            0,
            -1,
            2**63,
            10 ** rng.randint(20, 400),
            1e308,
            -0.0,
            math.nan,
            math.inf,
            "",
            "x" * rng.choice([1, 200, 1001, 100_001]),
            "\x00\x1f",
            "<img src=x onerror=alert(1)>",
            "\ud800",
            [],
            [None] * rng.randint(1, 5),
            {},
            {"id": "v0"},
            "CX",
            "+",
            "-",
            "?",
        ]
    )


def nodes(value: Any, max_depth: int = 40) -> list[tuple[Any, ...]]:
    """Paths to the nodes of a parsed document, down to ``max_depth`` (nesting added by earlier
    mutations can be thousands deep)."""
    found: list[tuple[Any, ...]] = []
    todo: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while todo:
        path, node = todo.pop()
        found.append(path)
        if len(path) >= max_depth:
            continue
        if isinstance(node, dict):
            todo += [((*path, key), child) for key, child in node.items()]
        elif isinstance(node, list):
            todo += [((*path, index), child) for index, child in enumerate(node)]
    return found


def get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def mutate_json(rng: random.Random, text: str) -> str:
    """One to four structural mutations of a valid document."""
    doc = json.loads(text)
    for _ in range(rng.randint(1, 4)):
        paths = nodes(doc)
        path = rng.choice(paths)
        parent = get(doc, path[:-1]) if path else None
        key = path[-1] if path else None
        action = rng.choice(
            ["replace", "replace", "drop", "add_key", "duplicate", "nest", "retarget", "envelope"]
        )
        if action == "replace" and parent is not None:
            parent[key] = odd_value(rng)
        elif action == "drop" and isinstance(parent, dict):
            del parent[key]
        elif action == "drop" and isinstance(parent, list):
            parent.pop(key)
        elif action == "add_key":
            target = get(doc, path)
            if isinstance(target, dict):
                target[rng.choice(["extra", "id", "x", "links", "loop", "format"])] = odd_value(rng)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(parent[key])  # a second record with the same id
        elif action == "nest" and parent is not None:
            depth = rng.choice([2, 50, 5000])
            wrapped: Any = parent[key]
            for _ in range(depth):
                wrapped = [wrapped] if rng.random() < 0.5 else {"k": wrapped}
            parent[key] = wrapped
        elif action == "retarget" and isinstance(doc, dict) and _nonempty_list(doc.get("links")):
            link = rng.choice(doc["links"])
            if isinstance(link, dict):
                link[rng.choice(["source", "target"])] = rng.choice(["ghost", "v0", "", 7])
        elif action == "envelope" and isinstance(doc, dict):
            doc[rng.choice(["format", "version"])] = rng.choice(
                ["cld", "CLD", 1, 2, 0, -1, "1", 1.0, None, 10**50]
            )
    try:
        return json.dumps(doc, allow_nan=True, ensure_ascii=rng.random() < 0.5)
    except RecursionError:
        # Too deep for the encoder: the loader still gets deep nesting, as raw text.
        return '{"format": "cld", "version": 1, "variables": ' + "[" * 20_000 + "]" * 20_000 + "}"


def _nonempty_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value)


def damage_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not out:
            break
        i = rng.randrange(len(out))
        choice = rng.randrange(5)
        if choice == 0:
            out[i] = rng.randrange(256)
        elif choice == 1:
            del out[i:]
        elif choice == 2:
            out[i:i] = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf"])
        elif choice == 3:
            j = rng.randrange(len(out))
            out[i:i] = out[j : j + rng.randint(1, 200)]
        else:
            out[i:i] = rng.choice([b"NaN", b"-Infinity", b"1e999", b"9" * 5000, b"[" * 3000])
    return bytes(out)


def random_bytes(rng: random.Random) -> bytes:
    n = rng.choice([0, 1, 2, 16, 200, 4000])
    if rng.random() < 0.3:
        return bytes(rng.choice(b'{}[]":,0123456789.eE+-truefalsnl \n') for _ in range(n))
    return bytes(rng.randrange(256) for _ in range(n))


class Fuzzer:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.seeds = seed_documents(self.rng)
        self.kinds: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.failures: list[str] = []
        self.slowest = (0.0, "")

    def case(self, number: int) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            kind, data = "random bytes", random_bytes(rng)
        elif roll < 0.75:
            kind = "json mutation"
            data = mutate_json(rng, rng.choice(self.seeds)).encode("utf-8", "surrogatepass")
        else:
            kind, data = "byte damage", damage_bytes(rng, rng.choice(self.seeds).encode("utf-8"))
        self.kinds[kind] += 1
        started = time.perf_counter()
        try:
            diagram = loads_diagram(data)
        except LoadError:
            self.outcomes["refused (LoadError)"] += 1
        except BaseException as exc:  # the bug this hunts for: anything else escaping
            self._fail(number, data, f"{type(exc).__name__}: {exc}"[:300])
        else:
            self.outcomes["loaded"] += 1
            text = dumps_diagram(diagram)
            if dumps_diagram(loads_diagram(text.encode("utf-8"))) != text:
                self._fail(number, data, "loaded but does not round-trip")
        elapsed = time.perf_counter() - started
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, f"case {number} ({kind}, {len(data)} bytes)")

    def _fail(self, number: int, data: bytes, what: str) -> None:
        name = f"fuzz-failure-{self.seed}-{number}.bin"
        Path(name).write_bytes(data)
        self.failures.append(f"seed {self.seed} case {number}: {what} (bytes in {name})")


def measure(label: str, action: Callable[[], object]) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        action()
        outcome = "loaded"
    except LoadError as exc:
        outcome = f"LoadError: {exc}"
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label}: {elapsed:.2f} s, peak {peak / 2**20:.0f} MiB traced; {outcome[:90]}")


def large_inputs(folder: Path) -> None:
    print("Largest inputs (time includes tracemalloc overhead):")
    big = random_diagram(20_000, 3.0, 5)
    text = dumps_diagram(big).encode("utf-8")
    size = len(text) / 2**20
    started = time.perf_counter()
    loads_diagram(text)
    plain = time.perf_counter() - started
    print(f"  20,000 variables / 60,000 links ({size:.1f} MiB): {plain:.2f} s without tracing")
    measure("  same file, traced", lambda: loads_diagram(text))
    over = folder / "over-the-limit.cld.json"
    with open(over, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    measure(f"file of {MAX_FILE_BYTES // 2**20} MiB + 1 byte", lambda: load_diagram(over))
    over.unlink()
    measure("nesting 100,000 deep", lambda: loads_diagram(b"[" * 100_000 + b"]" * 100_000))
    digits = b'{"format": "cld", "version": ' + b"9" * 100_000 + b"}"
    measure("integer of 100,000 digits", lambda: loads_diagram(digits))
    # Refusing invalid records costs time and memory per record (an error for each): a small
    # file of many bad records is the loader's most expensive refusal.
    many = b'{"format":"cld","version":1,"variables":[' + b",".join([b"{}"] * 200_000) + b"]}"
    measure(f"200,000 empty records ({len(many) / 2**20:.1f} MiB)", lambda: loads_diagram(many))
    huge = dumps_diagram(random_diagram(MAX_VARIABLES, MAX_LINKS / MAX_VARIABLES, 1)).encode()
    started = time.perf_counter()
    loads_diagram(huge)
    print(
        f"  {MAX_VARIABLES:,} variables / {MAX_LINKS:,} links ({len(huge) / 2**20:.0f} MiB): "
        f"{time.perf_counter() - started:.2f} s without tracing"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="run this long (default 60)")
    parser.add_argument("--cases", type=int, default=None, help="run this many cases instead")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--large", action="store_true", help="also time the largest inputs")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    fuzzer = Fuzzer(args.seed)
    started = time.perf_counter()
    number = 0
    while True:
        if args.cases is not None and number >= args.cases:
            break
        if args.cases is None and time.perf_counter() - started >= args.seconds:
            break
        fuzzer.case(number)
        number += 1
    elapsed = time.perf_counter() - started
    print(
        f"Loader fuzz, seed {args.seed}: {number:,} cases in {elapsed:.1f} s "
        f"({number / elapsed:,.0f} cases/s)"
    )
    for kind, count in sorted(fuzzer.kinds.items()):
        print(f"  {kind}: {count:,}")
    for outcome, count in sorted(fuzzer.outcomes.items()):
        print(f"  {outcome}: {count:,}")
    print(f"  slowest case: {fuzzer.slowest[0] * 1000:.0f} ms, {fuzzer.slowest[1]}")
    print(f"  failures: {len(fuzzer.failures)}")
    for failure in fuzzer.failures[:20]:
        print(f"    {failure}")
    if args.large:
        large_inputs(Path.cwd())
    return 1 if fuzzer.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
