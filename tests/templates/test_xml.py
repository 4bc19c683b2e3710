"""dcm2xml documents: same elements as the DICOM file, safe parsing, +Vd and +Vn."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.data import get_charset_files
from pydicom.dataset import Dataset

from img2dcm.errors import TemplateError
from img2dcm.templates.xml import DCMTK_NAMESPACE, load_xml
from tests.templates import CHARSET, CORPUS, differences, not_pixels_or_meta, run

SPECIFIC_CHARACTER_SET = 0x00080005


def _dcm2xml(src: Path, out: Path, *options: str) -> Path:
    run("dcm2xml", *options, src, out)
    return out


@pytest.mark.parametrize(
    "path",
    [
        CORPUS / "CT_small.dcm",
        CORPUS / "MR_small.dcm",
        CORPUS / "SC_rgb_small_odd.dcm",
        CHARSET / "chrX1.dcm",
        CHARSET / "chrFren.dcm",
        CHARSET / "chrGerm.dcm",
        CHARSET / "chrGreek.dcm",
        CHARSET / "chrRuss.dcm",
        CHARSET / "chrArab.dcm",
        CHARSET / "chrHbrw.dcm",
    ],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("options", [("+Wb",), ("+Wb", "+Eb")], ids=["hex", "base64"])
def test_dcm2xml_output_has_the_file_elements(
    path: Path, options: tuple[str, ...], tmp_path: Path
) -> None:
    xml = _dcm2xml(path, tmp_path / "t.xml", "+M", *options)
    want = dcmread(path)
    got = load_xml(xml, validate=True, check_namespace=False)
    assert differences(got, want, not_pixels_or_meta(want)) == []
    assert str(got.get("PatientName")) == str(want.get("PatientName"))


@pytest.mark.parametrize("name", ["chrX2.dcm", "chrGreek.dcm", "chrRuss.dcm", "chrFren.dcm"])
def test_dcm2xml_utf8_conversion_keeps_names(name: str, tmp_path: Path) -> None:
    # +U8 is the way to feed charsets dcm2xml would otherwise quote byte-wise (GB18030).
    want = dcmread(CHARSET / name)
    xml = _dcm2xml(CHARSET / name, tmp_path / "t.xml", "+Wb", "+U8")
    got = load_xml(xml, validate=True)
    assert got.SpecificCharacterSet == "ISO_IR 192"
    assert differences(got, want, not_pixels_or_meta(want) | {SPECIFIC_CHARACTER_SET}) == []


def test_iso2022_japanese_names_survive_via_utf8(tmp_path: Path) -> None:
    # DCMTK 3.6.7 (iconv) cannot convert ISO 2022 to UTF-8 itself, so re-encode first.
    original = dcmread(CHARSET / "chrH31.dcm")
    utf8 = dcmread(CHARSET / "chrH31.dcm")
    utf8.decode()
    utf8.SpecificCharacterSet = "ISO_IR 192"
    src = tmp_path / "utf8.dcm"
    utf8.save_as(src)
    got = load_xml(_dcm2xml(src, tmp_path / "t.xml"), validate=True, check_namespace=False)
    skip = not_pixels_or_meta(original) | {SPECIFIC_CHARACTER_SET}
    assert differences(got, original, skip) == []
    assert "山田" in str(got.PatientName)


#: Every corpus charset file (pydicom's chrSQEncoding, not in the corpus, gets raw ISO 2022
#: bytes under a UTF-8 declaration from dcm2xml, which no XML parser accepts -- tested below).
PLAIN_CHARSET_FILES = sorted(CHARSET.glob("*.dcm"))


@pytest.mark.parametrize("path", PLAIN_CHARSET_FILES, ids=lambda p: p.name)
def test_plain_dcm2xml_is_decoded_with_the_data_sets_own_character_set(path: Path, tmp_path: Path) -> None:
    """Without +U8, GB18030 and ISO 2022 values are quoted byte by byte (&#205;&#245;, &#27;$B):
    they are the data set's bytes, decoded as such, so 王^小东 stays 王^小东 (issue 15 item 4)."""
    xml = _dcm2xml(path, tmp_path / "t.xml", "+Wb", "+M", "-q")
    want = dcmread(path)
    got = load_xml(xml)
    assert differences(got, want, not_pixels_or_meta(want)) == []
    assert str(got.PatientName) == str(want.PatientName)


def test_gb18030_quoted_bytes_become_the_chinese_name(tmp_path: Path) -> None:
    xml = _dcm2xml(CHARSET / "chrX2.dcm", tmp_path / "t.xml", "+Wb", "-q")
    assert b"&#205;&#245;" in xml.read_bytes() and b"encoding=" not in xml.read_bytes()
    assert str(load_xml(xml).PatientName) == "Wang^XiaoDong=王^小东"


def test_raw_iso2022_bytes_under_a_utf8_declaration_are_a_parse_error_with_line(tmp_path: Path) -> None:
    source = next(Path(p) for p in get_charset_files("chrSQEncoding.dcm"))
    xml = _dcm2xml(source, tmp_path / "t.xml", "+Wb", "-q")
    with pytest.raises(TemplateError, match="XML parse error") as info:
        load_xml(xml)
    assert f"{xml}:" in info.value.line()


def _quoted_doc(charset: str, name: str) -> str:
    return ('<?xml version="1.0"?>\n<data-set>\n'
            f'<element tag="0008,0005" vr="CS">{charset}</element>\n'
            f'<element tag="0010,0010" vr="PN">{name}</element>\n</data-set>\n')


def test_a_character_that_cannot_be_a_byte_fails_rather_than_guessing(tmp_path: Path) -> None:
    xml = _write(tmp_path, _quoted_doc("ISO_IR 144", "Иванов"))
    with pytest.raises(TemplateError) as info:
        load_xml(xml)
    assert info.value.line() == (
        f"{xml}:4: element (0010,0010): character U+0418 cannot be a byte of the data set; a document without "
        "encoding declaration is read as dcm2xml writes it (one &#NNN; per byte): declare the encoding "
        '(<?xml version="1.0" encoding="UTF-8"?>) or write it with dcm2xml +U8')


def test_bytes_the_character_set_cannot_decode_fail(tmp_path: Path) -> None:
    xml = _write(tmp_path, _quoted_doc("ISO_IR 192", "x") .replace("ISO_IR 192", "GB18030")
                 .replace(">x<", ">&#255;&#255;<"))
    with pytest.raises(TemplateError, match=r"^.*t.xml:4: element \(0010,0010\) cannot be decoded with the data "
                                            "set's Specific Character Set"):
        load_xml(xml)


def test_an_escape_in_a_declared_document_is_refused(tmp_path: Path) -> None:
    text = _quoted_doc("\\ISO 2022 IR 87", "&#27;$B;3ED&#27;(B").replace('version="1.0"',
                                                                         'version="1.0" encoding="UTF-8"')
    with pytest.raises(TemplateError, match="ISO 2022 escape"):
        load_xml(_write(tmp_path, text))


def test_undeclared_documents_without_a_set_or_in_utf8_stay_unicode(tmp_path: Path) -> None:
    assert str(load_xml(_write(tmp_path, _quoted_doc("ISO_IR 192", "Иванов"))).PatientName) == "Иванов"
    assert str(load_xml(_write(tmp_path, _quoted_doc("", "Müller"))).PatientName) == "Müller"


def test_hidden_binary_value_is_an_error(tmp_path: Path) -> None:
    xml = _dcm2xml(CORPUS / "CT_small.dcm", tmp_path / "t.xml")  # OB private data hidden
    with pytest.raises(TemplateError, match=r"element \(0043,1028\) has no value \(binary=hidden\)"):
        load_xml(xml)


def _write(tmp_path: Path, text: str, name: str = "t.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bare_data_set_and_odd_tags_and_sequences(tmp_path: Path) -> None:
    xml = _write(
        tmp_path,
        '<?xml version="1.0" encoding="UTF-8"?>\n<data-set>\n'
        '<element tag="00008,0005" vr="CS">ISO_IR 192</element>\n'
        '<element tag="0010,0010" vr="PN">Müller^André</element>\n'
        '<element tag="0028,0009" vr="AT">(0018,1063)\\(0018,1065)</element>\n'
        '<element tag="0028,0030" vr="DS">0.5\\0.25</element>\n'
        '<element tag="0009,1001" vr="OW" binary="yes">0201\\0403</element>\n'
        '<sequence tag="0008,2218" vr="SQ"><item>'
        '<element tag="0008,0104" vr="LO">Ärger</element>'
        '<sequence tag="0008,2220" vr="SQ"><item/></sequence>'
        "</item></sequence>\n</data-set>\n",
    )
    ds = load_xml(xml, validate=True)
    assert ds.SpecificCharacterSet == "ISO_IR 192"
    assert str(ds.PatientName) == "Müller^André"
    assert list(ds.FrameIncrementPointer) == [0x00181063, 0x00181065]
    assert [float(v) for v in ds.PixelSpacing] == [0.5, 0.25]
    assert ds[0x00091001].value == b"\x01\x02\x03\x04"
    assert ds.AnatomicRegionSequence[0].CodeMeaning == "Ärger"
    assert len(ds.AnatomicRegionSequence[0].AnatomicRegionModifierSequence) == 1


def test_binary_file_is_read_relative_to_the_document(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\x05\x06")
    xml = _write(
        tmp_path,
        '<data-set><element tag="0009,1001" vr="OB" binary="file">blob.bin</element></data-set>',
    )
    assert load_xml(xml)[0x00091001].value == b"\x05\x06"


def test_binary_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    xml = _write(
        tmp_path,
        '<data-set><element tag="0009,1001" vr="OB" binary="file">/etc/passwd</element>'
        "</data-set>",
    )
    with pytest.raises(TemplateError, match="outside"):
        load_xml(xml)


def test_validation_rejects_an_invalid_document(tmp_path: Path) -> None:
    xml = _write(tmp_path, '<data-set><element vr="LO">no tag attribute</element></data-set>')
    with pytest.raises(TemplateError, match="dcm2xml.dtd") as info:
        load_xml(xml, validate=True)
    assert info.value.line().startswith(f"{xml}:1: ")


def test_validation_rejects_an_unknown_element(tmp_path: Path) -> None:
    xml = _write(tmp_path, '<data-set><value tag="0010,0010" vr="PN">x</value></data-set>')
    with pytest.raises(TemplateError, match="dcm2xml.dtd"):
        load_xml(xml, validate=True)
    with pytest.raises(TemplateError, match="unexpected <value>"):
        load_xml(xml, validate=False)


def test_namespace_check(tmp_path: Path) -> None:
    plain = _dcm2xml(CORPUS / "MR_small.dcm", tmp_path / "plain.xml", "+Wb")
    with_ns = _dcm2xml(CORPUS / "MR_small.dcm", tmp_path / "ns.xml", "+Xn", "+Wb")
    assert DCMTK_NAMESPACE in with_ns.read_text(encoding="latin-1")
    with pytest.raises(TemplateError, match="namespace"):
        load_xml(plain, validate=False, check_namespace=True)
    assert load_xml(with_ns, validate=True, check_namespace=True).PatientID == "4MR1"
    assert load_xml(with_ns, validate=False, check_namespace=False).PatientID == "4MR1"


def test_embedded_dtd_without_entities_is_accepted(tmp_path: Path) -> None:
    xml = _dcm2xml(CORPUS / "MR_small.dcm", tmp_path / "t.xml", "+Xe", "+Wb")
    assert load_xml(xml).PatientID == "4MR1"


def test_dtd_reference_is_refused(tmp_path: Path) -> None:
    xml = _dcm2xml(CORPUS / "MR_small.dcm", tmp_path / "t.xml", "+Xd", "+Wb")
    with pytest.raises(TemplateError, match="entities/external DTD: refused"):
        load_xml(xml)


def test_native_dicom_model_is_refused(tmp_path: Path) -> None:
    xml = _dcm2xml(CORPUS / "MR_small.dcm", tmp_path / "t.xml", "-nat")
    with pytest.raises(TemplateError, match="Native DICOM Model"):
        load_xml(xml)


def test_external_entity_is_refused_and_nothing_leaks(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="ascii")
    for target in ("file:///etc/passwd", secret.as_uri()):
        xml = _write(
            tmp_path,
            f'<?xml version="1.0"?>\n<!DOCTYPE data-set [<!ENTITY e SYSTEM "{target}">]>\n'
            '<data-set><element tag="0010,0010" vr="PN">&e;</element></data-set>\n',
        )
        with pytest.raises(TemplateError, match="refused") as info:
            load_xml(xml, validate=True)
        assert "TOP-SECRET" not in info.value.line() and "root:" not in info.value.line()


def test_parameter_entity_is_refused(tmp_path: Path) -> None:
    xml = _write(
        tmp_path,
        '<?xml version="1.0"?>\n<!DOCTYPE data-set [<!ENTITY % p SYSTEM "http://x/y.dtd">]>\n'
        "<data-set/>\n",
    )
    with pytest.raises(TemplateError, match="refused"):
        load_xml(xml)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    xml = _write(
        tmp_path,
        f'<?xml version="1.0"?>\n<!DOCTYPE data-set [{entities}]>\n'
        '<data-set><element tag="0010,0010" vr="PN">&lol9;</element></data-set>\n',
    )
    with pytest.raises(TemplateError, match="refused|parse error"):
        load_xml(xml)


def test_truncated_xml_names_file_and_line(tmp_path: Path) -> None:
    full = _dcm2xml(CORPUS / "MR_small.dcm", tmp_path / "full.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(full[: len(full) // 2])
    with pytest.raises(TemplateError, match="XML parse error") as info:
        load_xml(cut)
    assert info.value.line().startswith(f"{cut}:")


def test_bad_values_name_file_and_line(tmp_path: Path) -> None:
    xml = _write(tmp_path, '<data-set>\n<element tag="0028,0010" vr="US">12x</element>\n</data-set>')
    with pytest.raises(TemplateError, match="invalid US value") as info:
        load_xml(xml)
    assert info.value.line().startswith(f"{xml}:2: ")


def test_bad_tag_is_an_error(tmp_path: Path) -> None:
    xml = _write(tmp_path, '<data-set><element tag="zz,0010" vr="US">1</element></data-set>')
    with pytest.raises(TemplateError, match="invalid or missing tag"):
        load_xml(xml)


def test_missing_xml_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="file not found"):
        load_xml(tmp_path / "none.xml")


def test_loaded_dataset_is_plain_dataset(tmp_path: Path) -> None:
    xml = _dcm2xml(CORPUS / "MR_small.dcm", tmp_path / "t.xml", "+Wb")
    assert type(load_xml(xml)) is Dataset


def test_an_element_in_an_illegal_group_is_refused(tmp_path: Path) -> None:
    xml = _write(tmp_path, '<?xml version="1.0" encoding="UTF-8"?>\n<data-set>\n'
                           '<element tag="0001,0001" vr="LO">odd</element>\n</data-set>\n')
    with pytest.raises(TemplateError) as info:
        load_xml(xml)
    assert info.value.line() == f"{xml}:3: (0001,0001) is in group 0001, which DICOM does not allow"
