"""Usage errors (wrong options or arguments) as one line that names the option.

Typer raises Click's exceptions, from Click itself or (Typer 0.2x) from its vendored copy
``typer._click``; they are told apart by class name so that both work, and nothing of Click
is imported for it.
"""

from __future__ import annotations

from typing import Any


def _class_names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _from_click(exc: BaseException) -> bool:
    return any(cls.__module__.split(".")[0] in ("click", "typer") for cls in type(exc).__mro__)


def is_usage_error(exc: BaseException) -> bool:
    return _from_click(exc) and "UsageError" in _class_names(exc)


def is_abort(exc: BaseException) -> bool:
    return _from_click(exc) and "Abort" in _class_names(exc)


def _one_line(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def _param_name(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return str(getattr(param, "name", "") or "argument").upper()
    opts = [str(o) for o in getattr(param, "opts", [])]
    return "/".join(opts) or str(getattr(param, "name", "option"))


def _param_help(param: Any) -> str:
    text = getattr(param, "help", None)
    return f" ({_one_line(text)})" if isinstance(text, str) and text.strip() else ""


def usage_line(exc: BaseException, command: str = "voortgang") -> str:
    """``error: <option>: <what is wrong>; see: voortgang <command> --help``.

    ``command`` is named when the error does not know its command (the option parser's
    errors, such as an option without its value, come without one).
    """
    names = _class_names(exc)
    ctx = getattr(exc, "ctx", None)
    command = str(getattr(ctx, "command_path", "") or command)
    param = getattr(exc, "param", None)
    message = str(getattr(exc, "message", "") or "")
    if "NoArgsIsHelpError" in names:
        problem = "missing command"
    elif "MissingParameter" in names and param is not None:
        problem = f"{_param_name(param)} is missing{_param_help(param)}"
    elif "NoSuchOption" in names:
        problem = f"no such option {getattr(exc, 'option_name', '') or message}"
        possibilities = sorted(getattr(exc, "possibilities", None) or [])
        if possibilities:
            problem += f" (did you mean {' or '.join(possibilities)}?)"
    elif "BadOptionUsage" in names and "requires an argument" in message:
        problem = f"{getattr(exc, 'option_name', 'the option')} needs a value"
    elif "BadParameter" in names and (param is not None or getattr(exc, "param_hint", None)):
        hint = getattr(exc, "param_hint", None)
        name = hint if isinstance(hint, str) else _param_name(param)
        problem = f"{name}: {_one_line(message)}"
    else:
        format_message = getattr(exc, "format_message", None)
        text = format_message() if callable(format_message) else str(exc)
        problem = _one_line(str(text)) or type(exc).__name__
        # Typer's suggestion for a mistyped command, kept inside the one line.
        first, suggestion, rest = problem.partition(". Did you mean ")
        if suggestion:
            problem = f"{first} (did you mean {rest})"
        problem = problem[:1].lower() + problem[1:]
    return f"error: {problem}; see: {command} --help"
