# Every comparison, on strings and on partial dates.

meetings where org = "UNRCCA" and date >= 2024-01
---
2024-01-17 m-2024-01-17-ashgabat-unrcca
2024-02-07 m-2024-02-07-ashgabat-unrcca
2024-02-07 m-2024-02-07-astana-unrcca
2024-04 m-2024-04-astana-unrcca
2024-10-13 m-2024-10-13-ashgabat-unrcca
2025-01-24 m-2025-01-24-dushanbe-unrcca
2025-03-11 m-2025-03-11-bishkek-unrcca
2025-03-19 m-2025-03-19-ashgabat-unrcca
2025-05-08 m-2025-05-08-video-unrcca
2025-08-27 m-2025-08-27-tashkent-unrcca
2025-08-30 m-2025-08-30-dushanbe-unrcca
2025-09-03 m-2025-09-03-call-unrcca
2025-09-25 m-2025-09-25-astana-unrcca
2025-10-28 m-2025-10-28-ashgabat-unrcca
(14 rows)

meetings where org = " unrcca " and date >= 2024-01 count
---
count = 14
(1 rows)

meetings where org != "UN" and date = 2025-09
---
2025-09-13 m-2025-09-13-astana-araghchi
2025-09-13 m-2025-09-13-call-iwaya
(2 rows)

meetings where city < "Ankara"
---
2025-04-26 m-2025-04-26-almaty-china-central-asia
(1 rows)

meetings where city <= "Almaty" select city
---
{"id":"m-2025-04-26-almaty-china-central-asia","city":"Almaty"}
(1 rows)

meetings where city > "Washington" select city
---
{"id":"m-2022-05-11-xi-an-yi","city":"Xi'an"}
{"id":"m-2023-04-27-xi-an-china-central-asia","city":"Xi'an"}
(2 rows)

meetings where city >= "Vienna" and date >= 2025 select city, date
---
(0 rows)

meetings where date > 2025-09
---
2025-10-02 m-2025-10-02-astana-un
2025-10-28 m-2025-10-28-ashgabat-unrcca
(2 rows)

meetings where date < 2019-03
---
2019-01-18 m-2019-01-18-minsk-cis
2019-02-12 m-2019-02-12-khujand-muhriddin
2019-02-28 m-2019-02-28-samarkand-aidarbekov
(3 rows)

meetings where date <= 2019-03
---
2019-01-18 m-2019-01-18-minsk-cis
2019-02-12 m-2019-02-12-khujand-muhriddin
2019-02-28 m-2019-02-28-samarkand-aidarbekov
2019-03-04 m-2019-03-04-tashkent-mammadyarov
(4 rows)

meetings where date = 2024-02
---
2024-02-03 m-2024-02-03-ashgabat-blinken
2024-02-07 m-2024-02-07-ashgabat-unrcca
2024-02-07 m-2024-02-07-astana-unrcca
2024-02-09 m-2024-02-09-bishkek-kulubaev
2024-02-26 m-2024-02-26-meeting-amir-abdollahian
2024-02-29 m-2024-02-29-call-lu
(6 rows)

meetings where date = 2019 count
---
count = 32
(1 rows)

meetings where date between 2024-01 and 2024-02
---
2024-01-17 m-2024-01-17-ashgabat-unrcca
2024-01-20 m-2024-01-20-astana-cica
2024-01-24 m-2024-01-24-astana-lu
2024-01-27 m-2024-01-27-call-eu
2024-02-03 m-2024-02-03-ashgabat-blinken
2024-02-07 m-2024-02-07-ashgabat-unrcca
2024-02-07 m-2024-02-07-astana-unrcca
2024-02-09 m-2024-02-09-bishkek-kulubaev
2024-02-26 m-2024-02-26-meeting-amir-abdollahian
2024-02-29 m-2024-02-29-call-lu
(10 rows)

meetings where country in ["Tajikistan", "Kyrgyzstan"] and date = 2025-03
---
2025-03-09 m-2025-03-09-berlin-baerbock
2025-03-11 m-2025-03-11-bishkek-unrcca
2025-03-19 m-2025-03-19-ashgabat-unrcca
2025-03-26 m-2025-03-26-tashkent-muhriddin
(4 rows)

meetings where person contains "imnadze" and date >= 2025-08
---
2025-08-27 m-2025-08-27-tashkent-unrcca
2025-08-30 m-2025-08-30-dushanbe-unrcca
2025-09-03 m-2025-09-03-call-unrcca
2025-09-25 m-2025-09-25-astana-unrcca
2025-10-28 m-2025-10-28-ashgabat-unrcca
(5 rows)

meetings where person starts with "kaha" count
---
count = 15
(1 rows)

meetings where kind = "video" and date = 2021 count
---
count = 16
(1 rows)

meetings where text contains "Afghanistan" count
---
count = 39
(1 rows)

meetings where not city exists select id, kind
---
{"id":"m-2019-call-pompeo","kind":"call"}
{"id":"m-2019-video-unrcca","kind":"video"}
{"id":"m-2019-05-16-call-cis","kind":"call"}
{"id":"m-2019-07-01-call-un-office-of-counter-terrorism","kind":"call"}
{"id":"m-2019-07-18-meeting-eu","kind":"meeting"}
{"id":"m-2020-01-16-video-osce","kind":"video"}
{"id":"m-2020-01-18-video-kamilov","kind":"video"}
{"id":"m-2020-02-09-call-aidarbekov","kind":"call"}
{"id":"m-2020-02-22-video-avu-o-lu","kind":"video"}
{"id":"m-2020-04-12-video-muhriddin","kind":"video"}
{"id":"m-2020-04-22-video-eu","kind":"video"}
{"id":"m-2020-06-15-call-lavrov","kind":"call"}
{"id":"m-2020-07-video-lavrov","kind":"video"}
{"id":"m-2020-07-16-video-un","kind":"video"}
{"id":"m-2020-07-18-video-pompeo","kind":"video"}
{"id":"m-2020-07-27-video-atmar","kind":"video"}
{"id":"m-2020-08-11-video-central-asia-plus-japan","kind":"video"}
{"id":"m-2020-09-29-call-rudenko","kind":"call"}
{"id":"m-2020-10-05-call-eu","kind":"call"}
{"id":"m-2020-10-07-video-eu","kind":"video"}
{"id":"m-2020-10-22-call-muhriddin","kind":"call"}
{"id":"m-2020-12-video-avu-o-lu","kind":"video"}
{"id":"m-2021-01-call-tileuberdi","kind":"call"}
{"id":"m-2021-video-bayramov","kind":"video"}
{"id":"m-2021-video-blinken","kind":"video"}
{"id":"m-2021-01-08-video-kamilov","kind":"video"}
{"id":"m-2021-01-13-video-cica","kind":"video"}
{"id":"m-2021-01-20-video-sco","kind":"video"}
{"id":"m-2021-02-01-video-motegi","kind":"video"}
{"id":"m-2021-02-16-video-eaeu","kind":"video"}
{"id":"m-2021-02-20-call-eu","kind":"call"}
{"id":"m-2021-03-13-video-unrcca","kind":"video"}
{"id":"m-2021-03-27-call-lavrov","kind":"call"}
{"id":"m-2021-04-15-call-eu","kind":"call"}
{"id":"m-2021-04-16-meeting-kazakbaev","kind":"meeting"}
{"id":"m-2021-04-18-video-kazakbaev","kind":"video"}
{"id":"m-2021-05-29-video-lavrov","kind":"video"}
{"id":"m-2021-06-14-call-bayramov","kind":"call"}
{"id":"m-2021-07-15-video-atmar","kind":"video"}
{"id":"m-2021-07-28-video-avu-o-lu","kind":"video"}
{"id":"m-2021-08-02-call-eu","kind":"call"}
{"id":"m-2021-08-09-meeting-un-office-of-counter-terrorism","kind":"meeting"}
{"id":"m-2021-09-04-video-yi","kind":"video"}
{"id":"m-2021-10-08-video-lavrov","kind":"video"}
{"id":"m-2021-10-27-video-maas","kind":"video"}
{"id":"m-2021-11-05-call-osce","kind":"call"}
{"id":"m-2021-11-24-call-eaeu","kind":"call"}
{"id":"m-2021-12-video-yi","kind":"video"}
{"id":"m-2022-meeting-muhriddin","kind":"meeting"}
{"id":"m-2022-06-05-call-un-office-of-counter-terrorism","kind":"call"}
{"id":"m-2022-06-07-call-lavrov","kind":"call"}
{"id":"m-2022-07-02-call-world-bank","kind":"call"}
{"id":"m-2022-07-08-call-sco","kind":"call"}
{"id":"m-2022-07-14-call-baerbock","kind":"call"}
{"id":"m-2022-10-22-call-rudenko","kind":"call"}
{"id":"m-2022-11-11-meeting-baerbock","kind":"meeting"}
{"id":"m-2022-11-18-video-sco","kind":"video"}
{"id":"m-2023-02-call-gang","kind":"call"}
{"id":"m-2023-02-28-call-gang","kind":"call"}
{"id":"m-2023-03-04-call-gang","kind":"call"}
{"id":"m-2023-05-12-meeting-osce","kind":"meeting"}
{"id":"m-2023-08-09-video-cis","kind":"video"}
{"id":"m-2023-11-19-meeting-cica","kind":"meeting"}
{"id":"m-2023-12-19-call-muhriddin","kind":"call"}
{"id":"m-2023-12-20-call-lavrov","kind":"call"}
{"id":"m-2024-01-27-call-eu","kind":"call"}
{"id":"m-2024-02-26-meeting-amir-abdollahian","kind":"meeting"}
{"id":"m-2024-02-29-call-lu","kind":"call"}
{"id":"m-2024-03-meeting-muhriddin","kind":"meeting"}
{"id":"m-2024-03-09-call-un","kind":"call"}
{"id":"m-2024-04-29-call-lu","kind":"call"}
{"id":"m-2024-05-09-call-saidov","kind":"call"}
{"id":"m-2024-06-26-meeting-cica","kind":"meeting"}
{"id":"m-2024-07-08-call-osce","kind":"call"}
{"id":"m-2024-10-21-call-kosherbayev","kind":"call"}
{"id":"m-2024-12-14-call-kulubaev","kind":"call"}
{"id":"m-2024-12-20-call-blinken","kind":"call"}
{"id":"m-2025-01-17-call-fidan","kind":"call"}
{"id":"m-2025-04-10-call-sco","kind":"call"}
{"id":"m-2025-05-08-video-unrcca","kind":"video"}
{"id":"m-2025-06-18-meeting-yi","kind":"meeting"}
{"id":"m-2025-08-31-call-araghchi","kind":"call"}
{"id":"m-2025-09-03-call-unrcca","kind":"call"}
{"id":"m-2025-09-13-call-iwaya","kind":"call"}
(84 rows)

meetings where participant { name = "Kaha Imnadze" and org = "UNRCCA" } count
---
count = 15
(1 rows)

meetings where participant { org = "UNRCCA" and not name = "Kaha Imnadze" } select person
---
{"id":"m-2019-video-unrcca","person":["Roman Vassilenko","Natalia Gherman"]}
{"id":"m-2020-02-01-bishkek-unrcca","person":["Chingiz Aidarbekov","Natalia Gherman"]}
{"id":"m-2020-05-06-dushanbe-unrcca","person":["Sirojiddin Muhriddin","Natalia Gherman"]}
{"id":"m-2021-02-16-ashgabat-unrcca","person":["Sirojiddin Muhriddin","Natalia Gherman"]}
{"id":"m-2021-03-13-video-unrcca","person":["Myakhri Byashimova","Natalia Gherman"]}
{"id":"m-2021-04-18-tashkent-unrcca","person":["Abdulaziz Kamilov","Natalia Gherman"]}
{"id":"m-2021-04-23-ashgabat-unrcca","person":["Rashid Meredov","Natalia Gherman"]}
{"id":"m-2022-03-samarkand-unrcca","person":["Abdulaziz Kamilov","Natalia Gherman"]}
{"id":"m-2022-04-ashgabat-unrcca","person":["Roman Vassilenko","Natalia Gherman"]}
{"id":"m-2022-04-09-bishkek-unrcca","person":["Ruslan Kazakbaev","Natalia Gherman"]}
{"id":"m-2022-08-05-nur-sultan-unrcca","person":["Mukhtar Tileuberdi","Natalia Gherman"]}
{"id":"m-2022-08-17-ashgabat-unrcca","person":["Myakhri Byashimova","Natalia Gherman"]}
{"id":"m-2022-11-07-ashgabat-unrcca","person":["Mukhtar Tileuberdi","Natalia Gherman"]}
{"id":"m-2023-02-11-ashgabat-unrcca","person":["Rashid Meredov","Natalia Gherman"]}
(14 rows)

meetings where source = "Trend" count
---
count = 46
(1 rows)

meetings where topic = "water resources" and (country = "Tajikistan" or country = "Uzbekistan") count
---
count = 20
(1 rows)

meetings where id = "m-2024-01-17-ashgabat-unrcca" select summary
---
{"id":"m-2024-01-17-ashgabat-unrcca","summary":"Turkmenistan's deputy foreign minister welcomed the new head of UNRCCA in Ashgabat and proposed joint work on security, education and counter-terrorism."}
(1 rows)

