# Collections, counts, ordering, paging and select.

meetings count
---
count = 309
(1 rows)

meetings limit 3
---
2019 m-2019-call-pompeo
2019 m-2019-tehran-zarif
2019 m-2019-video-unrcca
(3 rows)

meetings order by date desc limit 3
---
2025-10-28 m-2025-10-28-ashgabat-unrcca
2025-10-02 m-2025-10-02-astana-un
2025-09-25 m-2025-09-25-astana-unrcca
(3 rows)

meetings order by city limit 3 offset 1 select city
---
{"id":"m-2019-06-ankara-avu-o-lu","city":"Ankara"}
{"id":"m-2019-12-15-ankara-avu-o-lu","city":"Ankara"}
{"id":"m-2021-06-06-ankara-avu-o-lu","city":"Ankara"}
(3 rows)

meetings where org = "UNRCCA" count by year
---
2019 | 1
2020 | 2
2021 | 4
2022 | 6
2023 | 2
2024 | 5
2025 | 9
(7 rows)

meetings where country = "Turkmenistan" and date = 2024 count by month
---
2024-01 | 2
2024-02 | 2
2024-03 | 1
2024-04 | 1
2024-05 | 3
2024-07 | 2
2024-08 | 4
2024-10 | 3
2024-11 | 1
2024-12 | 1
(10 rows)

meetings where date = 2025 count by kind
---
meeting | 28
call | 5
video | 1
(3 rows)

meetings where org = "EU" count by country limit 4
---
Kazakhstan | 10
Turkmenistan | 10
Kyrgyzstan | 7
Tajikistan | 7
(4 rows)

people where org = "UNRCCA" limit 5
---
Kaha Imnadze | 15
Natalia Gherman | 14
Myakhri Byashimova | 5
Rashid Meredov | 4
Roman Vassilenko | 4
(5 rows)

orgs where country = "Kazakhstan" limit 5
---
Ministry of Foreign Affairs of Kazakhstan | 96
Ministry of Foreign Affairs of Tajikistan | 19
Ministry of Foreign Affairs of Kyrgyzstan | 18
Ministry of Foreign Affairs of Turkmenistan | 18
Ministry of Foreign Affairs of Uzbekistan | 18
(5 rows)

countries where person = "Wang Yi"
---
China | 19
Tajikistan | 6
Turkmenistan | 6
Kazakhstan | 5
Kyrgyzstan | 5
Uzbekistan | 5
(6 rows)

topics where org = "SCO" limit 5
---
security | 7
counter-terrorism | 5
trade | 4
regional cooperation | 3
(4 rows)

orgs count
---
count = 26
(1 rows)

explain meetings where org = "UNRCCA" and date >= 2024-01
---
access:
  index org: = "unrcca" (point scan), narrowed to start >= 2024-01-01
filter: answered by the indexes (no re-check)
records read: only the rows returned
output: meetings
order: date, then id (index order)
rows: in date order

explain meetings where text contains "water" limit 5
---
access:
  index text (text grams): "wat" and "ate" and "ter" (candidates for text contains "water", each re-checked)
filter: candidates re-checked against each record
records read: every candidate, tested in place
output: meetings
order: date, then id (index order)
rows: in date order, stopping after 5
limit: 5

explain meetings where person = "Kaha Imnadze" or country in ["Turkmenistan", "Tajikistan"]
---
access:
  union
    index person: = "kaha imnadze" (point scan)
    index country: = "turkmenistan" or = "tajikistan" (point scan)
filter: answered by the indexes (no re-check)
records read: only the rows returned
output: meetings
order: date, then id (index order)
rows: in date order

explain meetings where participant { name = "Kaha Imnadze" }
---
access:
  index person: = "kaha imnadze" (point scan)
filter: candidates re-checked against each record
records read: every candidate
output: meetings
order: date, then id (index order)
rows: in date order

meetings where date = 2024 count by org limit 5
---
Ministry of Foreign Affairs of Turkmenistan | 20
Ministry of Foreign Affairs of Kyrgyzstan | 16
Ministry of Foreign Affairs of Kazakhstan | 14
Ministry of Foreign Affairs of Uzbekistan | 12
Ministry of Foreign Affairs of Tajikistan | 9
(5 rows)

topics where date >= 2025-01 limit 5
---
energy | 9
trade | 8
counter-terrorism | 6
transport | 6
water resources | 6
(5 rows)

explain meetings where date = 2024 count by org
---
access:
  index org: any value (range scan), narrowed to start >= 2024-01-01 and end <= 2024-12-31
filter: answered by the indexes (no re-check)
records read: none (index entries only)
counts: index entries, one per meeting and value
output: count by org

explain orgs
---
access:
  index org: any value (range scan)
records read: none (index entries only)
counts: index entries, one per meeting and value
output: distinct org values with counts

explain countries where date < 2024-07 count
---
access:
  index country: any value (range scan), narrowed to end <= 2024-06-30
filter: answered by the indexes (no re-check)
records read: none (index entries only)
counts: index entries, one per meeting and value
output: number of distinct country values

