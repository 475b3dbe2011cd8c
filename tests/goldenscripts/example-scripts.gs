# The example scripts (examples/scripts/*.mql), each run whole as `meetql run --format table` runs it.

[script] examples/scripts/eu-topics.mql
---
-- topics where org = $org
┌───────────────────┬───────┐
│ topic             ┆ count │
╞═══════════════════╪═══════╡
│ climate           ┆    12 │
│ trade             ┆    12 │
│ Global Gateway    ┆    11 │
│ rule of law       ┆    11 │
│ border management ┆    10 │
│ connectivity      ┆    10 │
└───────────────────┴───────┘
6 rows

-- countries where org = $org limit 10
┌──────────────┬───────┐
│ country      ┆ count │
╞══════════════╪═══════╡
│ Kazakhstan   ┆    10 │
│ Turkmenistan ┆    10 │
│ Kyrgyzstan   ┆     7 │
│ Tajikistan   ┆     7 │
│ Uzbekistan   ┆     7 │
│ Belgium      ┆     3 │
│ Luxembourg   ┆     1 │
└──────────────┴───────┘
7 rows

-- people where participant { org = $org } limit 10
┌──────────────────────┬───────┐
│ person               ┆ count │
╞══════════════════════╪═══════╡
│ Josep Borrell        ┆    13 │
│ Terhi Hakala         ┆    11 │
│ Rashid Meredov       ┆     7 │
│ Sirojiddin Muhriddin ┆     7 │
│ Mukhtar Tileuberdi   ┆     6 │
│ Peter Burian         ┆     5 │
│ Abdulaziz Kamilov    ┆     4 │
│ Ruslan Kazakbaev     ┆     4 │
│ Myakhri Byashimova   ┆     3 │
│ Roman Vassilenko     ┆     3 │
└──────────────────────┴───────┘
10 rows

[script] examples/scripts/kazakhstan-diplomacy.mql
---
-- meetings where country = $country count by year
┌──────┬───────┐
│ year ┆ count │
╞══════╪═══════╡
│ 2019 ┆    10 │
│ 2020 ┆    10 │
│ 2021 ┆    20 │
│ 2022 ┆    14 │
│ 2023 ┆    16 │
│ 2024 ┆    15 │
│ 2025 ┆    12 │
└──────┴───────┘
7 rows

-- orgs where country = $country limit 10
┌──────────────────────────────────────────────────────────────┬───────┐
│ org                                                          ┆ count │
╞══════════════════════════════════════════════════════════════╪═══════╡
│ Ministry of Foreign Affairs of Kazakhstan                    ┆    96 │
│ Ministry of Foreign Affairs of Tajikistan                    ┆    19 │
│ Ministry of Foreign Affairs of Kyrgyzstan                    ┆    18 │
│ Ministry of Foreign Affairs of Turkmenistan                  ┆    18 │
│ Ministry of Foreign Affairs of Uzbekistan                    ┆    18 │
│ UN                                                           ┆    12 │
│ EU                                                           ┆    10 │
│ Ministry of Foreign Affairs of Russia                        ┆     8 │
│ UN Regional Centre for Preventive Diplomacy for Central Asia ┆     8 │
│ UNRCCA                                                       ┆     8 │
└──────────────────────────────────────────────────────────────┴───────┘
10 rows

-- meetings where person = $minister and date >= $since
┌─────────────────────────────────────────────────────┬────────────┬────────────┬──────────────────────────────────────────────────────────────┐
│ id                                                  ┆ date       ┆ city       ┆ person                                                       │
╞═════════════════════════════════════════════════════╪════════════╪════════════╪══════════════════════════════════════════════════════════════╡
│ m-2024-08-08-astana-central-asian-foreign-ministers ┆ 2024-08-08 ┆ Astana     ┆ Rashid Meredov; Murat Nurtleu; Bakhtiyor Saidov; Jeenbek Ku… │
│ m-2024-08-astana-muttaqi                            ┆ 2024-08    ┆ Astana     ┆ Murat Nurtleu; Amir Khan Muttaqi                             │
│ m-2024-06-02-astana-sco                             ┆ 2024-06-02 ┆ Astana     ┆ Murat Nurtleu; Zhang Ming                                    │
│ m-2024-05-18-washington-world-bank                  ┆ 2024-05-18 ┆ Washington ┆ Murat Nurtleu; Tatiana Proskuryakova                         │
│ m-2024-04-astana-unrcca                             ┆ 2024-04    ┆ Astana     ┆ Murat Nurtleu; Kaha Imnadze                                  │
│ m-2024-03-27-beijing-yi                             ┆ 2024-03-27 ┆ Beijing    ┆ Murat Nurtleu; Wang Yi                                       │
│ m-2024-03-26-astana-lavrov                          ┆ 2024-03-26 ┆ Astana     ┆ Murat Nurtleu; Sergey Lavrov                                 │
│ m-2024-03-18-brussels-eu-central-asia               ┆ 2024-03-18 ┆ Brussels   ┆ Josep Borrell; Rashid Meredov; Murat Nurtleu; Bakhtiyor Sai… │
│ m-2024-02-07-astana-unrcca                          ┆ 2024-02-07 ┆ Astana     ┆ Murat Nurtleu; Kaha Imnadze                                  │
│ m-2023-11-19-meeting-cica                           ┆ 2023-11-19 ┆            ┆ Murat Nurtleu; Kairat Sarybay                                │
└─────────────────────────────────────────────────────┴────────────┴────────────┴──────────────────────────────────────────────────────────────┘
10 rows

[script] examples/scripts/regional-organisations.mql
---
-- meetings where org = "OSCE" count
14

-- meetings where org = "SCO" count
10

-- meetings where org = "CIS" or org = "EAEU" count
9

-- meetings where org in ["OSCE", "SCO", "CIS", "CICA", "EAEU"] count
39

-- meetings where org = $org count by year
┌──────┬───────┐
│ year ┆ count │
╞══════╪═══════╡
│ 2021 ┆     1 │
│ 2022 ┆     5 │
│ 2023 ┆     1 │
│ 2024 ┆     2 │
│ 2025 ┆     1 │
└──────┴───────┘
5 rows

-- topics where org = $org limit 8
┌──────────────────────┬───────┐
│ topic                ┆ count │
╞══════════════════════╪═══════╡
│ security             ┆     7 │
│ counter-terrorism    ┆     5 │
│ trade                ┆     4 │
│ regional cooperation ┆     3 │
└──────────────────────┴───────┘
4 rows

[script] examples/scripts/turkmenistan-foreign-minister.mql
---
-- people where person = $minister and date >= $since limit 15
┌──────────────────────┬───────┐
│ person               ┆ count │
╞══════════════════════╪═══════╡
│ Rashid Meredov       ┆    73 │
│ Sirojiddin Muhriddin ┆    18 │
│ Jeenbek Kulubaev     ┆    10 │
│ Mukhtar Tileuberdi   ┆    10 │
│ Bakhtiyor Saidov     ┆     8 │
│ Abdulaziz Kamilov    ┆     7 │
│ Murat Nurtleu        ┆     6 │
│ Wang Yi              ┆     6 │
│ Josep Borrell        ┆     5 │
│ Ruslan Kazakbaev     ┆     5 │
│ Sergey Lavrov        ┆     5 │
│ Antony Blinken       ┆     4 │
│ Chingiz Aidarbekov   ┆     3 │
│ Vladimir Norov       ┆     3 │
│ Hakan Fidan          ┆     2 │
└──────────────────────┴───────┘
15 rows

-- orgs where person = $minister and date >= $since limit 10
┌─────────────────────────────────────────────┬───────┐
│ org                                         ┆ count │
╞═════════════════════════════════════════════╪═══════╡
│ Ministry of Foreign Affairs of Turkmenistan ┆    73 │
│ Ministry of Foreign Affairs of Kazakhstan   ┆    18 │
│ Ministry of Foreign Affairs of Kyrgyzstan   ┆    18 │
│ Ministry of Foreign Affairs of Tajikistan   ┆    18 │
│ Ministry of Foreign Affairs of Uzbekistan   ┆    18 │
│ EU                                          ┆     7 │
│ Ministry of Foreign Affairs of China        ┆     7 │
│ UN                                          ┆     6 │
│ Ministry of Foreign Affairs of Russia       ┆     5 │
│ U.S. Department of State                    ┆     5 │
└─────────────────────────────────────────────┴───────┘
10 rows

-- topics where person = $minister and date >= $since limit 10
┌──────────────────────┬───────┐
│ topic                ┆ count │
╞══════════════════════╪═══════╡
│ trade                ┆    27 │
│ energy               ┆    15 │
│ security             ┆    14 │
│ regional cooperation ┆    12 │
│ education            ┆    11 │
│ Afghanistan          ┆    10 │
│ climate              ┆     8 │
│ transport            ┆     8 │
│ water resources      ┆     7 │
│ border               ┆     6 │
└──────────────────────┴───────┘
10 rows

[script] examples/scripts/unrcca-by-month.mql
---
-- meetings where org = $org and date = $year count by month
┌─────────┬───────┐
│ month   ┆ count │
╞═════════╪═══════╡
│ 2025-01 ┆     1 │
│ 2025-03 ┆     2 │
│ 2025-05 ┆     1 │
│ 2025-08 ┆     2 │
│ 2025-09 ┆     2 │
│ 2025-10 ┆     1 │
└─────────┴───────┘
6 rows

-- meetings where org = $org and date = $year count by city
┌──────────┬───────┐
│ city     ┆ count │
╞══════════╪═══════╡
│ Ashgabat ┆     2 │
│ Dushanbe ┆     2 │
│ Astana   ┆     1 │
│ Bishkek  ┆     1 │
│ Tashkent ┆     1 │
└──────────┴───────┘
5 rows

-- meetings where org = $org and date = $year
┌──────────────────────────────┬────────────┬──────────┬────────────────────────────────────┐
│ id                           ┆ date       ┆ city     ┆ person                             │
╞══════════════════════════════╪════════════╪══════════╪════════════════════════════════════╡
│ m-2025-01-24-dushanbe-unrcca ┆ 2025-01-24 ┆ Dushanbe ┆ Sirojiddin Muhriddin; Kaha Imnadze │
│ m-2025-03-11-bishkek-unrcca  ┆ 2025-03-11 ┆ Bishkek  ┆ Jeenbek Kulubaev; Kaha Imnadze     │
│ m-2025-03-19-ashgabat-unrcca ┆ 2025-03-19 ┆ Ashgabat ┆ Jeenbek Kulubaev; Kaha Imnadze     │
│ m-2025-05-08-video-unrcca    ┆ 2025-05-08 ┆          ┆ Roman Vassilenko; Kaha Imnadze     │
│ m-2025-08-27-tashkent-unrcca ┆ 2025-08-27 ┆ Tashkent ┆ Bakhtiyor Saidov; Kaha Imnadze     │
│ m-2025-08-30-dushanbe-unrcca ┆ 2025-08-30 ┆ Dushanbe ┆ Sirojiddin Muhriddin; Kaha Imnadze │
│ m-2025-09-03-call-unrcca     ┆ 2025-09-03 ┆          ┆ Myakhri Byashimova; Kaha Imnadze   │
│ m-2025-09-25-astana-unrcca   ┆ 2025-09-25 ┆ Astana   ┆ Roman Vassilenko; Kaha Imnadze     │
│ m-2025-10-28-ashgabat-unrcca ┆ 2025-10-28 ┆ Ashgabat ┆ Bakhtiyor Saidov; Kaha Imnadze     │
└──────────────────────────────┴────────────┴──────────┴────────────────────────────────────┘
9 rows

[script] examples/scripts/water-and-security.mql
---
-- countries where topic = $topic limit 10
┌───────────────┬───────┐
│ country       ┆ count │
╞═══════════════╪═══════╡
│ Kazakhstan    ┆    13 │
│ Turkmenistan  ┆    13 │
│ Tajikistan    ┆    12 │
│ Uzbekistan    ┆    12 │
│ Kyrgyzstan    ┆    11 │
│ Germany       ┆     6 │
│ United States ┆     1 │
└───────────────┴───────┘
7 rows

-- meetings where topic = $topic and org = "UNRCCA"
┌──────────────────────────────┬────────────┬───────────┬──────────────────────────────────────────────────────────────┐
│ id                           ┆ date       ┆ city      ┆ summary                                                      │
╞══════════════════════════════╪════════════╪═══════════╪══════════════════════════════════════════════════════════════╡
│ m-2019-video-unrcca          ┆ 2019       ┆           ┆ Roman Vassilenko and Natalia Gherman held a videoconference… │
│ m-2021-02-16-ashgabat-unrcca ┆ 2021-02-16 ┆ Ashgabat  ┆ Meeting in Ashgabat, Sirojiddin Muhriddin and Natalia Gherm… │
│ m-2022-03-samarkand-unrcca   ┆ 2022-03    ┆ Samarkand ┆ Abdulaziz Kamilov and Natalia Gherman met in Samarkand and … │
│ m-2022-04-ashgabat-unrcca    ┆ 2022-04    ┆ Ashgabat  ┆ Roman Vassilenko and Natalia Gherman held talks in Ashgabat… │
│ m-2022-08-17-ashgabat-unrcca ┆ 2022-08-17 ┆ Ashgabat  ┆ Myakhri Byashimova and Natalia Gherman held talks in Ashgab… │
│ m-2025-01-24-dushanbe-unrcca ┆ 2025-01-24 ┆ Dushanbe  ┆ In Dushanbe, Sirojiddin Muhriddin met Kaha Imnadze to take … │
│ m-2025-03-19-ashgabat-unrcca ┆ 2025-03-19 ┆ Ashgabat  ┆ In Ashgabat, Jeenbek Kulubaev met Kaha Imnadze to take stoc… │
└──────────────────────────────┴────────────┴───────────┴──────────────────────────────────────────────────────────────┘
7 rows

-- meetings where topic = $topic count
38

-- meetings where topic = "security" and topic = $topic count
4

-- explain meetings where topic = $topic and date >= 2024
access:
  index topic: = "water resources" (point scan), narrowed to start >= 2024-01-01
filter: answered by the indexes (no re-check)
records read: only the rows returned
output: meetings
order: date, then id (index order)
rows: in date order

