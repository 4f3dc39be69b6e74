"""What every /api/v1/ endpoint shares: base viewsets, pagination, throttles, renderers,
conditional GET, query-parameter fields and the point/URL fields of the serializers.

Reads are public on purpose (`AllowAny` on the public viewsets; the project default
stays `IsAdminUser`), and every viewset is read-only. Query parameters go through a
serializer before any of them is used, so a bad value is a 400 that names the
parameter, in French, never a 500.
"""
