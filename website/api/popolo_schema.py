"""What the OpenAPI schema says /api/popolo.json holds: the document's five lists and the
fields this export writes in their items (website.api.popolo), as the Popolo standard names
them (https://www.popoloproject.com). Only the schema reads these serializers; the export
writes its items itself. tests/website/test_api_formats.py validates a whole export against
this declaration."""

from rest_framework import serializers


def optional_text(**kwargs):
    return serializers.CharField(allow_null=True, **kwargs)


class PopoloLink(serializers.Serializer):
    url = serializers.URLField()
    note = serializers.CharField()


class PopoloOtherName(serializers.Serializer):
    name = serializers.CharField()
    note = serializers.CharField()
    end_date = optional_text(required=False, help_text="The year, month or day (2010, 2010-07).")


class PopoloIdentifier(serializers.Serializer):
    scheme = serializers.CharField()
    identifier = serializers.CharField()


class PopoloItem(serializers.Serializer):
    id = serializers.CharField(help_text="The record's kind and key: person/qian-xiaofeng.")
    sources = PopoloLink(
        many=True,
        help_text="The record's sources, then a link for each citation: the fact it cites "
        "and the passage, in the note.",
    )


class PopoloPerson(PopoloItem):
    name = serializers.CharField()
    other_names = PopoloOtherName(many=True)
    summary = optional_text()


class PopoloOrganization(PopoloItem):
    """An organization, a network (classification "network: ...") or a program
    ("program: ...")."""

    name = serializers.CharField()
    other_names = PopoloOtherName(many=True)
    identifiers = PopoloIdentifier(many=True, required=False)
    classification = serializers.CharField()
    parent_id = optional_text(required=False)
    founding_date = optional_text()
    dissolution_date = optional_text(required=False)
    description = optional_text()
    links = PopoloLink(many=True, required=False)


class PopoloMember(serializers.Serializer):
    type = serializers.CharField(help_text='"Organization"')
    id = serializers.CharField()

    def get_fields(self):
        # The key is "@type", which no Python name can be.
        fields = super().get_fields()
        fields["@type"] = fields.pop("type")
        return fields


class PopoloMembership(PopoloItem):
    """A person's position in an organization (person_id), or an organization's membership
    of a network or role in a program (member)."""

    person_id = serializers.CharField(required=False)
    member = PopoloMember(required=False)
    organization_id = serializers.CharField()
    role = optional_text()
    start_date = optional_text(required=False)
    end_date = optional_text(required=False)


class PopoloEvent(PopoloItem):
    """An event, or a session of one (parent_id: its event)."""

    name = serializers.CharField()
    description = optional_text(required=False)
    start_date = optional_text()
    end_date = optional_text(required=False)
    location = optional_text(required=False)
    classification = serializers.CharField()
    organization_id = optional_text(required=False)
    parent_id = serializers.CharField(required=False)


class PopoloSpeech(PopoloItem):
    """A talk: who spoke (creator_id), in which session (event_id), in what place."""

    creator_id = serializers.CharField()
    role = serializers.CharField()
    attribution_text = optional_text()
    title = optional_text()
    type = serializers.CharField(help_text='"in person" or "remote"')
    position = serializers.IntegerField()
    event_id = serializers.CharField()


class PopoloDocument(serializers.Serializer):
    persons = PopoloPerson(many=True)
    organizations = PopoloOrganization(many=True)
    memberships = PopoloMembership(many=True)
    events = PopoloEvent(many=True)
    speeches = PopoloSpeech(many=True)
