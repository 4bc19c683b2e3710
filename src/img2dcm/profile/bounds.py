"""Size bounds for YAML documents: profiles are input too, and a pull request may carry them.

A few hundred bytes of YAML aliases ("billion laughs") expand to billions of values that
schema validation would walk for minutes, and a recursive alias never ends. Both are
refused right after parsing, before anything walks the expanded document. See docs/limits.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # PyYAML is imported only where a profile is read (cold start)
    import yaml

#: Largest profile file read (bytes); real profiles are a few kilobytes.
MAX_DOCUMENT_BYTES = 1 << 20
#: Most values (scalars, lists, mappings) a document may hold once aliases are expanded.
MAX_EXPANDED_NODES = 100_000


def document_size_problem(size: int, path: Path) -> str | None:
    """``FILE:1: ...`` when a document is larger than :data:`MAX_DOCUMENT_BYTES`."""
    if size > MAX_DOCUMENT_BYTES:
        return f"{path}:1: (yaml): file is {size} bytes, more than the {MAX_DOCUMENT_BYTES} allowed"
    return None


def expansion_problem(root: yaml.Node | None, path: Path) -> str | None:
    """``FILE:LINE: ...`` when aliases expand the document too far or refer to themselves.

    Counts each node's expanded size once (memoised by identity), so the check is
    linear in the written document however far the aliases would expand.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)] if root is not None else []
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if not children_done:
            if key in open_nodes:
                return f"{path}:{node.start_mark.line + 1}: (yaml): alias refers to itself (recursive document)"
            open_nodes.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes and id(child) not in sizes:
                    line = child.start_mark.line + 1
                    return f"{path}:{line}: (yaml): alias refers to itself (recursive document)"
                stack.append((child, False))
            continue
        open_nodes.discard(key)
        sizes[key] = 1 + sum(sizes[id(child)] for child in children)
        if sizes[key] > MAX_EXPANDED_NODES:
            return (f"{path}:{node.start_mark.line + 1}: (yaml): aliases expand the document to more than "
                    f"{MAX_EXPANDED_NODES} values (an alias bomb?)")
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
