"""The one state mechanism: which moves a map allows, and how it refuses the rest."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from matching.core.errors import DomainError, refusal_message
from matching.core.states import TransitionNotAllowed, Transitions


class Light(models.TextChoices):
    RED = "red", "红灯"
    GREEN = "green", "绿灯"
    AMBER = "amber", "黄灯"
    OFF = "off", "熄灭"


class LampBroken(DomainError):
    pass


MAP = Transitions(
    Light,
    {
        Light.RED: {Light.GREEN, Light.OFF},
        Light.GREEN: {Light.AMBER, Light.OFF},
        Light.AMBER: {Light.RED, Light.OFF},
        Light.OFF: set(),
    },
    messages={Light.OFF: "已熄灭的灯不能再次熄灭。"},
)


def lamp(state):
    return SimpleNamespace(status=state)


def test_allowed_and_refused_moves():
    assert MAP.allowed(Light.RED, Light.GREEN)
    assert MAP.allowed("green", "amber")  # stored values work as well as members
    assert not MAP.allowed(Light.RED, Light.AMBER)
    assert not MAP.allowed(Light.OFF, Light.RED)
    assert not MAP.allowed(Light.RED, "blue")  # an unknown state is never a target
    assert not MAP.allowed("blue", Light.RED)


def test_targets_follow_the_declared_order_and_sources_answer_backwards():
    assert MAP.targets(Light.RED) == [Light.GREEN, Light.OFF]
    assert MAP.targets(Light.OFF) == []
    assert MAP.sources(Light.OFF) == {Light.RED, Light.GREEN, Light.AMBER}
    assert MAP.sources(Light.RED) == {Light.AMBER}


def test_the_map_reads_as_a_mapping_of_every_state():
    assert set(MAP) == set(Light)
    assert MAP["off"] == set()
    assert "off" in MAP and "blue" not in MAP
    assert MAP[Light.RED] == {Light.GREEN, Light.OFF}


def test_every_state_must_be_declared():
    with pytest.raises(ValueError, match="off"):
        Transitions(Light, {Light.RED: {Light.GREEN}, Light.GREEN: set(), Light.AMBER: set()})


def test_move_checks_then_sets_and_returns_the_state_it_left():
    obj = lamp("red")
    assert MAP.move(obj, Light.GREEN) == Light.RED
    assert obj.status == Light.GREEN


def test_a_refused_move_raises_the_domain_error_naming_both_states_and_changes_nothing():
    obj = lamp(Light.RED)
    with pytest.raises(TransitionNotAllowed) as refused:
        MAP.move(obj, Light.AMBER)
    assert obj.status == Light.RED
    assert str(refused.value) == "不能从“红灯”变更为“黄灯”。"
    assert refusal_message(refused.value) == str(refused.value)
    # One base for every domain error, and still a ValidationError for older callers.
    assert isinstance(refused.value, DomainError)
    assert isinstance(refused.value, ValidationError)
    assert refused.value.messages == ["不能从“红灯”变更为“黄灯”。"]


def test_a_target_may_have_its_own_message():
    with pytest.raises(TransitionNotAllowed, match="已熄灭的灯不能再次熄灭"):
        MAP.check(lamp(Light.OFF), Light.OFF)


def test_a_map_raises_the_error_class_its_app_names():
    strict = Transitions(Light, {state: set() for state in Light}, error=LampBroken)
    with pytest.raises(LampBroken):
        strict.check(lamp(Light.RED), Light.GREEN)


def test_the_default_refusal_is_translated():
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        MAP.check(lamp(Light.RED), Light.AMBER)
    assert str(refused.value) == "Cannot change from “红灯” to “黄灯”."
