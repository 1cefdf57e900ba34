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
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any


class CodecError(ValueError):
    """A stored record does not fit the type it is read as."""


_SCALARS = (type(None), bool, int, float, str)
_ENCODERS: dict[type, Callable[[Any], Any]] = {t: (lambda v: v) for t in _SCALARS}


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data (dataclasses become objects of their fields)."""
    encoder = _ENCODERS.get(type(value))
    if encoder is None:
        encoder = _ENCODERS[type(value)] = _encoder_for(type(value))
    return encoder(value)


def _encoder_for(cls: type) -> Callable[[Any], Any]:
    if issubclass(cls, enum.Enum):
        return lambda v: encode(v.value)
    if issubclass(cls, datetime):
        return lambda v: v.isoformat()
    if dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in _fields(cls))
        return lambda v: {n: encode(getattr(v, n)) for n in names}
    if issubclass(cls, Mapping):
        return lambda v: {str(k): encode(x) for k, x in v.items()}
    if issubclass(cls, (set, frozenset)):
        return lambda v: sorted((encode(x) for x in v), key=repr)
    if issubclass(cls, (list, tuple)):
        return lambda v: [encode(x) for x in v]
    if issubclass(cls, _SCALARS):  # subclasses of the scalars (bool is an int)
        return lambda v: v

    def refuse(v: Any) -> Any:
        raise CodecError(f"cannot store a {cls.__name__} in a decision record")

    return refuse


@cache
def _fields(cls: type) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


def decode(kind: Any, data: Any) -> Any:
    """``data`` (from :func:`encode`) rebuilt as ``kind``."""
    return decoder_for(kind)(data)


@cache
def decoder_for(kind: Any) -> Callable[[Any], Any]:
    """A function rebuilding ``kind`` from its JSON data, made once per type."""
    if kind is Any:
        return lambda d: d
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return _union(typing.get_args(kind))
    if origin is not None:
        return _generic(origin, typing.get_args(kind))
    if isinstance(kind, type):
        if dataclasses.is_dataclass(kind):
            return _dataclass(kind)
        if issubclass(kind, enum.Enum):
            return lambda d: kind(_present(d, kind))
        if kind is datetime:
            return lambda d: datetime.fromisoformat(_present(d, kind))
        if kind is float:
            return _number
        if kind in (tuple, list, set, frozenset):
            return lambda d: kind(_present(d, kind))
        if kind is dict:
            return lambda d: dict(_present(d, kind))

        if kind in _SCALARS:
            return lambda d: d  # JSON gave it its type; a union checks (see _union)

        def checked(d: Any) -> Any:
            if not isinstance(d, kind):
                raise CodecError(f"{d!r} is not a {kind.__name__}")
            return d

        return checked
    return lambda d: d


def _present(data: Any, kind: Any) -> Any:
    if data is None:
        raise CodecError(f"missing value for {kind}")
    return data


def _number(data: Any) -> float:
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise CodecError(f"{data!r} is not a number")
    return float(data)


def _union(options: tuple) -> Callable[[Any], Any]:
    optional = type(None) in options
    choices = [decoder_for(o) for o in options if o is not type(None)]
    if len(choices) == 1:
        only = choices[0]
        return (lambda d: None if d is None else only(d)) if optional else only

    kinds = [o for o in options if o is not type(None)]

    def pick(data: Any) -> Any:
        if data is None and optional:
            return None
        errors = []
        for kind, choice in zip(kinds, choices, strict=True):
            if kind in (bool, int, str) and not isinstance(data, kind):
                errors.append(f"not a {kind.__name__}")
                continue
            try:
                return choice(data)
            except (CodecError, TypeError, ValueError, KeyError) as exc:
                errors.append(str(exc))
        raise CodecError(f"{data!r} fits none of {options}: {'; '.join(errors)}")

    return pick


def _generic(origin: Any, args: tuple) -> Callable[[Any], Any]:
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder_for(args[0])
            return lambda d: tuple(item(v) for v in _present(d, tuple))
        if args:
            items = [decoder_for(a) for a in args]
            return lambda d: tuple(f(v) for f, v in zip(items, _present(d, tuple), strict=True))
        return lambda d: tuple(_present(d, tuple))
    if origin in (list, set, frozenset):
        item = decoder_for(args[0] if args else Any)
        return lambda d: origin(item(v) for v in _present(d, origin))
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        key_kind, value_kind = args if len(args) == 2 else (Any, Any)
        value = decoder_for(value_kind)
        if key_kind is int:
            return lambda d: {int(k): value(v) for k, v in _present(d, dict).items()}
        return lambda d: {k: value(v) for k, v in _present(d, dict).items()}
    return lambda d: d


def _dataclass(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls)
    fields = [
        (f.name, decoder_for(hints.get(f.name, Any)),
         f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in _fields(cls)
    ]

    def build(data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise CodecError(f"{cls.__name__} needs an object, got {data!r}")
        values = {}
        for name, decoder, required in fields:
            if name in data:
                values[name] = decoder(data[name])
            elif required:
                raise CodecError(f"stored {cls.__name__} lacks {name}")
        return cls(**values)

    return build
