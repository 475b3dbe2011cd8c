#!/usr/bin/env python3
"""Writes examples/reports/*.txt and examples/reports.gold.jsonl: the project's own evaluation set for the report
extractor. Every sentence here was written for MeetQL; the facts follow public diplomatic news.
The gold facts are written by hand beside each report (never produced by the extractor).

Conventions of the gold: a title is the report's wording minus a country or organisation in front
("Kazakh Foreign Minister" -> "Foreign Minister") and minus "of COUNTRY"; "Full Name (ACR)" in a
title is written ACR. orgs are the organisations the participants act for and those named in the
meeting sentence, with "UN" for UN bodies. Calls and videoconferences have no city or country."""
import json, os

R = []

def rep(name, text, meetings, note=None):
    R.append((name, text, meetings, note))

def m(date, city, country, people, orgs, topics, kind="meeting"):
    return {"date": date, "city": city, "country": country, "kind": kind,
            "participants": [{"name": n, "title": t} for n, t in people], "orgs": orgs, "topics": topics}

rep("01-trend-ashgabat-osce.txt", """ date 2024-02-06
ASHGABAT, Turkmenistan, February 6. Turkmenistan and the OSCE reviewed their joint projects for the current year, Trend reports.

The review took place at a meeting between Minister of Foreign Affairs of Turkmenistan Rashid Meredov and OSCE Secretary General Helga Maria Schmid.

The sides talked about border security, the fight against drug trafficking and training programmes for young diplomats.

Meredov thanked the organisation for its long-standing support.
""", [m("2024-02-06", "Ashgabat", "Turkmenistan", [("Rashid Meredov", "Minister of Foreign Affairs"), ("Helga Maria Schmid", "Secretary General")], ["OSCE"], ["security", "drugs"])])

rep("02-kazinform-astana-eu.txt", """ date 2024-03-12
ASTANA. KAZINFORM – Kazakh Foreign Minister Murat Nurtleu held talks with EU Special Representative for Central Asia Terhi Hakala in Astana on Tuesday.

According to the ministry's press service, the diplomats went over the agenda of the upcoming EU-Central Asia summit and ways to deepen cooperation in transport and critical raw materials.

Hakala praised Astana's role in regional connectivity along the Middle Corridor.
""", [m("2024-03-12", "Astana", "Kazakhstan", [("Murat Nurtleu", "Foreign Minister"), ("Terhi Hakala", "Special Representative for Central Asia")], ["EU"], ["transport"])])

rep("03-akipress-bishkek-unrcca.txt", """ date 2024-04-03
BISHKEK (AKIpress) - Foreign Minister of Kyrgyzstan Jeenbek Kulubaev received Kaha Imnadze, the Special Representative of the UN Secretary-General and Head of the United Nations Regional Centre for Preventive Diplomacy for Central Asia (UNRCCA), on April 2.

The two discussed water and energy cooperation among the Central Asian states and the situation in Afghanistan.

Kulubaev said Kyrgyzstan valued the Centre's work on preventive diplomacy.
""", [m("2024-04-02", "Bishkek", "Kyrgyzstan", [("Jeenbek Kulubaev", "Foreign Minister"), ("Kaha Imnadze", "Special Representative of the UN Secretary-General and Head of UNRCCA")], ["UNRCCA", "UN"], ["water", "energy", "Afghanistan", "preventive diplomacy"])])

rep("04-xinhua-dushanbe-china.txt", """DUSHANBE, May 15, 2024 (Xinhua) -- Tajik President Emomali Rahmon met with visiting Chinese Foreign Minister Wang Yi here on Wednesday, pledging to expand trade and investment ties.

Rahmon said Tajikistan welcomes Chinese investors in hydropower and mining, while Wang said Beijing is ready to step up security cooperation with Dushanbe.
""", [m("2024-05-15", "Dushanbe", "Tajikistan", [("Emomali Rahmon", "President"), ("Wang Yi", "Foreign Minister")], [], ["trade", "investment", "energy", "security"])])

rep("05-uza-tashkent-adb.txt", """Tashkent, 20 March 2024 — The President of Uzbekistan Shavkat Mirziyoyev received a delegation of the Asian Development Bank (ADB) led by its President Masatsugu Asakawa.

Issues of financing projects in energy, water supply and education were on the table. The bank's portfolio in Uzbekistan is one of its largest in the region.
""", [m("2024-03-20", "Tashkent", "Uzbekistan", [("Shavkat Mirziyoyev", "President"), ("Masatsugu Asakawa", "President")], ["ADB"], ["energy", "water", "education"])])

rep("06-no-year-skip.txt", """TASHKENT, June 3. Uzbek Foreign Minister Bakhtiyor Saidov met with the Ambassador of Japan to Uzbekistan Takashi Ito.

They talked about trade and the training of Uzbek specialists in Japan.
""", [], note="no header date and no year in the dateline: skipped")

rep("07-no-meeting-grain.txt", """ date 2024-01-25
ASTANA, Kazakhstan, January 25. Kazakhstan shipped more than eleven million tonnes of grain abroad last season, the Ministry of Agriculture said on Thursday, Trend reports.

Most of the grain went to Central Asian neighbours, Afghanistan and China. Officials expect the railway route through Turkmenistan to carry a larger share next year.
""", [], note="economic news, no meeting")

rep("08-future-visit.txt", """ date 2024-06-10
BAKU, Azerbaijan, June 10. Azerbaijani Foreign Minister Jeyhun Bayramov will meet his Kazakh counterpart Murat Nurtleu in Astana next week, the ministry said, Trend reports.

The agenda is expected to include the Trans-Caspian route and energy exports.
""", [], note="a planned meeting only")

rep("09-phone-call-turkiye.txt", """ date 2024-07-08
ASTANA, Kazakhstan, July 8. Kazakh Foreign Minister Murat Nurtleu had a phone call with Turkish Foreign Minister Hakan Fidan, Trend reports.

The ministers went over preparations for the summit of the Organization of Turkic States (OTS) and discussed trade and transport links across the Caspian Sea.
""", [m("2024-07-08", None, None, [("Murat Nurtleu", "Foreign Minister"), ("Hakan Fidan", "Foreign Minister")], [], ["trade", "transport"], kind="call")])

rep("10-video-unodc.txt", """ date 2024-09-18
DUSHANBE, Tajikistan, September 18. Foreign Minister of Tajikistan Sirojiddin Muhriddin and UNODC Executive Director Ghada Waly held a videoconference on Wednesday.

They reviewed joint work against drug trafficking along the Tajik-Afghan border and programmes on border security.
""", [m("2024-09-18", None, None, [("Sirojiddin Muhriddin", "Foreign Minister"), ("Ghada Waly", "Executive Director")], ["UNODC", "UN"], ["drugs", "security", "Afghanistan"], kind="video")])

rep("11-two-meetings-tashkent.txt", """ date 2024-10-02
TASHKENT, Uzbekistan, October 2. Uzbek Foreign Minister Bakhtiyor Saidov held talks with Hungarian Minister of Foreign Affairs and Trade Péter Szijjártó in Tashkent on Wednesday.

The ministers focused on trade, energy and the opening of a direct flight between the two capitals.

Later the same day, Saidov received Roza Otunbayeva, Special Representative of the Secretary-General for Afghanistan and Head of the UN Assistance Mission in Afghanistan (UNAMA).

Saidov and Otunbayeva discussed humanitarian aid to Afghanistan and the Termez logistics hub.
""", [m("2024-10-02", "Tashkent", "Uzbekistan", [("Bakhtiyor Saidov", "Foreign Minister"), ("Péter Szijjártó", "Minister of Foreign Affairs and Trade")], [], ["trade", "energy"]),
     m("2024-10-02", "Tashkent", "Uzbekistan", [("Bakhtiyor Saidov", "Foreign Minister"), ("Roza Otunbayeva", "Special Representative of the Secretary-General for Afghanistan and Head of UNAMA")], ["UNAMA", "UN"], ["Afghanistan", "transport"])])

rep("12-title-after-name.txt", """ date 2024-11-14
ASHGABAT, Turkmenistan, November 14. Rashid Meredov, Turkmenistan's Minister of Foreign Affairs, met with Eduards Stiprais, the EU Special Representative for Central Asia, Trend reports.

The meeting covered the Trans-Caspian transport corridor, energy and climate change in the region.

Stiprais briefed Meredov on the EU's Global Gateway investments in Central Asia.
""", [m("2024-11-14", "Ashgabat", "Turkmenistan", [("Rashid Meredov", "Minister of Foreign Affairs"), ("Eduards Stiprais", "Special Representative for Central Asia")], ["EU"], ["transport", "energy", "climate", "investment"])])

rep("13-particles-von-der-leyen.txt", """ date 2024-05-29
Kazakhstan and the EU discuss raw materials

BRUSSELS, Belgium, May 29. President of Kazakhstan Kassym-Jomart Tokayev met with President of the European Commission Ursula von der Leyen on the sidelines of a forum in Brussels.

The two leaders discussed critical raw materials, green hydrogen and the decarbonisation of Kazakhstan's economy.
""", [m("2024-05-29", "Brussels", "Belgium", [("Kassym-Jomart Tokayev", "President"), ("Ursula von der Leyen", "President of the European Commission")], [], ["climate"])])

rep("14-mr-dutch-ambassador.txt", """ date 2024-02-20
ASTANA, Kazakhstan, February 20. Deputy Foreign Minister of Kazakhstan Roman Vassilenko received Mr. Jan van der Meulen, the newly appointed Ambassador of the Netherlands to Kazakhstan, who presented copies of his credentials.

Mr. Vassilenko and Mr. van der Meulen talked about Dutch investment in agriculture and water management.
""", [m("2024-02-20", "Astana", "Kazakhstan", [("Roman Vassilenko", "Deputy Foreign Minister"), ("Jan van der Meulen", "Newly appointed Ambassador to Kazakhstan")], [], ["investment", "agriculture", "water"])])

rep("15-kabar-bishkek-sco.txt", """ date 2024-06-27
BISHKEK, June 27 (Kabar) - Chairman of the Cabinet of Ministers of Kyrgyzstan Akylbek Japarov met with SCO Secretary-General Zhang Ming.

They discussed the organisation's plans in trade, transport and the fight against terrorism and extremism.
""", [m("2024-06-27", "Bishkek", "Kyrgyzstan", [("Akylbek Japarov", "Chairman of the Cabinet of Ministers"), ("Zhang Ming", "Secretary-General")], ["SCO"], ["trade", "transport", "counter-terrorism"])])

rep("16-sidelines-unga.txt", """ date 2024-09-25
NEW YORK, September 25. On the sidelines of the 79th session of the UN General Assembly in New York, Turkmen Foreign Minister Rashid Meredov met with UNDP Administrator Achim Steiner.

The sides noted the results of the country programme on climate adaptation and digital public services.
""", [m("2024-09-25", "New York", "United States", [("Rashid Meredov", "Foreign Minister"), ("Achim Steiner", "Administrator")], ["UNDP", "UN"], ["climate", "digital"])])

rep("17-telephone-conversation-presidents.txt", """ date 2024-08-12
TASHKENT, Uzbekistan, August 12. President Shavkat Mirziyoyev had a telephone conversation with President of Kazakhstan Kassym-Jomart Tokayev, the presidential press service said.

The leaders discussed the timetable of upcoming events and cooperation on water resources of the Syr Darya.
""", [m("2024-08-12", None, None, [("Shavkat Mirziyoyev", "President"), ("Kassym-Jomart Tokayev", "President")], [], ["water"], kind="call")])

rep("18-meeting-between-ebrd.txt", """ date 2023-11-08
ASTANA, Kazakhstan, November 8. A meeting between Prime Minister of Kazakhstan Alikhan Smailov and EBRD President Odile Renaud-Basso took place in Astana, Trend reports.

The parties reviewed the bank's investments in renewable energy and municipal infrastructure.
""", [m("2023-11-08", "Astana", "Kazakhstan", [("Alikhan Smailov", "Prime Minister"), ("Odile Renaud-Basso", "President")], ["EBRD"], ["investment", "energy"])])

rep("19-hosted-bilateral.txt", """ date 2024-04-18
ANKARA, Türkiye, April 18. Turkish Foreign Minister Hakan Fidan hosted Kyrgyz Foreign Minister Jeenbek Kulubaev for a bilateral meeting, Trend reports.

They discussed education exchanges, the Kyrgyz-Turkish Manas University and trade.
""", [m("2024-04-18", "Ankara", "Türkiye", [("Hakan Fidan", "Foreign Minister"), ("Jeenbek Kulubaev", "Foreign Minister")], [], ["education", "trade"])])

rep("20-received-letter-no-meeting.txt", """ date 2024-03-01
DUSHANBE, Tajikistan, March 1. President of Tajikistan Emomali Rahmon received a letter of congratulations from President of Uzbekistan Shavkat Mirziyoyev on the anniversary of the Tajik-Uzbek treaty, Trend reports.

The message praised the growth of trade between the two countries.
""", [], note="received a letter is not a meeting")

rep("21-who-health.txt", """ date 2024-10-21
ASTANA, Kazakhstan, October 21. Minister of Health of Kazakhstan Akmaral Alnazarova met with WHO Regional Director for Europe Hans Kluge.

Kluge and Alnazarova discussed primary health care, vaccines and the anniversary of the Alma-Ata Declaration.
""", [m("2024-10-21", "Astana", "Kazakhstan", [("Akmaral Alnazarova", "Minister of Health"), ("Hans Kluge", "Regional Director for Europe")], ["WHO", "UN"], ["health"])])

rep("22-two-meetings-dushanbe-water.txt", """ date 2024-06-05
DUSHANBE, Tajikistan, June 5. On the margins of the Dushanbe Water Process conference, Foreign Minister of Tajikistan Sirojiddin Muhriddin met with Kaha Imnadze, Head of UNRCCA.

They talked about glacier preservation and transboundary water cooperation.

Muhriddin also held talks with Deputy Minister of Foreign Affairs of Turkmenistan Vepa Hajiyev on the sidelines of the conference.

The two diplomats discussed energy trade and the Turkmen-Tajik border crossings.
""", [m("2024-06-05", "Dushanbe", "Tajikistan", [("Sirojiddin Muhriddin", "Foreign Minister"), ("Kaha Imnadze", "Head of UNRCCA")], ["UNRCCA", "UN"], ["water", "climate"]),
     m("2024-06-05", "Dushanbe", "Tajikistan", [("Sirojiddin Muhriddin", "Foreign Minister"), ("Vepa Hajiyev", "Deputy Minister of Foreign Affairs")], [], ["energy", "trade"])])

rep("23-crlf-bom.txt", "\ufeff date 2024-12-03\r\nASHGABAT, Turkmenistan, December 3.  Deputy Chairman of the Cabinet of Ministers of Turkmenistan Batyr Amanov met with Japanese Ambassador Hiroshi Ito.\r\n\r\nThe meeting  focused on energy projects and gas processing.\r\n",
    [m("2024-12-03", "Ashgabat", "Turkmenistan", [("Batyr Amanov", "Deputy Chairman of the Cabinet of Ministers"), ("Hiroshi Ito", "Ambassador")], [], ["energy"])])

rep("24-gazette-style-title.txt", """ date 2024-07-19
Uzbekistan, Russia review labour migration

MOSCOW, Russia, July 19. Russian Foreign Minister Sergey Lavrov held talks with his Uzbek counterpart Bakhtiyor Saidov in Moscow.

Lavrov and Saidov discussed labour migrants, trade turnover and the situation in Afghanistan.
""", [m("2024-07-19", "Moscow", "Russia", [("Sergey Lavrov", "Foreign Minister"), ("Bakhtiyor Saidov", None)], [], ["migration", "trade", "Afghanistan"])])

rep("25-no-meeting-statement.txt", """ date 2024-08-30
BISHKEK (AKIpress) - The Ministry of Foreign Affairs of Kyrgyzstan issued a statement welcoming the agreement on the final section of the Kyrgyz-Tajik border.

The statement said the deal opens the way for trade and transport projects along the border.
""", [], note="a statement, no meeting")

rep("26-video-eu.txt", """ date 2024-12-10
ASTANA, Kazakhstan, December 10. Deputy Foreign Minister of Kazakhstan Akan Rakhmetullin and EU Special Representative for Central Asia Eduards Stiprais held a video call to prepare the next round of the EU-Central Asia dialogue, Trend reports.

They discussed Afghanistan, connectivity and climate.
""", [m("2024-12-10", None, None, [("Akan Rakhmetullin", "Deputy Foreign Minister"), ("Eduards Stiprais", "Special Representative for Central Asia")], ["EU"], ["Afghanistan", "climate"], kind="video")])

rep("27-mr-surname-later.txt", """ date 2024-05-07
TASHKENT, Uzbekistan, May 7. Kaha Imnadze, Special Representative of the Secretary-General and Head of the UN Regional Centre for Preventive Diplomacy for Central Asia (UNRCCA), met with First Deputy Foreign Minister of Uzbekistan Bakhrom Aloyev.

Mr. Imnadze informed Mr. Aloyev about the Centre's programme of work, including preventive diplomacy and women, peace and security.

Aloyev confirmed Uzbekistan's support for the Centre.
""", [m("2024-05-07", "Tashkent", "Uzbekistan", [("Kaha Imnadze", "Special Representative of the Secretary-General and Head of UNRCCA"), ("Bakhrom Aloyev", "First Deputy Foreign Minister")], ["UNRCCA", "UN"], ["preventive diplomacy", "security"])])

rep("28-dateline-year-no-header.txt", """ASTANA, Kazakhstan, March 4, 2024. Kazakh Foreign Minister Murat Nurtleu met with Iranian Foreign Minister Hossein Amir-Abdollahian to discuss the North-South railway corridor and trade.

The ministers also exchanged views on Afghanistan.
""", [m("2024-03-04", "Astana", "Kazakhstan", [("Murat Nurtleu", "Foreign Minister"), ("Hossein Amir-Abdollahian", "Foreign Minister")], [], ["transport", "trade", "Afghanistan"])])

rep("29-oic-cica.txt", """ date 2024-09-03
ASTANA, Kazakhstan, September 3. CICA Secretary General Kairat Sarybay received Azerbaijani Deputy Foreign Minister Elnur Mammadov at the Secretariat in Astana.

The sides discussed confidence-building measures in the economic dimension and the fight against terrorism.
""", [m("2024-09-03", "Astana", "Kazakhstan", [("Kairat Sarybay", "Secretary General"), ("Elnur Mammadov", "Deputy Foreign Minister")], ["CICA"], ["counter-terrorism"])])

rep("30-almaty-unicef.txt", """ date 2024-11-20
ALMATY, Kazakhstan, November 20. Akim of Almaty Yerbolat Dossayev held a meeting with Regina De Dominicis, UNICEF Regional Director for Europe and Central Asia.

They discussed inclusive education, child health and safe public spaces in the city.
""", [m("2024-11-20", "Almaty", "Kazakhstan", [("Yerbolat Dossayev", "Akim of Almaty"), ("Regina De Dominicis", "Regional Director for Europe and Central Asia")], ["UNICEF", "UN"], ["education", "health"])])

rep("31-samarkand-mongolia.txt", """ date 2024-04-26
SAMARKAND, Uzbekistan, April 26. Uzbek Foreign Minister Bakhtiyor Saidov and Mongolian Foreign Minister Battsetseg Batmunkh met in Samarkand to discuss tourism and transit routes.

Battsetseg thanked her host for the warm welcome.
""", [m("2024-04-26", "Samarkand", "Uzbekistan", [("Bakhtiyor Saidov", "Foreign Minister"), ("Battsetseg Batmunkh", "Foreign Minister")], [], ["culture", "transport"])])

rep("32-orient-style-received-in-palace.txt", """ date 2024-02-28
ASHGABAT (Orient) - President of Turkmenistan Serdar Berdimuhamedov received the Secretary General of the Organization of Turkic States Kubanychbek Omuraliev at the Oguzkhan Palace.

Omuraliev conveyed greetings from the leaders of the member states. The talks touched on transport, energy and culture.
""", [m("2024-02-28", "Ashgabat", "Turkmenistan", [("Serdar Berdimuhamedov", "President"), ("Kubanychbek Omuraliev", "Secretary General of OTS")], ["OTS"], ["transport", "energy", "culture"])])

rep("33-courtesy-call-ambassador.txt", """ date 2024-01-30
BISHKEK, Kyrgyzstan, January 30. The new Ambassador of Germany to Kyrgyzstan Christian Turner paid a courtesy call on Deputy Minister of Foreign Affairs of Kyrgyzstan Almaz Imangaziev, Trend reports.

Imangaziev and Turner spoke about vocational education and green energy.
""", [m("2024-01-30", "Bishkek", "Kyrgyzstan", [("Christian Turner", "Ambassador to Kyrgyzstan"), ("Almaz Imangaziev", "Deputy Minister of Foreign Affairs")], [], ["education", "energy"])])

rep("34-no-meeting-weather.txt", """ date 2024-07-02
DUSHANBE, Tajikistan, July 2. Temperatures in the south of Tajikistan rose above 45 degrees this week, the Agency for Hydrometeorology said.

Farmers were advised to water crops at night.
""", [], note="no meeting")

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "examples", "reports")
os.makedirs(out, exist_ok=True)
with open(out.rstrip("/") + ".gold.jsonl", "w", encoding="utf-8") as g:
    for name, text, meetings, note in R:
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        row = {"doc": name, "meetings": meetings}
        if note:
            row["note"] = note
        g.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(R), "reports")
