"""factory_boy factories shared by the test suite (deterministic: no random geometry)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from directory.models import Organisation, Place, Status, Suggestion, SuggestionKind
from directory.services import locate_place


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("motdepasse-test")
    is_staff = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    legal_kind = "association"


class PlaceFactory(factory.django.DjangoModelFactory):
    """A published place; pass `lon`/`lat` to set the point. The commune follows from it."""

    class Meta:
        model = Place
        exclude = ("lon", "lat")

    lon = 4.8799
    lat = 45.7667
    name = factory.Sequence(lambda n: f"Lieu {n}")
    slug = factory.Sequence(lambda n: f"lieu-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    location = factory.LazyAttribute(lambda o: Point(o.lon, o.lat, srid=4326))
    status = Status.PUBLISHED
    opening_hours = "Mo-Fr 09:00-12:00,14:00-17:00"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        competences = kwargs.pop("competences", [])
        kinds = kwargs.pop("kinds", [])
        place = model_class(*args, **kwargs)
        locate_place(place)
        place.save()
        if competences:
            place.competences.set(competences)
        if kinds:
            place.kinds.set(kinds)
        return place


class SuggestionFactory(factory.django.DjangoModelFactory):
    """An open « Signaler une erreur » report on a published place."""

    class Meta:
        model = Suggestion

    place = factory.SubFactory(PlaceFactory)
    kind = SuggestionKind.HOURS
    message = "Fermé le vendredi après-midi depuis septembre."
    email = ""
    language = "fr"
