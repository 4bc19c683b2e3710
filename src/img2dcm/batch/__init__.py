"""Batch conversion: many inputs into a folder, one object each (docs/batch.md).

``inputs`` finds the files, ``manifest`` reads per-file metadata, ``grouping``
decides studies, series, numbers and UIDs, ``item`` converts one input (the
function every executor calls), ``runlog`` records and resumes, ``runner`` ties
them together with ``progress``.
"""
