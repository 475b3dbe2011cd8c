#!/usr/bin/env python3
"""Writes examples/reports-heldout/: reports written after the rules were tuned on
examples/reports/, scored once to see how the rules generalise (docs/reports.md gives both
figures). Same gold conventions as make_reports.py."""
import json, os

R = []

def rep(name, text, meetings, note=None):
    R.append((name, text, meetings, note))

def m(date, city, country, people, orgs, topics, kind="meeting"):
    return {"date": date, "city": city, "country": country, "kind": kind,
            "participants": [{"name": n, "title": t} for n, t in people], "orgs": orgs, "topics": topics}

rep("h01-trend-baku.txt", """ date 2024-04-09
BAKU, Azerbaijan, April 9. Azerbaijani Foreign Minister Jeyhun Bayramov met with Foreign Minister of Turkmenistan Rashid Meredov, Trend reports.

The ministers spoke about the Trans-Caspian gas pipeline, transit cargo and cultural ties.
""", [m("2024-04-09", "Baku", "Azerbaijan", [("Jeyhun Bayramov", "Foreign Minister"), ("Rashid Meredov", "Foreign Minister")], [], ["energy", "transport", "culture"])])

rep("h02-kabar-call.txt", """ date 2024-03-27
BISHKEK, March 27 (Kabar) - President of Kyrgyzstan Sadyr Japarov held a telephone conversation with President of Russia Vladimir Putin.

The presidents discussed labour migrants and the supply of fuel to Kyrgyzstan.
""", [m("2024-03-27", None, None, [("Sadyr Japarov", "President"), ("Vladimir Putin", "President")], [], ["migration", "energy"], kind="call")])

rep("h03-xinhua-astana.txt", """ASTANA, Oct. 14, 2024 (Xinhua) -- Kazakh President Kassym-Jomart Tokayev met with Chinese Vice Premier Ding Xuexiang here on Monday to discuss trade, agriculture and the China-Europe railway express.
""", [m("2024-10-14", "Astana", "Kazakhstan", [("Kassym-Jomart Tokayev", "President"), ("Ding Xuexiang", "Vice Premier")], [], ["trade", "agriculture", "transport"])])

rep("h04-no-meeting-exports.txt", """ date 2024-02-14
TASHKENT, Uzbekistan, February 14. Uzbekistan's fruit and vegetable exports reached a record last year, the Statistics Agency reported.

Most shipments went to Russia, Kazakhstan and China by rail.
""", [], note="no meeting")

rep("h05-title-after.txt", """ date 2024-08-21
DUSHANBE, Tajikistan, August 21. Emomali Rahmon, the President of Tajikistan, received Ghada Waly, Executive Director of the United Nations Office on Drugs and Crime (UNODC).

They discussed the fight against drug trafficking and terrorism on the Tajik-Afghan border.
""", [m("2024-08-21", "Dushanbe", "Tajikistan", [("Emomali Rahmon", "President"), ("Ghada Waly", "Executive Director of UNODC")], ["UNODC", "UN"], ["drugs", "counter-terrorism", "Afghanistan"])])

rep("h06-two-meetings.txt", """ date 2024-06-18
ASTANA, Kazakhstan, June 18. Kazakh Foreign Minister Murat Nurtleu received Indian Minister of External Affairs Subrahmanyam Jaishankar in Astana.

They discussed pharmaceuticals, information technology and trade.

Later, Nurtleu met with OSCE Secretary General Helga Maria Schmid to discuss regional security and water.
""", [m("2024-06-18", "Astana", "Kazakhstan", [("Murat Nurtleu", "Foreign Minister"), ("Subrahmanyam Jaishankar", "Minister of External Affairs")], [], ["trade", "health", "digital"]),
     m("2024-06-18", "Astana", "Kazakhstan", [("Murat Nurtleu", "Foreign Minister"), ("Helga Maria Schmid", "Secretary General")], ["OSCE"], ["security", "water"])])

rep("h07-video-adb.txt", """ date 2024-11-05
TASHKENT, Uzbekistan, November 5. Minister of Economy and Finance of Uzbekistan Jamshid Kuchkarov and ADB Vice-President Yingming Yang held an online meeting on new loans for irrigation and schools.
""", [m("2024-11-05", None, None, [("Jamshid Kuchkarov", "Minister of Economy and Finance"), ("Yingming Yang", "Vice-President")], ["ADB"], ["water", "education"], kind="video")])

rep("h08-particle-de.txt", """ date 2024-09-12
ASHGABAT, Turkmenistan, September 12. Deputy Minister of Foreign Affairs of Turkmenistan Vepa Hajiyev met with Mr. Luca de Santis, the Ambassador of Italy to Turkmenistan.

Hajiyev and de Santis discussed energy and the teaching of Italian at Turkmen universities.
""", [m("2024-09-12", "Ashgabat", "Turkmenistan", [("Vepa Hajiyev", "Deputy Minister of Foreign Affairs"), ("Luca de Santis", "Ambassador to Turkmenistan")], [], ["energy", "education"])])

rep("h09-future.txt", """ date 2024-05-02
DUSHANBE, Tajikistan, May 2. Tajik Foreign Minister Sirojiddin Muhriddin is expected to hold talks with his Kyrgyz counterpart in Bishkek later this month, the ministry said.
""", [], note="future")

rep("h10-akipress-unrcca.txt", """ date 2025-02-11
BISHKEK (AKIpress) - Deputy Foreign Minister of Kyrgyzstan Almaz Imangaziev met with Kaha Imnadze, Head of UNRCCA, on February 10 to discuss preventive diplomacy and transboundary rivers.
""", [m("2025-02-10", "Bishkek", "Kyrgyzstan", [("Almaz Imangaziev", "Deputy Foreign Minister"), ("Kaha Imnadze", "Head of UNRCCA")], ["UNRCCA", "UN"], ["preventive diplomacy", "water"])])

rep("h11-sidelines-cop.txt", """ date 2024-11-13
BAKU, Azerbaijan, November 13. On the sidelines of COP29 in Baku, Uzbek President Shavkat Mirziyoyev met with UN Secretary-General António Guterres.

The two discussed climate change, the Aral Sea and financing for adaptation.
""", [m("2024-11-13", "Baku", "Azerbaijan", [("Shavkat Mirziyoyev", "President"), ("António Guterres", "Secretary-General")], ["UN"], ["climate", "water"])])

rep("h12-kazinform-bilateral.txt", """ date 2024-07-04
ASTANA. KAZINFORM – Within the SCO summit in Astana, President of Kazakhstan Kassym-Jomart Tokayev and President of Türkiye Recep Tayyip Erdoğan held a bilateral meeting.

The leaders discussed trade, the defence industry and the Middle Corridor.
""", [m("2024-07-04", "Astana", "Kazakhstan", [("Kassym-Jomart Tokayev", "President"), ("Recep Tayyip Erdoğan", "President")], ["SCO"], ["trade", "transport"])])

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "examples", "reports-heldout")
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
