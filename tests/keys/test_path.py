"""Key path grammar: every form DCMTK's DcmPathProcessor accepts, and the errors."""

from __future__ import annotations

import pytest
from pydicom.tag import Tag

from img2dcm.errors import KeyPathError
from img2dcm.keys.path import WILDCARD, KeyPath, PathNode, parse_path, split_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PatientName=Doe^John", ("PatientName", "Doe^John")),
        ("PatientName", ("PatientName", None)),
        ("PatientName=", ("PatientName", None)),
        ("PatientName=A=B=C", ("PatientName", "A=B=C")),
        ("RetrieveURL=http://x/?a=b", ("RetrieveURL", "http://x/?a=b")),
        ("ImageType=DERIVED\\SECONDARY", ("ImageType", "DERIVED\\SECONDARY")),
    ],
)
def test_split_key_splits_at_first_equals_and_empty_value_is_none(
    text: str, expected: tuple[str, str | None]
) -> None:
    assert split_key(text) == expected


@pytest.mark.parametrize("text", ["PatientName", "(0010,0010)", "0010,0010", "10,10", "(10,10)", "(0010,0010)"])
def test_tag_forms_all_name_the_same_attribute(text: str) -> None:
    path = parse_path(text)
    assert path.nodes == (PathNode(Tag(0x00100010)),)
    assert not path.ends_in_item


def test_hex_tags_are_case_insensitive() -> None:
    assert parse_path("(7fe0,0010)").leaf.tag == Tag(0x7FE00010)
    assert parse_path("7FE0,0010").leaf.tag == Tag(0x7FE00010)


def test_keywords_are_case_sensitive() -> None:
    with pytest.raises(KeyPathError, match="unknown DICOM keyword 'patientname'"):
        parse_path("patientname")


def test_unknown_keyword_is_named() -> None:
    with pytest.raises(KeyPathError) as info:
        parse_path("FooBar")
    assert str(info.value) == "bad key path 'FooBar': unknown DICOM keyword 'FooBar'"


def test_nested_path_with_index() -> None:
    path = parse_path("OtherPatientIDsSequence[1].PatientID")
    assert path.nodes == (PathNode(Tag(0x00101002), 1), PathNode(Tag(0x00100020)))
    assert path.top.tag == Tag(0x00101002)
    assert str(path) == "OtherPatientIDsSequence[1].PatientID"


def test_wildcard_index() -> None:
    path = parse_path("ReferencedImageSequence[*].ReferencedSOPClassUID")
    assert path.nodes[0].index == WILDCARD


def test_path_may_end_with_an_item() -> None:
    path = parse_path("ReferencedImageSequence[2]")
    assert path.ends_in_item
    assert path.leaf == PathNode(Tag(0x00081140), 2)


def test_deeply_nested_mixed_forms() -> None:
    path = parse_path("(0040,0275)[0].ScheduledProtocolCodeSequence[*].(0008,0100)")
    assert [n.tag for n in path.nodes] == [Tag(0x00400275), Tag(0x00400008), Tag(0x00080100)]
    assert [n.index for n in path.nodes] == [0, WILDCARD, None]


def test_paths_compare_by_tags_not_spelling() -> None:
    assert parse_path("PatientName") == parse_path("(0010,0010)")
    assert isinstance(parse_path("PatientName"), KeyPath)


def test_private_tags_parse_without_a_dataset() -> None:
    assert parse_path("(0011,0010)").leaf.tag == Tag(0x00110010)
    assert parse_path("(0011,1001)[0].(0011,1002)").nodes[0].index == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty path"),
        ("PatientName[0]", "non-sequence tag PatientName is followed by more path"),
        ("PatientName.PatientID", "non-sequence tag PatientName is followed by more path"),
        ("ReferencedImageSequence.ReferencedSOPClassUID", "needs an item index before '.'"),
        ("ReferencedImageSequence[-1]", "negative item index [-1] is not permitted"),
        ("ReferencedImageSequence[x]", "bad item index [x]"),
        ("ReferencedImageSequence[]", "bad item index []"),
        ("ReferencedImageSequence[1", "missing ']'"),
        ("ReferencedImageSequence[0]PatientID", "expected '.' after"),
        ("ReferencedImageSequence[0].", "path ends with '.'"),
        ("ReferencedImageSequence[0]..PatientID", "missing tag or keyword"),
        ("(0010,0010", "unbalanced parenthesis"),
        ("(0010,0010)x", "unexpected text after '(0010,0010)'"),
        ("(0010,001G)", "bad tag '(0010,001G)'"),
        ("00010,0010", "bad tag '00010,0010'"),
        ("PatientName]", "unexpected ']'"),
        ("(0002,0010)", "file meta information"),
        ("(0010,0000)", "group length"),
        ("(0000,0100)", "command element"),
        ("(FFFE,E000)", "item or delimiter tag"),
        ("(0011,0001)", "not a valid private tag"),
        ("(0011,0100)", "not a valid private tag"),
        ("(0007,0010)", "group 0007 is reserved"),
    ],
)
def test_malformed_paths_raise_one_line_errors_naming_the_key(text: str, reason: str) -> None:
    with pytest.raises(KeyPathError) as info:
        parse_path(text)
    message = str(info.value)
    assert message.startswith(f"bad key path '{text}': ")
    assert reason in message
    assert "\n" not in message


def test_control_characters_in_a_path_are_escaped_in_the_message() -> None:
    with pytest.raises(KeyPathError) as info:
        parse_path("Patient\nName")
    assert "\n" not in str(info.value)
    assert "Patient\\nName" in str(info.value)


def test_an_absurd_item_index_is_refused_before_anything_is_created() -> None:
    from img2dcm.errors import KeyPathError
    from img2dcm.keys import parse_path

    assert parse_path("OtherPatientIDsSequence[9999].PatientID").nodes[0].index == 9999
    with pytest.raises(KeyPathError, match=r"item index \[10000\] is larger than 9999"):
        parse_path("OtherPatientIDsSequence[10000].PatientID")
