"""Reading the demonstration record tables, TOML files kept beside their loaders, into the loaders' records.

A file holds ``[[name]]`` tables whose keys are the fields of a record (a frozen dataclass or a named tuple). Each
value is read as the field's annotation says: an enum from its member's name (``status = "IMPLEMENTATION"``), a
record from a table, ``tuple[X, ...]`` from an array of X, any other array as a tuple; strings, integers and dates
as TOML gives them (amounts stay strings, as the services' inputs were written). A key left out keeps the
field's default.
"""

import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import is_dataclass
from enum import Enum
from pathlib import Path


def _frozen(value):
    return tuple(_frozen(item) for item in value) if isinstance(value, list) else value


def _is_record(hint) -> bool:
    return isinstance(hint, type) and (is_dataclass(hint) or (issubclass(hint, tuple) and hasattr(hint, "_fields")))


def _converter(hint) -> Callable:
    """How a TOML value becomes a value of the annotation ``hint``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):  # X | None: None is only ever a default
        return _converter(next(arg for arg in args if arg is not type(None)))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        return lambda values: tuple(item(value) for value in values)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return lambda name: hint[name]
    if _is_record(hint):
        return lambda table: _record(hint, table)
    return _frozen


def _record(record: type, table: dict):
    hints = typing.get_type_hints(record)
    return record(**{key: _converter(hints[key])(value) for key, value in table.items()})


def read_records(path: Path, name: str, record: type) -> tuple:
    """The ``[[name]]`` tables of the TOML file at ``path``, in their order, as ``record``s."""
    with path.open("rb") as file:
        return tuple(_record(record, table) for table in tomllib.load(file)[name])
