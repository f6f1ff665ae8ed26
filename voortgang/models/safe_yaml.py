"""YAML for untrusted files: plain data only, no aliases, no Python objects."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent

# A submission is four levels deep (milestones > item > field > value); catalogue.yaml a few
# more. Far below the depth at which PyYAML's recursive composer would hit Python's limit.
MAX_NESTING = 32


class UnsafeYamlError(ValueError):
    """The YAML asks for something that plain data never needs."""


class DuplicateKeyError(UnsafeYamlError):
    """A mapping names one key twice; YAML would silently keep only the last value."""


class NestingTooDeepError(UnsafeYamlError):
    """Lists or mappings nested deeper than any submission or catalogue needs."""


def nesting_message(limit: int, where: str = "") -> str:
    return (
        f"the data is nested more than {limit} levels deep{where} "
        "(expected the fields of the template, a few levels deep)"
    )


def duplicate_key_message(key: object, where: str = "") -> str:
    return f"the key {key!r} appears twice{where} (expected each field once)"


class _PlainDataLoader(yaml.SafeLoader):
    """SafeLoader that also refuses aliases, repeated keys and runaway nesting.

    Aliases are how "billion laughs" files explode; a repeated key would make the last value
    win without anyone noticing; deep nesting would end in a RecursionError.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark
            raise UnsafeYamlError(
                f"line {mark.line + 1}: YAML aliases (*{event.anchor}) are not accepted "
                "(expected plain values; write the value out)"
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise NestingTooDeepError(nesting_message(MAX_NESTING, f" at line {mark.line + 1}"))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        first_line: dict[Any, int] = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                seen = key in first_line
            except TypeError:
                continue  # unhashable: the base class refuses it with its own message
            line = key_node.start_mark.line + 1
            if seen:
                raise DuplicateKeyError(
                    duplicate_key_message(key, f", at line {first_line[key]} and at line {line}")
                )
            first_line[key] = line
        return super().construct_mapping(node, deep=deep)


def _timestamp_or_text(loader: _PlainDataLoader, node: Any) -> Any:
    # "2026-13-45" looks like a date to YAML but is none: keep the text, so that validation
    # names the field instead of the whole file failing with "month must be in 1..12".
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_PlainDataLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def load_yaml_text(text: str) -> Any:
    """Parse one YAML document of plain data. Raises yaml.YAMLError or UnsafeYamlError."""
    try:
        return yaml.load(text, Loader=_PlainDataLoader)  # noqa: S506 - the loader is safe
    except yaml.constructor.ConstructorError as exc:
        raise UnsafeYamlError(
            f"{exc.problem} (expected plain data: no tags that build objects)"
        ) from exc
    except RecursionError as exc:
        # Belt and braces: the composer stops at MAX_NESTING, but no input may crash the run.
        raise NestingTooDeepError(nesting_message(MAX_NESTING)) from exc
