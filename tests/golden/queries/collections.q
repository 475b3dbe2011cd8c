-- Collections, counts, ordering, paging and select.
meetings count
meetings limit 3
meetings order by date desc limit 3
meetings order by city limit 3 offset 1 select city
meetings where org = "UNRCCA" count by year
meetings where country = "Turkmenistan" and date = 2024 count by month
meetings where date = 2025 count by kind
meetings where org = "EU" count by country limit 4
people where org = "UNRCCA" limit 5
orgs where country = "Kazakhstan" limit 5
countries where person = "Wang Yi"
topics where org = "SCO" limit 5
orgs count
explain meetings where org = "UNRCCA" and date >= 2024-01
explain meetings where text contains "water" limit 5
explain meetings where person = "Kaha Imnadze" or country in ["Turkmenistan", "Tajikistan"]
explain meetings where participant { name = "Kaha Imnadze" }
meetings where date = 2024 count by org limit 5
topics where date >= 2025-01 limit 5
explain meetings where date = 2024 count by org
explain orgs
explain countries where date < 2024-07 count
