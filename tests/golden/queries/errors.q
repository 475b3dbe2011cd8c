-- One of each error kind, with the position and the caret.
meetings wher org = "UN"
meetings where org = and
meetings where date >= 2024-13
meetings where date = 2023-02-29
meetings where org = "UNRCCA
meetings where (org = "UN"
meetings where orgg = "UN"
meetings where name = "Kaha Imnadze"
meetings where participant { person = "Kaha Imnadze" }
meetings where date contains "2024"
meetings where org = $who
meetings where org = "UN" limit 99999999999999999999999
meetigns
people count by year
meetings count by colour
