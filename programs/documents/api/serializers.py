from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from partners.selectors import organisation_list
from programs.documents.models import DocumentKind, Visibility
from programs.selectors import programme_list


def _download_url(version_id) -> str | None:
    return reverse("documents:download", args=[version_id]) if version_id else None


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text=_("Bytes."))
    uploaded_at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, version) -> str | None:
        return _download_url(version.pk)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    dated = serializers.DateField(read_only=True)
    visibility = serializers.CharField(read_only=True)
    programme = serializers.IntegerField(source="programme_id", read_only=True, allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True, allow_null=True)
    withdrawn = serializers.BooleanField(source="is_withdrawn", read_only=True)
    version_count = serializers.IntegerField(read_only=True)
    latest_version = serializers.IntegerField(source="latest_number", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text=_("The latest version's file."))

    def get_download_url(self, document) -> str | None:
        return _download_url(getattr(document, "latest_id", None))


class DocumentDetailSerializer(DocumentSerializer):
    versions = VersionSerializer(source="version_rows", many=True, read_only=True)


class _Metadata(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    dated = serializers.DateField()
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.STAFF)


class VersionCreateSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DocumentCreateSerializer(_Metadata, VersionCreateSerializer):
    programme = serializers.IntegerField(required=False, allow_null=True, default=None)
    organisation = serializers.IntegerField(required=False, allow_null=True, default=None)

    def _visible(self, records, pk, message):
        if pk is None:
            return None
        record = records.filter(pk=pk).first()
        if record is None:
            raise serializers.ValidationError(message)
        return record

    def validate_programme(self, value):
        user = self.context["request"].user
        return self._visible(programme_list(user=user), value, _("There is no such programme."))

    def validate_organisation(self, value):
        user = self.context["request"].user
        return self._visible(organisation_list(user=user), value, _("There is no such partner."))


class DocumentChangeSerializer(_Metadata):
    pass


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
