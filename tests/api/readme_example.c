/* Classifies one email file and prints each recipient's verdict, then the whole result as JSON. */
#include <stdio.h>
#include <string.h>

#include <carom.h>

static const char *or_dash(const char *s) { return s ? s : "-"; }

int main(int argc, char **argv) {
    static char bytes[1 << 20]; /* an example: a real program reads the whole file */
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
    size_t n = f ? fread(bytes, 1, sizeof bytes, f) : 0, i;
    carom_engine_t *engine = NULL;
    carom_result_t *result = NULL;
    char *error = NULL, *json = NULL;

    if (f) fclose(f);
    /* Build the engine once (NULL options: built-in rules, default limits) and share it. */
    if (carom_engine_new(NULL, &engine, &error) != CAROM_OK) {
        fprintf(stderr, "carom: %s\n", or_dash(error));
        carom_string_free(error);
        return 2;
    }
    /* Every input gets a result; an unreadable one carries an error status. */
    if (carom_classify(engine, bytes, n, &result) != CAROM_OK) return 2;
    if (carom_result_status(result) != CAROM_OK)
        printf("not read: %s\n", carom_result_message(result));
    for (i = 0; i < carom_result_record_count(result); ++i)
        printf("%s: %s/%s status %s\n", or_dash(carom_result_field(result, i, CAROM_FIELD_RECIPIENT, NULL)),
               or_dash(carom_class_name(carom_result_class(result, i))),
               or_dash(carom_reason_name(carom_result_reason(result, i))),
               or_dash(carom_result_field(result, i, CAROM_FIELD_STATUS, NULL)));
    if (carom_result_to_json(result, argv[1], argv[1] ? strlen(argv[1]) : 0, &json, NULL) == CAROM_OK)
        puts(json);
    carom_string_free(json);
    carom_result_free(result);
    carom_engine_free(engine);
    return 0;
}
