"""Variable names (core/names.py and the edits that use it): one name per variable, compared
ignoring case and white space; copies get free names; shared names in a file are pointed out."""

from __future__ import annotations

import random

import pytest

from cld_editor.core import edits, names
from cld_editor.core.document import Document
from cld_editor.core.history import History
from cld_editor.core.model import MAX_LABEL_LENGTH, Diagram, Link, Variable


def variables(*labels: str) -> list[Variable]:
    return [Variable(id=f"v{k}", label=label, x=100.0 * k, y=0) for k, label in enumerate(labels)]


@pytest.mark.parametrize(
    ("name", "taken_by"),
    [
        ("Revenue", "v0"),
        ("revenue", "v0"),
        ("  REVENUE \n", "v0"),
        ("Staff morale", "v1"),  # the label holds a line break and a double space
        ("staff\tMORALE", "v1"),
        ("Reve\x07nue", "v0"),  # typed control characters are dropped before naming
        ("Revenues", None),
        ("Staff-morale", None),
        ("", None),
        ("   ", None),
    ],
)
def test_a_name_is_taken_whatever_its_case_and_white_space(name, taken_by):
    held = variables("Revenue", "Staff\n  morale")
    assert names.holder_of(held, name) == taken_by
    assert names.is_taken(held, name) is (taken_by is not None)


def test_a_variable_may_keep_its_own_name_in_another_case_but_not_take_anothers():
    held = variables("Revenue", "Cost")
    assert not names.is_taken(held, "REVENUE", own_id="v0")
    assert names.holder_of(held, "cost ", own_id="v0") == "v1"
    # With two holders (a file that had them), the other one still holds it.
    held = variables("Revenue", "revenue")
    assert names.holder_of(held, "Revenue", own_id="v0") == "v1"


def test_free_names_count_up_from_the_wanted_one():
    taken = names.name_keys(variables("Revenue", "Revenue 2", "cost"))
    assert names.free_name("Price", taken) == "Price"
    assert names.free_name("Revenue", taken) == "Revenue 3"
    assert names.free_name("revenue 2", taken) == "revenue 3"
    assert names.free_name("COST", taken) == "COST 2"
    assert names.free_name("Staff\nmorale", {"staff morale"}) == "Staff\nmorale 2"
    assert names.free_name(" Cost ", taken) == "Cost 2"
    long = "x" * MAX_LABEL_LENGTH
    free = names.free_name(long, {names.name_key(long)})
    assert len(free) == MAX_LABEL_LENGTH and free.endswith(" 2")


@pytest.mark.parametrize(
    ("wanted", "held", "free"),
    [
        ("Revenue 2", ["Revenue 2"], "Revenue 3"),
        ("Revenue 999", ["Revenue 999"], "Revenue 1000"),
        # A longer number is part of the name (a year, a code), not a count.
        ("Sales 2024", ["Sales 2024"], "Sales 2024 2"),
        ("Sales 2024", ["Sales 2024", "Sales 2024 2"], "Sales 2024 3"),
        ("Plan 2025 3", ["Plan 2025 3"], "Plan 2025 4"),
        # A number written with leading zeros keeps its width.
        ("Step 09", ["Step 09"], "Step 10"),
        ("Agent 007", ["Agent 007", "Agent 008"], "Agent 009"),
        ("Q3", ["Q3"], "Q3 2"),
        # A name with nothing in it is named as a new variable would be, never " 2".
        ("", [""], "Variable 1"),
        ("   ", ["  ", "Variable 1"], "Variable 2"),
        ("\n", [""], "Variable 1"),
    ],
)
def test_a_copy_counts_on_only_from_a_short_number_and_is_never_blank(wanted, held, free):
    taken = names.name_keys(variables(*held))
    assert names.free_name(wanted, taken) == free
    assert names.free_name(wanted, taken).strip() == free


def test_free_names_given_in_turn_are_the_first_free_after_each_wanted_one():
    rng = random.Random(16)
    stems = ["Revenue", "revenue ", "Step", "Sales 2024", "", "Variable"]
    for _ in range(40):
        held = {names.name_key(f"{rng.choice(stems)} {rng.randint(1, 30)}") for _ in range(30)}
        held |= {names.name_key(rng.choice(stems)) for _ in range(3)}
        free = names.FreeNames(set(held))
        taken = set(held)
        for _ in range(60):
            wanted = rng.choice([rng.choice(stems), f"{rng.choice(stems)} {rng.randint(1, 40)}"])
            expected = first_free(wanted, taken)
            assert free.give(wanted) == expected
            taken.add(names.name_key(expected))
    assert taken - held  # names were given


def first_free(wanted: str, taken: set[str]) -> str:
    """What one name on its own is given: probed from the start, number by number."""
    if names.name_key(wanted) not in taken:
        return wanted
    stem, number = wanted.strip(), 2
    head, _, tail = stem.rpartition(" ")
    if head.strip() and tail.isdigit() and len(tail) <= 3:
        stem, number = head.strip(), int(tail) + 1
    if not stem:
        stem, number = "Variable", 1
    while names.name_key(f"{stem} {number}") in taken:
        number += 1
    return f"{stem} {number}"


def test_pasting_numbered_names_probes_each_number_about_once(monkeypatch):
    """Select All + Paste of "Variable 1" ... "Variable N" once probed every copy's number
    from 2 up (N * N / 2 names looked at: 4,000 copies took 8 s)."""
    count = 300
    doc = document(*(f"Variable {i}" for i in range(1, count + 1)))
    looked_at = []
    real = names.name_key
    monkeypatch.setattr(names, "name_key", lambda name: looked_at.append(name) or real(name))
    op = edits.paste(doc, list(doc.variables.values()), [])
    labels = [v.label for v in op.ops[0].records]
    assert labels == [f"Variable {i}" for i in range(count + 1, 2 * count + 1)]
    assert len(looked_at) < 10 * count


def test_a_new_variable_is_offered_the_first_free_number():
    assert names.new_variable_name([]) == "Variable 1"
    assert names.new_variable_name(variables("variable 1", "Variable 3")) == "Variable 2"


def test_shared_names_are_listed_once_each_in_document_order():
    held = variables("Revenue", "Cost", "revenue", "Price", "COST", " Revenue")
    assert names.shared_names(held) == [("Revenue", 3), ("Cost", 2)]
    assert names.shared_names(variables("Revenue", "Cost")) == []
    assert names.shared_names_message(variables("A", "B")) is None
    assert names.shared_names_message(variables("Revenue", "revenue")) == (
        "2 variables share the name “Revenue”: rename one so loops read clearly"
    )
    assert names.shared_names_message(variables("R", "r", "R ")).startswith(
        "3 variables share the name “R”: rename them"
    )
    many = names.shared_names_message(variables(*"AaBbCcDdEe"))
    assert many is not None
    assert many.startswith("5 names are shared by several variables, “A” (2), “B” (2), “C” (2)")
    assert "and 2 more" in many


# -- the edits -------------------------------------------------------------------------------


def document(*labels: str) -> Document:
    return Document(Diagram(variables=variables(*labels)))


def test_naming_a_new_variable_after_another_changes_nothing():
    doc = document("Revenue")
    assert edits.add_variable(doc, "revenue ", 0, 0) is None
    assert edits.add_variable(doc, "Revenue growth", 0, 0) is not None


def test_renaming_to_a_taken_name_changes_nothing_but_a_new_case_is_a_rename():
    doc = document("Revenue", "Cost")
    assert edits.rename_variable(doc, "v1", "REVENUE") is None
    assert edits.rename_variable(doc, "v1", "Revenue\n") is None
    history = History(doc)
    history.push(edits.rename_variable(doc, "v0", "revenue"))
    assert doc.variables["v0"].label == "revenue"
    history.push(edits.rename_variable(doc, "v1", "Costs"))
    assert doc.variables["v1"].label == "Costs"


def test_a_file_with_shared_names_can_still_rename_one_of_them_apart():
    doc = document("Revenue", "Revenue")
    assert edits.rename_variable(doc, "v1", "revenue") is None  # the other still holds it
    assert edits.rename_variable(doc, "v1", "Revenue (services)") is not None


def test_pasted_copies_get_free_names_and_rounded_places_in_one_step():
    doc = Document(
        Diagram(
            variables=variables("Revenue", "Cost", "Revenue 2"),
            links=[Link(id="l1", source="v0", target="v1")],
        )
    )
    history = History(doc)
    before = doc.diagram
    copied = [doc.variables["v0"], doc.variables["v1"]]
    op = edits.paste(doc, copied, list(doc.links.values()), (10.123, -0.004))
    history.push(op)
    new = [doc.variables[i] for i in edits.added_ids(op)]
    assert [v.label for v in new] == ["Revenue 3", "Cost 2"]
    assert [(v.x, v.y) for v in new] == [(10.12, 0.0), (110.12, 0.0)]
    assert names.shared_names(doc.variables.values()) == []
    assert history.undo_name == "Paste"
    history.undo()
    assert doc.diagram == before
    # Copies of one name in the same paste do not share a name either.
    twins = [Variable(id="t1", label="Price", x=0, y=0), Variable(id="t2", label="price", x=0, y=0)]
    op = edits.paste(doc, twins, [])
    history.push(op)
    assert [doc.variables[i].label for i in edits.added_ids(op)] == ["Price", "price 2"]


def test_renaming_to_the_name_without_the_spaces_a_file_left_at_its_ends_changes_nothing():
    doc = document(" Margin ", "Revenue ", "Revenue")
    assert edits.rename_variable(doc, "v0", "Margin") is None  # the editors trim what they show
    assert edits.rename_variable(doc, "v1", "Revenue") is None
    assert edits.rename_variable(doc, "v0", "margin") is not None  # a new case is a rename
