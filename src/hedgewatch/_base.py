"""The base of hedgewatch's estimators: parameters in, one checking loop, scikit-learn manners.

An estimator stores its constructor arguments unchanged (no work, no checks in ``__init__``)
and declares what each must be in ``_parameter_constraints``, a table ``name -> (check,
requirement)``. :meth:`BaseEstimator._validate_params` runs the whole table when the work
starts (``fit``, ``solve``), so parameters changed with :meth:`set_params` are checked too.
As in scikit-learn's ``sklearn/base.py``:

* :meth:`get_params` returns the constructor arguments by name;
* :meth:`set_params` changes them *in place* and returns the estimator, refusing an unknown
  name with the list of valid ones (values are checked when the work starts);
* :func:`clone` makes an unfitted copy with the same parameters.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from hedgewatch._validation import blame, check_param
from hedgewatch.errors import ParameterError

#: ``name -> (check, requirement)``: ``check(value)`` is true when ``value`` is valid;
#: ``requirement`` completes "The 'x' parameter of Model() must be ...".
Constraints = dict[str, tuple[Callable[[Any], bool], str]]

E = TypeVar("E", bound="BaseEstimator")


class BaseEstimator:
    """Parameters, their checks, ``get_params``/``set_params`` and a readable ``repr``."""

    _parameter_constraints: ClassVar[Constraints] = {}

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, by name, as stored."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self: E, **params: Any) -> E:
        """Change parameters in place and return the estimator (checked when work starts).

        Raises :class:`~hedgewatch.errors.ParameterError` for a name the constructor does not
        take, listing the valid ones.
        """
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ParameterError(
                    f"Invalid parameter {name!r} for {type(self).__name__}; valid parameters "
                    f"are: {', '.join(sorted(valid))}."
                )
            setattr(self, name, value)
        return self

    def _validate_params(self) -> None:
        """Check every parameter against ``_parameter_constraints`` (the one loop)."""
        with blame(type(self).__name__):
            for name, (ok, requirement) in self._parameter_constraints.items():
                value = getattr(self, name)
                check_param(bool(ok(value)), name, requirement, value)

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default
            for p in inspect.signature(type(self).__init__).parameters.values()
            if p.default is not p.empty
        }
        changed = []
        for name, value in self.get_params().items():
            try:
                same = bool(value == defaults.get(name, inspect.Parameter.empty))
            except (TypeError, ValueError):  # arrays compare element-wise
                same = False
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"


def clone(estimator: E) -> E:
    """A new, unfitted estimator with the same parameters."""
    return type(estimator)(**estimator.get_params())
