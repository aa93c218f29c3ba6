"""A country suggested from an organization's names, for an editor to accept or leave.

Imports such as the UN Committee on NGOs' lists give names and no country, yet many names
say where the organization is: "Nigerian Women's Association", "Association du Cameroun",
"Beijing Youth Federation", "中国青年志愿者协会". A suggestion is never set by itself: the
admin's review list (directory.admin_countries) shows it with the word that triggered it,
and an editor accepts it or not.

The rules (docs/data.md has the figures):

- A place is a country's English name (django_countries' names, without their brackets),
  another common name (Britain, Burma, USA ...), a demonym (Nigerian, Pakistani ...), a
  French or Spanish form frequent in the data (du Cameroun, Burkinabè, de México,
  colombiana ...), a Chinese city or province (Beijing, Shanghai, Yunnan ...), or a Chinese
  place name in a Chinese name (中国, 北京, 香港 ...). English and Latin forms are matched as
  whole words, in any case and with or without accents, the longest first ("Papua New
  Guinea" is not "Guinea", "South Sudan" not "Sudan").
- Some words are not places though they contain one, and suggest nothing: "Latin
  American", "North American", "African American", "American Indian", "Indian Ocean",
  "New Jersey", "North Korea(n)" (the organizations so named work on it from elsewhere), a
  bare "Congo" or "Congolese" (two countries). "International", "Africa", "Asia" and other
  regions name no country.
- Hong Kong (HK), Macao (MO) and Taiwan (TW) have their own codes; named with China ("Hong
  Kong, China", "中国香港") they are that place, not CN.
- Names that name one country, however often, suggest it. Names that name two or more
  suggest the one in the leading position, if only one is there: the first words of a name
  (after "The", "La", "Le", "El" ...) or the words right after its first "of", "du", "de"
  ("Association of Nigerian Women in Ghana" suggests NG). Otherwise there is no suggestion.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django_countries import countries

# Names that django_countries does not give, or gives otherwise.
OTHER_NAMES = {
    "AE": ["UAE", "Emirates"],
    "BO": ["Bolivia"],
    "BS": ["Bahamas"],
    "CD": [
        "DRC",
        "RDC",
        "DR Congo",
        "RD Congo",
        "Democratic Republic of Congo",
        "République démocratique du Congo",
        "République démocratique Congo",
    ],
    "CG": ["Republic of the Congo", "Republic of Congo", "Congo Brazzaville"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d Ivoire"],
    "CN": [
        "People's Republic of China",
        "PRC",
        "Beijing",
        "Peking",
        "Shanghai",
        "Guangzhou",
        "Shenzhen",
        "Tianjin",
        "Chongqing",
        "Wuhan",
        "Chengdu",
        "Nanjing",
        "Hangzhou",
        "Kunming",
        "Yunnan",
        "Sichuan",
        "Guangdong",
        "Zhejiang",
        "Jiangsu",
        "Fujian",
        "Guangxi",
        "Guizhou",
        "Hunan",
        "Hubei",
        "Henan",
        "Shandong",
        "Shaanxi",
        "Shanxi",
        "Gansu",
        "Qinghai",
        "Hainan",
        "Hebei",
    ],
    "CV": ["Cape Verde"],
    "CZ": ["Czech Republic", "Czechia"],
    "GB": ["UK", "U K", "Britain", "Great Britain", "England", "Scotland", "Wales"],
    "HK": ["Hong Kong", "Hongkong"],
    "IR": ["Iran"],
    "KP": ["Democratic People's Republic of Korea", "DPRK"],
    "KR": ["Korea", "Republic of Korea", "South Korea"],
    "LA": ["Laos", "Lao"],
    "MD": ["Moldova"],
    "MK": ["Macedonia", "North Macedonia"],
    "MM": ["Burma", "Myanmar"],
    "MO": ["Macao", "Macau"],
    "NL": ["Holland"],
    "PS": ["Palestine", "State of Palestine"],
    "RU": ["Russia", "Russian Federation"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "SZ": ["Swaziland", "Eswatini"],
    "TL": ["East Timor", "Timor Leste"],
    "TR": ["Turkey", "Türkiye"],
    "TW": ["Taiwan", "Taipei", "Chinese Taipei"],
    "TZ": ["Tanzania", "United Republic of Tanzania"],
    "US": [
        "USA",
        "U S A",
        "U S",
        "United States",
        "United States of America",
        "Chinese American",
    ],
    "VA": ["Holy See", "Vatican"],
    "VE": ["Venezuela"],
    "VN": ["Vietnam", "Viet Nam"],
}

DEMONYMS = {
    "AF": ["Afghan"],
    "AL": ["Albanian"],
    "AM": ["Armenian"],
    "AR": ["Argentine", "Argentinian", "Argentina"],
    "AT": ["Austrian"],
    "AU": ["Australian"],
    "AZ": ["Azerbaijani"],
    "BD": ["Bangladeshi"],
    "BE": ["Belgian", "Belgique"],
    "BF": ["Burkinabe", "Burkinabè", "Burkina"],
    "BI": ["Burundian", "Burundais", "Burundaise"],
    "BJ": ["Beninese", "Béninois", "Béninoise", "Bénin"],
    "BO": ["Bolivian", "Boliviana"],
    "BR": ["Brazilian", "Brasil", "Brasileira", "Brasileiro"],
    "BW": ["Motswana", "Batswana"],
    "BY": ["Belarusian"],
    "CA": ["Canadian", "Canadienne"],
    "CF": ["Centrafrique", "Centrafricaine", "Centrafricain"],
    "CH": ["Swiss", "Suisse", "Schweiz"],
    "CL": ["Chilean", "Chilena"],
    "CM": ["Cameroonian", "Cameroun", "Camerounais", "Camerounaise"],
    "CN": ["Chinese"],
    "CO": ["Colombian", "Colombiana"],
    "CU": ["Cuban", "Cubana"],
    "CY": ["Cypriot"],
    "CZ": ["Czech"],
    "DE": ["German", "Deutsche", "Deutscher", "Deutschland"],
    "DK": ["Danish"],
    "DZ": ["Algerian", "Algérie", "Algérienne"],
    "EC": ["Ecuadorian", "Ecuatoriana"],
    "EG": ["Egyptian"],
    "ER": ["Eritrean"],
    "ES": ["Spanish", "España", "Española"],
    "ET": ["Ethiopian"],
    "FI": ["Finnish"],
    "FR": ["French", "Française"],
    "GA": ["Gabonese", "Gabonaise"],
    "GB": ["British", "Scottish", "Welsh"],
    "GE": ["Georgian"],
    "GH": ["Ghanaian"],
    "GM": ["Gambian"],
    "GN": ["Guinean", "Guinée", "Guinéenne"],
    "GR": ["Greek"],
    "GT": ["Guatemalan", "Guatemalteca"],
    "HK": ["Hongkonger"],
    "HN": ["Honduran", "Hondureña"],
    "HT": ["Haitian", "Haïti", "Haïtienne"],
    "HU": ["Hungarian"],
    "ID": ["Indonesian"],
    "IE": ["Irish"],
    "IL": ["Israeli"],
    "IN": ["Indian", "Bharat", "Bharatiya"],
    "IQ": ["Iraqi"],
    "IR": ["Iranian"],
    "IS": ["Icelandic"],
    "IT": ["Italian", "Italiana", "Italia"],
    "JM": ["Jamaican"],
    "JO": ["Jordanian"],
    "JP": ["Japanese"],
    "KE": ["Kenyan"],
    "KG": ["Kyrgyz"],
    "KH": ["Cambodian"],
    "KR": ["Korean"],
    "KW": ["Kuwaiti"],
    "KZ": ["Kazakh", "Kazakhstani"],
    "LB": ["Lebanese", "Liban", "Libanaise"],
    "LK": ["Sri Lankan"],
    "LR": ["Liberian"],
    "LY": ["Libyan"],
    "MA": ["Moroccan", "Maroc", "Marocaine"],
    "MG": ["Malagasy", "Malgache"],
    "ML": ["Malian", "Malienne"],
    "MN": ["Mongolian"],
    "MR": ["Mauritanian", "Mauritanie", "Mauritanienne"],
    "MW": ["Malawian"],
    "MX": ["Mexican", "México", "Mexicana", "Mexicano"],
    "MY": ["Malaysian"],
    "MZ": ["Mozambican", "Moçambique"],
    "NA": ["Namibian"],
    "NE": ["Nigérien", "Nigérienne"],
    "NG": ["Nigerian", "Niger Delta"],
    "NI": ["Nicaraguan", "Nicaragüense"],
    "NL": ["Dutch", "Nederland"],
    "NO": ["Norwegian"],
    "NP": ["Nepali", "Nepalese"],
    "NZ": ["New Zealander"],
    "OM": ["Omani"],
    "PA": ["Panamanian", "Panameña"],
    "PE": ["Peruvian", "Perú", "Peruana"],
    "PH": ["Filipino", "Filipina", "Philippine", "Pilipinas"],
    "PK": ["Pakistani"],
    "PL": ["Polish", "Polska"],
    "PS": ["Palestinian"],
    "PT": ["Portuguese"],
    "PY": ["Paraguayan", "Paraguaya"],
    "QA": ["Qatari"],
    "RO": ["Romanian"],
    "RS": ["Serbian"],
    "RU": ["Russian"],
    "RW": ["Rwandan", "Rwandais", "Rwandaise"],
    "SA": ["Saudi"],
    "SD": ["Sudanese"],
    "SE": ["Swedish"],
    "SL": ["Sierra Leonean"],
    "SN": ["Senegalese", "Sénégal", "Sénégalaise"],
    "SO": ["Somali"],
    "SS": ["South Sudanese"],
    "SV": ["Salvadoran", "Salvadoreña"],
    "SY": ["Syrian"],
    "TD": ["Chadian", "Tchad", "Tchadienne"],
    "TG": ["Togolese", "Togolaise"],
    "TH": ["Thai"],
    "TJ": ["Tajik"],
    "TN": ["Tunisian", "Tunisie", "Tunisienne"],
    "TR": ["Turkish"],
    "TW": ["Taiwanese"],
    "TZ": ["Tanzanian"],
    "UA": ["Ukrainian"],
    "UG": ["Ugandan"],
    "US": ["American"],
    "UY": ["Uruguayan", "Uruguaya"],
    "UZ": ["Uzbek"],
    "VE": ["Venezuelan", "Venezolana"],
    "VN": ["Vietnamese"],
    "YE": ["Yemeni"],
    "ZA": ["South African"],
    "ZM": ["Zambian"],
    "ZW": ["Zimbabwean"],
}

# Words that contain a place and name none (or two): they match, longest first, and
# suggest nothing.
NOT_A_COUNTRY = [
    "Latin America",
    "Latin American",
    "Latinoamericana",
    "Latinoamericano",
    "Inter American",
    "Interamericana",
    "Pan American",
    "North America",
    "North American",
    "South America",
    "South American",
    "Central America",
    "Central American",
    "African American",
    "Native American",
    "American Indian",
    "American Indians",
    "Indian Tribes",
    "Indian Nations",
    "Indian Ocean",
    "New Jersey",
    "New Mexico",
    "New South Wales",
    "New Guinea",
    "Nieuw Guinea",
    "North Korea",
    "North Korean",
    "Congo",
    "Congolese",
    "Congolaise",
    "Dominican",
    "Virgin Islands",
]

CHINESE_PLACES = {
    "CN": ["中国", "中华", "北京", "上海", "天津", "重庆", "广州", "深圳", "云南", "四川"],
    "HK": ["香港"],
    "MO": ["澳门", "澳門"],
    "TW": ["台湾", "臺灣", "台灣"],
    "US": ["美国"],
    "GB": ["英国"],
    "JP": ["日本"],
    "KR": ["韩国"],
    "DE": ["德国"],
    "FR": ["法国"],
    "CA": ["加拿大"],
    "AU": ["澳大利亚"],
}

# Places within China with codes of their own: named with China, they are that place.
CHINA = "CN"
WITHIN_CHINA = {"HK", "MO", "TW"}
# Words before a name's leading place: "The Nigerian ...", "La Fondation ..." is not one.
ARTICLES = {"the", "la", "le", "l", "el", "les", "los", "las"}
# The leading place may also follow a name's first "of": "Association of Nigerian Women".
OF = {"of", "du", "de", "del", "des", "d"}
WORD = re.compile(r"[^\W_]+")
ACCENTS = re.compile("[\u0300-\u036f]")
CHINESE_WORD = re.compile(
    "|".join(
        sorted((word for words in CHINESE_PLACES.values() for word in words), key=len, reverse=True)
    )
)


@dataclass(frozen=True)
class Suggestion:
    country: str  # its code
    matched: str  # the words of the name that suggest it, as written there

    @property
    def country_name(self) -> str:
        return countries.name(self.country)


@dataclass(frozen=True)
class Place:
    country: str | None
    matched: str
    leading: bool


def fold(word: str) -> str:
    """A word in lower case without accents: "Bénin" and "BENIN" are "benin"."""
    if word.isascii():
        return word.lower()
    return ACCENTS.sub("", unicodedata.normalize("NFKD", word.casefold()))


def key(phrase: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in WORD.findall(phrase))


@cache
def places() -> dict[tuple[str, ...], str | None]:
    """Each place's folded words, and its country's code (None: a place that is none)."""
    table: dict[tuple[str, ...], str | None] = {}
    seen: dict[tuple[str, ...], set[str]] = {}
    with translation.override("en"):
        for country in countries:
            name = re.sub(r"\s*\(.*?\)", "", str(country.name)).split(",")[0]
            seen.setdefault(key(name), set()).add(country.code)
    # A name two countries share without their brackets ("Virgin Islands") is neither.
    table.update({words: next(iter(codes)) for words, codes in seen.items() if len(codes) == 1})
    for source in (OTHER_NAMES, DEMONYMS):
        for code, phrases in source.items():
            table.update({key(phrase): code for phrase in phrases})
    table.update({key(phrase): None for phrase in NOT_A_COUNTRY})
    return table


@cache
def lengths_by_first_word() -> dict[str, list[int]]:
    """For each first word of a place, the lengths in words of the places it starts,
    longest first: the other words of a name are passed over at once."""
    lengths: dict[str, set[int]] = {}
    for words in places():
        lengths.setdefault(words[0], set()).add(len(words))
    return {word: sorted(found, reverse=True) for word, found in lengths.items()}


def places_in(name: str) -> list[Place]:
    """The places a name names, in order, each matched by its longest form."""
    table, starts, found = places(), lengths_by_first_word(), []
    words = list(WORD.finditer(name))
    folded = WORD.findall(fold(name))
    if len(folded) != len(words):
        folded = [fold(word.group()) for word in words]
    first_of = next((i for i, word in enumerate(folded) if word in OF), None)
    lead = 1 if folded and folded[0] in ARTICLES else 0
    start = 0
    while start < len(words):
        for length in starts.get(folded[start], ()):
            phrase = tuple(folded[start : start + length])
            if len(phrase) == length and phrase in table:
                leading = start == lead or (first_of is not None and start == first_of + 1)
                matched = name[words[start].start() : words[start + length - 1].end()]
                found.append(Place(table[phrase], matched, leading))
                start += length
                break
        else:
            start += 1
    if not name.isascii():
        for match in CHINESE_WORD.finditer(name):
            found.append(Place(chinese_place(match.group()), match.group(), match.start() == 0))
    return found


@cache
def chinese_place(word: str) -> str:
    return next(code for code, words in CHINESE_PLACES.items() if word in words)


def suggest_country(names) -> Suggestion | None:
    """The country an organization's names say it is in, or None (see the module's rules)."""
    found = [place for name in names if name for place in places_in(name)]
    found = [place for place in found if place.country is not None]
    codes = {place.country for place in found}
    if codes & WITHIN_CHINA:
        codes.discard(CHINA)
    if len(codes) > 1:
        codes = {place.country for place in found if place.leading} & codes
    if len(codes) != 1:
        return None
    [code] = codes
    return Suggestion(code, next(place.matched for place in found if place.country == code))
