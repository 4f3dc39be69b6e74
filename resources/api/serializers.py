"""Published notices as JSON, with their citation and their links."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import absolute_url
from directory.api.serializers import OrganisationRefSerializer

from ..citation import citation_text
from ..models import Notice, NoticeAuthor


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeAuthor
        fields = ["kind", "name"]


class NoticeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    authors = AuthorSerializer(many=True, read_only=True)
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    competences = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    practice_sheets = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    holding_centre = OrganisationRefSerializer(read_only=True, allow_null=True)
    author_centre = OrganisationRefSerializer(read_only=True)
    citation = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "slug",
            "title",
            "url",
            "type",
            "authors",
            "year",
            "month",
            "day",
            "publisher",
            "place_published",
            "container_title",
            "pages",
            "abstract",
            "themes",
            "competences",
            "scope",
            "region",
            "language",
            "isbn",
            "issn",
            "doi",
            "document",
            "holding_centre",
            "lendable",
            "author_centre",
            "practice_sheets",
            "citation",
            "updated_at",
        ]

    def get_url(self, notice: Notice) -> str:
        return absolute_url(self, notice.get_absolute_url())

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document(self, notice: Notice) -> str | None:
        """The document online: its attached PDF (served by the site), else its link."""
        if notice.file:
            return absolute_url(self, notice.get_absolute_url() + "document.pdf")
        return notice.url or None

    def get_citation(self, notice: Notice) -> str:
        return citation_text(notice)
