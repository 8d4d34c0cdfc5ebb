"""Keys that rotate: personal_data_rotate re-encrypts every personal-data value
under the newest key, in batches, resumably; the old key can then be dropped."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db.models import F, TextField
from django.db.models.functions import Cast

from matching.cases.models import Household, Member
from matching.core import crypto
from matching.core.rotation import encrypted_fields, personal_data_report
from tests.matching.cases import case_factories as f

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
ADDRESSES = [f"长春市朝阳区红旗街道工农大路 {n} 号" for n in (11, 12, 13)]


@pytest.fixture
def households(settings):
    settings.PERSONAL_DATA_KEYS = [KEY_A]
    # The blind index has its own key (docs/operations.md): dropping a data key leaves it be.
    settings.PERSONAL_DATA_INDEX_KEY = "rotation-test-index-key"
    city = f.city_tree()
    made = [f.household(city["chaoyang"], address=address) for address in ADDRESSES]
    settings.PERSONAL_DATA_KEYS = [KEY_B, KEY_A]
    return made


def _older():
    return sum(state.older for state in personal_data_report())


def _stored_tokens():
    for model, field in encrypted_fields():
        raw = Cast(F(field.attname), output_field=TextField())
        for stored in model._base_manager.annotate(s=raw).values_list("s", flat=True):
            if stored:
                yield stored.removeprefix("fernet:")


def test_rotation_leaves_nothing_under_the_old_key_and_everything_readable(households, settings):
    numbers = {m.pk: m.id_number for m in Member.objects.all()}
    report = StringIO()
    call_command("personal_data_rotate", "--report", stdout=report)
    assert "cases.Household.address：共 3，最新密钥 0，旧密钥 3，无法解密 0" in report.getvalue()

    out = StringIO()
    call_command("personal_data_rotate", "--batch-size", "2", stdout=out)
    assert "cases.Household.address：重新加密 3，已是最新 0" in out.getvalue()

    report = StringIO()
    call_command("personal_data_rotate", "--report", stdout=report)
    assert "仍在旧密钥下的值：0" in report.getvalue()
    tokens = list(_stored_tokens())
    assert len(tokens) >= 9  # three addresses, ID numbers and phones at least
    for token in tokens:
        with pytest.raises(InvalidToken):
            Fernet(KEY_A).decrypt(token.encode())

    settings.PERSONAL_DATA_KEYS = [KEY_B]  # the old key is gone
    assert sorted(h.address for h in Household.objects.all()) == ADDRESSES
    for member in Member.objects.all():
        assert member.id_number == numbers[member.pk]
        # Looking a person up by ID number still finds them.
        found = Member.objects.get(id_index=crypto.blind_index(member.id_number))
        assert found.pk == member.pk


def test_an_interrupted_run_resumes_where_it_stopped(households, monkeypatch):
    before = _older()
    assert before >= 9
    rotate = crypto.rotate
    calls = []

    def failing_on_the_third(token):
        calls.append(token)
        if len(calls) == 3:
            raise RuntimeError("the machine went down")
        return rotate(token)

    monkeypatch.setattr(crypto, "rotate", failing_on_the_third)
    with pytest.raises(RuntimeError):
        call_command("personal_data_rotate", "--batch-size", "2", stdout=StringIO())
    # The first batch (two values) was committed; the broken one rolled back.
    assert _older() == before - 2

    monkeypatch.setattr(crypto, "rotate", rotate)
    out = StringIO()
    call_command("personal_data_rotate", "--batch-size", "2", stdout=out)
    assert "重新加密 1，已是最新 2" in out.getvalue()
    assert _older() == 0


def test_a_value_no_key_decrypts_stops_the_run_and_is_counted(households, settings):
    settings.PERSONAL_DATA_KEYS = [KEY_B]  # the old key dropped too early
    report = StringIO()
    call_command("personal_data_rotate", "--report", stdout=report)
    assert "cases.Household.address：共 3，最新密钥 0，旧密钥 0，无法解密 3" in report.getvalue()
    with pytest.raises(CommandError, match="PERSONAL_DATA_KEYS"):
        call_command("personal_data_rotate", stdout=StringIO())
