/* bs_classify: a tiny driver over carom.h for the backscatter tests, until the CLI's
 * `carom classify --context FILE.json` / `--no-backscatter` can be used instead.
 *
 *   bs_classify [--context FILE.json] [--no-backscatter] FILE...
 *
 * Prints one JSON object per FILE (carom_result_to_json, "source" = FILE) on its own line.
 * Exit status: 0 when every file was classified, 1 when some could not be read or produced an
 * error result, 2 on usage or context errors (the context error message goes to stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carom.h"

static char *slurp(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) return NULL;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    *length = n;
    return buf;
}

int main(int argc, char **argv) {
    const char *context = NULL;
    int backscatter = 1, first = 1, status = 0;
    carom_options_t *options = NULL;
    carom_engine_t *engine = NULL;
    char *error = NULL;
    while (first < argc && strncmp(argv[first], "--", 2) == 0) {
        if (strcmp(argv[first], "--context") == 0 && first + 1 < argc) {
            context = argv[first + 1];
            first += 2;
        } else if (strcmp(argv[first], "--no-backscatter") == 0) {
            backscatter = 0;
            first += 1;
        } else {
            fprintf(stderr, "usage: bs_classify [--context FILE.json] [--no-backscatter] FILE...\n");
            return 2;
        }
    }
    if (carom_options_new(&options) != CAROM_OK) return 2;
    carom_options_use_backscatter(options, backscatter);
    if (context) {
        size_t len = 0;
        char *json = slurp(context, &len);
        if (!json) {
            fprintf(stderr, "bs_classify: cannot read %s\n", context);
            carom_options_free(options);
            return 2;
        }
        carom_status_t st = carom_options_set_context_json(options, json, len, &error);
        free(json);
        if (st != CAROM_OK) {
            fprintf(stderr, "bs_classify: %s: %s\n", context, error ? error : carom_status_string(st));
            carom_string_free(error);
            carom_options_free(options);
            return 2;
        }
    }
    if (carom_engine_new(options, &engine, &error) != CAROM_OK) {
        fprintf(stderr, "bs_classify: %s\n", error ? error : "engine failed");
        carom_string_free(error);
        carom_options_free(options);
        return 2;
    }
    carom_options_free(options);
    for (int i = first; i < argc; ++i) {
        size_t len = 0;
        char *bytes = slurp(argv[i], &len);
        carom_result_t *result = NULL;
        char *json = NULL;
        if (!bytes) {
            fprintf(stderr, "bs_classify: cannot read %s\n", argv[i]);
            status = 1;
            continue;
        }
        if (carom_classify(engine, bytes, len, &result) != CAROM_OK ||
            carom_result_to_json(result, argv[i], strlen(argv[i]), &json, NULL) != CAROM_OK) {
            status = 1;
        } else {
            if (carom_result_status(result) != CAROM_OK) status = 1;
            printf("%s\n", json);
        }
        carom_string_free(json);
        carom_result_free(result);
        free(bytes);
    }
    carom_engine_free(engine);
    return status;
}
