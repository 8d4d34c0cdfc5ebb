import pytest
import supervision_factories as f

from matching.directory.models import Department, Role


@pytest.fixture
def places(db):
    return f.city_tree()


@pytest.fixture
def october(places):
    """The constructed city: what happened in and around October 2026.

    Returns the objects, so that tests derive their expectations from them.
    """
    hongqi, nanling = places["hongqi"], places["nanling"]
    health = f.department(Department.Kind.HEALTH, places["chaoyang"], "朝阳区卫生健康局")
    education = f.department(Department.Kind.EDUCATION, places["chaoyang"], "朝阳区教育局")
    worker = f.user(Role.DISTRICT_STAFF, places["chaoyang"])
    cases = {
        # within the clock: 2 h
        "c1": f.case(
            hongqi,
            opened=f.at(10, 5, 10),
            categories=("medical", "temporary"),
            emergency=True,
            due=f.at(10, 6, 10),
            responded=f.at(10, 5, 12),
        ),
        "c2": f.case(
            hongqi, opened=f.at(10, 8), categories=("subsistence",), responded=f.at(10, 9)
        ),
        # answered late: 48 h against a 24 h clock
        "c3": f.case(
            hongqi,
            opened=f.at(10, 20, 8),
            emergency=True,
            due=f.at(10, 21, 8),
            responded=f.at(10, 22, 8),
        ),
        # no answer, clock ran out before NOW
        "c4": f.case(
            hongqi,
            opened=f.at(10, 30),
            categories=("education",),
            emergency=True,
            due=f.at(10, 31),
        ),
        # opened in September, first response in October
        "c5": f.case(hongqi, opened=f.at(9, 28), categories=("housing",), responded=f.at(10, 2)),
        # after the period
        "c6": f.case(hongqi, opened=f.at(11, 2), categories=("subsistence",)),
        # another district
        "n1": f.case(nanling, opened=f.at(10, 10), responded=f.at(10, 10, 10)),
    }
    project = f.project(places["chaoyang"])
    matches = [
        f.approved_match(cases["c1"], project, f.at(10, 7, 10)),
        f.approved_match(cases["c2"], project, f.at(10, 15)),
        f.approved_match(cases["c2"], project, f.at(10, 20)),
        f.approved_match(cases["c3"], project, None, status="proposed"),
    ]
    referrals = [
        f.referral(
            cases["c1"], health, referred=f.at(10, 5), due=f.at(10, 6), answered=f.at(10, 5, 15)
        ),
        f.referral(
            cases["c3"], health, referred=f.at(10, 20), due=f.at(10, 21), answered=f.at(10, 23)
        ),
        f.referral(cases["c4"], education, referred=f.at(10, 30), due=f.at(10, 31)),
        f.referral(cases["c4"], education, referred=f.at(10, 31), due=f.at(11, 10)),
        f.referral(cases["c5"], health, referred=f.at(9, 29), due=f.at(9, 30)),
    ]
    flags = [
        f.duplicate_flag(cases["c2"], f.at(10, 9)),
        f.duplicate_flag(cases["c1"], f.at(10, 6), decision="duplicate"),
        f.duplicate_flag(cases["n1"], f.at(10, 11)),
    ]
    recusals = [
        f.recusal(worker, cases["c1"], f.at(10, 12)),
        f.recusal(worker, cases["c2"], f.at(11, 2)),
    ]
    complaints = [
        f.complaint(
            hongqi, places["chaoyang"], filed=f.at(10, 3), due=f.at(10, 24), concluded=f.at(10, 10)
        ),
        f.complaint(
            hongqi, places["chaoyang"], filed=f.at(10, 9), due=f.at(10, 30), escalated=f.at(10, 31)
        ),
        f.complaint(
            hongqi,
            places["chaoyang"],
            filed=f.at(9, 10),
            due=f.at(10, 1, 10),
            concluded=f.at(10, 3),
        ),
        f.complaint(nanling, places["nanguan"], filed=f.at(10, 5), due=f.at(10, 26)),
    ]
    needs = {
        "chaoyang": f.public_need(cases["c1"], places["chaoyang"]),
        "nanguan": f.public_need(cases["n1"], places["nanguan"]),
    }
    ledger = f.Ledger()
    chaoyang_need = ledger.account(f"need:{needs['chaoyang'].pk}")
    nanguan_need = ledger.account(f"need:{needs['nanguan'].pk}")
    general = ledger.account("general:medical", kind="general")
    ledger.donate(chaoyang_need, 100_000, f.at(9, 30))
    ledger.donate(chaoyang_need, 50_000, f.at(10, 10))
    ledger.refund(chaoyang_need, 10_000, f.at(10, 12))
    ledger.disburse(chaoyang_need, 80_000, f.at(10, 15))
    ledger.donate(chaoyang_need, 20_000, f.at(11, 3))
    ledger.donate(nanguan_need, 30_000, f.at(10, 11))
    ledger.donate(general, 5_000, f.at(10, 11))
    return {
        "cases": cases,
        "matches": matches,
        "referrals": referrals,
        "flags": flags,
        "recusals": recusals,
        "complaints": complaints,
        "ledger": ledger,
        "needs": needs,
        "worker": worker,
    }
