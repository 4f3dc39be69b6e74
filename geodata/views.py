from django.db import connection
from django.http import JsonResponse


def home(request):
    raise NotImplementedError


def region_detail(request, slug):
    raise NotImplementedError


def department_detail(request, slug):
    raise NotImplementedError


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": connection.vendor})
    except Exception as exc:  # noqa: BLE001 — the health check must answer, whatever failed
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
