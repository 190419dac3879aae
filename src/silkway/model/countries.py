"""ISO 3166-1 alpha-2 country codes, and a checker that suggests the code meant.

The codes are written out here as data (the 249 officially assigned codes of
ISO 3166-1, with English short names), so checking a code needs no dependency and no
network access. User-assigned codes such as ``XK`` or ``XX`` are not included.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

from .._errors import QueryError

COUNTRY_NAMES: Mapping[str, str] = {
    "AD": "Andorra",
    "AE": "United Arab Emirates",
    "AF": "Afghanistan",
    "AG": "Antigua and Barbuda",
    "AI": "Anguilla",
    "AL": "Albania",
    "AM": "Armenia",
    "AO": "Angola",
    "AQ": "Antarctica",
    "AR": "Argentina",
    "AS": "American Samoa",
    "AT": "Austria",
    "AU": "Australia",
    "AW": "Aruba",
    "AX": "Åland Islands",
    "AZ": "Azerbaijan",
    "BA": "Bosnia and Herzegovina",
    "BB": "Barbados",
    "BD": "Bangladesh",
    "BE": "Belgium",
    "BF": "Burkina Faso",
    "BG": "Bulgaria",
    "BH": "Bahrain",
    "BI": "Burundi",
    "BJ": "Benin",
    "BL": "Saint Barthélemy",
    "BM": "Bermuda",
    "BN": "Brunei",
    "BO": "Bolivia",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "BR": "Brazil",
    "BS": "Bahamas",
    "BT": "Bhutan",
    "BV": "Bouvet Island",
    "BW": "Botswana",
    "BY": "Belarus",
    "BZ": "Belize",
    "CA": "Canada",
    "CC": "Cocos (Keeling) Islands",
    "CD": "Congo, Democratic Republic of the",
    "CF": "Central African Republic",
    "CG": "Congo",
    "CH": "Switzerland",
    "CI": "Côte d'Ivoire",
    "CK": "Cook Islands",
    "CL": "Chile",
    "CM": "Cameroon",
    "CN": "China",
    "CO": "Colombia",
    "CR": "Costa Rica",
    "CU": "Cuba",
    "CV": "Cabo Verde",
    "CW": "Curaçao",
    "CX": "Christmas Island",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DJ": "Djibouti",
    "DK": "Denmark",
    "DM": "Dominica",
    "DO": "Dominican Republic",
    "DZ": "Algeria",
    "EC": "Ecuador",
    "EE": "Estonia",
    "EG": "Egypt",
    "EH": "Western Sahara",
    "ER": "Eritrea",
    "ES": "Spain",
    "ET": "Ethiopia",
    "FI": "Finland",
    "FJ": "Fiji",
    "FK": "Falkland Islands (Malvinas)",
    "FM": "Micronesia",
    "FO": "Faroe Islands",
    "FR": "France",
    "GA": "Gabon",
    "GB": "United Kingdom",
    "GD": "Grenada",
    "GE": "Georgia",
    "GF": "French Guiana",
    "GG": "Guernsey",
    "GH": "Ghana",
    "GI": "Gibraltar",
    "GL": "Greenland",
    "GM": "Gambia",
    "GN": "Guinea",
    "GP": "Guadeloupe",
    "GQ": "Equatorial Guinea",
    "GR": "Greece",
    "GS": "South Georgia and the South Sandwich Islands",
    "GT": "Guatemala",
    "GU": "Guam",
    "GW": "Guinea-Bissau",
    "GY": "Guyana",
    "HK": "Hong Kong",
    "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras",
    "HR": "Croatia",
    "HT": "Haiti",
    "HU": "Hungary",
    "ID": "Indonesia",
    "IE": "Ireland",
    "IL": "Israel",
    "IM": "Isle of Man",
    "IN": "India",
    "IO": "British Indian Ocean Territory",
    "IQ": "Iraq",
    "IR": "Iran",
    "IS": "Iceland",
    "IT": "Italy",
    "JE": "Jersey",
    "JM": "Jamaica",
    "JO": "Jordan",
    "JP": "Japan",
    "KE": "Kenya",
    "KG": "Kyrgyzstan",
    "KH": "Cambodia",
    "KI": "Kiribati",
    "KM": "Comoros",
    "KN": "Saint Kitts and Nevis",
    "KP": "North Korea",
    "KR": "South Korea",
    "KW": "Kuwait",
    "KY": "Cayman Islands",
    "KZ": "Kazakhstan",
    "LA": "Laos",
    "LB": "Lebanon",
    "LC": "Saint Lucia",
    "LI": "Liechtenstein",
    "LK": "Sri Lanka",
    "LR": "Liberia",
    "LS": "Lesotho",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "LY": "Libya",
    "MA": "Morocco",
    "MC": "Monaco",
    "MD": "Moldova",
    "ME": "Montenegro",
    "MF": "Saint Martin (French part)",
    "MG": "Madagascar",
    "MH": "Marshall Islands",
    "MK": "North Macedonia",
    "ML": "Mali",
    "MM": "Myanmar",
    "MN": "Mongolia",
    "MO": "Macao",
    "MP": "Northern Mariana Islands",
    "MQ": "Martinique",
    "MR": "Mauritania",
    "MS": "Montserrat",
    "MT": "Malta",
    "MU": "Mauritius",
    "MV": "Maldives",
    "MW": "Malawi",
    "MX": "Mexico",
    "MY": "Malaysia",
    "MZ": "Mozambique",
    "NA": "Namibia",
    "NC": "New Caledonia",
    "NE": "Niger",
    "NF": "Norfolk Island",
    "NG": "Nigeria",
    "NI": "Nicaragua",
    "NL": "Netherlands",
    "NO": "Norway",
    "NP": "Nepal",
    "NR": "Nauru",
    "NU": "Niue",
    "NZ": "New Zealand",
    "OM": "Oman",
    "PA": "Panama",
    "PE": "Peru",
    "PF": "French Polynesia",
    "PG": "Papua New Guinea",
    "PH": "Philippines",
    "PK": "Pakistan",
    "PL": "Poland",
    "PM": "Saint Pierre and Miquelon",
    "PN": "Pitcairn",
    "PR": "Puerto Rico",
    "PS": "Palestine",
    "PT": "Portugal",
    "PW": "Palau",
    "PY": "Paraguay",
    "QA": "Qatar",
    "RE": "Réunion",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russia",
    "RW": "Rwanda",
    "SA": "Saudi Arabia",
    "SB": "Solomon Islands",
    "SC": "Seychelles",
    "SD": "Sudan",
    "SE": "Sweden",
    "SG": "Singapore",
    "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "SI": "Slovenia",
    "SJ": "Svalbard and Jan Mayen",
    "SK": "Slovakia",
    "SL": "Sierra Leone",
    "SM": "San Marino",
    "SN": "Senegal",
    "SO": "Somalia",
    "SR": "Suriname",
    "SS": "South Sudan",
    "ST": "Sao Tome and Principe",
    "SV": "El Salvador",
    "SX": "Sint Maarten (Dutch part)",
    "SY": "Syria",
    "SZ": "Eswatini",
    "TC": "Turks and Caicos Islands",
    "TD": "Chad",
    "TF": "French Southern Territories",
    "TG": "Togo",
    "TH": "Thailand",
    "TJ": "Tajikistan",
    "TK": "Tokelau",
    "TL": "Timor-Leste",
    "TM": "Turkmenistan",
    "TN": "Tunisia",
    "TO": "Tonga",
    "TR": "Türkiye",
    "TT": "Trinidad and Tobago",
    "TV": "Tuvalu",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "UA": "Ukraine",
    "UG": "Uganda",
    "UM": "United States Minor Outlying Islands",
    "US": "United States",
    "UY": "Uruguay",
    "UZ": "Uzbekistan",
    "VA": "Holy See (Vatican City)",
    "VC": "Saint Vincent and the Grenadines",
    "VE": "Venezuela",
    "VG": "Virgin Islands, British",
    "VI": "Virgin Islands, U.S.",
    "VN": "Vietnam",
    "VU": "Vanuatu",
    "WF": "Wallis and Futuna",
    "WS": "Samoa",
    "YE": "Yemen",
    "YT": "Mayotte",
    "ZA": "South Africa",
    "ZM": "Zambia",
    "ZW": "Zimbabwe",
}
"""Every officially assigned ISO 3166-1 alpha-2 code -> English short name."""

ISO_ALPHA2: frozenset[str] = frozenset(COUNTRY_NAMES)
"""The officially assigned ISO 3166-1 alpha-2 codes."""

_OTHER_NAMES: Mapping[str, str] = {
    "Brunei Darussalam": "BN",
    "Bolivia, Plurinational State of": "BO",
    "Congo, The Democratic Republic of the": "CD",
    "Micronesia, Federated States of": "FM",
    "Iran, Islamic Republic of": "IR",
    "Korea, Democratic People's Republic of": "KP",
    "Korea, Republic of": "KR",
    "Lao People's Democratic Republic": "LA",
    "Moldova, Republic of": "MD",
    "Palestine, State of": "PS",
    "Russian Federation": "RU",
    "Syrian Arab Republic": "SY",
    "Taiwan, Province of China": "TW",
    "Tanzania, United Republic of": "TZ",
    "Holy See (Vatican City State)": "VA",
    "Venezuela, Bolivarian Republic of": "VE",
    "Viet Nam": "VN",
    "Turkey": "TR",
    "Great Britain": "GB",
    "UK": "GB",
    "USA": "US",
    "Czech Republic": "CZ",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "Holland": "NL",
    "Persia": "IR",
    "Kirghizia": "KG",
    "Byelorussia": "BY",
}
"""Official long names and common former or informal names -> code."""


def _fold(text: str) -> str:
    """Lower case, accents and punctuation dropped: ``Türkiye`` -> ``turkiye``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(kept).split())


_BY_NAME: Mapping[str, str] = {
    **{_fold(name): code for code, name in COUNTRY_NAMES.items()},
    **{_fold(name): code for name, code in _OTHER_NAMES.items()},
}


def is_country(code: str) -> bool:
    """Whether ``code`` is an officially assigned ISO 3166-1 alpha-2 code (upper case)."""
    return code in ISO_ALPHA2


def country_name(code: str) -> str:
    """English short name of an assigned code (``KZ`` -> ``Kazakhstan``), else ``""``."""
    return COUNTRY_NAMES.get(code.strip().upper(), "")


def suggest_countries(text: str, limit: int = 5) -> tuple[str, ...]:
    """Assigned codes that ``text`` (a mistyped code or a country name) may have meant.

    Parameters
    ----------
    text
        What the user wrote: a code such as ``UR`` or a name such as ``Kazakstan``.
    limit
        At most this many codes are returned.

    Returns
    -------
    tuple of str
        Codes, best first: a code or name that matches outright; the two letters
        swapped (``UR`` -> ``RU``); countries whose name starts with the text
        (``UR`` -> ``UY`` Uruguay); codes one letter away; names that are spelled alike.
        Empty if nothing is close.
    """
    raw = text.strip()
    upper = raw.upper()
    folded = _fold(raw)
    out: list[str] = []

    def add(code: str) -> None:
        if code in ISO_ALPHA2 and code not in out:
            out.append(code)

    if upper in ISO_ALPHA2:
        add(upper)
    if folded in _BY_NAME:
        add(_BY_NAME[folded])
    if len(upper) == 2 and upper.isalpha():
        add(upper[::-1])
        for name, code in sorted(_BY_NAME.items()):
            if name.startswith(folded):
                add(code)
        same_first = [c for c in sorted(ISO_ALPHA2) if c[0] == upper[0] and c[1] != upper[1]]
        same_second = [c for c in sorted(ISO_ALPHA2) if c[1] == upper[1] and c[0] != upper[0]]
        for code in same_first + same_second:
            add(code)
    elif folded:
        for name in difflib.get_close_matches(folded, list(_BY_NAME), n=limit, cutoff=0.75):
            add(_BY_NAME[name])
        for name, code in sorted(_BY_NAME.items()):
            if len(folded) >= 3 and name.startswith(folded):
                add(code)
    return tuple(out[:limit])


def unknown_country_message(text: str) -> str:
    """A one-line reason why ``text`` is not a country code, with suggestions."""
    message = f"unknown country {text!r}: not an assigned ISO 3166-1 alpha-2 code"
    suggestions = [s for s in suggest_countries(text) if s != text]
    if suggestions:
        named = ", ".join(f"{code} ({COUNTRY_NAMES[code]})" for code in suggestions)
        message += f"; did you mean {named}?"
    else:
        message += " (two letters, e.g. KZ for Kazakhstan)"
    return message


def check_country(code: str) -> str:
    """Check a country given by a user and return its ISO 3166-1 alpha-2 code.

    Use this wherever a user names a country (``--avoid-country``, a network's
    ``country`` cell): a typing slip such as ``UR`` is caught instead of silently
    matching nothing.

    Parameters
    ----------
    code
        An ISO 3166-1 alpha-2 code in any case (``ru``, ``RU``), or a country's English
        name (``Russia``, ``Türkiye``, ``Turkey``; case and accents are ignored).
        Surrounding blanks are ignored.

    Returns
    -------
    str
        The upper-case alpha-2 code, e.g. ``RU``.

    Raises
    ------
    QueryError
        If ``code`` is neither an officially assigned code nor a known country name
        (``UR``, ``XX``, ``XK``, ``UK``). The message lists the closest codes with
        their names: ``UR`` suggests ``RU (Russia)`` first.

    Examples
    --------
    >>> check_country("kz")
    'KZ'
    >>> check_country("Türkiye")
    'TR'
    >>> check_country("UR")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    silkway._errors.QueryError: unknown country 'UR': ...; did you mean RU (Russia), ...
    """
    text = code.strip()
    upper = text.upper()
    if upper in ISO_ALPHA2:
        return upper
    folded = _fold(text)
    if len(text) > 2 and folded in _BY_NAME:
        return _BY_NAME[folded]
    raise QueryError(unknown_country_message(text))
