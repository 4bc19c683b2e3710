"""Parse dcmodify-style key paths (DCMTK ``DcmPathProcessor`` grammar) into values.

Grammar (see docs/keys.md)::

    path    := { tagspec "[" index "]" "." } leaf
    leaf    := tagspec | tagspec "[" index "]"
    tagspec := "(" gggg "," eeee ")" | gggg "," eeee | DictionaryKeyword
    index   := decimal >= 0 | "*"

Parsing only needs the data dictionary, never a dataset: whether a private tag
is a sequence, or whether its creator exists, is decided when the key is applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydicom.datadict import dictionary_VR, keyword_for_tag, tag_for_keyword
from pydicom.tag import BaseTag, Tag

from img2dcm.errors import KeyPathError

#: Item selector meaning "every existing item".
WILDCARD: Literal["*"] = "*"

ItemIndex = int | Literal["*"]

# DCMTK reads tags with sscanf("%x,%x"); we accept the same lenient 1-4 hex digits per half.
_HEX_TAG = re.compile(r"\s*([0-9A-Fa-f]{1,4})\s*,\s*([0-9A-Fa-f]{1,4})\s*")
_KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

# PS3.5 §7.8.1: odd groups that may not carry private data.
_RESERVED_ODD_GROUPS = frozenset({0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF})


@dataclass(frozen=True)
class PathNode:
    """One step of a path: a tag and, for sequences, which item(s) to enter."""

    tag: BaseTag
    index: ItemIndex | None = None
    name: str = field(default="", compare=False)  # as written, for messages

    def label(self) -> str:
        """How messages name this node: as written, else keyword or (gggg,eeee)."""
        if self.name:
            return self.name
        return keyword_for_tag(self.tag) or tag_text(self.tag)


@dataclass(frozen=True)
class KeyPath:
    """A parsed key path: the nodes from the top-level attribute down to the leaf."""

    nodes: tuple[PathNode, ...]
    text: str = field(default="", compare=False)

    @property
    def top(self) -> PathNode:
        return self.nodes[0]

    @property
    def leaf(self) -> PathNode:
        return self.nodes[-1]

    @property
    def ends_in_item(self) -> bool:
        """True for ``Seq[0]`` style paths, which can only create an item."""
        return self.leaf.index is not None

    def __str__(self) -> str:
        return self.text or ".".join(
            n.label() + (f"[{n.index}]" if n.index is not None else "") for n in self.nodes
        )


def tag_text(tag: int) -> str:
    """``(gggg,eeee)`` in upper-case hex, the form used in every message."""
    t = Tag(tag)
    return f"({t.group:04X},{t.element:04X})"


def shown(text: str, limit: int = 64) -> str:
    """Text for a one-line message: control characters escaped, long text shortened."""
    out = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return out if len(out) <= limit else out[: limit - 3] + "..."


def is_private(tag: int) -> bool:
    return Tag(tag).group % 2 == 1


def is_private_creator(tag: int) -> bool:
    """(gggg,0010)-(gggg,00FF) in an odd group: a reservation, always LO."""
    t = Tag(tag)
    return is_private(t) and 0x0010 <= t.element <= 0x00FF


def creator_tag(tag: int) -> BaseTag:
    """The reservation (gggg,00xx) a private data element (gggg,xxyy) belongs to."""
    t = Tag(tag)
    return Tag(t.group, t.element >> 8)


def split_key(text: str) -> tuple[str, str | None]:
    """Split classic ``-k path=value`` at the first '='; no or empty value gives None.

    DCMTK treats ``-k PatientName`` and ``-k PatientName=`` alike: a zero-length
    element. Values may themselves contain '=' (PN groups, URLs).
    """
    path, sep, value = text.partition("=")
    if not sep or value == "":
        return path, None
    return path, value


def parse_tag(text: str) -> BaseTag:
    """Parse one tagspec: ``(gggg,eeee)``, ``gggg,eeee`` or an exact dictionary keyword.

    Raises ValueError with a reason; callers wrap it into the error for the whole key.
    """
    if text.startswith("("):
        if not text.endswith(")"):
            raise ValueError(f"unbalanced parenthesis in tag '{text}'")
        match = _HEX_TAG.fullmatch(text[1:-1])
        if match is None:
            raise ValueError(f"bad tag '{text}': expected (gggg,eeee) in hex")
        return Tag(int(match[1], 16), int(match[2], 16))
    if "," in text:
        match = _HEX_TAG.fullmatch(text)
        if match is None:
            raise ValueError(f"bad tag '{text}': expected gggg,eeee in hex")
        return Tag(int(match[1], 16), int(match[2], 16))
    if not text:
        raise ValueError("missing tag or keyword")
    found = tag_for_keyword(text) if _KEYWORD.fullmatch(text) else None
    if found is None:
        raise ValueError(f"unknown DICOM keyword '{text}'")
    return Tag(found)


def _check_settable(tag: BaseTag) -> None:
    """Reject tags no key may set, whatever the dataset holds."""
    group, element = tag.group, tag.element
    if group == 0x0000:
        raise ValueError(f"{tag_text(tag)} is a command element, not part of a dataset")
    if group == 0x0002:
        raise ValueError(f"{tag_text(tag)} is file meta information, which is written automatically")
    if group == 0xFFFE:
        raise ValueError(f"{tag_text(tag)} is an item or delimiter tag, not an attribute")
    if element == 0x0000:
        raise ValueError(f"{tag_text(tag)} is a group length, which is computed on write")
    if group % 2 == 1:
        if group in _RESERVED_ODD_GROUPS:
            raise ValueError(f"group {group:04X} is reserved and cannot hold private attributes")
        if element < 0x0010 or 0x0100 <= element < 0x1000:
            raise ValueError(
                f"{tag_text(tag)} is not a valid private tag "
                "(creators are gggg,0010-00FF; data elements gggg,1000-FFFF)"
            )


def _dictionary_vr(tag: BaseTag) -> str | None:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return None


#: The largest item index a key may name (earlier items are created empty).
MAX_ITEM_INDEX = 9999


def _parse_index(raw: str) -> ItemIndex:
    if raw == WILDCARD:
        return WILDCARD
    if re.fullmatch(r"\s*-\s*\d+\s*", raw):
        raise ValueError(f"negative item index [{raw}] is not permitted")
    if not re.fullmatch(r"\d+", raw):
        raise ValueError(f"bad item index [{raw}]: expected a number >= 0 or *")
    if int(raw) > MAX_ITEM_INDEX:
        # Missing items up to the index are created: a typo must not allocate millions.
        raise ValueError(f"item index [{raw}] is larger than {MAX_ITEM_INDEX} (ours; DCMTK has no limit)")
    return int(raw)


@dataclass(frozen=True)
class _Piece:
    """Raw text of one node; ``rest`` is set when a '.' followed it without an index."""

    spec: str
    index: str | None
    rest: str | None = None


def _split_nodes(text: str) -> list[_Piece]:
    """Cut the text into tagspec/index pieces, checking only the punctuation."""
    pieces: list[_Piece] = []
    pos = 0
    while True:
        if text.startswith("(", pos):
            end = text.find(")", pos)
            if end < 0:
                raise ValueError(f"unbalanced parenthesis in tag '{text[pos:]}'")
            end += 1
            if end < len(text) and text[end] not in "[.":
                raise ValueError(f"unexpected text after '{text[:end]}'")
        else:
            end = pos
            while end < len(text) and text[end] not in "[].":
                end += 1
        spec = text[pos:end]
        if end == len(text):
            pieces.append(_Piece(spec, None))
            return pieces
        char = text[end]
        if char == "]":
            raise ValueError(f"unexpected ']' after '{text[:end]}'")
        if char == ".":
            if end + 1 == len(text):
                raise ValueError("path ends with '.'")
            # "." is only allowed after an item index; parse_path names the problem.
            pieces.append(_Piece(spec, None, text[end + 1 :]))
            return pieces
        close = text.find("]", end)
        if close < 0:
            raise ValueError(f"missing ']' after '{text[:end + 1]}'")
        pieces.append(_Piece(spec, text[end + 1 : close]))
        pos = close + 1
        if pos == len(text):
            return pieces
        if text[pos] != ".":
            raise ValueError(f"expected '.' after '{text[:pos]}'")
        pos += 1
        if pos == len(text):
            raise ValueError("path ends with '.'")


def parse_path(text: str) -> KeyPath:
    """Parse a key path; raise KeyPathError ``bad key path '<text>': <reason>``.

    Dictionary tags used with an item index must be sequences; private and
    unknown tags are checked later against the dataset they are applied to.
    """
    stripped = text.strip()
    nodes: list[PathNode] = []
    try:
        if not stripped:
            raise ValueError("empty path")
        for piece in _split_nodes(stripped):
            tag = parse_tag(piece.spec)
            _check_settable(tag)
            vr = None if is_private(tag) else _dictionary_vr(tag)
            if piece.rest is not None:
                if vr == "SQ":
                    raise ValueError(
                        f"sequence {piece.spec} needs an item index before '.', "
                        f"e.g. {piece.spec}[0].{piece.rest}"
                    )
                raise ValueError(f"non-sequence tag {piece.spec} is followed by more path")
            index = None if piece.index is None else _parse_index(piece.index)
            if index is not None and vr is not None and vr != "SQ":
                raise ValueError(f"non-sequence tag {piece.spec} is followed by more path")
            nodes.append(PathNode(tag, index, piece.spec))
    except ValueError as exc:
        raise KeyPathError(shown(f"bad key path '{text}': {exc}", 400)) from None
    return KeyPath(tuple(nodes), stripped)
