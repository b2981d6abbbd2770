"""The typer parameters of build, plan and routine, derived from narrator.options.SPECS.

A command names the parts of Options it takes; its flags, help texts and defaults shown
then come from the one table, so build and plan cannot drift apart.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from narrator.options import PARTS, SPEC, SPECS, Spec

CONFIG = "config"
"""Not an option of the tree but where defaults for it come from; placed like one."""

_ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="A TOML file whose [session] table holds defaults for these options. "
    "Default: $NARRATOR_CONFIG, else config.toml in the user's config directory.",
    show_default=False)]

_F = TypeVar("_F", bound=Callable[..., Any])


def _parameter(spec: Spec) -> inspect.Parameter:
    help_text = spec.help + (f"  [default: {spec.default}]" if spec.default else "")
    option = typer.Option(*(spec.flags or (spec.flag,)), help=help_text, show_default=False)
    if spec.type is bool and not spec.setting:
        # A flag that is off unless given (--no-cover, --vtt): no file may set it.
        annotation: Any = Annotated[bool, option]
        default: Any = False
    else:
        # None means "not given here", so that a routine or config file may set it.
        annotation = Annotated[spec.type | None, option]
        default = None
    return inspect.Parameter(spec.name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=annotation)


def takes_options(*groups: str) -> Callable[[_F], _F]:
    """Give a command `def cmd(explicit..., **given)` the parameters of these groups, in
    order: parts of Options ("session", "voice", "parse", "output"), single options by
    name (e.g. "engine"), or CONFIG. Typer then
    passes every one of them in `given`, keyed by the option's name."""
    for group in groups:
        if group != CONFIG and group not in PARTS and group not in SPEC:
            raise ValueError(group)

    def decorate(command: _F) -> _F:
        signature = inspect.signature(command, eval_str=True)
        explicit = [p for p in signature.parameters.values()
                    if p.kind is not inspect.Parameter.VAR_KEYWORD]
        derived: list[inspect.Parameter] = []
        for group in groups:
            if group == CONFIG:
                derived.append(inspect.Parameter(CONFIG, inspect.Parameter.KEYWORD_ONLY,
                                                 default=None, annotation=_ConfigOpt))
            elif group in PARTS:  # before SPEC: "voice" is a part and an option
                derived += [_parameter(s) for s in SPECS if s.part == group]
            else:
                derived.append(_parameter(SPEC[group]))
        parameters = [*explicit, *derived]
        command.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
        return command

    return decorate
