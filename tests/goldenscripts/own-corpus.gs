# A file's own small corpus: kinds, participants, partial dates and a missing org.

[corpus]
{"id": "m-1", "date": "2024-01-17", "kind": "meeting", "orgs": ["OSCE"], "country": "Austria", "participants": [{"name": "Ana Lind", "title": "Minister", "country": "Sweden"}]}
{"id": "m-2", "date": "2024-02", "kind": "call", "orgs": ["OSCE", "EU"], "participants": [{"name": "Ana Lind"}, {"name": "Per Holm", "org": "EU"}]}
{"id": "m-3", "date": "2023", "kind": "video", "topics": ["water"]}
---

meetings
---
2023 m-3
2024-01-17 m-1
2024-02 m-2
(3 rows)

meetings where kind in ["call", "video"] select kind
---
{"id":"m-3","kind":"video"}
{"id":"m-2","kind":"call"}
(2 rows)

meetings where participant { name = "Ana Lind" and title exists }
---
2024-01-17 m-1
(1 rows)

meetings where not org = "OSCE"
---
2023 m-3
(1 rows)

meetings where date >= 2024-02 count
---
count = 1
(1 rows)

people
---
Ana Lind | 2
Per Holm | 1
(2 rows)

meetings count by kind
---
call | 1
meeting | 1
video | 1
(3 rows)

[error] meetings where kind = "phone"
---
error: unknown kind "phone"
<query>:1:23
meetings where kind = "phone"
                      ^^^^^^^ expected a kind: "meeting", "call" or "video"

