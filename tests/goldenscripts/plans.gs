# What explain says is what runs: each plan, then the rows it gives.

[plan] meetings where org = "UNRCCA" and date >= 2024-01 limit 3
---
access:
  index org: = "unrcca" (point scan), narrowed to start >= 2024-01-01
filter: answered by the indexes (no re-check)
records read: only the rows returned
output: meetings
order: date, then id (index order)
rows: in date order, stopping after 3
limit: 3
2024-01-17 m-2024-01-17-ashgabat-unrcca
2024-02-07 m-2024-02-07-ashgabat-unrcca
2024-02-07 m-2024-02-07-astana-unrcca
(3 rows)

[plan] meetings where text contains "water" limit 2
---
access:
  index text (text grams): "wat" and "ate" and "ter" (candidates for text contains "water", each re-checked)
filter: candidates re-checked against each record
records read: every candidate, tested in place
output: meetings
order: date, then id (index order)
rows: in date order, stopping after 2
limit: 2
2019 m-2019-video-unrcca
2019-02-12 m-2019-02-12-khujand-muhriddin
(2 rows)

[plan] meetings where person = "Kaha Imnadze" or country in ["Turkmenistan", "Tajikistan"] count
---
access:
  union
    index person: = "kaha imnadze" (point scan)
    index country: = "turkmenistan" or = "tajikistan" (point scan)
filter: answered by the indexes (no re-check)
records read: none (index entries only)
output: count
count = 157
(1 rows)

[plan] meetings where date = 2024 count by org limit 3
---
access:
  index org: any value (range scan), narrowed to start >= 2024-01-01 and end <= 2024-12-31
filter: answered by the indexes (no re-check)
records read: none (index entries only)
counts: index entries, one per meeting and value
output: count by org
limit: 3
Ministry of Foreign Affairs of Turkmenistan | 20
Ministry of Foreign Affairs of Kyrgyzstan | 16
Ministry of Foreign Affairs of Kazakhstan | 14
(3 rows)

[plan] meetings where participant { name = "Kaha Imnadze" } order by date desc limit 2
---
access:
  index person: = "kaha imnadze" (point scan)
filter: candidates re-checked against each record
records read: every candidate, until the limit is reached
output: meetings
order: by date desc
rows: in date order, stopping after 2
limit: 2
2025-10-28 m-2025-10-28-ashgabat-unrcca
2025-09-25 m-2025-09-25-astana-unrcca
(2 rows)

[plan] [error] meetings where date contains "2024"
---
error: 'contains' does not apply to dates
<query>:1:16
meetings where date contains "2024"
               ^^^^ expected a comparison (=, <, >=, ...), 'between' or 'in' for dates

