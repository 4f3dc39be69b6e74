"""Distances as the lists show them: rounded, never truncated, in the page's language."""

import pytest
from django.utils import translation

from directory.templatetags.directory_tags import distance


@pytest.mark.parametrize(
    ("metres", "french", "english"),
    [
        (None, "", ""),
        (0, "0 m", "0 m"),
        (344, "340 m", "340 m"),
        (850, "850 m", "850 m"),
        (994, "990 m", "990 m"),
        (999.6, "1,0 km", "1.0 km"),
        (4199.6, "4,2 km", "4.2 km"),
        (4149, "4,1 km", "4.1 km"),
        (9960, "10 km", "10 km"),
        (35400, "35 km", "35 km"),
        (35600, "36 km", "36 km"),
    ],
)
def test_distances_are_rounded_and_localised(metres, french, english):
    with translation.override("fr"):
        assert distance(metres) == french
    with translation.override("en"):
        assert distance(metres) == english
