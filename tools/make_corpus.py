#!/usr/bin/env python3
"""Writes examples/corpus/meetings.jsonl, MeetQL's bundled corpus.

Deterministic: the same script always writes the same bytes (`python3 tools/make_corpus.py`).

The actors below are real office holders (names, titles, organisations and terms of office are
public facts, approximated to the month); the meetings combine them plausibly over 2019-2025
(bilateral talks, visits, phone calls, videoconferences, multilateral formats). The meetings
are illustrative, not a record of events, and every summary and text is the project's own
wording. The one record taken from a report is the seed meeting of
shared/seed/report-2024-01-17-ashgabat.txt (id m-2024-01-17-ashgabat-unrcca).

Each line is one record of CONTRACT section 2 with every key present, in the contract's order,
so the file is exactly what `meetql export` writes for it.
"""
import json
import os
import random
import re
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "corpus", "meetings.jsonl")

MFA = "Ministry of Foreign Affairs of {}"

# role -> [(name, title, org, country, first month, last month)]
ROLES = {
    "FM:Turkmenistan": [
        ("Rashid Meredov", "Deputy Chairman of the Cabinet of Ministers and Minister of Foreign Affairs",
         MFA.format("Turkmenistan"), "Turkmenistan", "2019-01", "2025-12")],
    "DEP:Turkmenistan": [
        ("Myakhri Byashimova", "Deputy Minister of Foreign Affairs", MFA.format("Turkmenistan"),
         "Turkmenistan", "2019-01", "2025-12"),
        ("Vepa Hajiyev", "Deputy Minister of Foreign Affairs", MFA.format("Turkmenistan"),
         "Turkmenistan", "2019-01", "2025-12")],
    "FM:Kazakhstan": [
        ("Mukhtar Tileuberdi", "Minister of Foreign Affairs", MFA.format("Kazakhstan"), "Kazakhstan",
         "2019-05", "2023-03"),
        ("Murat Nurtleu", "Deputy Prime Minister and Minister of Foreign Affairs", MFA.format("Kazakhstan"),
         "Kazakhstan", "2023-04", "2024-08"),
        ("Yermek Kosherbayev", "Minister of Foreign Affairs", MFA.format("Kazakhstan"), "Kazakhstan",
         "2024-10", "2025-12")],
    "DEP:Kazakhstan": [
        ("Roman Vassilenko", "Deputy Minister of Foreign Affairs", MFA.format("Kazakhstan"), "Kazakhstan",
         "2019-01", "2025-12"),
        ("Akan Rakhmetullin", "Deputy Minister of Foreign Affairs", MFA.format("Kazakhstan"), "Kazakhstan",
         "2021-01", "2025-12")],
    "FM:Uzbekistan": [
        ("Abdulaziz Kamilov", "Minister of Foreign Affairs", MFA.format("Uzbekistan"), "Uzbekistan",
         "2019-01", "2022-06"),
        ("Vladimir Norov", "Acting Minister of Foreign Affairs", MFA.format("Uzbekistan"), "Uzbekistan",
         "2022-08", "2023-02"),
        ("Bakhtiyor Saidov", "Minister of Foreign Affairs", MFA.format("Uzbekistan"), "Uzbekistan",
         "2023-04", "2025-12")],
    "FM:Kyrgyzstan": [
        ("Chingiz Aidarbekov", "Minister of Foreign Affairs", MFA.format("Kyrgyzstan"), "Kyrgyzstan",
         "2019-01", "2020-09"),
        ("Ruslan Kazakbaev", "Minister of Foreign Affairs", MFA.format("Kyrgyzstan"), "Kyrgyzstan",
         "2020-11", "2022-10"),
        ("Jeenbek Kulubaev", "Minister of Foreign Affairs", MFA.format("Kyrgyzstan"), "Kyrgyzstan",
         "2022-12", "2025-12")],
    "FM:Tajikistan": [
        ("Sirojiddin Muhriddin", "Minister of Foreign Affairs", MFA.format("Tajikistan"), "Tajikistan",
         "2019-01", "2025-12")],
    "FM:China": [
        ("Wang Yi", "State Councilor and Minister of Foreign Affairs", MFA.format("China"), "China",
         "2019-01", "2022-12"),
        ("Qin Gang", "Minister of Foreign Affairs", MFA.format("China"), "China", "2023-01", "2023-06"),
        ("Wang Yi", "Minister of Foreign Affairs", MFA.format("China"), "China", "2023-08", "2025-12")],
    "FM:Russia": [
        ("Sergey Lavrov", "Minister of Foreign Affairs", MFA.format("Russia"), "Russia", "2019-01", "2025-12")],
    "DEP:Russia": [
        ("Andrey Rudenko", "Deputy Minister of Foreign Affairs", MFA.format("Russia"), "Russia",
         "2019-01", "2025-12"),
        ("Mikhail Galuzin", "Deputy Minister of Foreign Affairs", MFA.format("Russia"), "Russia",
         "2022-06", "2025-12")],
    "FM:Türkiye": [
        ("Mevlüt Çavuşoğlu", "Minister of Foreign Affairs", MFA.format("Türkiye"), "Türkiye",
         "2019-01", "2023-05"),
        ("Hakan Fidan", "Minister of Foreign Affairs", MFA.format("Türkiye"), "Türkiye", "2023-06", "2025-12")],
    "FM:Azerbaijan": [
        ("Elmar Mammadyarov", "Minister of Foreign Affairs", MFA.format("Azerbaijan"), "Azerbaijan",
         "2019-01", "2020-06"),
        ("Jeyhun Bayramov", "Minister of Foreign Affairs", MFA.format("Azerbaijan"), "Azerbaijan",
         "2020-08", "2025-12")],
    "FM:Iran": [
        ("Mohammad Javad Zarif", "Minister of Foreign Affairs", MFA.format("Iran"), "Iran", "2019-01", "2021-07"),
        ("Hossein Amir-Abdollahian", "Minister of Foreign Affairs", MFA.format("Iran"), "Iran",
         "2021-09", "2024-04"),
        ("Abbas Araghchi", "Minister of Foreign Affairs", MFA.format("Iran"), "Iran", "2024-09", "2025-12")],
    "FM:Afghanistan": [
        ("Mohammad Haneef Atmar", "Minister of Foreign Affairs", MFA.format("Afghanistan"), "Afghanistan",
         "2020-04", "2021-07"),
        ("Amir Khan Muttaqi", "Acting Minister of Foreign Affairs of the Taliban administration", None,
         "Afghanistan", "2021-10", "2025-12")],
    "FM:Japan": [
        ("Toshimitsu Motegi", "Minister for Foreign Affairs", "Ministry of Foreign Affairs of Japan", "Japan",
         "2019-10", "2021-10"),
        ("Yoshimasa Hayashi", "Minister for Foreign Affairs", "Ministry of Foreign Affairs of Japan", "Japan",
         "2021-11", "2023-08"),
        ("Yoko Kamikawa", "Minister for Foreign Affairs", "Ministry of Foreign Affairs of Japan", "Japan",
         "2023-10", "2024-09"),
        ("Takeshi Iwaya", "Minister for Foreign Affairs", "Ministry of Foreign Affairs of Japan", "Japan",
         "2024-10", "2025-09")],
    "FM:United States": [
        ("Mike Pompeo", "Secretary of State", "U.S. Department of State", "United States", "2019-01", "2020-12"),
        ("Antony Blinken", "Secretary of State", "U.S. Department of State", "United States", "2021-02", "2024-12"),
        ("Marco Rubio", "Secretary of State", "U.S. Department of State", "United States", "2025-02", "2025-12")],
    "SCA:United States": [
        ("Donald Lu", "Assistant Secretary of State for South and Central Asian Affairs",
         "U.S. Department of State", "United States", "2021-10", "2024-12")],
    "FM:Germany": [
        ("Heiko Maas", "Federal Minister for Foreign Affairs", "Federal Foreign Office", "Germany",
         "2019-01", "2021-11"),
        ("Annalena Baerbock", "Federal Minister for Foreign Affairs", "Federal Foreign Office", "Germany",
         "2022-01", "2025-04")],
    "HR:EU": [
        ("Josep Borrell", "High Representative of the EU for Foreign Affairs and Security Policy", "EU", None,
         "2019-12", "2024-11"),
        ("Kaja Kallas", "High Representative of the EU for Foreign Affairs and Security Policy", "EU", None,
         "2024-12", "2025-12")],
    "EUSR": [
        ("Peter Burian", "EU Special Representative for Central Asia", "EU", None, "2019-01", "2021-02"),
        ("Terhi Hakala", "EU Special Representative for Central Asia", "EU", None, "2021-04", "2024-08")],
    "SG:OSCE": [
        ("Thomas Greminger", "Secretary General of the OSCE", "OSCE", None, "2019-01", "2020-07"),
        ("Helga Maria Schmid", "Secretary General of the OSCE", "OSCE", None, "2020-12", "2024-09"),
        ("Feridun Sinirlioğlu", "Secretary General of the OSCE", "OSCE", None, "2024-12", "2025-12")],
    "SG:SCO": [
        ("Vladimir Norov", "Secretary-General of the SCO", "SCO", None, "2019-01", "2021-12"),
        ("Zhang Ming", "Secretary-General of the SCO", "SCO", None, "2022-01", "2024-12"),
        ("Nurlan Yermekbayev", "Secretary-General of the SCO", "SCO", None, "2025-01", "2025-12")],
    "SG:CIS": [
        ("Sergey Lebedev", "Chairman of the Executive Committee and Executive Secretary of the CIS", "CIS",
         None, "2019-01", "2025-12")],
    "SG:CICA": [
        ("Kairat Sarybay", "Executive Director of the CICA Secretariat", "CICA", None, "2020-10", "2022-09"),
        ("Kairat Sarybay", "Secretary General of CICA", "CICA", None, "2022-11", "2024-10")],
    "EEC:EAEU": [
        ("Mikhail Myasnikovich", "Chairman of the Board of the Eurasian Economic Commission", "EAEU", None,
         "2020-02", "2023-12"),
        ("Bakytzhan Sagintayev", "Chairman of the Board of the Eurasian Economic Commission", "EAEU", None,
         "2024-01", "2025-12")],
    "PRES:ADB": [
        ("Masatsugu Asakawa", "President of the Asian Development Bank", "ADB", None, "2020-01", "2025-01")],
    "WB:CentralAsia": [
        ("Tatiana Proskuryakova", "World Bank Regional Director for Central Asia", "World Bank", None,
         "2021-06", "2024-12")],
    "SG:UN": [
        ("António Guterres", "Secretary-General of the United Nations", "UN", None, "2019-01", "2025-12")],
    "USG:DPPA": [
        ("Rosemary DiCarlo", "Under-Secretary-General for Political and Peacebuilding Affairs", "UN", None,
         "2019-01", "2025-12")],
    "USG:UNOCT": [
        ("Vladimir Voronkov", "Under-Secretary-General and Head of the UN Office of Counter-Terrorism",
         "UN Office of Counter-Terrorism", None, "2019-01", "2025-12")],
    "UNRCCA": [
        ("Natalia Gherman", "Special Representative of the Secretary-General and Head of UNRCCA", "UNRCCA",
         None, "2019-01", "2023-06"),
        ("Kaha Imnadze", "Special Representative of the Secretary-General and Head of UNRCCA", "UNRCCA",
         None, "2023-11", "2025-10")],
}

CA = ["Turkmenistan", "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan"]

CAPITAL = {
    "Turkmenistan": "Ashgabat", "Kazakhstan": "Astana", "Uzbekistan": "Tashkent", "Kyrgyzstan": "Bishkek",
    "Tajikistan": "Dushanbe", "China": "Beijing", "Russia": "Moscow", "Türkiye": "Ankara",
    "Azerbaijan": "Baku", "Iran": "Tehran", "Afghanistan": "Kabul", "Japan": "Tokyo",
    "United States": "Washington", "Germany": "Berlin",
}
# Kazakhstan's capital was called Nur-Sultan from March 2019 to September 2022.
SECOND_CITY = {
    "Kazakhstan": "Almaty", "Uzbekistan": "Samarkand", "Turkmenistan": "Avaza", "Kyrgyzstan": "Cholpon-Ata",
    "Tajikistan": "Khujand", "China": "Xi'an", "Russia": "Sochi", "Türkiye": "Antalya", "Azerbaijan": "Baku",
    "Iran": "Tehran", "Japan": "Tokyo", "United States": "New York", "Germany": "Munich",
}
# Where an organisation's people receive visitors: (city, country).
SEAT = {
    "OSCE": ("Vienna", "Austria"), "SCO": ("Beijing", "China"), "CIS": ("Minsk", "Belarus"),
    "CICA": ("Astana", "Kazakhstan"), "EAEU": ("Moscow", "Russia"), "ADB": ("Manila", "Philippines"),
    "World Bank": ("Washington", "United States"), "UN": ("New York", "United States"),
    "UN Office of Counter-Terrorism": ("New York", "United States"), "EU": ("Brussels", "Belgium"),
    "UNRCCA": ("Ashgabat", "Turkmenistan"),
}
ORG_FULL = {
    "UNRCCA": ["UNRCCA", "UN Regional Centre for Preventive Diplomacy for Central Asia", "UN"],
    "UN Office of Counter-Terrorism": ["UN Office of Counter-Terrorism", "UN"],
    "OSCE": ["OSCE"], "SCO": ["SCO"], "CIS": ["CIS"], "CICA": ["CICA"], "EAEU": ["EAEU"], "ADB": ["ADB"],
    "World Bank": ["World Bank"], "UN": ["UN"], "EU": ["EU"],
}
PUBLISHERS = {
    "Turkmenistan": ["Trend", "Turkmenistan Today", "Trend", "Neutral Turkmenistan"],
    "Kazakhstan": ["Kazinform", "Kazinform", "The Astana Times"],
    "Uzbekistan": ["UzA", "UzA", "Daryo"],
    "Kyrgyzstan": ["AKIpress", "AKIpress", "Kabar"],
    "Tajikistan": ["Khovar", "Asia-Plus"],
    "China": ["Xinhua"], "Russia": ["TASS"], "Türkiye": ["Anadolu Agency", "Trend"],
    "Azerbaijan": ["Trend", "AZERTAC"], "Iran": ["IRNA", "Trend"], "Japan": ["Kyodo"],
}

TOPICS = {
    "ca": ["water resources", "border", "trade", "transport", "energy", "regional cooperation", "Afghanistan"],
    "China": ["trade", "Belt and Road", "transport", "investment", "energy", "security"],
    "Russia": ["trade", "security", "migration", "energy", "education", "regional cooperation"],
    "Türkiye": ["trade", "culture", "transport", "Organization of Turkic States", "investment"],
    "Azerbaijan": ["transport", "Middle Corridor", "energy", "trade", "Caspian Sea"],
    "Iran": ["trade", "transport", "Caspian Sea", "energy", "Afghanistan"],
    "Afghanistan": ["Afghanistan", "humanitarian aid", "energy", "transport", "security"],
    "Japan": ["investment", "education", "climate", "connectivity", "health"],
    "United States": ["security", "trade", "energy", "Afghanistan", "C5+1"],
    "Germany": ["energy", "climate", "education", "trade", "water resources"],
    "EU": ["connectivity", "climate", "trade", "rule of law", "border management", "Global Gateway"],
    "OSCE": ["security", "border management", "counter-terrorism", "environment", "human rights"],
    "SCO": ["security", "counter-terrorism", "trade", "regional cooperation"],
    "CIS": ["regional cooperation", "migration", "culture", "security"],
    "CICA": ["confidence-building measures", "security", "regional cooperation"],
    "EAEU": ["trade", "customs", "investment"],
    "ADB": ["investment", "energy", "climate", "transport"],
    "World Bank": ["investment", "water resources", "climate", "health", "education"],
    "UN": ["sustainable development", "climate", "Afghanistan", "neutrality", "water resources"],
    "UN Office of Counter-Terrorism": ["counter-terrorism", "security", "prevention of violent extremism"],
    "UNRCCA": ["preventive diplomacy", "security", "water resources", "Afghanistan", "counter-terrorism",
               "women's participation", "youth"],
}

MEETING_LINES = [
    "{a} and {b} held talks in {city} on {topics}.",
    "{b} was received by {a} in {city}; the two sides went over {topics}.",
    "In {city}, {a} met {b} to take stock of {topics}.",
    "{a} and {b} met in {city} and agreed to deepen cooperation on {topics}.",
    "Meeting in {city}, {a} and {b} compared notes on {topics}.",
]
NO_CITY_LINES = [
    "{a} and {b} met and reviewed {topics}.",
    "{a} received {b}; their conversation focused on {topics}.",
]
CALL_LINES = [
    "{a} and {b} spoke by phone about {topics}.",
    "In a telephone conversation, {a} and {b} touched on {topics}.",
]
VIDEO_LINES = [
    "{a} and {b} held a videoconference on {topics}.",
    "By video link, {a} and {b} discussed {topics}.",
]
MULTI_LINES = [
    "Foreign ministers met in the {fmt} format in {city} and adopted a joint statement on {topics}.",
    "The {fmt} ministerial meeting in {city} looked at {topics}.",
]
TEXT_FIRST = [
    "The parties noted steady progress on {t1} and listed next steps.",
    "Both sides described {t1} as a priority for the coming year.",
    "The talks opened with a review of {t1} and of agreements reached earlier.",
    "Particular attention went to {t1}.",
]
TEXT_SECOND = [
    "They also exchanged views on the situation in the region.",
    "They agreed to keep in close contact and to prepare further meetings.",
    "Cooperation within international organisations was also on the agenda.",
    "The sides looked at a calendar of upcoming contacts.",
]


def ym(s):
    y, m = s.split("-")
    return int(y) * 12 + int(m) - 1


def days_in(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 31 if m in (1, 3, 5, 7, 8, 10, 12) else 30


def holder(role, month):
    """The actor holding `role` in `month` (months since year 0), or None."""
    for a in ROLES[role]:
        if ym(a[4]) <= month <= ym(a[5]):
            return a
    return None


def person(a):
    return {"name": a[0], "title": a[1], "org": a[2], "country": a[3]}


def topic_phrase(ts):
    if len(ts) == 1:
        return ts[0]
    return ", ".join(ts[:-1]) + " and " + ts[-1]


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def capital(country, y):
    if country == "Kazakhstan" and (2019, 4) <= y < (2022, 10):
        return "Nur-Sultan"
    return CAPITAL.get(country)


class Corpus:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.records = []
        self.ids = set()

    def pick_date(self, roles, lo="2019-01", hi="2025-10"):
        r = self.rnd
        for _ in range(200):
            month = r.randint(ym(lo), ym(hi))
            actors = [holder(role, month) for role in roles]
            if all(actors):
                return month, actors
        return None, None

    def date_text(self, month, precision=None):
        r = self.rnd
        y, m = divmod(month, 12)
        m += 1
        p = precision or r.random()
        if isinstance(p, str):
            return p
        if p < 0.04:
            return f"{y:04d}"
        if p < 0.10:
            return f"{y:04d}-{m:02d}"
        return f"{y:04d}-{m:02d}-{r.randint(1, days_in(y, m)):02d}"

    def add(self, rec, tag):
        base = f"m-{rec['date']}-{slug(rec['city'] or rec['kind'])}-{slug(tag)}"
        rid, n = base, 2
        while rid in self.ids:
            rid, n = f"{base}-{n}", n + 1
        self.ids.add(rid)
        if rec["source"]["doc"] is None:
            rec["source"]["doc"] = f"reports/{rid[2:]}.txt"
        ordered = {"id": rid}
        ordered.update(rec)
        self.records.append(ordered)

    def text(self, topics):
        r = self.rnd
        if r.random() >= 0.3:
            return None
        first = r.choice(TEXT_FIRST).format(t1=topics[0])
        if r.random() < 0.6:
            return first + " " + r.choice(TEXT_SECOND)
        return first

    def record(self, date, kind, city, country, parts, orgs, countries, topics, publisher, summary):
        return {
            "date": date, "kind": kind, "city": city, "country": country,
            "participants": [person(a) for a in parts],
            "orgs": orgs, "countries": countries, "topics": topics,
            "source": {"publisher": publisher, "doc": None, "url": None},
            "summary": summary, "text": self.text(topics),
        }

    def pair(self, role_a, role_b, topic_key, lo="2019-01", hi="2025-10", video_years=(2020, 2021)):
        """A meeting, call or videoconference between the holders of two roles."""
        r = self.rnd
        month, (a, b) = self.pick_date([role_a, role_b], lo, hi)
        if month is None:
            return
        y = month // 12
        ca_country = a[3]
        other_org = b[2] if b[3] is None else None
        x = r.random()
        video_share = 0.35 if y in video_years else 0.02
        kind = "video" if x < video_share else ("call" if x < video_share + 0.13 else "meeting")
        date = self.date_text(month)
        if kind != "meeting":
            city = country = None
        else:
            month_num = month % 12 + 1
            if month_num == 9 and r.random() < 0.3:
                city, country = "New York", "United States"  # on the sidelines of the General Assembly
            elif other_org and r.random() < 0.25 and other_org in SEAT:
                city, country = SEAT[other_org]
            else:
                host = ca_country if (other_org or r.random() < 0.55) else b[3]
                country = host
                city = capital(host, (y, month_num)) if r.random() < 0.8 else SECOND_CITY.get(host)
                if r.random() < 0.06:
                    city = None
        orgs = list(ORG_FULL.get(other_org, [])) if other_org else []
        countries = []
        for c in [country, a[3], b[3]]:
            if c and c not in countries:
                countries.append(c)
        pool = TOPICS[topic_key]
        topics = r.sample(pool, r.randint(1, min(3, len(pool))))
        pub_key = country if country in PUBLISHERS and r.random() < 0.6 else ca_country
        if b[3] in PUBLISHERS and b[3] not in CA and r.random() < 0.3:
            pub_key = b[3]  # the partner's news agency reported it
        publisher = r.choice(PUBLISHERS.get(pub_key, PUBLISHERS[ca_country]))
        lines = {"call": CALL_LINES, "video": VIDEO_LINES}.get(kind, MEETING_LINES if city else NO_CITY_LINES)
        summary = r.choice(lines).format(a=a[0], b=b[0], city=city, topics=topic_phrase(topics))
        rec = self.record(date, kind, city, country, [a, b], orgs, countries, topics, publisher, summary)
        self.add(rec, b[0].split()[-1] if not other_org else other_org)

    def multilateral(self, fmt, partner_role, month_text, city, country, topic_key, orgs=(), kind="meeting"):
        r = self.rnd
        month = ym(month_text[:7])
        parts = [holder("FM:" + c, month) for c in CA]
        parts = [p for p in parts if p]
        if partner_role:
            partner = holder(partner_role, month)
            parts = [partner] + parts
        pool = TOPICS[topic_key]
        topics = r.sample(pool, 3)
        countries = list(dict.fromkeys(x for x in [country] + [p[3] for p in parts] if x))
        publisher = r.choice(PUBLISHERS.get(country, ["Trend", "Kazinform", "AKIpress"]))
        if kind == "video":
            summary = f"Foreign ministers of the {fmt} format met by videoconference to discuss {topic_phrase(topics)}."
        else:
            summary = r.choice(MULTI_LINES).format(fmt=fmt, city=city, topics=topic_phrase(topics))
        rec = self.record(month_text, kind, city, country, parts, list(orgs), countries, topics,
                          publisher, summary)
        self.add(rec, fmt)


def seed_record():
    return {
        "id": "m-2024-01-17-ashgabat-unrcca",
        "date": "2024-01-17", "kind": "meeting", "city": "Ashgabat", "country": "Turkmenistan",
        "participants": [
            {"name": "Myakhri Byashimova", "title": "Deputy Minister of Foreign Affairs",
             "org": "Ministry of Foreign Affairs of Turkmenistan", "country": "Turkmenistan"},
            {"name": "Kaha Imnadze",
             "title": "Special Representative of the Secretary-General and Head of UNRCCA",
             "org": "UNRCCA", "country": None}],
        "orgs": ["UNRCCA", "UN Regional Centre for Preventive Diplomacy for Central Asia", "UN"],
        "countries": ["Turkmenistan"],
        "topics": ["preventive diplomacy", "security", "education", "counter-terrorism"],
        "source": {"publisher": "Trend", "doc": "report-2024-01-17-ashgabat.txt", "url": None},
        "summary": "Turkmenistan's deputy foreign minister welcomed the new head of UNRCCA in Ashgabat "
                   "and proposed joint work on security, education and counter-terrorism.",
        "text": None,
    }


def build(seed=20240117):
    c = Corpus(seed)
    c.ids.add("m-2024-01-17-ashgabat-unrcca")
    fms = ["FM:" + x for x in CA]
    # Central Asian foreign ministers among themselves.
    for i, a in enumerate(fms):
        for b in fms[i + 1:]:
            for _ in range(5):
                c.pair(a, b, "ca")
    # Neighbours and partners.
    partners = [("FM:China", "China", 4), ("FM:Russia", "Russia", 4), ("FM:Türkiye", "Türkiye", 3),
                ("FM:Azerbaijan", "Azerbaijan", 2), ("FM:Iran", "Iran", 2), ("FM:Japan", "Japan", 2),
                ("FM:United States", "United States", 2), ("FM:Germany", "Germany", 2), ("HR:EU", "EU", 2),
                ("EUSR", "EU", 2), ("SG:OSCE", "OSCE", 2), ("SG:SCO", "SCO", 2), ("SG:CIS", "CIS", 1),
                ("PRES:ADB", "ADB", 1), ("WB:CentralAsia", "World Bank", 1), ("SG:UN", "UN", 1),
                ("USG:UNOCT", "UN Office of Counter-Terrorism", 1)]
    for role, key, n in partners:
        for fm in fms:
            for _ in range(n):
                c.pair(fm, role, key)
    for fm in ["FM:Turkmenistan", "FM:Uzbekistan", "FM:Tajikistan", "FM:Kazakhstan"]:
        for _ in range(2):
            c.pair(fm, "FM:Afghanistan", "Afghanistan")
    for _ in range(3):
        c.pair("FM:Kazakhstan", "SG:CICA", "CICA")
    for fm in ["FM:Kyrgyzstan", "FM:Uzbekistan", "FM:Tajikistan"]:
        c.pair(fm, "SG:CICA", "CICA")
    for fm in ["FM:Kazakhstan", "FM:Kyrgyzstan"]:
        for _ in range(2):
            c.pair(fm, "EEC:EAEU", "EAEU")
    for fm in ["FM:Kazakhstan", "FM:Uzbekistan", "FM:Kyrgyzstan"]:
        c.pair(fm, "USG:DPPA", "UN")
    # Deputy ministers.
    for role, key, n in [("EUSR", "EU", 3), ("SG:OSCE", "OSCE", 2), ("DEP:Russia", "Russia", 3),
                         ("SCA:United States", "United States", 2), ("WB:CentralAsia", "World Bank", 2),
                         ("USG:UNOCT", "UN Office of Counter-Terrorism", 1)]:
        for dep in ["DEP:Turkmenistan", "DEP:Kazakhstan"]:
            for _ in range(n):
                c.pair(dep, role, key)
    # UNRCCA: Natalia Gherman until mid-2023, Kaha Imnadze from November 2023.
    unrcca_partners = ["FM:Turkmenistan", "DEP:Turkmenistan", "FM:Kazakhstan", "DEP:Kazakhstan",
                       "FM:Uzbekistan", "FM:Kyrgyzstan", "FM:Tajikistan"]
    for p in unrcca_partners:
        for _ in range(2):
            c.pair(p, "UNRCCA", "UNRCCA", lo="2019-01", hi="2023-06")
    for p in unrcca_partners:
        for _ in range(2):
            c.pair(p, "UNRCCA", "UNRCCA", lo="2023-12", hi="2025-10")
    # Multilateral formats (dates and places approximated).
    c.multilateral("C5+1", "FM:United States", "2020-02-03", "Tashkent", "Uzbekistan", "United States")
    c.multilateral("C5+1", "FM:United States", "2023-02-28", "Astana", "Kazakhstan", "United States")
    c.multilateral("C5+1", "FM:United States", "2023-09", "New York", "United States", "United States")
    c.multilateral("Central Asia plus Japan", "FM:Japan", "2020-08-11", None, None, "Japan", kind="video")
    c.multilateral("Central Asia plus Japan", "FM:Japan", "2022-12-24", "Tokyo", "Japan", "Japan")
    c.multilateral("China–Central Asia", "FM:China", "2022-06-08", "Nur-Sultan", "Kazakhstan", "China")
    c.multilateral("China–Central Asia", "FM:China", "2023-04-27", "Xi'an", "China", "China")
    c.multilateral("China–Central Asia", "FM:China", "2025-04-26", "Almaty", "Kazakhstan", "China")
    c.multilateral("EU–Central Asia", "HR:EU", "2021-11-22", "Dushanbe", "Tajikistan", "EU", ["EU"])
    c.multilateral("EU–Central Asia", "HR:EU", "2022-10-17", "Luxembourg", "Luxembourg", "EU", ["EU"])
    c.multilateral("EU–Central Asia", "HR:EU", "2024-03-18", "Brussels", "Belgium", "EU", ["EU"])
    c.multilateral("Russia–Central Asia", "FM:Russia", "2021-10", "Moscow", "Russia", "Russia")
    c.multilateral("Central Asian foreign ministers", None, "2024-08-08", "Astana", "Kazakhstan", "ca")

    records = c.records + [seed_record()]
    records.sort(key=lambda r: (r["date"], r["id"]))
    return records


def main():
    records = build()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    unrcca = sum(1 for r in records if "UNRCCA" in r["orgs"])
    print(f"wrote {len(records)} records ({unrcca} with UNRCCA) to {os.path.relpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
