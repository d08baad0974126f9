"""Old names that keep working for one release, with a :class:`DeprecationWarning`.

* :func:`moved` - a module-level ``__getattr__`` for names that moved to another module;
* :func:`deprecated_args` - renamed keyword parameters, and parameters that became
  keyword-only, still accepted;
* :func:`old_default` - a country-specific default that is going away.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar


def moved(module: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for names that moved.

    ``names`` maps each old name to ``"new.module:new_name"``. Accessing the old name warns
    once per access site and returns the object from its new home.
    """

    def __getattr__(name: str) -> Any:
        target = names.get(name)
        if target is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        where, _, new = target.partition(":")
        warnings.warn(
            f"{module}.{name} is deprecated and will be removed in the next release; "
            f"use {where}.{new}.",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(where), new)

    return __getattr__


F = TypeVar("F", bound=Callable[..., Any])


def deprecated_args(
    *, renamed: Mapping[str, str] | None = None, keyword_only: bool = False
) -> Callable[[F], F]:
    """Old calling conventions that keep working for one release, with a warning.

    Parameters
    ----------
    renamed
        ``{old: new}`` keyword names (``{"ci": "level"}``): the old name is accepted and
        passed on as the new one.
    keyword_only
        Accept, with a warning, the keyword-only parameters passed by position (in the order
        of the signature), as scikit-learn's ``_deprecate_positional_args`` does.

    Put it outermost (above :func:`hedgewatch._validation.validated`), so that the warning
    points at the caller's line.
    """
    old_names = dict(renamed or {})

    def decorate(func: F) -> F:
        name = func.__qualname__.replace(".<locals>", "")
        params = inspect.signature(func).parameters.values()
        positional = [
            p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        keywords = [p.name for p in params if p.kind == p.KEYWORD_ONLY]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if keyword_only and len(args) > len(positional):
                extra = args[len(positional) :]
                names = keywords[: len(extra)]
                if len(names) < len(extra):  # too many: let Python say so
                    return func(*args, **kwargs)
                warnings.warn(
                    f"Passing {', '.join(names)} to {name}() by position is deprecated and "
                    f"will be an error in the next release; pass "
                    + ", ".join(f"{n}=..." for n in names)
                    + ".",
                    DeprecationWarning,
                    stacklevel=2,
                )
                args = args[: len(positional)]
                kwargs.update(zip(names, extra, strict=True))
            used = [old for old in old_names if old in kwargs]
            if used:
                for old in used:
                    if old_names[old] in kwargs:
                        raise TypeError(
                            f"{name}() got both {old!r} (deprecated) and {old_names[old]!r}"
                        )
                    kwargs[old_names[old]] = kwargs.pop(old)
                olds = ", ".join(repr(o) for o in used)
                news = ", ".join(repr(old_names[o]) for o in used)
                warnings.warn(
                    f"The {olds} parameter{'s' if len(used) > 1 else ''} of {name}() "
                    f"{'are' if len(used) > 1 else 'is'} deprecated and will be removed in the "
                    f"next release; use {news}.",
                    DeprecationWarning,
                    stacklevel=2,
                )
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


T = TypeVar("T")


def old_default(name: str, value: T, func: str) -> T:
    """``value``, the default that ``name`` of ``func()`` used to have, with a warning.

    For parameters that lose a country-specific default (``powers=("CHN", "RUS")``): a call
    that leaves them out works for one more release.
    """
    warnings.warn(
        f"Calling {func}() without {name!r} is deprecated: the default {value!r} will be "
        f"removed in the next release; pass {name}={value!r}.",
        DeprecationWarning,
        stacklevel=3,
    )
    return value
