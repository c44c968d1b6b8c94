// STUB CLI (to be replaced): classify files given on the command line.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "carom.h"

int main(int argc, char **argv) {
    carom_engine_t *engine = nullptr;
    char *err = nullptr;
    if (carom_engine_new(nullptr, &engine, &err) != CAROM_OK) {
        std::fprintf(stderr, "carom: %s\n", err ? err : "engine failed");
        return 2;
    }
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "classify" || a.rfind("--", 0) == 0 || a == "jsonl") continue;
        std::ifstream f(a, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        carom_result_t *r = nullptr;
        carom_classify(engine, bytes.data(), bytes.size(), &r);
        char *json = nullptr;
        carom_result_to_json(r, a.data(), a.size(), &json, nullptr);
        std::printf("%s\n", json);
        carom_string_free(json);
        carom_result_free(r);
    }
    carom_engine_free(engine);
    return 0;
}
