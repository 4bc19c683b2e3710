"""img2dcm.charset and the character-set step: target choice, policies, messages naming the source."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydicom.dataset import Dataset

from img2dcm.charset import (
    encodes,
    fit,
    python_encodings,
    target_terms,
    text_elements,
    transliterate,
    unknown_terms,
    Unencodable,
)
from img2dcm.errors import CharsetError
from img2dcm.context import Context
from img2dcm.profile.model import Profile
from img2dcm.provenance import DatasetBuilder, Source, SourceKind
from img2dcm.steps.charset import ResolveCharacterSet
from img2dcm.uids import UidFactory

LATIN1 = python_encodings(["ISO_IR 100"])
TEMPLATE = Source(SourceKind.TEMPLATE, "site/sc.dcm")
STUDY = Source(SourceKind.STUDY_FILE, "order.dcm")
KEY = Source(SourceKind.KEY, "site.yaml:12")


def context(*puts: tuple[str, object, Source]) -> Context:
    builder = DatasetBuilder()
    for name, value, source in puts:
        builder.put(name, value, source)
    return Context(profile=Profile(), images=(), builder=builder, uids=UidFactory(), now=datetime.now())


def test_default_repertoire_means_ascii_although_pydicom_reads_it_as_latin1() -> None:
    default = python_encodings([])
    assert encodes("Smith^John", default)
    assert not encodes("Jérôme", default)
    assert not encodes("é", python_encodings(["", "ISO 2022 IR 87"]))
    assert encodes("山田", python_encodings(["", "ISO 2022 IR 87"]))


def test_multi_valued_sets_are_read_whole() -> None:
    ds = Dataset()
    ds.SpecificCharacterSet = ["", "ISO 2022 IR 87"]
    assert target_terms(ds) == ["", "ISO 2022 IR 87"]
    assert target_terms(Dataset()) == []


def test_unknown_terms_are_found_instead_of_falling_back_silently() -> None:
    assert unknown_terms(["ISO_IR 100", "ISO_IR 999"]) == ["ISO_IR 999"]
    assert unknown_terms(["", "ISO 2022 IR 87"]) == []


@pytest.mark.parametrize(("char", "expected"), [("ő", "o"), ("Ż", "Z"), ("Ł", "?"), ("山", "?")])
def test_transliterate_keeps_the_base_letter_or_gives_a_question_mark(char: str, expected: str) -> None:
    assert transliterate(char, LATIN1) == expected


def test_fit_policies() -> None:
    assert fit("Łukasz^Żółć", LATIN1, "transliterate") == "?ukasz^Zó?c"
    assert fit("Łukasz^Żółć", LATIN1, "discard") == "ukasz^ó"
    with pytest.raises(Unencodable) as caught:
        fit("Łukasz", LATIN1, "strict")
    assert caught.value.char == "Ł"


def test_text_elements_name_nested_values_and_their_top_level_owner() -> None:
    item = Dataset()
    item.CodeMeaning = "Schädel"
    ds = Dataset()
    ds.PatientName = "Müller"
    ds.Modality = "OT"  # CS: not charset-affected
    ds.AnatomicRegionSequence = [item]
    found = {t.where: t.top for t in text_elements(ds)}
    assert found == {"PatientName": 0x00100010, "AnatomicRegionSequence[0].CodeMeaning": 0x00082218}


def test_non_ascii_without_any_set_chooses_utf8_and_says_so() -> None:
    ctx = context(("PatientName", "Müller", KEY))
    ResolveCharacterSet("strict").apply(ctx)
    assert ctx.builder.dataset.SpecificCharacterSet == "ISO_IR 192"
    assert ctx.builder.source_of("SpecificCharacterSet").kind is SourceKind.INVENTED
    assert any("ISO_IR 192" in note for note in ctx.builder.notes)


def test_ascii_only_writes_no_set() -> None:
    ctx = context(("PatientName", "Smith", KEY))
    ResolveCharacterSet("strict").apply(ctx)
    assert "SpecificCharacterSet" not in ctx.builder.dataset


def test_strict_error_names_attribute_character_and_the_key_line() -> None:
    ctx = context(("SpecificCharacterSet", "ISO_IR 100", TEMPLATE), ("PatientName", "Łukasz", KEY))
    with pytest.raises(CharsetError) as caught:
        ResolveCharacterSet("strict").apply(ctx)
    line = caught.value.line()
    assert line.startswith("site.yaml:12: PatientName: character 'Ł' (U+0141) from the key ")
    assert "'ISO_IR 100' of the template site/sc.dcm" in line


def test_strict_error_for_study_file_text_names_the_study_file() -> None:
    ctx = context(("SpecificCharacterSet", "ISO_IR 100", TEMPLATE), ("PatientName", "山田", STUDY))
    with pytest.raises(CharsetError) as caught:
        ResolveCharacterSet("strict").apply(ctx)
    assert caught.value.path == "order.dcm"
    assert "from the study file" in caught.value.message


@pytest.mark.parametrize(("policy", "expected"), [("transliterate", "?ukasz"), ("discard", "ukasz")])
def test_policies_change_the_value_and_note_it(policy: str, expected: str) -> None:
    ctx = context(("SpecificCharacterSet", "ISO_IR 100", TEMPLATE), ("PatientName", "Łukasz", STUDY))
    ResolveCharacterSet(policy).apply(ctx)
    assert str(ctx.builder.dataset.PatientName) == expected
    assert any("Łukasz" in note and expected in note for note in ctx.builder.notes)


def test_a_set_adopted_from_a_study_file_gives_way_to_utf8() -> None:
    ctx = context(("SpecificCharacterSet", "ISO_IR 100", STUDY), ("PatientName", "Jérôme", STUDY),
                  ("PatientComments", "Łódź", KEY))
    ResolveCharacterSet("strict").apply(ctx)
    assert ctx.builder.dataset.SpecificCharacterSet == "ISO_IR 192"
    assert str(ctx.builder.dataset.PatientName) == "Jérôme"
    assert any("PatientComments" in note and "Ł" in note for note in ctx.builder.notes)


def test_a_key_set_is_binding_like_a_template_set() -> None:
    ctx = context(("SpecificCharacterSet", "ISO_IR 144", KEY), ("PatientName", "Jérôme", TEMPLATE))
    with pytest.raises(CharsetError) as caught:
        ResolveCharacterSet("strict").apply(ctx)
    assert caught.value.path == "site/sc.dcm"
    assert "of the key at site.yaml:12" in caught.value.message


def test_unknown_defined_term_fails_naming_its_source() -> None:
    ctx = context(("SpecificCharacterSet", "ISO_IR 999", TEMPLATE), ("PatientName", "x", KEY))
    with pytest.raises(CharsetError) as caught:
        ResolveCharacterSet("strict").apply(ctx)
    assert caught.value.path == "site/sc.dcm"
    assert "ISO_IR 999" in caught.value.message
