"""YAML for untrusted files: plain data only, no aliases, no Python objects."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent


class UnsafeYamlError(ValueError):
    """The YAML asks for something that plain data never needs."""


class _PlainDataLoader(yaml.SafeLoader):
    """SafeLoader that also refuses aliases: they are how "billion laughs" files explode."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark
            raise UnsafeYamlError(
                f"line {mark.line + 1}: YAML aliases (*{event.anchor}) are not accepted "
                "(expected plain values; write the value out)"
            )
        return super().compose_node(parent, index)


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
