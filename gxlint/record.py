"""``Record``: the equality and repr that ``@dataclass`` would give a class, for the classes every
lint creates at import (the document model, findings, results, config, the report format).

``@dataclass`` writes the source text of each method it adds and compiles it when the module is
imported.  Measured (Python 3.11; issue 28 asked whether it still matters): ``@dataclass(slots=True)``
on 23 classes with these classes' field counts costs 61 M instructions (callgrind) and 12-24 ms
CPU at every start, and importing ``dataclasses`` 79 M more (2-3 ms once lxml has imported
``inspect``, as for a .docx; 18 ms for a .md report) — against about 150 ms CPU and 720 M
instructions for a whole cold ``gxlint --no-cache one.docx`` (docs/speed.md).  So these classes
write their ``__init__`` (compiled once, into the module's cached bytecode) and take ``==`` and
``repr`` from here, by the field names in ``_fields`` (their ``__slots__`` where they have slots).
As with a dataclass, ``==`` compares the fields of two objects of the same class, and they are
not hashable.
"""
from __future__ import annotations


class Record:
    __slots__ = ()
    _fields: tuple = ()

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    __hash__ = None  # mutable: not hashable, as a dataclass with eq

    def replace(self, **changes):
        """A copy with ``changes`` (field -> value), as ``dataclasses.replace`` makes."""
        return type(self)(**{**{f: getattr(self, f) for f in self._fields}, **changes})

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._fields)})"
