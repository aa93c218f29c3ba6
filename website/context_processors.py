from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from directory.citations import Notes


def site(request):
    """The language switcher (this same page in each language) and the canonical address."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": name,
            "current": code == current,
            "url": translate_url(path, code),
            "absolute_url": request.build_absolute_uri(translate_url(request.path, code)),
            "hreflang": "zh-Hans" if code == "zh-hans" else code,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "language_links": languages,
        "canonical_url": request.build_absolute_uri(request.path),
        # Filled by {% cite %} as the page is drawn, listed by {% citation_notes %}.
        "citation_notes": Notes(),
    }
