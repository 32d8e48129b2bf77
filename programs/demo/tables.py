"""Reading the demonstration record tables, TOML files kept beside their loaders, into the loaders' dataclasses.

A file holds ``[[name]]`` tables whose keys are the record's fields. A TOML value is taken as it is (strings,
integers, dates), except that arrays become tuples, and a field given a converter is converted: an enum's
member names through ``by_name``, nested tables through ``records``. Amounts stay strings, as the services'
inputs were written.
"""

import tomllib
from collections.abc import Callable
from enum import Enum
from pathlib import Path


def _frozen(value):
    return tuple(_frozen(item) for item in value) if isinstance(value, list) else value


def by_name(enum: type[Enum]) -> Callable:
    """A converter from a member's name (``"IMPLEMENTATION"``), or an array of names, to the enum's members."""

    def convert(value):
        return tuple(enum[name] for name in value) if isinstance(value, list) else enum[value]

    return convert


def records(record: Callable, **convert: Callable) -> Callable:
    """A converter from an array of tables to a tuple of ``record(**table)``, each field converted by its
    converter in ``convert``."""

    def build(tables: list[dict]) -> tuple:
        return tuple(
            record(**{key: convert.get(key, _frozen)(value) for key, value in table.items()}) for table in tables
        )

    return build


def read_records(path: Path, name: str, record: Callable, **convert: Callable) -> tuple:
    """The ``[[name]]`` tables of the TOML file at ``path``, in their order, as ``record``s."""
    with path.open("rb") as file:
        return records(record, **convert)(tomllib.load(file)[name])
