"""The IOD tables as data: every class reachable by name, rules well formed, choices documented."""

from __future__ import annotations

import pytest
from pydicom.datadict import tag_for_keyword
from pydicom.uid import UID

from img2dcm.iods import registry
from img2dcm.iods.model import TYPE_RANK, PixelFacts
from img2dcm.iods.tables import ALL_TABLES
from tests.iods import still_families


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_table_is_well_formed(table) -> None:
    assert UID(table.uid).name == f"{table.name} Storage"
    assert table.section and table.family in registry.FAMILIES
    for rule in table.rules:
        assert tag_for_keyword(rule.keyword) is not None, rule.keyword
        assert rule.type in TYPE_RANK
        assert (rule.condition is not None) == rule.type.endswith("C"), rule.keyword
        if rule.satisfy:
            assert tag_for_keyword(rule.satisfy[0]) is not None


def test_classic_flags_name_families() -> None:
    # DCMTK's classic command line has no video classes (they are profile-only).
    assert set(registry.CLASSIC_FLAGS.values()) == set(still_families())


def test_stronger_type_wins_when_modules_overlap() -> None:
    op = registry.table_for_uid("1.2.840.10008.5.1.4.1.1.77.1.5.1")
    assert op.rule("InstanceNumber").type == "1"  # OP Image over General Image
    assert op.rule("ImageLaterality").type == "1"
    sc = registry.table_for_uid("1.2.840.10008.5.1.4.1.1.7")
    assert sc.rule("InstanceNumber").type == "2"
    assert sc.rule("Modality").type == "3"


@pytest.mark.parametrize(("bits_stored", "accepted"), [(8, False), (9, True), (12, True), (16, True)])
def test_grayscale_word_takes_bits_stored_9_to_16(bits_stored: int, accepted: bool) -> None:
    facts = PixelFacts(1, "MONOCHROME2", 16, bits_stored, bits_stored - 1, 0, None, "1.2.840.10008.1.2.1")
    word = registry.table_for_uid("1.2.840.10008.5.1.4.1.1.7.3")
    assert registry.accepts(word, facts) is accepted


def test_accepting_families_for_multiframe_12_bit() -> None:
    facts = PixelFacts(1, "MONOCHROME2", 16, 12, 11, 0, None, "1.2.840.10008.1.2.1")
    assert registry.accepting_families(facts, frames=1) == ["secondary-capture", "multiframe-secondary-capture"]
    assert registry.accepting_families(facts, frames=3) == ["multiframe-secondary-capture"]


def test_signed_pixels_only_fit_secondary_capture() -> None:
    facts = PixelFacts(1, "MONOCHROME2", 16, 16, 15, 1, None, "1.2.840.10008.1.2.1")
    assert registry.accepting_families(facts) == ["secondary-capture"]
