-- Every comparison, on strings and on partial dates.
meetings where org = "UNRCCA" and date >= 2024-01
meetings where org = " unrcca " and date >= 2024-01 count
meetings where org != "UN" and date = 2025-09
meetings where city < "Ankara"
meetings where city <= "Almaty" select city
meetings where city > "Washington" select city
meetings where city >= "Vienna" and date >= 2025 select city, date
meetings where date > 2025-09
meetings where date < 2019-03
meetings where date <= 2019-03
meetings where date = 2024-02
meetings where date = 2019 count
meetings where date between 2024-01 and 2024-02
meetings where country in ["Tajikistan", "Kyrgyzstan"] and date = 2025-03
meetings where person contains "imnadze" and date >= 2025-08
meetings where person starts with "kaha" count
meetings where kind = "video" and date = 2021 count
meetings where text contains "Afghanistan" count
meetings where not city exists select id, kind
meetings where participant { name = "Kaha Imnadze" and org = "UNRCCA" } count
meetings where participant { org = "UNRCCA" and not name = "Kaha Imnadze" } select person
meetings where source = "Trend" count
meetings where topic = "water resources" and (country = "Tajikistan" or country = "Uzbekistan") count
meetings where id = "m-2024-01-17-ashgabat-unrcca" select summary
