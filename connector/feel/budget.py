"""What one evaluation may spend: steps, characters of text it builds, and wall-clock time.

A process model controls its expressions, and FEEL can loop (``for``, filters, quantifiers,
recursive ``function`` definitions), build lists and strings, and run regular expressions. The
worker evaluates them one at a time on a thread of their own, so an expression that ran for
minutes would hold up every later one (and take Python's lock from every other thread), and one
that filled the memory would kill every job of the worker. Each evaluation therefore gets a
:class:`Budget`; the evaluator spends it where work grows with the data (an iteration, an
invocation, an element or character produced) and the evaluation fails with a
:class:`BudgetExceeded` naming the limit and its setting once a limit is passed. Camunda's
engine has no such limits; the defaults are far above what a real result or error expression
needs (typical ones spend tens of steps and well under a millisecond).
"""

from __future__ import annotations

import sys
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass

from connector.feel.errors import FeelFailure

__all__ = ["Budget", "BudgetExceeded", "FeelLimits", "current_budget", "start_budget", "stop_budget"]

# the time is read only every so many steps: reading the clock costs more than a step
_CHECK_EVERY = 1024


@dataclass(frozen=True, slots=True)
class FeelLimits:
    """The limits of one evaluation (``S3_CONNECTOR_FEEL_*`` settings, see the README)."""

    max_steps: int = 1_000_000
    """Iterations, invocations and list elements produced, together."""
    max_text_length: int = 10_000_000
    """Characters of the strings the evaluation builds (concatenations, joins, replacements...), together."""
    timeout_ms: int = 1_000
    """Wall-clock time for the whole evaluation, regular expressions included."""


class BudgetExceeded(FeelFailure):
    """The evaluation passed one of its limits; the message names the limit and its setting."""


class Budget:
    """The remainder of one evaluation's limits; created per evaluation, used by one thread."""

    __slots__ = ("_check_at", "deadline", "limits", "steps", "text")

    def __init__(self, limits: FeelLimits) -> None:
        self.limits = limits
        self.steps = limits.max_steps
        self.text = limits.max_text_length
        self.deadline = time.monotonic() + limits.timeout_ms / 1000
        self._check_at = max(self.steps - _CHECK_EVERY, 0)

    def spend(self, steps: int = 1) -> None:
        """Spend ``steps``; fails once the steps or the time are used up."""
        self.steps -= steps
        if self.steps < self._check_at:
            self._check()

    def spend_text(self, characters: int) -> None:
        """Spend the characters of a string about to be built (call it *before* building it)."""
        self.text -= characters
        if self.text < 0:
            raise BudgetExceeded(
                f"the strings it builds exceed {self.limits.max_text_length} characters "
                "(limit S3_CONNECTOR_FEEL_MAX_TEXT_LENGTH)"
            )
        self.spend()

    def remaining_s(self) -> float:
        """Seconds left until the deadline (for a regular expression's own time limit); fails when none."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self._timed_out()
        return remaining

    def timed_out(self) -> BudgetExceeded:
        """The failure for an evaluation that ran out of time (a regular expression's timeout)."""
        return self._timed_out()

    def _check(self) -> None:
        if self.steps < 0:
            raise BudgetExceeded(
                f"it takes more than {self.limits.max_steps} steps (iterations, invocations and list "
                "elements; limit S3_CONNECTOR_FEEL_MAX_STEPS)"
            )
        if time.monotonic() > self.deadline:
            raise self._timed_out()
        self._check_at = max(self.steps - _CHECK_EVERY, 0)

    def _timed_out(self) -> BudgetExceeded:
        return BudgetExceeded(f"it takes longer than {self.limits.timeout_ms} ms (limit S3_CONNECTOR_FEEL_TIMEOUT_MS)")


# Outside an evaluation by the engine (a built-in called directly, e.g. in a test) nothing is
# limited; this shared budget never runs out in practice.
_UNLIMITED = Budget(FeelLimits(max_steps=sys.maxsize, max_text_length=sys.maxsize, timeout_ms=10**15))
_CURRENT: ContextVar[Budget] = ContextVar("feel_budget", default=_UNLIMITED)


def current_budget() -> Budget:
    """The budget of the evaluation running on this thread (or task)."""
    return _CURRENT.get()


def start_budget(limits: FeelLimits) -> Token[Budget]:
    """Give the evaluation about to run a fresh budget; pass the token to :func:`stop_budget`."""
    return _CURRENT.set(Budget(limits))


def stop_budget(token: Token[Budget]) -> None:
    """Restore the budget that was current before :func:`start_budget`."""
    _CURRENT.reset(token)
