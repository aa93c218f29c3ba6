"""/api/downloads/: the latest daily downloads of the whole directory (website.downloads),
each with its address, size, records, SHA-256 and the time it was built."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.api.renderers import FastJSONRenderer
from website.downloads.manifest import latest_files


class DownloadSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The file's name, as it is downloaded.")
    url = serializers.URLField(help_text="The file's address: always the latest build's.")
    list = serializers.CharField(
        help_text="The list it holds whole (`organizations`, ...), or `popolo`: everything."
    )
    format = serializers.ChoiceField(
        choices=["csv", "jsonl", "json"],
        help_text="CSV as `export.csv` writes it, JSON Lines as `export.jsonl`, or Popolo JSON; "
        "gzip-compressed.",
    )
    size = serializers.IntegerField(help_text="Bytes, compressed.")
    records = serializers.IntegerField(help_text="Records it holds (Popolo: items of every kind).")
    sha256 = serializers.CharField(help_text="SHA-256 of the compressed file, in hexadecimal.")
    built = serializers.DateTimeField(help_text="When the file was built.")


class DownloadsView(APIView):
    """The whole directory as daily files, so that no one needs to crawl the API: every list
    that has an export as CSV and JSON Lines, and everything as Popolo JSON. Empty until
    the first build."""

    permission_classes = [AllowAny]
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    @extend_schema(operation_id="downloads_list", responses=DownloadSerializer(many=True))
    def get(self, request):
        files = [
            {**entry, "url": request.build_absolute_uri(reverse("download", args=[entry["name"]]))}
            for entry in latest_files()
        ]
        return Response(DownloadSerializer(files, many=True).data)
