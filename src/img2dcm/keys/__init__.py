"""``--key`` paths: dcmodify's path grammar, value checks per VR, and applying keys.

``path`` parses, ``values`` checks and converts text for a VR, ``apply`` changes a
:class:`~img2dcm.provenance.DatasetBuilder` and records the key as the source.
"""

from img2dcm.keys.apply import apply_key, check_key
from img2dcm.keys.path import WILDCARD, KeyPath, PathNode, parse_path, split_key
from img2dcm.keys.values import VR_RULES, convert_value

__all__ = [
    "WILDCARD",
    "VR_RULES",
    "KeyPath",
    "PathNode",
    "apply_key",
    "check_key",
    "convert_value",
    "parse_path",
    "split_key",
]
