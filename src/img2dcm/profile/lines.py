"""Map a data path inside a YAML document back to its line number.

PyYAML's ``compose`` keeps marks on every node; we walk that tree along the
path an error points at and report the deepest line we reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a LineMap exists only once a YAML document was read: yaml is imported by then
    import yaml


class LineMap:
    """Line lookup for one YAML document (1-based lines)."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    def line(self, path: Sequence[str | int], *, key: bool = False) -> int:
        """Line of the value at ``path`` (or of its key when ``key``)."""
        import yaml

        node = self.root
        line = node.start_mark.line + 1 if node is not None else 1
        for step in path:
            found = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        found = (key_node, value_node)
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                item = node.value[step]
                found = (item, item)
            if found is None:
                break
            key_node, node = found
            line = (key_node if key else node).start_mark.line + 1
        return line

    def duplicate_keys(self) -> list[tuple[list[str | int], int]]:
        """Mapping keys written twice (YAML silently keeps the last): path and line."""
        import yaml

        duplicates: list[tuple[list[str | int], int]] = []

        def walk(node: yaml.Node | None, path: list[str | int]) -> None:
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for key_node, value_node in node.value:
                    if key_node.value in seen:
                        duplicates.append((path + [key_node.value], key_node.start_mark.line + 1))
                    seen.add(key_node.value)
                    walk(value_node, path + [key_node.value])
            elif isinstance(node, yaml.SequenceNode):
                for index, item in enumerate(node.value):
                    walk(item, path + [index])

        walk(self.root, [])
        return duplicates


def format_path(path: Sequence[str | int]) -> str:
    """``output.sop_class``, ``run.inputs[0]``, ``keys["Seq[0].CodeValue"]``."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step and all(c.isalnum() or c in "_-" for c in step):
            text += f".{step}" if text else step
        else:
            text += f'["{step}"]'
    return text or "(top level)"
