"""One scoring function for every backend: each factor in [0, 1], weighted,
and each shown to staff as a reason."""

import re
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as django_gettext

from matching.core.vocabulary import Category, HelpForm

from .constraints import distance_km

WEIGHTS = {
    "text": 0.30,
    "proximity": 0.20,
    "coverage": 0.20,
    "urgency": 0.10,
    "waiting": 0.10,
    "load": 0.10,
}
_HAN = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=1024)
def _translated(language, message):
    return django_gettext(message)


def _(message):
    """gettext, remembered per language: reasons repeat the same few strings
    (Django's lookup walks every catalogue's fallback chain, ~0.1 ms a call)."""
    return _translated(get_language(), message)


@lru_cache(maxsize=256)
def _translated_label(language, choices, value):
    return str(choices(value).label)


def _label(choices, value):
    return _translated_label(get_language(), choices, value)


def bigrams(text):
    """Chinese character bigrams (the same unit the index's cjk analyser uses)."""
    grams = set()
    for run in _HAN.findall(text or ""):
        grams.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return grams


@lru_cache(maxsize=8192)
def _focus(title, skills):
    return frozenset(bigrams(" ".join([title, *skills])))


def text_fit(need_grams, doc):
    """Share of the offer's stated focus (title, skills) found in the need's text."""
    focus = _focus(doc["title"], tuple(doc.get("skills", ())))
    if not focus:
        return 0.0
    return len(focus & need_grams) / len(focus)


def proximity(profile, doc):
    distance = distance_km(profile, doc)
    if distance is not None:
        return max(0.0, 1 - distance / max(doc["radius_km"], 0.1)), distance
    codes = list(profile.area_codes)
    served = [codes.index(code) for code in doc["jurisdictions"] if code in codes]
    depth = max(served) if served else 0
    return (0.4, 0.7, 1.0, 1.0)[min(depth, 3)], None


def payable_minor(doc):
    """What the offer can pay one case now, in fen: the least of its per-case
    cap and the money it has left (a fund's balance, a project's budget);
    None when it states neither."""
    limits = [v for v in (doc["max_per_case_minor"], doc["budget_minor"]) if v is not None]
    return max(0, min(limits)) if limits else None


def coverage(profile, doc):
    """Mean of the shares of the need the offer covers: its forms of help, its
    categories (not volunteers: they are category-free) and the money it can
    pay now. Returns (coverage, money share or None)."""
    shares = [
        len(set(doc["forms"]) & set(profile.forms)) / len(profile.forms) if profile.forms else 1.0
    ]
    if doc["offer_type"] != "volunteer" and profile.categories:
        shared = set(doc["categories"]) & set(profile.categories)
        shares.append(len(shared) / len(set(profile.categories)))
    needed = profile.amount_needed_minor
    payable = payable_minor(doc)
    money_share = None
    if needed and payable is not None:
        money_share = min(payable, needed) / needed
        shares.append(money_share)
    return sum(shares) / len(shares), money_share


def factors(profile, doc, need_grams, org_load, now):
    """Each factor's value, plus what the reasons need (distance, money share, load)."""
    near, distance = proximity(profile, doc)
    covered, money_share = coverage(profile, doc)
    open_matches = org_load.get(doc["organization_id"], 0)
    values = {
        "text": text_fit(need_grams, doc),
        "proximity": near,
        "coverage": covered,
        "urgency": 1.0 if profile.is_emergency else 0.0,
        "waiting": min(profile.waiting_days(now) / 30, 1.0),
        "load": 1 / (1 + open_matches / 5),
    }
    return values, {"distance": distance, "money_share": money_share, "open_matches": open_matches}


def total(values):
    return round(sum(WEIGHTS[name] * value for name, value in values.items()), 4)


def parts(values):
    """Each factor's value and weight, stored with a match so that review can
    show what the score is made of without importing this module."""
    return {
        name: {"value": round(value, 3), "weight": WEIGHTS[name]} for name, value in values.items()
    }


def score(profile, doc, need_grams, org_load, now):
    """(score, reasons) for one candidate that satisfies every hard constraint."""
    values, facts = factors(profile, doc, need_grams, org_load, now)
    return total(values), reasons(profile, doc, values, facts, now)


def reasons(profile, doc, values, facts, now):
    """What staff read next to a proposal; built only for what is shown."""
    distance, money_share = facts["distance"], facts["money_share"]
    open_matches = facts["open_matches"]
    shared = sorted(set(doc["categories"]) & set(profile.categories))
    out = [_("类别：%(c)s") % {"c": _label(Category, c)} for c in shared]
    forms = sorted(set(doc["forms"]) & set(profile.forms))
    out += [_("帮扶形式：%(f)s") % {"f": _label(HelpForm, f)} for f in forms]
    if distance is not None:
        out.append(_("%(km).1f 公里") % {"km": distance})
    else:
        # The deepest of the need's areas the offer serves (doc values come sorted).
        served = [code for code in profile.area_codes if code in doc["jurisdictions"]]
        out.append(_("服务 %(code)s") % {"code": served[-1] if served else "-"})
    if values["text"] > 0:
        out.append(_("内容相关度 %(pct)d%%") % {"pct": round(values["text"] * 100)})
    if money_share is not None:
        out.append(_("可覆盖所需金额 %(pct)d%%") % {"pct": round(money_share * 100)})
    if profile.is_emergency:
        out.append(_("紧急求助优先"))
    if profile.waiting_days(now):
        out.append(_("已等待 %(days)d 天") % {"days": profile.waiting_days(now)})
    if open_matches:
        out.append(_("该组织已有 %(n)d 个进行中的匹配") % {"n": open_matches})
    return out
