/*
 * MeetQL from C: open (or create) a database, import a file of meetings, print a query's rows
 * through a cursor, print a count, and show how a query error reads.
 *
 *   cargo build --release -p meetql-c
 *   cc -Iinclude examples/c/meetings.c -Ltarget/release -lmeetql_c -Wl,-rpath,target/release -o meetings
 *   ./meetings DB_DIR FILE.jsonl ['QUERY']
 */
#include <stdio.h>
#include <stdlib.h>
#include "meetql.h"

/* Prints an error message from the library and frees it. */
static int fail(const char *what, char *err) {
    fprintf(stderr, "%s: %s\n", what, err ? err : "(no message)");
    meetql_free(err);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB_DIR FILE.jsonl ['QUERY']\n", argv[0]);
        return 2;
    }
    const char *query = argc > 3 ? argv[3] : "meetings where org = $org order by date limit 5 select date, city";
    char *err = NULL;

    meetql_db *db = meetql_open(argv[1], &err);
    if (!db) return fail("open", err);

    if (meetql_import(db, argv[2], &err) != MEETQL_OK) {
        int code = fail("import", err);
        meetql_close(db);
        return code;
    }

    /* A cursor hands over one row at a time: a result of any size needs little memory. */
    meetql_cursor *rows = meetql_cursor_open(db, query, "{\"org\": \"OSCE\"}", &err);
    if (!rows) {
        int code = fail("query", err);
        meetql_close(db);
        return code;
    }
    int n = 0;
    char *row;
    while ((row = meetql_cursor_next(rows, &err)) != NULL) {
        printf("row %d: %s\n", ++n, row);
        meetql_free(row);
    }
    meetql_cursor_close(rows);
    if (err) {
        int code = fail("reading rows", err);
        meetql_close(db);
        return code;
    }

    /* A small result comes whole, as JSON Lines. */
    char *count = meetql_query_jsonl(db, "meetings count", &err);
    if (!count) {
        int code = fail("count", err);
        meetql_close(db);
        return code;
    }
    printf("all: %s", count);
    meetql_free(count);

    /* A query error says where, with a caret under the column. */
    char *none = meetql_query_jsonl(db, "meetings wher org = \"OSCE\"", &err);
    if (none || !err) {
        fprintf(stderr, "a misspelt query gave no error\n");
        meetql_free(none);
        meetql_close(db);
        return 1;
    }
    printf("error: %s\n", err);
    meetql_free(err);

    meetql_close(db);
    return 0;
}
