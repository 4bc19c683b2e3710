"""Value checks per VR: good text converts, bad text is refused with a clear message."""

from __future__ import annotations

import pytest

from img2dcm.errors import KeyPathError
from img2dcm.keys.values import VR_RULES, convert_value


def bad(vr: str, text: str, key: str = "SomeKey") -> str:
    """The message for a refused value (and it must be one line naming the key)."""
    with pytest.raises(KeyPathError) as info:
        convert_value(vr, text, key)
    message = str(info.value)
    assert message.startswith(f"bad value for key '{key}': ")
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("vr", "text", "expected"),
    [
        ("IS", "42", 42),
        ("IS", "-2147483648", -(2**31)),
        ("IS", " +7 ", 7),
        ("IS", "1\\2\\3", [1, 2, 3]),
        ("DS", "0.5", "0.5"),
        ("DS", " -1.25e-3", "-1.25e-3"),
        ("DS", ".5\\3", [".5", "3"]),
        ("DA", "20240229", "20240229"),
        ("TM", "23", "23"),
        ("TM", "2359", "2359"),
        ("TM", "235960", "235960"),
        ("TM", "101010.123456", "101010.123456"),
        ("DT", "2024", "2024"),
        ("DT", "20240229101010.5+0100", "20240229101010.5+0100"),
        ("DT", "202402-1200", "202402-1200"),
        ("CS", "DERIVED\\SECONDARY", ["DERIVED", "SECONDARY"]),
        ("CS", "ISO_IR 100", "ISO_IR 100"),
        ("AS", "034Y", "034Y"),
        ("UI", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7"),
        ("UI", "1.0.3", "1.0.3"),
        ("PN", "Müller^André", "Müller^André"),
        ("PN", "Yamada^Tarou=山田^太郎=やまだ^たろう", "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        ("PN", "A^B^C^D^E", "A^B^C^D^E"),
        ("LO", "a=b\\\\c", ["a=b", "", "c"]),
        ("SH", "x" * 16, "x" * 16),
        ("LT", "line one\r\nline\\two", "line one\r\nline\\two"),
        ("UT", "x" * 20000, "x" * 20000),
        ("UC", "Łukasz\\Zoë", ["Łukasz", "Zoë"]),
        ("UR", "http://example.com/a\\b", "http://example.com/a\\b"),
        ("AE", "STORESCP", "STORESCP"),
        ("US", "65535", 65535),
        ("US", "1\\2", [1, 2]),
        ("SS", "-32768", -32768),
        ("UL", "4294967295", 2**32 - 1),
        ("SL", "-2147483648", -(2**31)),
        ("UV", "18446744073709551615", 2**64 - 1),
        ("SV", "-9223372036854775808", -(2**63)),
        ("FL", "1.5", 1.5),
        ("FD", "-1e300", -1e300),
        ("AT", "(0018,1063)", 0x00181063),
        ("AT", "FrameTime\\0018,1065", [0x00181063, 0x00181065]),
        ("OB", "0a\\ff\\1", b"\x0a\xff\x01"),
        ("UN", "00", b"\x00"),
        ("OW", "1234\\ff", b"\x34\x12\xff\x00"),
    ],
)
def test_good_values_convert(vr: str, text: str, expected: object) -> None:
    assert convert_value(vr, text, "K") == expected


@pytest.mark.parametrize("vr", sorted(VR_RULES))
def test_absent_or_empty_value_means_zero_length(vr: str) -> None:
    expected = [] if vr == "SQ" else None
    assert convert_value(vr, None, "K") == expected
    assert convert_value(vr, "", "K") == expected


@pytest.mark.parametrize(
    ("vr", "text", "reason"),
    [
        ("IS", "12a", "'12a' is not an integer string (IS)"),
        ("IS", "1.0", "is not an integer string (IS)"),
        ("IS", "2147483648", "is out of range for IS"),
        ("IS", "-" + "1" * 12, "is 13 characters long; IS (integer string) allows at most 12"),
        ("IS", "1\\x", "value 2 'x' is not an integer string (IS)"),
        ("IS", "1\\\\2", "value 2 is empty"),
        ("DS", "abc", "'abc' is not a decimal string (DS)"),
        ("DS", "1e999", "is not a decimal string (DS)"),
        ("DS", "nan", "is not a decimal string (DS)"),
        ("DS", "1.23456789012345678", "at most 16"),
        ("DA", "2024-01-01", "is 10 characters long; DA (date) allows at most 8"),
        ("DA", "2024011", "'2024011' is not a date YYYYMMDD (DA)"),
        ("DA", "20230229", "'20230229' is not a real calendar date (DA)"),
        ("DA", "20241301", "is not a real calendar date (DA)"),
        ("TM", "24", "has hour 24; TM allows 00-23"),
        ("TM", "1260", "has minute 60; TM allows 00-59"),
        ("TM", "120061", "has second 61; TM allows 00-60"),
        ("TM", "1", "is not a time HH, HHMM, HHMMSS or HHMMSS.ffffff (TM)"),
        ("TM", "12:30", "is not a time"),
        ("TM", "123000.12345678", "is 15 characters long; TM (time) allows at most 14"),
        ("TM", "123000.", "is not a time"),
        ("DT", "20240230", "is not a real calendar date (DT)"),
        ("DT", "2024010125", "has hour 25; DT allows 00-23"),
        ("DT", "2024+1500", "UTC offset outside -1200..+1400"),
        ("DT", "2024-1300", "UTC offset outside -1200..+1400"),
        ("DT", "20240101T10", "is not a date-time"),
        ("CS", "derived", "may only contain upper-case letters, digits, space and underscore (CS)"),
        ("CS", "A-B", "may only contain upper-case"),
        ("CS", "X" * 17, "is 17 characters long; CS (code string) allows at most 16"),
        ("AS", "34Y", "is not an age nnnD, nnnW, nnnM or nnnY (AS)"),
        ("AS", "034y", "is not an age"),
        ("UI", "1.2.abc", "only digits and dots are allowed (UI)"),
        ("UI", "1..2", "has an empty component (UI)"),
        ("UI", "1.2.", "has an empty component (UI)"),
        ("UI", "1.02.3", "has a component with a leading zero '02' (UI)"),
        ("UI", "1." + "2" * 63, "is 65 characters long; UI (unique identifier) allows at most 64"),
        ("PN", "a=b=c=d", "has 4 component groups; PN allows at most 3"),
        ("PN", "a^b^c^d^e^f", "has 6 components in group 1; PN allows at most 5"),
        ("PN", "x" * 65, "component group 1 of 65 characters; PN allows 64 per group"),
        ("PN", "Doe\nJohn", "contains a control character"),
        ("LO", "x" * 65, "is 65 characters long; LO (long string) allows at most 64"),
        ("LO", "tab\tinside", "contains a control character"),
        ("SH", "x" * 17, "SH (short string) allows at most 16"),
        ("ST", "x" * 1025, "ST (short text) allows at most 1024"),
        ("LT", "x" * 10241, "LT (long text) allows at most 10240"),
        ("LT", "bell\x07", "contains a control character"),
        ("ST", "tab\there", "contains a control character"),  # PS3.5 Table 6.2-1: CR, LF, FF, ESC only
        ("UR", " http://x", "contains a control character"),
        ("AE", "   ", "consists only of spaces"),
        ("AE", "Zoë", "printable ASCII"),
        ("AE", "A" * 17, "AE (application entity) allows at most 16"),
        ("US", "-1", "'-1' is out of range for US (0..65535)"),
        ("US", "65536", "is out of range for US (0..65535)"),
        ("US", "1.5", "'1.5' is not an integer (US)"),
        ("SS", "32768", "is out of range for SS (-32768..32767)"),
        ("UL", "4294967296", "is out of range for UL"),
        ("SL", "2147483648", "is out of range for SL"),
        ("UV", "-1", "is out of range for UV"),
        ("SV", "9223372036854775808", "is out of range for SV"),
        ("FL", "abc", "'abc' is not a number (FL)"),
        ("FL", "1e39", "is out of range for FL"),
        ("FD", "inf", "is not a finite number (FD)"),
        ("FD", "nan", "is not a finite number (FD)"),
        ("AT", "NotAKeyword", "is not a tag (gggg,eeee), gggg,eeee or a dictionary keyword (AT)"),
        ("OB", "0g", "'0g' is not a hex byte (1-2 hex digits) for OB"),
        ("OB", "100", "is not a hex byte"),
        ("UN", "zz", "is not a hex byte (1-2 hex digits) for UN"),
        ("OW", "12345", "is not a hex 16-bit word (1-4 hex digits) for OW"),
        ("OF", "1.0", "VR OF only accepts an empty value from a key"),
        ("OD", "1.0", "VR OD only accepts an empty value from a key"),
        ("SQ", "x", "cannot insert a value into a path ending with an item or sequence"),
    ],
)
def test_bad_values_are_refused_with_a_reason(vr: str, text: str, reason: str) -> None:
    assert reason in bad(vr, text)


def test_sequence_value_message_matches_dcmtk_wording() -> None:
    assert bad("SQ", "x", "ReferencedImageSequence") == (
        "bad value for key 'ReferencedImageSequence': "
        "cannot insert a value into a path ending with an item or sequence"
    )


def test_message_names_the_key() -> None:
    assert bad("DA", "yesterday", "StudyDate") == (
        "bad value for key 'StudyDate': 'yesterday' is 9 characters long; DA (date) allows at most 8"
    )


def test_long_bad_values_are_shortened_in_the_message() -> None:
    message = bad("LO", "y" * 5000, "InstitutionName")
    assert len(message) < 400
    assert "5000 characters long" in message


def test_empty_values_inside_a_text_list_are_kept() -> None:
    assert convert_value("CS", "A\\\\B", "K") == ["A", "", "B"]


def test_unsupported_vr_is_an_error() -> None:
    assert "VR 'XX' cannot be set" in bad("XX", "1")


def test_ds_keeps_the_text_as_typed() -> None:
    assert convert_value("DS", "1.50", "K") == "1.50"


def test_every_table_vr_has_a_description() -> None:
    assert all(rule.name for rule in VR_RULES.values())
