"""The de-identification pipeline on a corpus of realistic case texts."""

import itertools
import re
import unicodedata

import pytest
from deidentify_corpus import CASES
from stdnum import luhn
from stdnum.cn import ric

from matching.deidentify import INSTITUTION_REPLACEMENTS, KINDS, REPLACEMENTS, deidentify


def _expected_findings(case):
    """(kind, start, end) of each expected identifier, searched in text order."""
    spans, position = [], 0
    for kind, original in case.expected:
        start = case.text.index(original, position)
        spans.append((kind, start, start + len(original)))
        position = start + len(original)
    return spans


def _compact(text):
    """The identifier as digits and letters only, in half-width form."""
    return re.sub(r"[\s\-()+]", "", unicodedata.normalize("NFKC", text)).upper()


@pytest.fixture(params=CASES, ids=[case.label for case in CASES])
def case(request):
    return request.param


def test_the_corpus_is_large_and_covers_every_kind():
    assert len(CASES) >= 25
    kinds = {kind for case in CASES for kind, _ in case.expected}
    assert kinds == set(KINDS)


def test_corpus_numbers_carry_valid_check_digits():
    """Fixtures must look exactly like real numbers, or the test proves little."""
    for case in CASES:
        for kind, original in case.expected:
            compact = _compact(original)
            if kind == "id_number" and len(compact) == 18:
                assert ric.calc_check_digit(compact) == compact[-1], original
            if kind == "bank_card" and not case.text.count("存折"):
                assert luhn.is_valid(compact), original


def test_findings_have_the_right_kind_and_exact_span(case):
    result = deidentify(case.text, names=case.names, addresses=case.addresses)
    found = [(f.kind, f.start, f.end) for f in result.findings]
    assert found == _expected_findings(case), [
        (f.kind, case.text[f.start : f.end]) for f in result.findings
    ]


def test_no_identifier_survives_in_any_form(case):
    published = deidentify(case.text, names=case.names, addresses=case.addresses).text
    compact_published = _compact(published)
    for kind, original in case.expected:
        if kind == "name" and len(original) < 2:
            continue  # a lone surname (王 of 王大妈) is checked by its span
        assert original not in published
        assert _compact(original) not in compact_published, (kind, original)


def test_ordinary_words_numbers_and_dates_stay(case):
    published = deidentify(case.text, names=case.names, addresses=case.addresses).text
    for word in case.keep:
        assert word in published, word
    if not case.expected:
        assert published == case.text


def test_published_text_is_the_original_with_each_span_replaced(case):
    result = deidentify(case.text, names=case.names, addresses=case.addresses)
    rebuilt, position = [], 0
    for finding in result.findings:
        rebuilt.append(case.text[position : finding.start])
        token = REPLACEMENTS.get(finding.kind)
        if finding.kind == "institution":
            token = _institution_token_at(result.text, "".join(rebuilt))
        if finding.kind in ("birth_date", "age"):
            # Issue 18: birth dates and ages are replaced by their band.
            token = _band_at(result.text, "".join(rebuilt))
        rebuilt.append(token)
        position = finding.end
    rebuilt.append(case.text[position:])
    assert "".join(rebuilt) == result.text


def _band_at(published, prefix):
    assert published.startswith(prefix), prefix
    band = re.match(
        r"[0-9]{4}年代|[一二三四五六七八九]十多岁|十几岁|不到十岁|百岁以上",
        published[len(prefix) :],
    )
    assert band, f"no band after {prefix!r}"
    return band.group()


def _institution_token_at(published, prefix):
    for token in INSTITUTION_REPLACEMENTS.values():
        if published.startswith(prefix + token):
            return token
    raise AssertionError(f"no institution token after {prefix!r}")


def test_findings_are_sorted_and_do_not_overlap(case):
    findings = deidentify(case.text, names=case.names, addresses=case.addresses).findings
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("在吉林大学第一医院透析", "在某医院透析"),
        ("在长春市第八中学读初二", "在某学校读初二"),
        ("在长春市宏达纸箱厂打工", "在某单位打工"),
    ],
)
def test_institutions_are_replaced_by_their_sector(text, published):
    assert deidentify(text).text == published


def test_replacement_tokens_are_chinese_words_per_kind():
    result = deidentify(
        "张三身份证220104196208153022，电话13904312208，卡6228480045001234561，"
        "邮箱a.b@example.com，微信zhangsan_88，QQ 12345678，住人民大街1号。",
        names=["张三"],
    )
    assert result.text == (
        "某某身份证[身份证号]，电话[电话]，卡[银行卡号]，邮箱[邮箱]，微信[微信号]，"
        "QQ [QQ号]，住[住址]。"
    )


def test_given_name_of_one_character_is_not_searched_alone():
    result = deidentify("李明说明天再来，李某已签字。", names=["李明"])
    assert result.text == "某某说明天再来，某某已签字。"


def test_old_and_small_surnames_are_only_variants_of_listed_names():
    # 老张 is a variant only because 张 is a listed surname; 小李 is not.
    result = deidentify("老张和小李一起来的。", names=["张秀兰"])
    assert result.text == "某某和小李一起来的。"


def test_names_and_addresses_are_optional():
    assert deidentify("今天天气很好。").text == "今天天气很好。"
    assert deidentify("").findings == []


def test_checksum_failures_without_a_keyword_are_left_alone():
    # An 18-digit reference with a wrong check digit and no ID keyword.
    text = "案卷流水220104196208153023备查"
    assert deidentify(text).findings == []


def test_a_mistyped_id_number_after_a_keyword_is_still_removed():
    text = "身份证号220104196208153023（末位疑似填错）"
    result = deidentify(text)
    assert [(f.kind, text[f.start : f.end]) for f in result.findings] == [
        ("id_number", "220104196208153023")
    ]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # A road address with no district before it, typed with spaces.
        ("住在工农大路 1288 号三楼", "住在[住址]三楼"),
        # 旗 ends a banner (科右中旗) but here it is part of the road's name.
        ("住在红旗街128号", "住在[住址]"),
        ("长春市红旗街128号2单元", "长春市[住址]"),
        # A road without a house number is not an address.
        ("每天走红旗街去上学", "每天走红旗街去上学"),
    ],
)
def test_road_addresses_without_a_district_are_removed(text, published):
    assert deidentify(text).text == published
