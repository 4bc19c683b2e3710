"""Apply one key to a dataset under construction, the way dcmodify's ``-i`` does.

A key is checked completely before anything is changed: a bad value deep in a
path leaves no half-created sequences behind. The top-level attribute a key
touches is attributed to the key (``Source(SourceKind.KEY, origin)``).
"""

from __future__ import annotations

from typing import Any

from pydicom.datadict import dictionary_VR, private_dictionary_VR
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

from img2dcm.errors import KeyPathError
from img2dcm.keys.path import (
    WILDCARD,
    KeyPath,
    PathNode,
    creator_tag,
    is_private,
    is_private_creator,
    parse_path,
    shown,
    tag_text,
)
from img2dcm.keys.values import SEQUENCE_VALUE, convert_value
from img2dcm.profile.model import KeySpec
from img2dcm.provenance import DatasetBuilder, Source, SourceKind

def _path_error(key: str, reason: str) -> KeyPathError:
    return KeyPathError(shown(f"bad key path '{key}': {reason}", 400))


def _pick_ambiguous(vr: str, dataset: Dataset, root: Dataset) -> str:
    """Settle dictionary VRs like 'US or SS' the way PS3.5 Annex C.7.6.3 implies.

    US/SS follows PixelRepresentation (1 = signed), looked up in the item first and
    then at the top level; any other choice ('OB or OW', 'US or OW') takes the first.
    """
    if " or " not in vr:
        return vr
    choices = vr.split(" or ")
    if "US" in choices and "SS" in choices:
        for holder in (dataset, root):
            if "PixelRepresentation" in holder and holder.PixelRepresentation is not None:
                return "SS" if holder.PixelRepresentation == 1 else "US"
        return "US"
    return choices[0]


def _creator(tag: BaseTag, dataset: Dataset, key: str) -> str:
    """The private creator string a private data element needs, or an error."""
    reservation = creator_tag(tag)
    element = dataset.get(reservation)
    if element is None or element.value in (None, "", b""):
        raise _path_error(key, f"missing private creator {tag_text(reservation)}")
    return str(element.value).strip()


def _leaf_vr(tag: BaseTag, dataset: Dataset | None, root: Dataset | None, key: str) -> str | None:
    """The VR a key writes; None only when no dataset is known and the tag is private.

    An element that already exists keeps its VR (templates may carry private or
    unknown tags with explicit VRs). Unknown private data elements become UN, as in
    DCMTK; unknown public tags are an error because guessing UN hides typos.
    """
    if dataset is not None and tag in dataset:
        vr = dataset[tag].VR
    elif is_private_creator(tag):
        return "LO"
    elif is_private(tag):
        if dataset is None:
            return None
        creator = _creator(tag, dataset, key)
        try:
            vr = private_dictionary_VR(tag, creator)
        except KeyError:
            return "UN"
    else:
        try:
            vr = dictionary_VR(tag)
        except KeyError:
            raise _path_error(
                key,
                f"unknown tag {tag_text(tag)}: not in the data dictionary, so its VR is unknown "
                "(DCMTK would write it as UN)",
            ) from None
        if vr == "NONE":
            raise _path_error(key, f"{tag_text(tag)} is not an attribute that can hold a value")
    if dataset is None or root is None:
        return _pick_ambiguous(vr, Dataset(), Dataset())
    return _pick_ambiguous(vr, dataset, root)


def _require_sequence(node: PathNode, dataset: Dataset | None, root: Dataset | None, key: str) -> None:
    """A node with an item index must be (or become) a sequence."""
    if dataset is None and is_private(node.tag) and not is_private_creator(node.tag):
        return  # no dataset to ask: decided when applied
    vr = _leaf_vr(node.tag, dataset, root, key)
    if vr != "SQ":
        raise _path_error(key, f"non-sequence tag {node.label()} is followed by more path (VR {vr})")


def _walk(
    root: Dataset | None, nodes: tuple[PathNode, ...], key: str, create: bool
) -> list[Dataset | None]:
    """The datasets the last node of ``nodes`` selects, creating them if ``create``.

    Without ``create``, missing sequences and items are stood in for by fresh empty
    datasets so checks see what creation would produce; a ``None`` root (no dataset
    known, as in ``check_key``) propagates ``None``.
    """
    current: list[Dataset | None] = [root]
    for node in nodes:
        following: list[Dataset | None] = []
        for dataset in current:
            _require_sequence(node, dataset, root, key)
            if dataset is None:
                following.append(None)
                continue
            element = dataset.get(node.tag)
            items: list[Dataset] = list(element.value) if element is not None and element.value else []
            if node.index == WILDCARD:
                if not items:
                    raise _path_error(
                        key, "cannot insert an unspecified number (wildcard) of items into sequence"
                    )
                following.extend(items)
                continue
            assert isinstance(node.index, int)
            if not create:
                following.append(items[node.index] if node.index < len(items) else Dataset())
                continue
            if element is None or element.value is None:
                dataset.add_new(node.tag, "SQ", [])
                element = dataset[node.tag]
            while len(element.value) <= node.index:
                element.value.append(Dataset())
            following.append(element.value[node.index])
        current = following
    return current


def _prepare(path: KeyPath, value: str | None, root: Dataset | None, key: str) -> dict[str, Any]:
    """Check the whole key without changing anything; return converted values by VR."""
    if value == "":
        value = None
    if path.ends_in_item:
        _walk(root, path.nodes, key, create=False)
        if value is not None:
            raise KeyPathError(shown(f"bad value for key '{key}': {SEQUENCE_VALUE}", 400))
        return {}
    converted: dict[str, Any] = {}
    for dataset in _walk(root, path.nodes[:-1], key, create=False):
        vr = _leaf_vr(path.leaf.tag, dataset, root, key)
        if vr == "SQ" and value is not None:
            raise KeyPathError(shown(f"bad value for key '{key}': {SEQUENCE_VALUE}", 400))
        if vr is not None and vr not in converted:
            converted[vr] = convert_value(vr, value, key)
    return converted


def check_key(path: str, value: str | None) -> None:
    """Check a key without a dataset (``img2dcm validate`` on profiles).

    Private data elements are only checked for syntax: their creator and VR come
    from the dataset the key is finally applied to.
    """
    _prepare(parse_path(path), value, None, path)


def apply_key(builder: DatasetBuilder, spec: KeySpec, kind: SourceKind = SourceKind.KEY) -> None:
    """Create or modify what ``spec`` names; raise KeyPathError before any change if it is bad.

    ``kind`` is the provenance recorded: a profile key, or a batch manifest row.
    """
    key = spec.path
    path = parse_path(key)
    root = builder.dataset
    converted = _prepare(path, spec.value, root, key)
    source = Source(kind, spec.origin)
    top = path.top.tag

    if len(path.nodes) == 1 and not path.ends_in_item:
        vr = _leaf_vr(top, root, root, key)
        assert vr is not None
        if vr != "SQ":
            builder.put(top, converted[vr], source, vr=vr)
        elif top not in root:
            builder.put(top, [], source, vr="SQ")
        return

    if path.ends_in_item:
        _walk(root, path.nodes, key, create=True)
    else:
        leaf = path.leaf.tag
        for dataset in _walk(root, path.nodes[:-1], key, create=True):
            assert dataset is not None
            vr = _leaf_vr(leaf, dataset, root, key)
            assert vr is not None
            if vr == "SQ":
                if leaf not in dataset:
                    dataset.add_new(leaf, "SQ", [])
            else:
                dataset.add_new(leaf, vr, converted[vr])
    builder.mark(top, source)
