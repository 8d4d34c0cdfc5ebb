"""One way to change state: a map of allowed moves per stateful model.

Each stateful model's service declares its ``Transitions`` once and moves
the status only through it::

    TRANSITIONS = Transitions(Disbursement.Status, {REQUESTED: {APPROVED, ...}, ...})
    TRANSITIONS.move(disbursement, Disbursement.Status.APPROVED)  # checks, then sets

``check`` raises the map's domain error (``TransitionNotAllowed`` unless the
app names its own) with a message saying which move was refused;
``targets`` lists the moves a screen may offer; ``sources`` gives the states
a set-based UPDATE may start from. Recording the move (a transition row, an
audit entry, a signal) stays with the service, inside its own atomic save.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import DomainError


class TransitionNotAllowed(DomainError, ValidationError):
    """A status change the map forbids. Also a ``ValidationError``, so code
    that catches Django's validation errors keeps refusing it the same way."""

    default_message = _("不能从“%(from)s”变更为“%(to)s”。")


class Transitions(Mapping):
    """The allowed moves between the states of one ``TextChoices``.

    Read as a mapping it gives, for every state, the frozenset of states it
    may move to (every state must be a key; a final state maps to nothing).
    ``message`` is the default refusal, formatted with ``%(from)s`` and
    ``%(to)s`` (the states' labels); ``messages`` overrides it per target.
    """

    def __init__(self, states, moves, *, error=TransitionNotAllowed, message=None, messages=None):
        self.states = states
        self._moves = {
            states(key): frozenset(states(to) for to in tos) for key, tos in moves.items()
        }
        missing = set(states) - set(self._moves)
        if missing:
            raise ValueError(f"no moves declared from {sorted(state.value for state in missing)}")
        self.error = error
        self.message = message if message is not None else error.default_message
        self.messages = {states(to): text for to, text in (messages or {}).items()}

    def __getitem__(self, state):
        return self._moves[state]  # a stored value finds its member: they hash and compare alike

    def __iter__(self):
        return iter(self._moves)

    def __len__(self):
        return len(self._moves)

    def allowed(self, from_state, to_state):
        return from_state in self._moves and to_state in self._moves[from_state]

    def targets(self, from_state):
        """The states ``from_state`` may move to, in the order the choices declare them."""
        allowed = self[from_state]
        return [state for state in self.states if state in allowed]

    def sources(self, to_state):
        """The states from which ``to_state`` may be reached."""
        return frozenset(state for state, tos in self._moves.items() if to_state in tos)

    def _label(self, state):
        try:
            return self.states(state).label
        except ValueError:
            return str(state)

    def check(self, obj, to_state, *, field="status"):
        """Refuse moving ``obj`` to ``to_state`` unless the map allows it;
        returns the state it is in."""
        current = getattr(obj, field)
        if not self.allowed(current, to_state):
            text = self.messages.get(to_state, self.message)
            raise self.error(text % {"from": self._label(current), "to": self._label(to_state)})
        return self.states(current)

    def move(self, obj, to_state, *, field="status"):
        """``check``, then set the new state on ``obj`` (the caller saves);
        returns the state it left."""
        before = self.check(obj, to_state, field=field)
        setattr(obj, field, self.states(to_state))
        return before
