"""k-anonymity of a group of published needs."""

import random

import pytest

from matching.deidentify import equivalence_classes, k_anonymize
from matching.deidentify.kanon import LADDER, WITHHELD_CODE

CHAOYANG = "220104"
KUANCHENG = "220103"


def _record(street="220104001", **changes):
    record = {
        "district": CHAOYANG,
        "street": street,
        "categories": ("medical",),
        "age_bands": ("30-44", "60-69"),
        "size_band": "2",
        "statuses": ("subsistence",),
    }
    record.update(changes)
    return record


def _published_classes_are_large_enough(outcomes, k):
    published = [outcome.record for outcome in outcomes if not outcome.withheld]
    return all(size >= k for size in equivalence_classes(published).values())


def test_a_large_class_is_published_unchanged():
    outcomes = k_anonymize([_record() for _ in range(5)], k=5)
    assert all(outcome.steps == () and not outcome.withheld for outcome in outcomes)
    assert outcomes[0].record["street"] == "220104001"


def test_households_unique_by_street_are_merged_at_district_level():
    records = [_record(street=f"22010400{n}") for n in range(1, 6)]
    outcomes = k_anonymize(records, k=5)
    for outcome in outcomes:
        assert [step.code for step in outcome.steps] == ["street_to_district"]
        assert outcome.record["street"] is None
        assert not outcome.withheld


def test_only_records_in_small_classes_are_generalized():
    crowd = [_record() for _ in range(6)]
    loner = _record(street="220104002")
    outcomes = k_anonymize([*crowd, loner], k=5)
    assert all(outcome.record["street"] == "220104001" for outcome in outcomes[:6])
    assert outcomes[6].withheld  # alone in its district even after every rung


def test_a_unique_record_is_withheld_with_a_reason():
    records = [_record() for _ in range(5)]
    records.append(_record(district=KUANCHENG, street="220103005", categories=("housing",)))
    outcome = k_anonymize(records, k=5)[-1]
    assert outcome.withheld
    assert outcome.reason.code == WITHHELD_CODE
    assert "5" in outcome.reason.label and "暂不公示" in outcome.reason.label
    assert [step.code for step in outcome.steps] == [
        "street_to_district",
        "age_bands_widened",
        "size_band_widened",
        "statuses_suppressed",
        "size_band_suppressed",
        "age_bands_suppressed",
    ]


def test_statuses_are_suppressed_when_widening_is_not_enough():
    statuses = ["disability", "elderly_alone", "left_behind_child", "low_income", "none"]
    records = [_record(street=None, statuses=(status,)) for status in statuses]
    outcomes = k_anonymize(records, k=5)
    for outcome in outcomes:
        assert [step.code for step in outcome.steps] == [
            "age_bands_widened",
            "size_band_widened",
            "statuses_suppressed",
        ]
        assert outcome.record["statuses"] is None
        assert outcome.record["age_bands"] == ("18-59", "60+")
    assert _published_classes_are_large_enough(outcomes, 5)


def test_age_bands_are_widened_before_anything_is_suppressed():
    bands = [("30-44",), ("45-59",), ("18-29",), ("30-44", "45-59"), ("18-29", "45-59")]
    outcomes = k_anonymize([_record(street=None, age_bands=b) for b in bands], k=5)
    assert {outcome.record["age_bands"] for outcome in outcomes} == {("18-59",)}
    assert all(outcome.record["statuses"] == ("subsistence",) for outcome in outcomes)


def test_order_of_sets_does_not_split_a_class():
    records = [_record(categories=("medical", "temporary")) for _ in range(3)]
    records += [_record(categories=("temporary", "medical", "medical")) for _ in range(1)]
    records += [_record(categories=["temporary", "medical"], age_bands=["60-69", "30-44"])]
    assert all(outcome.steps == () for outcome in k_anonymize(records, k=5))


def test_steps_have_stable_codes_and_chinese_labels():
    codes = [step.code for step, _ in LADDER]
    assert len(set(codes)) == len(codes)
    assert all(code.isascii() and code.islower() for code in codes)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in step.label) for step, _ in LADDER)


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_k_must_be_a_positive_whole_number(k):
    with pytest.raises(ValueError):
        k_anonymize([_record()], k=k)


def _random_records(count, seed):
    rng = random.Random(seed)
    streets = [
        f"{district}{n:03d}" for district in ("220102", "220104", "220106") for n in (1, 2, 3)
    ]
    statuses = ["subsistence", "extreme_poverty", "low_income", "disability", "elderly_alone"]
    bands = ["0-5", "6-11", "12-17", "18-29", "30-44", "45-59", "60-69", "70-79", "80+"]
    records = []
    for _ in range(count):
        street = rng.choice(streets)
        records.append(
            {
                "district": street[:6],
                "street": street,
                "categories": tuple(
                    rng.sample(["medical", "education", "housing", "temporary"], 2)
                ),
                "age_bands": tuple(rng.sample(bands, rng.randint(1, 3))),
                "size_band": rng.choice(["1", "2", "3", "4", "5+"]),
                "statuses": tuple(rng.sample(statuses, rng.randint(0, 2))),
            }
        )
    return records


def test_no_published_class_is_smaller_than_k():
    outcomes = k_anonymize(_random_records(3_000, seed=7), k=5)
    assert _published_classes_are_large_enough(outcomes, 5)
    assert any(outcome.steps for outcome in outcomes)


def test_the_result_is_deterministic_and_independent_of_input_order():
    records = _random_records(2_000, seed=11)
    first = k_anonymize(records, k=5)
    assert k_anonymize(records, k=5) == first
    shuffled = list(enumerate(records))
    random.Random(3).shuffle(shuffled)
    again = k_anonymize([record for _, record in shuffled], k=5)
    by_original_index = {
        index: outcome for (index, _), outcome in zip(shuffled, again, strict=True)
    }
    assert [by_original_index[index] for index in range(len(records))] == first


def test_a_hundred_thousand_records_complete():
    outcomes = k_anonymize(_random_records(100_000, seed=1), k=5)
    assert len(outcomes) == 100_000
    assert _published_classes_are_large_enough(outcomes, 5)
