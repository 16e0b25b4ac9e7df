"""The XMILE reader on small files: the namespace, stocks and flows, aliases, polarity and
angle on connectors, notes, text-box loop markers, several views; refusal of unsafe XML."""

from __future__ import annotations

from unittest import mock

import pytest

from cld_editor.formats.conversion import ConversionReport, FormatError
from cld_editor.formats.xmile_read import read_xmile

MODEL = b"""<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"
       xmlns:isee="http://iseesystems.com/XMILE">
  <header><name>Shop</name></header>
  <model>
    <variables>
      <aux name="Customer\\nsatisfaction"><doc>How happy.</doc></aux>
      <aux name="Sales"/>
      <aux name="Staff"/>
    </variables>
    <views><view type="stock_flow">
      <aux x="100" y="100" name="Customer\\nsatisfaction"/>
      <aux x="300" y="100" name="Sales"/>
      <aux x="200" y="250" name="Staff"/>
      <alias uid="9" x="400" y="300"><of>Sales</of></alias>
      <connector uid="1" polarity="+" angle="30">
        <from>Customer_satisfaction</from><to>Sales</to></connector>
      <connector uid="2" polarity="-"><from><alias uid="9"/></from><to>Staff</to></connector>
      <connector uid="3"><from>Staff</from><to>Customer satisfaction</to></connector>
      <connector uid="4"><from>DT</from><to>Sales</to></connector>
      <text_box x="200" y="150">B</text_box>
      <text_box x="20" y="20">A note on the canvas</text_box>
    </view>
    <view type="interface"><aux x="1" y="1" name="Sales"/></view>
    </views>
  </model>
</xmile>"""


def test_reads_variables_connectors_and_markers() -> None:
    report = ConversionReport("xmile")
    diagram = read_xmile(MODEL, report)
    assert diagram.title == "Shop"
    # XMILE writes a line break in a name as \\n: the label keeps it.
    assert [v.label for v in diagram.variables] == ["Customer\nsatisfaction", "Sales", "Staff"]
    assert diagram.variables[0].notes == "How happy."
    ids = {v.label.replace("\n", " "): v.id for v in diagram.variables}
    signs = {(lk.source, lk.target): lk for lk in diagram.links}
    first = signs[(ids["Customer satisfaction"], ids["Sales"])]
    assert first.polarity == "+" and first.curvature > 0  # 30 degrees left of the chord
    assert signs[(ids["Sales"], ids["Staff"])].polarity == "-"  # from the alias
    assert signs[(ids["Staff"], ids["Customer satisfaction"])].polarity == "?"
    assert len(diagram.loop_labels) == 1
    assert any("text box" in line for line in report.lines())
    # A connector from a simulation setting makes no link, and the line says which.
    assert any("not a variable was left out (DT → Sales)" in line for line in report.lines())


def test_stock_flows_and_equation_links() -> None:
    data = b"""<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"><model><variables>
      <stock name="Water"><eqn>10</eqn><inflow>tap</inflow><outflow>drain</outflow></stock>
      <flow name="tap"><eqn>5</eqn></flow>
      <flow name="drain"><eqn>Water / drain_time</eqn></flow>
      <aux name="drain time"><eqn>3</eqn></aux>
    </variables></model></xmile>"""
    from cld_editor.formats import sd_polarity

    # Where pysimlin is missing, the note says how to get it; where it is there but fails on
    # the model, it says so instead of suggesting to install what is installed.
    for installed, words in ((False, "sd extra"), (True, "pysimlin could not read")):
        report = ConversionReport("xmile")
        with mock.patch.object(sd_polarity, "available", lambda installed=installed: installed):
            read_xmile(data, report, infer=lambda: None)
        assert any(words in line for line in report.lines())
    report = ConversionReport("xmile")
    diagram = read_xmile(data, report, infer=lambda: None)
    names = {v.id: v.label for v in diagram.variables}
    links = {(names[lk.source], names[lk.target]): lk.polarity for lk in diagram.links}
    assert links == {
        ("tap", "Water"): "+",
        ("drain", "Water"): "-",
        ("Water", "drain"): "?",
        ("drain time", "drain"): "?",
    }
    assert report.laid_out


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<xmile><model>", "not valid XML"),
        (b"<other/>", "not an XMILE file"),
        (b'<!DOCTYPE x [<!ENTITY a "aaaa">]><xmile/>', "refused"),
        (b'<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><xmile/>', "refused"),
        (b"<xmile/>", "no <model>"),
    ],
)
def test_bad_and_unsafe_xml_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(FormatError, match=words):
        read_xmile(data, ConversionReport("xmile"))


def test_billion_laughs_is_refused_quickly() -> None:
    entities = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    data = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a0 "lol">{entities}]><xmile>&a9;</xmile>'
    with pytest.raises(FormatError, match="refused"):
        read_xmile(data.encode(), ConversionReport("xmile"))


def test_a_drawing_from_another_tool_is_spread_until_no_boxes_overlap() -> None:
    from cld_editor.layout.boxes import estimated_size, overlapping_pairs, rects

    data = b"""<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"><model><variables>
      <aux name="Customer satisfaction"/><aux name="Repeat purchases"/>
    </variables><views><view type="stock_flow">
      <aux x="100" y="100" name="Customer satisfaction"/>
      <aux x="150" y="110" name="Repeat purchases"/>
      <connector uid="1" polarity="+"><from>Customer_satisfaction</from>
        <to>Repeat_purchases</to></connector>
    </view></views></model></xmile>"""
    report = ConversionReport("xmile")
    diagram = read_xmile(data, report)
    sizes = {v.id: estimated_size(v.label) for v in diagram.variables}
    assert overlapping_pairs(rects({v.id: (v.x, v.y) for v in diagram.variables}, sizes)) == []
    a, b = diagram.variables
    assert (b.x - a.x) / (b.y - a.y) == pytest.approx(5.0, rel=1e-3)
    assert any("spread out" in line for line in report.lines())


def test_an_xmile_file_written_by_cld_editor_keeps_its_positions(tmp_path) -> None:
    from cld_editor.core.model import Diagram, Variable
    from cld_editor.formats.registry import read_diagram, write_diagram

    crowded = Diagram(
        variables=[
            Variable(id="a", label="Customer satisfaction", x=100, y=100),
            Variable(id="b", label="Repeat purchases", x=150, y=110),
        ]
    )
    path = tmp_path / "ours.xmile"
    write_diagram(crowded, path)
    back, report = read_diagram(path)
    assert [(v.x, v.y) for v in back.variables] == [(100, 100), (150, 110)]
    assert not any("spread out" in line for line in report.lines())


def test_a_flow_and_its_stock_linked_both_ways_are_drawn_apart() -> None:
    data = b"""<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"><model><variables>
      <stock name="population"><eqn>10</eqn><inflow>births</inflow></stock>
      <flow name="births"><eqn>population * 0.1</eqn></flow>
    </variables><views><view type="stock_flow">
      <stock x="200" y="100" name="population"/>
      <flow x="100" y="100" name="births"/>
      <connector uid="1"><from>population</from><to>births</to></connector>
    </view></views></model></xmile>"""
    diagram = read_xmile(data, ConversionReport("xmile"))
    ids = {v.label: v.id for v in diagram.variables}
    bends = {(lk.source, lk.target): lk.curvature for lk in diagram.links}
    there = bends[(ids["births"], ids["population"])]
    back = bends[(ids["population"], ids["births"])]
    # Both bow to their own left, so the two arrows never lie on top of each other.
    assert there > 0 and back > 0


def test_xmile_keeps_the_waterline_and_the_description(tmp_path) -> None:
    from cld_editor.core.model import Diagram, Link, Variable
    from cld_editor.formats.registry import read_diagram, write_diagram

    diagram = Diagram(
        title="Iceberg",
        description="Why staff & customers <both> matter",
        waterline=-85.5,
        variables=[
            Variable(id="a", label="Service", domain="CX", x=0, y=-200),
            Variable(id="b", label="Staff", domain="EX", x=0, y=100),
        ],
        links=[Link(id="l1", source="a", target="b"), Link(id="l2", source="b", target="a")],
    )
    path = tmp_path / "d.xmile"
    report = write_diagram(diagram, path)
    assert not any("left out" in line for line in report.lines())
    back, _ = read_diagram(path)
    assert back.waterline == -85.5
    assert back.description == diagram.description


def test_a_waterline_out_of_range_is_refused() -> None:
    data = (
        b'<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" '
        b'xmlns:cld="https://cld-editor.org/xmile"><model><variables><aux name="a"/></variables>'
        b'<views><view cld:waterline="1e300"><aux name="a" x="0" y="0"/></view></views>'
        b"</model></xmile>"
    )
    with pytest.raises(FormatError, match="waterline"):
        read_xmile(data, ConversionReport("xmile"))


def test_a_drawing_left_of_or_above_the_page_is_moved_onto_it_and_back(tmp_path) -> None:
    import re

    from cld_editor.core.model import Diagram
    from cld_editor.formats.registry import export_bytes, read_diagram

    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": "Workload", "x": -500, "y": -300, "domain": "EX"},
                {"id": "b", "label": "Service", "x": -100, "y": 200, "domain": "CX"},
            ],
            "links": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}],
            "loop_labels": [{"id": "L", "loop": ["a", "b"], "x": -300, "y": -50, "name": "Spin"}],
            "waterline": -20,
        }
    )
    report, data = export_bytes(diagram, tmp_path / "x.xmile", "xmile")
    text = data.decode()
    coordinates = [float(v) for v in re.findall(r' [xy]="(-?[0-9.]+)"', text)]
    assert coordinates and min(coordinates) > 0  # Stella's page starts at (0, 0)
    assert any("moves it back when it reads the file" in line for line in report.lines())
    (tmp_path / "x.xmile").write_bytes(data)
    back, _ = read_diagram(tmp_path / "x.xmile")
    assert [(v.x, v.y) for v in back.variables] == [(-500, -300), (-100, 200)]
    assert back.waterline == -20
    assert [(lab.x, lab.y, lab.name) for lab in back.loop_labels] == [(-300, -50, "Spin")]
