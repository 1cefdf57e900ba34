"""Decision records as JSON and back, driven by the dataclasses' own type hints.

The stored decisions keep every field of :mod:`graph`'s result types (families, copy links,
credits, matches, times, origins outside the store), whatever fields those types grow: a
field added to a dataclass is written and read back without a change here, and a field a
stored record lacks takes its default. Only plain data goes through: dataclasses, tuples,
lists, sets, dicts with string or integer keys, enums, datetimes and scalars.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any


class CodecError(ValueError):
    """A stored record does not fit the type it is read as."""


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data (dataclasses become objects of their fields)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return encode(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in _fields(type(value))}
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [encode(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    raise CodecError(f"cannot store a {type(value).__name__} in a decision record")


@cache
def _fields(cls: type) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(kind: Any, data: Any) -> Any:
    """``data`` (from :func:`encode`) rebuilt as ``kind``."""
    if kind is Any or kind is typing.Any:
        return data
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return decode(option, data)
            except (CodecError, TypeError, ValueError, KeyError) as exc:
                errors.append(str(exc))
        raise CodecError(f"{data!r} fits none of {kind}: {'; '.join(errors)}")
    if data is None:
        raise CodecError(f"missing value for {kind}")
    if origin is not None:
        return _decode_generic(origin, typing.get_args(kind), data)
    if isinstance(kind, type):
        if dataclasses.is_dataclass(kind):
            return _decode_dataclass(kind, data)
        if issubclass(kind, enum.Enum):
            return kind(data)
        if kind is datetime:
            return datetime.fromisoformat(data)
        if kind is float and isinstance(data, (int, float)) and not isinstance(data, bool):
            return float(data)
        if kind in (tuple, list, set, frozenset):
            return kind(data)
        if kind is dict:
            return dict(data)
        if not isinstance(data, kind):
            raise CodecError(f"{data!r} is not a {kind.__name__}")
        return data
    return data


def _decode_generic(origin: Any, args: tuple, data: Any) -> Any:
    if origin in (tuple,):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        if args and len(args) == len(data):
            return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
        return tuple(data)
    if origin in (list, set, frozenset):
        item = args[0] if args else Any
        return origin(decode(item, v) for v in data)
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        key, item = args if len(args) == 2 else (Any, Any)
        return {_key(key, k): decode(item, v) for k, v in data.items()}
    return data


def _key(kind: Any, raw: str) -> Any:
    return int(raw) if kind is int else raw


def _decode_dataclass(cls: type, data: Any) -> Any:
    if not isinstance(data, Mapping):
        raise CodecError(f"{cls.__name__} needs an object, got {data!r}")
    hints = _hints(cls)
    values = {}
    for f in _fields(cls):
        if f.name in data:
            values[f.name] = decode(hints.get(f.name, Any), data[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise CodecError(f"stored {cls.__name__} lacks {f.name}")
    return cls(**values)
