"""Issue 18 through publication: what the public sees of each identifier form."""

import pytest

from matching.publication import services
from tests.matching.deidentify.issue18_forms import FORMS, KEEP
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "names", "identifier", "published"),
    [form[1:] for form in FORMS],
    ids=[form[0] for form in FORMS],
)
def test_the_published_story_has_the_identifier_replaced(
    places, text, names, identifier, published
):
    case = pf.approved_case(places["hongqi"], description=text, names=names or ["赵桂芝"])
    need = services.public_need_derive(case=case)
    assert need.story == published
    assert identifier not in need.story


def test_ordinary_text_is_published_as_written(places):
    case = pf.approved_case(places["hongqi"], description="".join(KEEP))
    need = services.public_need_derive(case=case)
    assert need.story == "".join(KEEP)
