from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946's media type; `Accept: application/json` still gets the same body."""

    media_type = "application/geo+json"
    format = "geojson"
