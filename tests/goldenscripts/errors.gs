# One of each error kind, with the position and the caret.

[error] meetings wher org = "UN"
---
error: unexpected word 'wher'
<query>:1:10
meetings wher org = "UN"
         ^^^^ expected 'where', 'count', 'order', 'limit', 'select' or the end of the statement
help: did you mean 'where'?

[error] meetings where org = and
---
error: expected a value after '=', found 'and'
<query>:1:22
meetings where org = and
                     ^^^ expected a value: a string, a date, a number or a $parameter

[error] meetings where date >= 2024-13
---
error: invalid date 2024-13: month 13 does not exist (expected 01..12)
<query>:1:24
meetings where date >= 2024-13
                       ^^^^^^^ expected a date: YYYY, YYYY-MM or YYYY-MM-DD

[error] meetings where date = 2023-02-29
---
error: invalid date 2023-02-29: day 29 does not exist in 2023-02 (expected 01..28)
<query>:1:23
meetings where date = 2023-02-29
                      ^^^^^^^^^^ expected a date: YYYY, YYYY-MM or YYYY-MM-DD

[error] meetings where org = "UNRCCA
---
error: unclosed string: no closing '"' before end of input
<query>:1:22
meetings where org = "UNRCCA
                     ^ expected '"' to close the string

[error] meetings where (org = "UN"
---
error: unclosed '(': no ')' before end of input
<query>:1:16
meetings where (org = "UN"
               ^ expected ')' to close it

[error] meetings where orgg = "UN"
---
error: unknown field 'orgg'
<query>:1:16
meetings where orgg = "UN"
               ^^^^ expected a field: date, kind, city, country, org, person, title, topic, source, text, id
help: did you mean 'org'?

[error] meetings where name = "Kaha Imnadze"
---
error: unknown field 'name'
<query>:1:16
meetings where name = "Kaha Imnadze"
               ^^^^ expected a field: date, kind, city, country, org, person, title, topic, source, text, id
help: did you mean 'person' (or 'participant { name ... }')?

[error] meetings where participant { person = "Kaha Imnadze" }
---
error: unknown participant field 'person'
<query>:1:30
meetings where participant { person = "Kaha Imnadze" }
                             ^^^^^^ expected a participant field: name, title, org, country
help: did you mean 'name'?

[error] meetings where date contains "2024"
---
error: 'contains' does not apply to dates
<query>:1:16
meetings where date contains "2024"
               ^^^^ expected a comparison (=, <, >=, ...), 'between' or 'in' for dates

[error] meetings where org = $who
---
error: parameter $who is not bound
<query>:1:22
meetings where org = $who
                     ^^^^ expected a value for $who: bind it with `let $who = ...;` or `--param who=...`

[error] meetings where org = "UN" limit 99999999999999999999999
---
error: the number 99999999999999999999999 is too large
<query>:1:33
meetings where org = "UN" limit 99999999999999999999999
                                ^^^^^^^^^^^^^^^^^^^^^^^ expected a whole number up to 18446744073709551615

[error] meetigns
---
error: unexpected word 'meetigns'
<query>:1:1
meetigns
^^^^^^^^ expected a statement: 'meetings', 'people', 'orgs', 'countries', 'topics', 'explain', 'let' or 'expect'
help: did you mean 'meetings'?

[error] people count by year
---
error: 'count by' applies to meetings, not to people
<query>:1:17
people count by year
                ^^^^ expected 'meetings ... count by year' or 'people count'

[error] meetings count by colour
---
error: unknown field 'colour'
<query>:1:19
meetings count by colour
                  ^^^^^^ expected a field, 'year' or 'month': date, kind, city, country, org, person, title, topic, source, text, id, year, month

