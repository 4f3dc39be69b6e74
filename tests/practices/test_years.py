"""One pair of year bounds for practice sheets: the model, the page's filters and the API."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from practices.api.params import SheetQuerySerializer
from practices.forms import SheetFilterForm
from practices.models import MAX_YEAR, MIN_YEAR

from .factories import make_sheet

pytestmark = pytest.mark.django_db


def test_a_sheet_dated_outside_the_bounds_is_refused_on_that_date():
    with pytest.raises(ValidationError) as refused:
        make_sheet("Trop ancienne", start_date=date(MIN_YEAR - 1, 12, 31))
    assert set(refused.value.message_dict) == {"start_date"}

    sheet = make_sheet(
        "Aux bornes", start_date=date(MIN_YEAR, 1, 1), end_date=date(MAX_YEAR, 12, 31)
    )
    sheet.end_date = date(MAX_YEAR + 1, 1, 1)
    with pytest.raises(ValidationError) as refused:
        sheet.full_clean()
    assert set(refused.value.message_dict) == {"end_date"}


@pytest.mark.parametrize(
    "year, valid",
    [(MIN_YEAR - 1, False), (MIN_YEAR, True), (MAX_YEAR, True), (MAX_YEAR + 1, False)],
)
def test_the_page_and_the_api_take_the_same_years(year, valid):
    form = SheetFilterForm({"year_from": str(year)})
    api = SheetQuerySerializer(data={"year_from": str(year)})

    assert form.is_valid() is valid
    assert api.is_valid() is valid
