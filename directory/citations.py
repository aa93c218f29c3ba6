"""The numbered notes of a page: each fact a record cites (directory.models.base.Citations)
gets a note number beside it, and the page ends with the notes, each naming its source and
quoting its passage, the way Wikipedia's readers expect.

One `Notes` per rendered page (website.context_processors puts it in the context), filled by
`{% cite %}` as the page is drawn and read by `{% citation_notes %}` at its end."""

from directory.models import Source


class Notes:
    def __init__(self):
        self.numbers: dict[tuple, int] = {}
        self.citations: list[dict] = []

    def number(self, citation: dict) -> int:
        """The note of this citation: the same source, place and passage is one note."""
        key = (citation["source"], citation.get("location", ""), citation.get("passage", ""))
        if key not in self.numbers:
            self.citations.append(citation)
            self.numbers[key] = len(self.citations)
        return self.numbers[key]

    def entries(self) -> list[dict]:
        """Each note with its source record, in number order: one query for all of them."""
        if not self.citations:
            return []
        sources = Source.objects.select_related("publisher").in_bulk(
            {citation["source"] for citation in self.citations}, field_name="slug"
        )
        return [
            {
                **citation,
                "number": number,
                "slug": citation["source"],
                "source": sources.get(citation["source"]),
            }
            for number, citation in enumerate(self.citations, start=1)
        ]
